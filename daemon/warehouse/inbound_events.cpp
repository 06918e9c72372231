#include "warehouse/inbound_events.hpp"

#include <algorithm>

#include "core/posted_shipment.hpp"
#include "shipping/shipment_recorder.hpp"
#include "warehouse/delivery.hpp"
#include "warehouse/lock_handler.hpp"
#include "workflows/gift/gift_lines.hpp"

namespace erp::daemon::warehouse {
namespace {

using sdk::ErrorCode;
using Outcome = EventResult::Outcome;

EventResult refused(ErrorCode code, std::string message) {
  return EventResult{Outcome::refused, sdk::Error::make(code, std::move(message))};
}

EventResult unknown_delivery(const std::string& code) {
  if (code.empty()) return refused(ErrorCode::invalid_input, "the message names no delivery order code");
  return refused(ErrorCode::not_found, "no delivery order '" + code + "' was sent to this warehouse by erpd");
}

/// The id under which the warehouse's shipment is recorded: one per message, so a message sent
/// again is recognised and a later partial confirmation is a shipment of its own.
std::string shipment_id_of(const sdk::WarehouseEvent& event) {
  std::string id = "wms:" + event.delivery_code + ":";
  if (!event.message_id.empty()) return id + event.message_id;
  for (std::size_t i = 0; i < event.parcels.size(); ++i) id += (i ? "," : "") + event.parcels[i].waybill;
  return id;
}

/// The platform lines a parcel holds that no parcel before it (`taken`) did: its items without the
/// gift lines (G5 takes the reservation's waybill from the main order's parcels), or the whole
/// delivery when the warehouse named none. A platform ships a line once, with its first parcel.
std::vector<std::string> parcel_lines(const sdk::ShippedParcel& parcel, const store::WarehouseDelivery& delivery,
                                      std::vector<std::string>& taken) {
  std::vector<std::string> named;
  if (parcel.items.empty()) named = delivery.line_ids;
  for (const auto& item : parcel.items) named.push_back(item.line_id);
  std::vector<std::string> lines;
  for (const auto& id : named) {
    if (id.starts_with(workflows::gift::kGiftLinePrefix)) continue;
    if (std::find(taken.begin(), taken.end(), id) != taken.end()) continue;
    taken.push_back(id);
    lines.push_back(id);
  }
  return lines;
}

EventResult apply_shipped(const InboundDeps& deps, const sdk::WarehouseEvent& event, store::Instant now) {
  const auto delivery = deps.store.find_delivery(event.delivery_code);
  if (!delivery) return unknown_delivery(event.delivery_code);
  const bool named_items = std::any_of(event.parcels.begin(), event.parcels.end(),
                                       [](const sdk::ShippedParcel& p) { return !p.items.empty(); });
  if (!event.final && !named_items) {
    return refused(ErrorCode::invalid_input,
                   "a partial confirmation must list each package's items: erpd cannot tell which lines left");
  }
  if (event.parcels.size() > shipping::kMaxPackages) {
    return refused(ErrorCode::invalid_input, "more than " + std::to_string(shipping::kMaxPackages) + " packages");
  }
  shipping::PostedShipment shipment;
  shipment.shipment_id = shipment_id_of(event);
  std::vector<std::string> taken;
  for (const auto& parcel : event.parcels) {
    if (parcel.waybill.empty() || parcel.waybill.size() > shipping::kMaxCodeLength) {
      return refused(ErrorCode::invalid_input, "a package's waybill (expressCode) is missing or longer than " +
                                                   std::to_string(shipping::kMaxCodeLength) + " characters");
    }
    if (parcel.carrier_code.size() > shipping::kMaxCodeLength) {
      return refused(ErrorCode::invalid_input, "the carrier code of waybill " + parcel.waybill + " is too long");
    }
    auto lines = parcel_lines(parcel, *delivery, taken);
    // Nothing new in it (gift lines only, G4, or lines an earlier parcel carried); an empty list
    // would mean the whole order.
    if (lines.empty()) continue;
    shipment.packages.push_back(sdk::Package{parcel.waybill, parcel.carrier_code, std::move(lines)});
  }
  if (shipment.packages.empty()) return refused(ErrorCode::invalid_input, "the confirmation carries no package");
  auto recorded = shipping::record_shipment(deps.store, delivery->key, shipment, now, &deps.intercepts, deps.dropship);
  if (!recorded) return EventResult{Outcome::refused, std::move(recorded).error()};
  if (recorded->duplicate) return EventResult{Outcome::duplicate, {}};
  if (deps.wake_outbox) deps.wake_outbox();
  return {};
}

/// The intercept of the order that still waits for the warehouse's answer, if any.
std::optional<store::Intercept> awaiting_intercept(store::Store& store, const OrderKey& key) {
  for (auto& intercept : store.intercepts_of(key)) {
    if (intercept.state == store::InterceptState::awaiting_warehouse) return intercept;
  }
  return std::nullopt;
}

/// The warehouse cancelled a delivery after the intercept that asked for it had ended (cancelled by
/// the buyer, unlocked): the order must still ship, so its lines are delivered again.
void deliver_again_after_late_cancel(const InboundDeps& deps, const OrderKey& key, store::Instant now) {
  const auto intercepts = deps.store.intercepts_of(key);
  const auto ended = std::find_if(intercepts.rbegin(), intercepts.rend(), [](const store::Intercept& i) {
    return i.warehouse_asked && !i.was_locked &&
           (i.state == store::InterceptState::cancelled || i.state == store::InterceptState::unlocked);
  });
  if (ended == intercepts.rend()) return;
  const std::string code = redelivery_code(key.order_id, ended->id);
  auto tx = deps.store.begin();
  if (ended->line_ids.empty()) deps.store.cancel_deliveries(*tx, key, now);
  store::NewOutboxItem item;
  item.idempotency_key = std::string(kDeliverKind) + ":" + key.to_string() + "#" + code;
  item.kind = kDeliverKind;
  item.target = "warehouse";
  item.key = key;
  item.payload = {{"code", code}, {"line_ids", ended->line_ids}};
  deps.store.enqueue(*tx, item, now);
  tx->commit();
  if (deps.wake_outbox) deps.wake_outbox();
}

EventResult apply_lock_outcome(const InboundDeps& deps, const sdk::WarehouseEvent& event, store::Instant now) {
  const auto delivery = deps.store.find_delivery(event.delivery_code);
  if (!delivery) return unknown_delivery(event.delivery_code);
  const std::string note = "the warehouse reported " +
                           (event.status.empty() ? std::string("its answer") : event.status) + " for delivery order " +
                           event.delivery_code;
  const auto intercept = awaiting_intercept(deps.store, delivery->key);
  if (!intercept) {
    if (event.locked && deps.lock_cancels_delivery) deliver_again_after_late_cancel(deps, delivery->key, now);
    return EventResult{Outcome::duplicate, {}};  // settled before (an earlier answer, or a shipment won)
  }
  if (event.locked && intercept->line_ids.empty() && deps.lock_cancels_delivery) {
    auto tx = deps.store.begin();
    deps.store.cancel_deliveries(*tx, delivery->key, now);
    tx->commit();
  }
  auto decided = deps.intercepts.confirm(intercept->id, event.locked, "warehouse", note, now);
  return EventResult{decided ? Outcome::applied : Outcome::duplicate, {}};
}

EventResult apply_progress(const InboundDeps& deps, const sdk::WarehouseEvent& event, store::Instant now) {
  const auto delivery = deps.store.find_delivery(event.delivery_code);
  if (!delivery) return unknown_delivery(event.delivery_code);
  const std::string when = event.at ? std::to_string(event.at->time_since_epoch().count()) : std::string();
  const std::string message_key = "progress:" + event.delivery_code + ":" + event.status + ":" +
                                  (event.message_id.empty() ? when : event.message_id);
  auto tx = deps.store.begin();
  if (!deps.store.record_warehouse_message(*tx, message_key, now)) return EventResult{Outcome::duplicate, {}};
  store::NewEvent entry;
  entry.kind = "warehouse.progress";
  entry.actor = "warehouse";
  entry.reason = "the warehouse reports " + event.status + (event.note.empty() ? "" : ": " + event.note);
  entry.detail = {{"delivery_code", event.delivery_code}, {"status", event.status}};
  deps.store.append_event(*tx, delivery->key, entry, now);
  tx->commit();
  return {};
}

EventResult apply_stock_change(const InboundDeps& deps, const sdk::WarehouseEvent& event, store::Instant now) {
  if (event.item_code.empty()) return refused(ErrorCode::invalid_input, "a stock change names no item code");
  store::StockChange change;
  change.warehouse_code = event.warehouse_code;
  change.item_code = event.item_code;
  change.quantity = event.quantity;
  change.delivery_code = event.delivery_code;
  change.status = event.status;
  change.changed_at = event.at;
  change.received_at = now;
  const std::string message_key = "stock:" + (event.message_id.empty() ? event.delivery_code + ":" + event.item_code +
                                                                             ":" + std::to_string(event.quantity)
                                                                       : event.message_id);
  auto tx = deps.store.begin();
  const bool added = deps.store.add_stock_change(*tx, message_key, change);
  tx->commit();
  return EventResult{added ? Outcome::applied : Outcome::duplicate, {}};
}

}  // namespace

EventResult apply_warehouse_event(const InboundDeps& deps, const sdk::WarehouseEvent& event, store::Instant now) {
  switch (event.kind) {
    case sdk::WarehouseEventKind::shipped:
      return apply_shipped(deps, event, now);
    case sdk::WarehouseEventKind::lock_outcome:
      return apply_lock_outcome(deps, event, now);
    case sdk::WarehouseEventKind::progress:
      return apply_progress(deps, event, now);
    case sdk::WarehouseEventKind::stock_change:
      return apply_stock_change(deps, event, now);
  }
  return refused(ErrorCode::invalid_input, "unknown warehouse event");
}

std::string_view to_string(sdk::WarehouseEventKind kind) noexcept {
  switch (kind) {
    case sdk::WarehouseEventKind::shipped:
      return "shipped";
    case sdk::WarehouseEventKind::lock_outcome:
      return "lock_outcome";
    case sdk::WarehouseEventKind::progress:
      return "progress";
    case sdk::WarehouseEventKind::stock_change:
      return "stock_change";
  }
  return "unknown";
}

}  // namespace erp::daemon::warehouse
