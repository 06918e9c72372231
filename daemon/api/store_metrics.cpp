#include "api/store_metrics.hpp"

namespace erp::daemon::api {

void add_store_collector(metrics::Registry& registry, store::Store& store) {
  registry.describe("erpd_orders", "gauge", "Orders stored.");
  registry.describe("erpd_orders_held", "gauge", "Orders with at least one active hold.");
  registry.describe("erpd_orders_released", "gauge", "Orders released to the warehouse and not yet shipped.");
  registry.describe("erpd_holds_active", "gauge", "Active holds over all orders.");
  registry.describe("erpd_outbox_items", "gauge", "Outbox items by state (done items are not counted).");
  registry.describe("erpd_quarantined_payloads", "gauge", "Platform payloads that could not be parsed.");
  registry.add_collector([&store](metrics::Registry& r) {
    const store::Counts c = store.counts();
    r.set("erpd_orders", {}, static_cast<double>(c.orders));
    r.set("erpd_orders_held", {}, static_cast<double>(c.held_orders));
    r.set("erpd_orders_released", {}, static_cast<double>(c.released_orders));
    r.set("erpd_holds_active", {}, static_cast<double>(c.active_holds));
    r.set("erpd_outbox_items", {{"state", "pending"}}, static_cast<double>(c.outbox_pending));
    r.set("erpd_outbox_items", {{"state", "in_flight"}}, static_cast<double>(c.outbox_in_flight));
    r.set("erpd_outbox_items", {{"state", "dead"}}, static_cast<double>(c.outbox_dead));
    r.set("erpd_quarantined_payloads", {}, static_cast<double>(c.quarantined));
  });
}

}  // namespace erp::daemon::api
