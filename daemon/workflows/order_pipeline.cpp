// The one path every fetched order walks: store, let the workflows decide, open the gate.

#include "workflows/order_pipeline.hpp"

namespace erp::daemon::workflows {

OrderPipeline::OrderPipeline(store::Store& store, holds::ReleaseGate& gate) : store_(store), gate_(gate) {}

void OrderPipeline::add(std::shared_ptr<Workflow> workflow) { workflows_.push_back(std::move(workflow)); }

store::UpsertOutcome OrderPipeline::ingest(const sdk::Order& order, Instant now) {
  auto tx = store_.begin();
  const auto outcome = store_.upsert_order(*tx, order, now);
  if (outcome == store::UpsertOutcome::stale_ignored || outcome == store::UpsertOutcome::unchanged) {
    // Nothing new happened to the order, so there is nothing to decide (and nothing was written).
    return outcome;
  }
  const OrderKey key{order.platform, order.shop, order.order_id};
  for (const auto& workflow : workflows_) {
    // Re-read per workflow: a hold or link placed by one is a fact the next one must see. The
    // order itself is the one just stored, so only the daemon's state is read back.
    const auto stored = store_.get_order(*tx, key, order);
    workflow->on_order_changed(*tx, *stored, outcome, now);
  }
  gate_.evaluate(*tx, order, now);
  tx->commit();
  return outcome;
}

}  // namespace erp::daemon::workflows
