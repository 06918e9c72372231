#include "warehouse/delivery.hpp"

#include <algorithm>

#include "core/time_format.hpp"
#include "workflows/dropship/dropship_service.hpp"
#include "workflows/gift/gift_lines.hpp"
#include "workflows/gift/gift_match.hpp"

namespace erp::daemon::warehouse {

using sdk::ErrorCode;
using sdk::fail;

holds::OnRelease enqueue_delivery_on_release(store::Store& store) {
  return [&store](store::Tx& tx, const store::StoredOrder& stored, store::Instant now) {
    const OrderKey key{stored.order.platform, stored.order.shop, stored.order.order_id};
    store::NewOutboxItem item;
    item.idempotency_key = std::string(kDeliverKind) + ":" + key.to_string();
    item.kind = kDeliverKind;
    item.target = "warehouse";
    item.key = key;
    store.enqueue(tx, item, now);
  };
}

sdk::Result<sdk::DeliveryOrder> assemble_delivery(store::Store& store, const OrderKey& key, const std::string& source,
                                                  const std::vector<std::string>& only_lines,
                                                  const std::string& preferred_code, store::Instant now) {
  auto stored = store.get_order(key);
  if (!stored) return fail(ErrorCode::not_found, "order " + key.to_string() + " is not stored");
  sdk::DeliveryOrder delivery;
  delivery.order = std::move(stored->order);
  // D6: lines assigned to factories ship from there; the warehouse gets the others only.
  const auto factory_lines = workflows::dropship::factory_line_ids(store, key);
  std::erase_if(delivery.order.lines, [&](const sdk::OrderLine& line) {
    const bool factory = std::find(factory_lines.begin(), factory_lines.end(), line.line_id) != factory_lines.end();
    const bool left_out =
        !only_lines.empty() && std::find(only_lines.begin(), only_lines.end(), line.line_id) == only_lines.end();
    return factory || left_out;
  });
  // G4: the reservation gifts ride in the main order's parcel, so they go with the whole order.
  if (only_lines.empty()) delivery.added_lines = workflows::gift::gift_lines(store, key);
  if (source.empty()) {
    delivery.delivery_code = key.order_id;  // nothing will be reported back by code
    return delivery;
  }
  // What the warehouse may ship: a confirmation that names no items ships these.
  std::vector<std::string> line_ids;
  for (const auto& line : delivery.order.lines) {
    if (!workflows::gift::refunded(line)) line_ids.push_back(line.line_id);
  }
  std::vector<std::string> candidates;
  if (!preferred_code.empty()) candidates.push_back(preferred_code);
  candidates.push_back(key.order_id);
  candidates.push_back(key.order_id + "-" + key.shop);
  candidates.push_back(key.order_id + "-" + key.platform + "-" + key.shop);
  delivery.delivery_code = store.claim_delivery_code(source, key, candidates, line_ids, now);
  return delivery;
}

DeliverHandler::DeliverHandler(store::Store& store, std::shared_ptr<sdk::WarehouseConnector> connector,
                               bool record_codes)
    : store_(store), connector_(std::move(connector)), record_codes_(record_codes) {}

sdk::Result<void> DeliverHandler::execute(const store::OutboxItem& item) noexcept {
  try {
    if (!item.key) return fail(ErrorCode::invalid_input, "delivery item has no order");
    // A delivery made again (after the warehouse cancelled one) names its code and lines.
    const auto only_lines = item.payload.value("line_ids", std::vector<std::string>{});
    const auto code = item.payload.value("code", std::string());
    const std::string source = record_codes_ ? item.idempotency_key : std::string();
    auto delivery = assemble_delivery(store_, *item.key, source, only_lines, code, now_utc());
    if (!delivery) return std::move(delivery).error();
    delivery->idempotency_key = item.idempotency_key;
    return connector_->deliver(*delivery);
  } catch (const std::exception& e) {
    return fail(ErrorCode::transient, std::string("reading the order failed: ") + e.what());
  }
}

}  // namespace erp::daemon::warehouse
