#pragma once
// Handlers of the sync routes: GET /v1/quarantine, GET /v1/alerts, POST /v1/alerts/clear,
// POST /v1/shops/{shop}/sync.
// Kept apart from router.cpp so the route table is the only shared place they touch.

#include <map>
#include <string>

#include "api/router.hpp"

namespace erp::daemon::api::sync_routes {

using Query = std::map<std::string, std::string>;

/// Quarantined platform payloads, newest first: `shop` filters, `limit` 1..1000 (default 100),
/// `payload=true` includes the raw payloads (they may hold encrypted receiver data).
ApiResponse list_quarantine(ApiDeps& deps, const Query& query);
/// What needs a person: shops needing re-authorization or with config errors, quarantined
/// payloads, dead outbox items, and the workflows' open alerts (gift.*), newest first.
ApiResponse get_alerts(ApiDeps& deps);
/// POST /v1/alerts/clear {"kind", "subject", "by"}: a person saw to an alert. 200 with the
/// cleared alert (noted in its order's history as `alert.cleared`), 404 when none of that kind
/// and subject is open, 400 for a bad body.
ApiResponse post_clear_alert(ApiDeps& deps, const std::string& body);
/// Wakes the shop's sync worker: 202, or 404 when no worker runs for the shop.
ApiResponse post_sync(ApiDeps& deps, const std::string& shop);

}  // namespace erp::daemon::api::sync_routes
