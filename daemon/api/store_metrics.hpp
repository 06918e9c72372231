#pragma once
// Gauges that mirror the store (order, hold, outbox and quarantine counts), refreshed just before
// each /metrics render.

#include "metrics/metrics.hpp"
#include "store/store.hpp"

namespace erp::daemon::api {

/// Describes the gauges and registers a collector that fills them from store.counts():
/// erpd_orders, erpd_orders_held, erpd_orders_released, erpd_holds_active,
/// erpd_outbox_items{state="pending|in_flight|dead"}, erpd_quarantined_payloads.
/// `store` must outlive `registry`'s last render.
void add_store_collector(metrics::Registry& registry, store::Store& store);

}  // namespace erp::daemon::api
