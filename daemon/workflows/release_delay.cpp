#include "workflows/release_delay.hpp"

#include "core/time_format.hpp"

namespace erp::daemon::workflows {

void ReleaseDelay::on_order_changed(store::Tx& tx, const store::StoredOrder& order, store::UpsertOutcome,
                                    Instant now) {
  const std::chrono::milliseconds delay{delay_ms_.load()};
  if (delay.count() == 0 || order.released || !order.order.paid_at) return;
  const auto status = order.order.status;
  if (status != sdk::OrderStatus::paid && status != sdk::OrderStatus::partially_shipped) return;
  const Instant until = *order.order.paid_at + delay;
  if (until <= now) return;  // paid long enough ago (a backfill, a restart): nothing to wait for
  const OrderKey key{order.order.platform, order.order.shop, order.order.order_id};
  // Once per order: a delay an operator lifted early is not placed again by the next update.
  for (const auto& hold : store_.holds(key)) {
    if (hold.reason_code == kReleaseDelayReason) return;
  }
  store::NewHold hold;
  hold.reason_code = kReleaseDelayReason;
  hold.owner = "workflow:release_delay";
  hold.note = "waits " + format_duration(delay) + " after payment for the buyer's changes";
  hold.auto_release_at = until;
  store_.add_hold(tx, key, hold, now);
}

}  // namespace erp::daemon::workflows
