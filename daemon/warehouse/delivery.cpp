#include "warehouse/delivery.hpp"

#include <algorithm>

#include "workflows/dropship/dropship_service.hpp"
#include "workflows/gift/gift_lines.hpp"

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

DeliverHandler::DeliverHandler(store::Store& store, std::shared_ptr<sdk::WarehouseConnector> connector)
    : store_(store), connector_(std::move(connector)) {}

sdk::Result<void> DeliverHandler::execute(const store::OutboxItem& item) noexcept {
  try {
    if (!item.key) return fail(ErrorCode::invalid_input, "delivery item has no order");
    auto stored = store_.get_order(*item.key);
    if (!stored) return fail(ErrorCode::not_found, "order " + item.key->to_string() + " is not stored");
    sdk::DeliveryOrder delivery;
    delivery.order = std::move(stored->order);
    // D6: lines assigned to factories ship from there; the warehouse gets the others only.
    const auto factory_lines = workflows::dropship::factory_line_ids(store_, *item.key);
    std::erase_if(delivery.order.lines, [&](const sdk::OrderLine& line) {
      return std::find(factory_lines.begin(), factory_lines.end(), line.line_id) != factory_lines.end();
    });
    // G4: the reservation gifts ride in this order's parcel.
    delivery.added_lines = workflows::gift::gift_lines(store_, *item.key);
    delivery.idempotency_key = item.idempotency_key;
    return connector_->deliver(delivery);
  } catch (const std::exception& e) {
    return fail(ErrorCode::transient, std::string("reading the order failed: ") + e.what());
  }
}

}  // namespace erp::daemon::warehouse
