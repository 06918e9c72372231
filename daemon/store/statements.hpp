#pragma once
// Internal to the store: the prepared-statement cache and small column helpers shared by the
// files that implement Store. Not part of the store's interface.

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/time_format.hpp"
#include "store/store.hpp"

namespace erp::daemon::store {

/// Statements are prepared on first use (a database stopped at an older schema version must not
/// fail on tables it does not have yet) and reused for the life of the connection.
struct Store::Statements {
  explicit Statements(SQLite::Database& db) : db_(db) {}

  /// `sql` must be a string with static storage: its address is the cache key.
  SQLite::Statement& get(const char* sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) it = cache_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
    return *it->second;
  }

  SQLite::Database& db_;
  std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> cache_;
};

/// Borrows a cached statement for one use and resets it afterwards, also on exceptions, so no
/// half-read SELECT keeps a read transaction open and the next user starts from a clean state.
class Use {
 public:
  explicit Use(SQLite::Statement& statement) : s_(statement) { s_.tryReset(); }
  ~Use() { s_.tryReset(); }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;

  SQLite::Statement* operator->() noexcept { return &s_; }
  SQLite::Statement& operator*() noexcept { return s_; }

 private:
  SQLite::Statement& s_;
};

inline void bind_instant(SQLite::Statement& s, int index, Instant t) { s.bind(index, to_millis(t)); }

inline void bind_instant(SQLite::Statement& s, int index, const std::optional<Instant>& t) {
  if (t) {
    s.bind(index, to_millis(*t));
  } else {
    s.bind(index);  // NULL
  }
}

/// A row id that may be absent (a hold, an outbox item): NULL when it is.
inline void bind_optional_id(SQLite::Statement& s, int index, const std::optional<std::int64_t>& id) {
  if (id) {
    s.bind(index, *id);
  } else {
    s.bind(index);  // NULL
  }
}

inline void bind_bool(SQLite::Statement& s, int index, bool value) { s.bind(index, value ? 1 : 0); }

inline Instant column_instant(const SQLite::Statement& s, int index) {
  return from_millis(s.getColumn(index).getInt64());
}

inline std::optional<Instant> column_optional_instant(const SQLite::Statement& s, int index) {
  const SQLite::Column c = s.getColumn(index);
  if (c.isNull()) return std::nullopt;
  return from_millis(c.getInt64());
}

inline std::string column_text(const SQLite::Statement& s, int index) { return s.getColumn(index).getString(); }

}  // namespace erp::daemon::store
