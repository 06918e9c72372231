// After-sale timers (rule S10): each after-sale step's response deadline, one running per order
// line and step (the partial unique index after_sale_timers_running). Ended timers stay on record.
// Which step starts when, and its days, is the deadline service's business; the store keeps the
// rows and the indexed range the sweep walks.
//
// File-local names carry an after_sale prefix: the unity build compiles every store source as one.

#include <algorithm>

#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

// The conflict target names after_sale_timers_running with its WHERE: a line's step that already
// runs keeps its first start (a request seen again on the next sync is the same request).
constexpr const char* kAfterSaleStart =
    "INSERT INTO after_sale_timers (order_row, line_id, step, started_at, due_at, rule_id, holiday_window, "
    "merchant_owes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT (order_row, line_id, step) WHERE ended_at IS NULL DO NOTHING";
constexpr const char* kAfterSaleRunningId =
    "SELECT id FROM after_sale_timers WHERE order_row = ?1 AND line_id = ?2 AND step = ?3 AND ended_at IS NULL";
constexpr const char* kAfterSaleEnd =
    "UPDATE after_sale_timers SET ended_at = ?4 WHERE order_row = ?1 AND line_id = ?2 AND step = ?3 "
    "AND ended_at IS NULL";

#define ERP_STORE_AFTER_SALE_SELECT                                                                         \
  "SELECT t.id, o.platform, o.shop, o.order_id, t.line_id, t.step, t.started_at, t.due_at, t.rule_id, " \
  "t.holiday_window, t.merchant_owes, t.ended_at FROM after_sale_timers t JOIN orders o ON o.id = t.order_row "
constexpr const char* kAfterSaleOfOrder = ERP_STORE_AFTER_SALE_SELECT "WHERE t.order_row = ?1 ORDER BY t.id";
// Spelled as the partial index after_sale_timers_running is: one index probe per order.
constexpr const char* kAfterSaleRunningOfOrder =
    ERP_STORE_AFTER_SALE_SELECT "WHERE t.order_row = ?1 AND t.ended_at IS NULL ORDER BY t.id";
// Spelled as the partial index after_sale_timers_due is, so the planner can use it.
constexpr const char* kAfterSaleDue = ERP_STORE_AFTER_SALE_SELECT
    "WHERE t.ended_at IS NULL AND t.merchant_owes = 1 AND t.due_at <= ?1 AND (t.due_at, t.id) > (?2, ?3) "
    "ORDER BY t.due_at, t.id LIMIT ?4";
#undef ERP_STORE_AFTER_SALE_SELECT

AfterSaleTimer read_after_sale_row(const SQLite::Statement& s) {
  AfterSaleTimer t;
  t.id = s.getColumn(0).getInt64();
  t.key = OrderKey{column_text(s, 1), column_text(s, 2), column_text(s, 3)};
  t.line_id = column_text(s, 4);
  t.step = column_text(s, 5);
  t.started_at = column_instant(s, 6);
  t.due_at = column_instant(s, 7);
  t.rule_id = column_text(s, 8);
  t.window = column_text(s, 9);
  t.merchant_owes = s.getColumn(10).getInt() != 0;
  t.ended_at = column_optional_instant(s, 11);
  return t;
}

std::vector<AfterSaleTimer> read_after_sale_rows(SQLite::Statement& s) {
  std::vector<AfterSaleTimer> out;
  while (s.executeStep()) out.push_back(read_after_sale_row(s));
  return out;
}

}  // namespace

std::int64_t Store::start_after_sale_timer(Tx& tx, const AfterSaleTimer& timer) {
  require_open(tx);
  const std::int64_t row = require_order_row(timer.key);
  {
    Use insert(statement(kAfterSaleStart));
    insert->bind(1, row);
    insert->bind(2, timer.line_id);
    insert->bind(3, timer.step);
    bind_instant(*insert, 4, timer.started_at);
    bind_instant(*insert, 5, timer.due_at);
    insert->bind(6, timer.rule_id);
    insert->bind(7, timer.window);
    insert->bind(8, timer.merchant_owes ? 1 : 0);
    if (insert->exec() != 0) return db_->getLastInsertRowid();
  }
  Use running(statement(kAfterSaleRunningId));
  running->bind(1, row);
  running->bind(2, timer.line_id);
  running->bind(3, timer.step);
  if (!running->executeStep()) throw std::logic_error("store: after-sale timer neither started nor running");
  return running->getColumn(0).getInt64();
}

bool Store::end_after_sale_timer(Tx& tx, const OrderKey& key, const std::string& line_id, const std::string& step,
                                 Instant now) {
  require_open(tx);
  const auto row = find_order_row(key);
  if (!row) return false;
  Use end(statement(kAfterSaleEnd));
  end->bind(1, *row);
  end->bind(2, line_id);
  end->bind(3, step);
  bind_instant(*end, 4, now);
  return end->exec() != 0;
}

std::vector<AfterSaleTimer> Store::after_sale_timers(const OrderKey& key) {
  std::lock_guard lock(mutex_);
  const auto row = find_order_row(key);
  if (!row) return {};
  Use select(statement(kAfterSaleOfOrder));
  select->bind(1, *row);
  return read_after_sale_rows(*select);
}

std::vector<AfterSaleTimer> Store::running_after_sale_timers(const OrderKey& key) {
  std::lock_guard lock(mutex_);
  const auto row = find_order_row(key);
  if (!row) return {};
  Use select(statement(kAfterSaleRunningOfOrder));
  select->bind(1, *row);
  return read_after_sale_rows(*select);
}

std::vector<AfterSaleTimer> Store::after_sale_due(Instant by, Instant after_due, std::int64_t after_id, int limit) {
  std::lock_guard lock(mutex_);
  Use select(statement(kAfterSaleDue));
  bind_instant(*select, 1, by);
  bind_instant(*select, 2, after_due);
  select->bind(3, after_id);
  select->bind(4, std::clamp(limit, 1, 1000));
  return read_after_sale_rows(*select);
}

}  // namespace erp::daemon::store
