// Listing orders with filters and keyset pagination: the cursor names the last row of the
// previous page, so pages never repeat or skip an order even while new orders are stored.

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "core/order_status.hpp"
#include "store/order_list_sql.hpp"
#include "store/order_row.hpp"
#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

constexpr std::string_view kCursorPrefix = "o1.";  // Bump the digit if the cursor's meaning changes.
constexpr int kMaxLimit = 1000;

std::string encode_cursor(std::int64_t last_row) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, last_row, 16);
  (void)ec;  // 32 bytes always hold an int64 in hex.
  return std::string(kCursorPrefix) + std::string(buf, end);
}

std::optional<std::int64_t> decode_cursor(std::string_view cursor) {
  if (cursor.substr(0, kCursorPrefix.size()) != kCursorPrefix) return std::nullopt;
  const std::string_view digits = cursor.substr(kCursorPrefix.size());
  if (digits.empty()) return std::nullopt;
  std::int64_t row = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), row, 16);
  if (ec != std::errc{} || end != digits.data() + digits.size() || row < 0) return std::nullopt;
  return row;
}

}  // namespace

std::string order_list_sql(const OrderFilter& filter) {
  // Few shapes and not a hot path: built per call rather than cached. Every shape walks either
  // the table or orders_open in id order, so none sorts (schema 3 has no status or shop index).
  std::string sql = "SELECT " ERP_STORE_ORDER_COLUMNS " FROM orders o WHERE o.id > ?1";
  if (!filter.platform.empty()) sql += " AND o.platform = ?2";
  if (!filter.shop.empty()) sql += " AND o.shop = ?3";
  if (filter.state == kStateHeld) {
    sql += " AND o.id IN (SELECT order_row FROM holds WHERE released_at IS NULL)";
  } else if (filter.state == kStateReleased) {
    sql += " AND o.released = 1 AND " ERP_STORE_OPEN_ORDER;
  } else if (filter.state == kStateUnreleased) {
    sql += " AND o.released = 0 AND " ERP_STORE_OPEN_ORDER;
  } else if (const auto status = sdk::order_status_from_string(filter.state)) {
    sql += " AND o.status = ?4";
    // Spelled out so the planner may use orders_open: it cannot tell that ?4 is an open status.
    if (!is_finished(*status)) sql += " AND " ERP_STORE_OPEN_ORDER;
  }
  sql += " ORDER BY o.id LIMIT ?5";
  return sql;
}

bool is_valid_state_filter(std::string_view state) noexcept {
  return state.empty() || state == kStateHeld || state == kStateReleased || state == kStateUnreleased ||
         sdk::order_status_from_string(state).has_value();
}

bool is_valid_cursor(std::string_view cursor) noexcept { return cursor.empty() || decode_cursor(cursor).has_value(); }

OrderPage Store::list_orders(const OrderFilter& filter) {
  if (!is_valid_state_filter(filter.state)) {
    throw std::invalid_argument("unknown order state '" + filter.state + "'");
  }
  std::int64_t after = 0;
  if (!filter.cursor.empty()) {
    auto row = decode_cursor(filter.cursor);
    if (!row) throw std::invalid_argument("invalid cursor '" + filter.cursor + "'");
    after = *row;
  }
  const int limit = std::clamp(filter.limit, 1, kMaxLimit);

  const std::string sql = order_list_sql(filter);

  std::lock_guard lock(mutex_);
  SQLite::Statement select(*db_, sql);
  select.bind(1, after);
  if (!filter.platform.empty()) select.bind(2, filter.platform);
  if (!filter.shop.empty()) select.bind(3, filter.shop);
  if (sdk::order_status_from_string(filter.state)) select.bind(4, filter.state);
  select.bind(5, limit + 1);  // One extra row tells whether another page exists.

  OrderPage page;
  std::vector<std::int64_t> rows;
  while (select.executeStep()) {
    if (static_cast<int>(rows.size()) == limit) {
      page.next_cursor = encode_cursor(rows.back());
      break;
    }
    auto [row, stored] = read_order_row(select);
    rows.push_back(row);
    page.orders.push_back(std::move(stored));
  }
  select.reset();
  for (std::size_t i = 0; i < rows.size(); ++i) page.orders[i].holds = load_holds(rows[i], true);
  return page;
}

}  // namespace erp::daemon::store
