// Orders and their lines: the upsert that never lets an older platform version win, and reads.

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/order_json.hpp"
#include "core/order_json_text.hpp"
#include "store/order_changes.hpp"
#include "store/order_row.hpp"
#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

constexpr const char* kFindRow = "SELECT id FROM orders WHERE platform = ?1 AND shop = ?2 AND order_id = ?3";

constexpr const char* kFindForUpsert =
    "SELECT id, modified_at, payload FROM orders WHERE platform = ?1 AND shop = ?2 AND order_id = ?3";

constexpr const char* kInsertOrder =
    "INSERT INTO orders (platform, shop, order_id, status, platform_status, kind, created_at, paid_at, "
    "modified_at, total_fen, memo, ship_by, stored_at, updated_at, payload) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14)";

constexpr const char* kUpdateOrder =
    "UPDATE orders SET status = ?2, platform_status = ?3, kind = ?4, created_at = ?5, paid_at = ?6, "
    "modified_at = ?7, total_fen = ?8, memo = ?9, ship_by = ?10, updated_at = ?11, payload = ?12 WHERE id = ?1";

constexpr const char* kDeleteLines = "DELETE FROM order_lines WHERE order_row = ?1";

constexpr int kLineColumns = 12;
constexpr std::size_t kLinesPerInsert = 8;

/// "INSERT INTO order_lines ... VALUES (...), (...)" for `rows` lines (1 to kLinesPerInsert): an
/// order's lines go in one statement, not one statement each. Built once; the statement cache
/// keys on the text's address, which stays put.
const char* insert_lines_sql(std::size_t rows) {
  static const std::array<std::string, kLinesPerInsert> texts = [] {
    std::array<std::string, kLinesPerInsert> built;
    std::string values;
    for (std::size_t n = 0; n < kLinesPerInsert; ++n) {
      values += n == 0 ? "(?,?,?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?,?,?)";
      built[n] = "INSERT INTO order_lines (order_row, position, line_id, item_id, sku, outer_sku, title, quantity, "
                 "price_fen, paid_fen, status, refund_status) VALUES " + values;
    }
    return built;
  }();
  return texts.at(rows - 1).c_str();
}

constexpr const char* kLoadOrder =
    "SELECT " ERP_STORE_ORDER_COLUMNS " FROM orders o WHERE o.platform = ?1 AND o.shop = ?2 AND o.order_id = ?3";

constexpr const char* kLoadState =
    "SELECT released, released_at, urgent, stored_at, updated_at FROM orders WHERE id = ?1";

constexpr const char* kFindByOrderId = "SELECT platform, shop, order_id FROM orders WHERE order_id = ?1 ORDER BY id";

constexpr const char* kMarkUrgent = "UPDATE orders SET urgent = 1 WHERE id = ?1 AND urgent = 0";
constexpr const char* kMarkReleased =
    "UPDATE orders SET released = 1, released_at = ?2, updated_at = ?2 WHERE id = ?1";

void bind_key(SQLite::Statement& s, const std::string& platform, const std::string& shop, const std::string& id) {
  s.bind(1, platform);
  s.bind(2, shop);
  s.bind(3, id);
}

// Binds the normalized columns shared by insert (?4..?12) and update (?2..?10).
void bind_facts(SQLite::Statement& s, int first, const sdk::Order& o) {
  s.bind(first, std::string(sdk::to_string(o.status)));
  s.bind(first + 1, o.platform_status);
  s.bind(first + 2, std::string(sdk::to_string(o.kind)));
  bind_instant(s, first + 3, o.created_at);
  bind_instant(s, first + 4, o.paid_at);
  bind_instant(s, first + 5, o.modified_at);
  s.bind(first + 6, o.total.fen);
  s.bind(first + 7, o.memo);
  bind_instant(s, first + 8, o.ship_by);
}

}  // namespace

std::pair<std::int64_t, StoredOrder> read_order_row(const SQLite::Statement& row) {
  const std::int64_t id = row.getColumn(0).getInt64();
  StoredOrder stored;
  stored.released = row.getColumn(1).getInt() != 0;
  stored.released_at = column_optional_instant(row, 2);
  stored.urgent = row.getColumn(3).getInt() != 0;
  stored.stored_at = column_instant(row, 4);
  stored.updated_at = column_instant(row, 5);
  const SQLite::Column payload = row.getColumn(6);
  const char* text = payload.getText();
  auto json = nlohmann::json::parse(text, text + payload.getBytes(), nullptr, false);
  auto order = json.is_discarded() ? sdk::Result<sdk::Order>(sdk::fail(sdk::ErrorCode::internal, "not JSON"))
                                   : order_from_json(json);
  if (!order) {
    throw std::runtime_error("store: order row " + std::to_string(id) +
                             " has an unreadable payload: " + order.error().message);
  }
  stored.order = std::move(order).value();
  return {id, std::move(stored)};
}

UpsertOutcome Store::upsert_order(Tx& tx, const sdk::Order& order, Instant now) {
  require_open(tx);
  if (order.platform.empty() || order.shop.empty() || order.order_id.empty()) {
    // A mapping bug upstream; such a payload belongs in quarantine, not under an empty key.
    throw std::invalid_argument("store: order without platform, shop or order id");
  }
  // Serialized once: the same string is the stored payload and the "unchanged" comparison.
  const std::string payload = order_to_json_text(order, true);

  std::optional<std::int64_t> row;
  Instant stored_modified{};
  std::string stored_payload;
  {
    Use find(statement(kFindForUpsert));
    bind_key(*find, order.platform, order.shop, order.order_id);
    if (find->executeStep()) {
      row = find->getColumn(0).getInt64();
      stored_modified = column_instant(*find, 1);
      stored_payload = column_text(*find, 2);
    }
  }

  NewEvent event;
  event.actor = "platform";
  if (!row) {
    Use insert(statement(kInsertOrder));
    bind_key(*insert, order.platform, order.shop, order.order_id);
    bind_facts(*insert, 4, order);
    bind_instant(*insert, 13, now);
    insert->bindNoCopy(14, payload);
    insert->exec();
    ++uncommitted_inserts_;
    row = db_->getLastInsertRowid();
    event.kind = "order.received";
    event.reason = describe_received(order);
    event.detail = {{"status", sdk::to_string(order.status)},
                    {"platform_status", order.platform_status},
                    {"line_count", order.lines.size()},
                    {"total_fen", order.total.fen}};
  } else {
    // Pushes and polls arrive late, twice and out of order (rule D11): the platform's modified
    // time decides, so an older version can never overwrite a newer one.
    if (order.modified_at < stored_modified) return UpsertOutcome::stale_ignored;
    if (payload == stored_payload) return UpsertOutcome::unchanged;

    std::vector<std::string> changes;
    auto before_json = nlohmann::json::parse(stored_payload, nullptr, false);
    auto before = before_json.is_discarded() ? sdk::Result<sdk::Order>(sdk::fail(sdk::ErrorCode::internal, ""))
                                             : order_from_json(before_json);
    if (before) {
      changes = describe_changes(*before, order);
      if (before->status != order.status) {
        event.detail["status"] = {{"from", sdk::to_string(before->status)}, {"to", sdk::to_string(order.status)}};
      }
    } else {
      changes.push_back("stored copy was unreadable and is replaced");
    }
    Use update(statement(kUpdateOrder));
    update->bind(1, *row);
    bind_facts(*update, 2, order);
    bind_instant(*update, 11, now);
    update->bindNoCopy(12, payload);
    update->exec();
    Use remove(statement(kDeleteLines));
    remove->bind(1, *row);
    remove->exec();
    event.kind = "order.updated";
    event.reason = join_changes(changes);
    event.detail["changes"] = changes;
  }

  remember_row(OrderKey{order.platform, order.shop, order.order_id}, *row);

  for (std::size_t first = 0; first < order.lines.size(); first += kLinesPerInsert) {
    const std::size_t count = std::min(kLinesPerInsert, order.lines.size() - first);
    Use insert(statement(insert_lines_sql(count)));
    for (std::size_t i = 0; i < count; ++i) {
      const auto& line = order.lines[first + i];
      const int base = static_cast<int>(i) * kLineColumns;
      insert->bind(base + 1, *row);
      insert->bind(base + 2, static_cast<std::int64_t>(first + i));
      insert->bindNoCopy(base + 3, line.line_id);
      insert->bindNoCopy(base + 4, line.item_id);
      insert->bindNoCopy(base + 5, line.sku);
      insert->bindNoCopy(base + 6, line.outer_sku);
      insert->bindNoCopy(base + 7, line.title);
      insert->bind(base + 8, line.quantity);
      insert->bind(base + 9, line.price.fen);
      insert->bind(base + 10, line.paid.fen);
      insert->bind(base + 11, std::string(sdk::to_string(line.status)));
      insert->bind(base + 12, std::string(sdk::to_string(line.refund_status)));
    }
    insert->exec();
  }
  insert_event(*row, event, now);
  return event.kind == "order.received" ? UpsertOutcome::inserted : UpsertOutcome::updated;
}

void Store::remember_row(const OrderKey& key, std::int64_t row) {
  last_row_key_ = key;
  last_row_ = row;
}

std::optional<std::int64_t> Store::find_order_row(const OrderKey& key) {
  std::lock_guard lock(mutex_);
  if (last_row_ != 0 && last_row_key_ == key) return last_row_;
  Use find(statement(kFindRow));
  bind_key(*find, key.platform, key.shop, key.order_id);
  if (!find->executeStep()) return std::nullopt;
  const std::int64_t row = find->getColumn(0).getInt64();
  remember_row(key, row);
  return row;
}

std::int64_t Store::require_order_row(const OrderKey& key) {
  auto row = find_order_row(key);
  if (!row) throw std::out_of_range("store: order " + key.to_string() + " is not stored");
  return *row;
}

std::optional<StoredOrder> Store::load_order(const OrderKey& key) {
  std::lock_guard lock(mutex_);
  std::optional<std::pair<std::int64_t, StoredOrder>> found;
  {
    Use load(statement(kLoadOrder));
    bind_key(*load, key.platform, key.shop, key.order_id);
    if (!load->executeStep()) return std::nullopt;
    found = read_order_row(*load);
  }
  found->second.holds = load_holds(found->first, true);
  return std::move(found->second);
}

std::optional<StoredOrder> Store::get_order(const OrderKey& key) { return load_order(key); }

std::optional<StoredOrder> Store::get_order(Tx& tx, const OrderKey& key) {
  require_open(tx);
  return load_order(key);
}

std::optional<StoredOrder> Store::get_order(Tx& tx, const OrderKey& key, const sdk::Order& current) {
  require_open(tx);
  const auto row = find_order_row(key);
  if (!row) return std::nullopt;
  StoredOrder stored;
  {
    Use load(statement(kLoadState));
    load->bind(1, *row);
    if (!load->executeStep()) return std::nullopt;
    stored.released = load->getColumn(0).getInt() != 0;
    stored.released_at = column_optional_instant(*load, 1);
    stored.urgent = load->getColumn(2).getInt() != 0;
    stored.stored_at = column_instant(*load, 3);
    stored.updated_at = column_instant(*load, 4);
  }
  stored.order = current;
  stored.holds = load_holds(*row, true);
  return stored;
}

std::vector<OrderKey> Store::find_orders(const std::string& order_id) {
  std::lock_guard lock(mutex_);
  Use find(statement(kFindByOrderId));
  find->bind(1, order_id);
  std::vector<OrderKey> keys;
  while (find->executeStep()) {
    keys.push_back(OrderKey{column_text(*find, 0), column_text(*find, 1), column_text(*find, 2)});
  }
  return keys;
}

bool Store::mark_urgent(Tx& tx, const OrderKey& key) {
  require_open(tx);
  const std::int64_t row = require_order_row(key);
  Use mark(statement(kMarkUrgent));
  mark->bind(1, row);
  return mark->exec() > 0;
}

void Store::mark_released(Tx& tx, const OrderKey& key, Instant now) {
  require_open(tx);
  const std::int64_t row = require_order_row(key);
  Use mark(statement(kMarkReleased));
  mark->bind(1, row);
  bind_instant(*mark, 2, now);
  mark->exec();
}

}  // namespace erp::daemon::store
