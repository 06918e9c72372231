#pragma once
// The schema history, embedded in the binary. PRAGMA user_version records how far a database has
// come; each step runs in its own transaction so a crash mid-upgrade leaves the previous version.

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <span>

namespace erp::daemon::store {

/// Written to PRAGMA application_id by the first migration, so the store can tell its own files
/// apart from another program's SQLite database ("ERPD" in ASCII).
inline constexpr std::int32_t kApplicationId = 0x45525044;

struct Migration {
  int version;              ///< The user_version the database has once this step is applied.
  const char* description;  ///< For people reading the code and the upgrade log.
  const char* sql;          ///< One or more statements, applied together.
};

/// Every migration, oldest first; versions are 1, 2, 3 ... without gaps.
std::span<const Migration> migrations() noexcept;

/// Applies the migrations after `from` up to and including `to`, each in its own transaction
/// (BEGIN IMMEDIATE ... PRAGMA user_version = N; COMMIT). Throws SQLite::Exception on failure,
/// having rolled back the step that failed.
void apply_migrations(SQLite::Database& db, int from, int to);

}  // namespace erp::daemon::store
