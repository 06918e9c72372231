#include "shipping/shipment_recorder.hpp"

#include <set>

namespace erp::daemon::shipping {
namespace {

using sdk::ErrorCode;
using sdk::fail;
using sdk::OrderStatus;

sdk::Result<void> check_order_can_ship(const sdk::Order& order, const PostedShipment& shipment) {
  if (order.status == OrderStatus::pending_payment) {
    return fail(ErrorCode::conflict, "order " + order.order_id + " is not paid; nothing may ship");
  }
  if (order.status == OrderStatus::closed) {
    return fail(ErrorCode::conflict, "order " + order.order_id + " is closed (" + order.platform_status +
                                         "); nothing may ship");
  }
  std::set<std::string> lines;
  for (const auto& line : order.lines) lines.insert(line.line_id);
  for (std::size_t i = 0; i < shipment.packages.size(); ++i) {
    for (const auto& id : shipment.packages[i].line_ids) {
      if (!lines.count(id)) {
        return fail(ErrorCode::invalid_input,
                    "packages[" + std::to_string(i) + "].lines: order " + order.order_id + " has no line '" + id + "'");
      }
    }
  }
  return {};
}

bool posted_before(store::Store& store, const OrderKey& key, const std::string& shipment_id) {
  for (const auto& event : store.events(key)) {
    if (event.kind == "shipment.posted" && event.detail.value("shipment_id", "") == shipment_id) return true;
  }
  return false;
}

}  // namespace

sdk::Result<RecordedShipment> record_shipment(store::Store& store, const OrderKey& key,
                                              const PostedShipment& shipment, store::Instant now,
                                              workflows::intercept::InterceptService* intercepts,
                                              workflows::dropship::DropshipService* dropship) {
  auto tx = store.begin();
  const auto stored = store.get_order(*tx, key);
  if (!stored) return fail(ErrorCode::not_found, "order " + key.to_string() + " not found");

  store::NewOutboxItem item;
  item.idempotency_key = shipment_key(key, shipment.shipment_id);
  item.kind = kPlatformShipKind;
  item.target = key.shop;
  item.key = key;
  item.payload = to_json(shipment);

  RecordedShipment recorded;
  if (posted_before(store, key, shipment.shipment_id)) {
    // The warehouse retried (lost our answer, or restarted): answer with what is owed already.
    recorded.outbox_id = store.enqueue(*tx, item, now);
    auto existing = store.get_outbox_item(recorded.outbox_id);
    if (!existing) return fail(ErrorCode::internal, "shipment " + shipment.shipment_id + " lost its outbox item");
    if (existing->payload != item.payload) {
      return fail(ErrorCode::conflict, "shipment " + shipment.shipment_id +
                                           " was posted before with other packages; post a new shipment_id");
    }
    recorded.duplicate = true;
    recorded.item = std::move(*existing);
    return recorded;
  }
  if (auto ok = check_order_can_ship(stored->order, shipment); !ok) return ok.error();
  std::vector<std::string> lines;
  bool whole_order = false;
  for (const auto& p : shipment.packages) {
    whole_order = whole_order || p.line_ids.empty();
    lines.insert(lines.end(), p.line_ids.begin(), p.line_ids.end());
  }
  if (dropship) {
    // In this transaction, so a factory's shipment and the warehouse's of the same line are
    // decided one after the other: exactly one of them ships it (D7).
    auto settled = dropship->settle_merchant_shipment(*tx, key, whole_order ? std::vector<std::string>{} : lines, now);
    if (!settled) return settled.error();
  }
  if (intercepts) {
    // In this transaction, so an intercept and a shipment posted at the same moment are decided
    // one after the other: exactly one of them wins.
    auto settled = intercepts->settle_shipment(*tx, key, whole_order ? std::vector<std::string>{} : lines, now);
    if (!settled) return fail(ErrorCode::conflict, settled.refusal->message);
    recorded.intercept_too_late = std::move(*settled.value);
  }

  store::NewEvent event;
  event.kind = "shipment.posted";
  event.actor = "warehouse";
  std::string waybills;
  for (const auto& p : shipment.packages) waybills += (waybills.empty() ? "" : ", ") + p.carrier_code + " " + p.waybill;
  event.reason = "the warehouse shipped " + std::to_string(shipment.packages.size()) + " package(s): " + waybills;
  event.detail = item.payload;
  store.append_event(*tx, key, event, now);
  recorded.outbox_id = store.enqueue(*tx, item, now);
  tx->commit();
  auto created = store.get_outbox_item(recorded.outbox_id);
  if (created) recorded.item = std::move(*created);
  return recorded;
}

}  // namespace erp::daemon::shipping
