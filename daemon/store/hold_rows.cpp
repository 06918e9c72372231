// Holds: why an order may not go to the warehouse yet. An order may carry several at once;
// released holds stay as history with who released them and why.

#include <algorithm>

#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

#define ERP_STORE_HOLD_SELECT                                                                              \
  "SELECT h.id, o.platform, o.shop, o.order_id, h.reason_code, h.owner, h.rule_id, h.note, h.created_at, " \
  "h.auto_release_at, h.released_at, h.released_by, h.release_reason FROM holds h "                        \
  "JOIN orders o ON o.id = h.order_row "

constexpr const char* kInsertHold =
    "INSERT INTO holds (order_row, reason_code, owner, rule_id, note, created_at, auto_release_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

constexpr const char* kMoveAutoRelease =
    "UPDATE holds SET auto_release_at = ?2 WHERE id = ?1 AND released_at IS NULL AND auto_release_at > ?2";

constexpr const char* kReleaseHold =
    "UPDATE holds SET released_at = ?2, released_by = ?3, release_reason = ?4 "
    "WHERE id = ?1 AND released_at IS NULL";

constexpr const char* kHoldById = ERP_STORE_HOLD_SELECT "WHERE h.id = ?1";

constexpr const char* kActiveHoldsOfOrder =
    ERP_STORE_HOLD_SELECT "WHERE h.order_row = ?1 AND h.released_at IS NULL ORDER BY h.id";

constexpr const char* kAllHoldsOfOrder = ERP_STORE_HOLD_SELECT "WHERE h.order_row = ?1 ORDER BY h.id";

constexpr const char* kDueAutoReleases = ERP_STORE_HOLD_SELECT
    "WHERE h.released_at IS NULL AND h.auto_release_at IS NOT NULL AND h.auto_release_at <= ?1 "
    "ORDER BY h.auto_release_at, h.id LIMIT ?2";
constexpr const char* kActiveHoldsWithReason = ERP_STORE_HOLD_SELECT
    "WHERE h.released_at IS NULL AND h.reason_code = ?1 ORDER BY h.id LIMIT ?2";

#undef ERP_STORE_HOLD_SELECT

Hold read_hold(const SQLite::Statement& s) {
  Hold h;
  h.id = s.getColumn(0).getInt64();
  h.key = OrderKey{column_text(s, 1), column_text(s, 2), column_text(s, 3)};
  h.reason_code = column_text(s, 4);
  h.owner = column_text(s, 5);
  h.rule_id = column_text(s, 6);
  h.note = column_text(s, 7);
  h.created_at = column_instant(s, 8);
  h.auto_release_at = column_optional_instant(s, 9);
  h.released_at = column_optional_instant(s, 10);
  h.released_by = column_text(s, 11);
  h.release_reason = column_text(s, 12);
  return h;
}

std::vector<Hold> read_holds(SQLite::Statement& s) {
  std::vector<Hold> out;
  while (s.executeStep()) out.push_back(read_hold(s));
  return out;
}

}  // namespace

std::int64_t Store::add_hold(Tx& tx, const OrderKey& key, const NewHold& hold, Instant now) {
  require_open(tx);
  const std::int64_t row = require_order_row(key);
  std::int64_t id = 0;
  {
    Use insert(statement(kInsertHold));
    insert->bind(1, row);
    insert->bind(2, hold.reason_code);
    insert->bind(3, hold.owner);
    insert->bind(4, hold.rule_id);
    insert->bind(5, hold.note);
    bind_instant(*insert, 6, now);
    bind_instant(*insert, 7, hold.auto_release_at);
    insert->exec();
    id = db_->getLastInsertRowid();
  }
  NewEvent event;
  event.kind = "hold.added";
  event.actor = hold.owner;
  event.rule_id = hold.rule_id;
  event.reason = "held (" + hold.reason_code + ")";
  if (!hold.note.empty()) event.reason += ": " + hold.note;
  if (hold.auto_release_at) event.reason += "; released automatically at " + format_cst(*hold.auto_release_at) + " CST";
  event.detail = {{"hold_id", id}, {"reason_code", hold.reason_code}};
  if (hold.auto_release_at) event.detail["auto_release_at"] = format_rfc3339(*hold.auto_release_at);
  insert_event(row, event, now);
  return id;
}

bool Store::release_hold(Tx& tx, std::int64_t hold_id, const std::string& by, const std::string& reason, Instant now) {
  require_open(tx);
  auto hold = get_hold(hold_id);
  if (!hold || hold->released_at) return false;
  {
    Use release(statement(kReleaseHold));
    release->bind(1, hold_id);
    bind_instant(*release, 2, now);
    release->bind(3, by);
    release->bind(4, reason);
    if (release->exec() == 0) return false;
  }
  const std::int64_t row = require_order_row(hold->key);
  NewEvent event;
  event.kind = "hold.released";
  event.actor = by;
  event.rule_id = hold->rule_id;  // The rule that held it, so "why" pairs the hold with its release.
  event.reason = "hold (" + hold->reason_code + ") released";
  if (!reason.empty()) event.reason += ": " + reason;
  event.detail = {{"hold_id", hold_id}, {"reason_code", hold->reason_code}};
  insert_event(row, event, now);
  return true;
}

bool Store::bring_auto_release_forward(Tx& tx, std::int64_t hold_id, Instant at, const std::string& rule_id,
                                      const std::string& why, Instant now) {
  require_open(tx);
  auto hold = get_hold(hold_id);
  if (!hold || hold->released_at || !hold->auto_release_at || *hold->auto_release_at <= at) return false;
  {
    Use move(statement(kMoveAutoRelease));
    move->bind(1, hold_id);
    bind_instant(*move, 2, at);
    if (move->exec() == 0) return false;
  }
  NewEvent event;
  event.kind = "hold.auto_release_moved";
  event.actor = "workflow:deadline";
  event.rule_id = rule_id;
  event.reason = "hold (" + hold->reason_code + ") now lifts itself at " + format_cst(at) + " CST, not " +
                 format_cst(*hold->auto_release_at) + ": " + why;
  event.detail = {{"hold_id", hold_id}, {"auto_release_at", format_rfc3339(at)},
                  {"was", format_rfc3339(*hold->auto_release_at)}};
  insert_event(require_order_row(hold->key), event, now);
  return true;
}

std::optional<Hold> Store::get_hold(std::int64_t hold_id) {
  std::lock_guard lock(mutex_);
  Use select(statement(kHoldById));
  select->bind(1, hold_id);
  if (!select->executeStep()) return std::nullopt;
  return read_hold(*select);
}

std::vector<Hold> Store::load_holds(std::int64_t order_row, bool active_only) {
  std::lock_guard lock(mutex_);
  Use select(statement(active_only ? kActiveHoldsOfOrder : kAllHoldsOfOrder));
  select->bind(1, order_row);
  return read_holds(*select);
}

std::vector<Hold> Store::active_holds(Tx& tx, const OrderKey& key) {
  require_open(tx);
  auto row = find_order_row(key);
  return row ? load_holds(*row, true) : std::vector<Hold>{};
}

std::vector<Hold> Store::holds(const OrderKey& key) {
  std::lock_guard lock(mutex_);
  auto row = find_order_row(key);
  return row ? load_holds(*row, false) : std::vector<Hold>{};
}

std::vector<Hold> Store::due_auto_releases(Instant now, int limit) {
  std::lock_guard lock(mutex_);
  Use select(statement(kDueAutoReleases));
  bind_instant(*select, 1, now);
  select->bind(2, std::max(limit, 1));
  return read_holds(*select);
}

std::vector<Hold> Store::active_holds_with_reason(const std::string& reason_code, int limit) {
  std::lock_guard lock(mutex_);
  Use select(statement(kActiveHoldsWithReason));
  select->bind(1, reason_code);
  select->bind(2, std::max(limit, 1));
  return read_holds(*select);
}

}  // namespace erp::daemon::store
