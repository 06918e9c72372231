// The release gate: the one place an order is handed to the warehouse (DESIGN "Workflows").

#include "holds/release_gate.hpp"

namespace erp::daemon::holds {

bool ready_for_release(const store::StoredOrder& order) noexcept {
  const auto status = order.order.status;
  const bool shippable = status == sdk::OrderStatus::paid || status == sdk::OrderStatus::partially_shipped;
  return shippable && !order.released && order.holds.empty();
}

ReleaseGate::ReleaseGate(store::Store& store, OnRelease on_release)
    : store_(store), on_release_(std::move(on_release)) {}

bool ReleaseGate::evaluate(store::Tx& tx, const OrderKey& key, Instant now) {
  return release_if_ready(tx, key, store_.get_order(tx, key), now);
}

bool ReleaseGate::evaluate(store::Tx& tx, const sdk::Order& current, Instant now) {
  const OrderKey key{current.platform, current.shop, current.order_id};
  return release_if_ready(tx, key, store_.get_order(tx, key, current), now);
}

bool ReleaseGate::release_if_ready(store::Tx& tx, const OrderKey& key, std::optional<store::StoredOrder> stored,
                                   Instant now) {
  if (!stored || !ready_for_release(*stored)) return false;

  store_.mark_released(tx, key, now);
  stored->released = true;
  stored->released_at = now;
  stored->updated_at = now;

  store::NewEvent event;
  event.kind = "order.released";
  event.actor = "daemon";
  event.reason = "no hold remains; handed to the warehouse";
  store_.append_event(tx, key, event, now);

  // Inside the same transaction: the warehouse effect is owed exactly when the release commits.
  if (on_release_) on_release_(tx, *stored, now);
  return true;
}

}  // namespace erp::daemon::holds
