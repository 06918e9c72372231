// Per-shop sync cursors (where incremental polling resumes after a restart) and the quarantine of
// platform payloads that could not be parsed (kept with the reason; sync goes on without them).

#include <algorithm>

#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

constexpr const char* kGetCursor = "SELECT value FROM sync_cursors WHERE platform = ?1 AND shop = ?2 AND name = ?3";

constexpr const char* kSetCursor =
    "INSERT INTO sync_cursors (platform, shop, name, value, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (platform, shop, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";

constexpr const char* kQuarantine =
    "INSERT INTO quarantine (platform, shop, order_id, reason, payload, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

constexpr const char* kListShopQuarantine =
    "SELECT id, platform, shop, order_id, reason, payload, received_at FROM quarantine WHERE ?2 = '' OR shop = ?2 "
    "ORDER BY id DESC LIMIT ?1";

}  // namespace

std::optional<std::string> Store::cursor(const std::string& platform, const std::string& shop,
                                         const std::string& name) {
  std::lock_guard lock(mutex_);
  Use select(statement(kGetCursor));
  select->bind(1, platform);
  select->bind(2, shop);
  select->bind(3, name);
  if (!select->executeStep()) return std::nullopt;
  return column_text(*select, 0);
}

void Store::set_cursor(Tx& tx, const std::string& platform, const std::string& shop, const std::string& name,
                       const std::string& value, Instant now) {
  require_open(tx);
  Use upsert(statement(kSetCursor));
  upsert->bind(1, platform);
  upsert->bind(2, shop);
  upsert->bind(3, name);
  upsert->bind(4, value);
  bind_instant(*upsert, 5, now);
  upsert->exec();
}

std::int64_t Store::quarantine(Tx& tx, const QuarantineEntry& entry) {
  require_open(tx);
  Use insert(statement(kQuarantine));
  insert->bind(1, entry.platform);
  insert->bind(2, entry.shop);
  insert->bind(3, entry.order_id);
  insert->bind(4, entry.reason);
  insert->bind(5, entry.payload);
  bind_instant(*insert, 6, entry.received_at);
  insert->exec();
  return db_->getLastInsertRowid();
}

std::vector<QuarantineEntry> Store::list_quarantine(int limit) { return list_quarantine(std::string(), limit); }

std::vector<QuarantineEntry> Store::list_quarantine(const std::string& shop, int limit) {
  std::lock_guard lock(mutex_);
  Use select(statement(kListShopQuarantine));
  select->bind(1, std::max(limit, 1));
  select->bind(2, shop);
  std::vector<QuarantineEntry> out;
  while (select->executeStep()) {
    QuarantineEntry e;
    e.id = select->getColumn(0).getInt64();
    e.platform = column_text(*select, 1);
    e.shop = column_text(*select, 2);
    e.order_id = column_text(*select, 3);
    e.reason = column_text(*select, 4);
    e.payload = column_text(*select, 5);
    e.received_at = column_instant(*select, 6);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace erp::daemon::store
