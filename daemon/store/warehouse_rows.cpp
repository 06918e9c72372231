// The warehouse connector's rows: the deliveries a warehouse knows by code (so a code it reports
// back leads to the order, and a lock names every delivery of the order), the inbound messages
// already applied (a warehouse sends a confirmation again until it hears success), and the stock
// changes it reported.

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

#define ERP_STORE_DELIVERY_SELECT \
  "SELECT code, source, platform, shop, order_id, line_ids, state, created_at FROM warehouse_deliveries "

constexpr const char* kDeliveryBySource = ERP_STORE_DELIVERY_SELECT "WHERE source = ?1";
constexpr const char* kDeliveryByCode = ERP_STORE_DELIVERY_SELECT "WHERE code = ?1";
constexpr const char* kDeliveriesOfOrder =
    ERP_STORE_DELIVERY_SELECT "WHERE platform = ?1 AND shop = ?2 AND order_id = ?3 ORDER BY created_at, code";

constexpr const char* kInsertDelivery =
    "INSERT INTO warehouse_deliveries (code, source, platform, shop, order_id, line_ids, state, created_at, "
    "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'delivered', ?7, ?7) ON CONFLICT (code) DO NOTHING";

constexpr const char* kCancelDeliveries =
    "UPDATE warehouse_deliveries SET state = 'cancelled', updated_at = ?4 "
    "WHERE platform = ?1 AND shop = ?2 AND order_id = ?3 AND state = 'delivered'";

constexpr const char* kRecordMessage =
    "INSERT INTO warehouse_messages (message_key, received_at) VALUES (?1, ?2) ON CONFLICT (message_key) DO NOTHING";

constexpr const char* kInsertStockChange =
    "INSERT INTO warehouse_stock_changes (message_key, warehouse_code, item_code, quantity, delivery_code, status, "
    "changed_at, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (message_key) DO NOTHING";

constexpr const char* kStockChanges =
    "SELECT id, warehouse_code, item_code, quantity, delivery_code, status, changed_at, received_at "
    "FROM warehouse_stock_changes WHERE (?1 = '' OR item_code = ?1) AND id > ?2 ORDER BY id LIMIT ?3";

WarehouseDelivery read_delivery(const SQLite::Statement& row) {
  WarehouseDelivery d;
  d.code = column_text(row, 0);
  d.source = column_text(row, 1);
  d.key = OrderKey{column_text(row, 2), column_text(row, 3), column_text(row, 4)};
  d.line_ids = nlohmann::json::parse(column_text(row, 5)).get<std::vector<std::string>>();
  d.cancelled = column_text(row, 6) == "cancelled";
  d.created_at = column_instant(row, 7);
  return d;
}

}  // namespace

std::string Store::claim_delivery_code(const std::string& source, const OrderKey& key,
                                       const std::vector<std::string>& candidates,
                                       const std::vector<std::string>& line_ids, Instant now) {
  Tx tx(*this, true);
  {
    Use existing(statement(kDeliveryBySource));
    existing->bind(1, source);
    if (existing->executeStep()) return column_text(*existing, 0);
  }
  const std::string lines = nlohmann::json(line_ids).dump();
  for (const auto& code : candidates) {
    Use insert(statement(kInsertDelivery));
    insert->bind(1, code);
    insert->bind(2, source);
    insert->bind(3, key.platform);
    insert->bind(4, key.shop);
    insert->bind(5, key.order_id);
    insert->bind(6, lines);
    bind_instant(*insert, 7, now);
    if (insert->exec() == 1) {
      tx.commit();
      return code;
    }
  }
  throw std::runtime_error("every delivery code for order " + key.to_string() + " is taken");
}

std::optional<WarehouseDelivery> Store::find_delivery(const std::string& code) {
  std::lock_guard lock(mutex_);
  Use select(statement(kDeliveryByCode));
  select->bind(1, code);
  if (!select->executeStep()) return std::nullopt;
  return read_delivery(*select);
}

std::vector<WarehouseDelivery> Store::deliveries_of(const OrderKey& key) {
  std::lock_guard lock(mutex_);
  Use select(statement(kDeliveriesOfOrder));
  select->bind(1, key.platform);
  select->bind(2, key.shop);
  select->bind(3, key.order_id);
  std::vector<WarehouseDelivery> out;
  while (select->executeStep()) out.push_back(read_delivery(*select));
  return out;
}

void Store::cancel_deliveries(Tx& tx, const OrderKey& key, Instant now) {
  require_open(tx);
  Use update(statement(kCancelDeliveries));
  update->bind(1, key.platform);
  update->bind(2, key.shop);
  update->bind(3, key.order_id);
  bind_instant(*update, 4, now);
  update->exec();
}

bool Store::record_warehouse_message(Tx& tx, const std::string& message_key, Instant now) {
  require_open(tx);
  Use insert(statement(kRecordMessage));
  insert->bind(1, message_key);
  bind_instant(*insert, 2, now);
  return insert->exec() == 1;
}

bool Store::add_stock_change(Tx& tx, const std::string& message_key, const StockChange& change) {
  require_open(tx);
  Use insert(statement(kInsertStockChange));
  insert->bind(1, message_key);
  insert->bind(2, change.warehouse_code);
  insert->bind(3, change.item_code);
  insert->bind(4, change.quantity);
  insert->bind(5, change.delivery_code);
  insert->bind(6, change.status);
  bind_instant(*insert, 7, change.changed_at);
  bind_instant(*insert, 8, change.received_at);
  return insert->exec() == 1;
}

std::vector<StockChange> Store::stock_changes(const std::string& item_code, std::int64_t after, int limit) {
  std::lock_guard lock(mutex_);
  Use select(statement(kStockChanges));
  select->bind(1, item_code);
  select->bind(2, after);
  select->bind(3, std::max(1, limit));
  std::vector<StockChange> out;
  while (select->executeStep()) {
    StockChange c;
    c.id = select->getColumn(0).getInt64();
    c.warehouse_code = column_text(*select, 1);
    c.item_code = column_text(*select, 2);
    c.quantity = select->getColumn(3).getInt64();
    c.delivery_code = column_text(*select, 4);
    c.status = column_text(*select, 5);
    c.changed_at = column_optional_instant(*select, 6);
    c.received_at = column_instant(*select, 7);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace erp::daemon::store
