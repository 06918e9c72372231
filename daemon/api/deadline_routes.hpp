#pragma once
// The deadline routes (rules S1-S4; docs/api.md "Deadlines"): one order's ship-by with the rule
// that decided it, its pickup clock and tracking; force-majeure, address and buyer-delay reports
// (S4); tracking events from the warehouse or a carrier feed (S2, S3); after-sale steps (S10).

#include <string>

#include "api/router.hpp"
#include "core/order_key.hpp"

namespace erp::daemon::api::deadline_routes {

/// What the order JSON carries of the deadline engine: `ship_by` becomes the deadline in force
/// (the platform's own value only until the engine has seen the order) and `deadline` is
/// {state, rule, window} or null.
void add_to_order_json(ApiDeps& deps, const OrderKey& key, nlohmann::json& order);

/// GET .../{order_id}/deadline: {"order", "deadline" (null before the engine saw the order),
/// "reports", "tracking", "after_sale" (S10 timers)}; 404 for an unknown order.
ApiResponse of_order(ApiDeps& deps, const OrderKey& key);
/// POST .../{order_id}/deadline/reports {"kind", "action", "new_ship_by"?, "note", "by"?}: 201
/// with the order's deadline as it now stands.
ApiResponse post_report(ApiDeps& deps, const OrderKey& key, const std::string& body);
/// POST .../{order_id}/tracking {"waybill", "kind", "at", "source"?}: 202 with the deadline.
ApiResponse post_tracking(ApiDeps& deps, const OrderKey& key, const std::string& body);
/// POST .../{order_id}/after-sale {"line_id", "step", "at"? (default now), "end"? (default false)}:
/// starts the step's S10 timer (201), or ends it (200), with the order's timers; 400 for a step,
/// line or time no notice times, 404 for an unknown order or (end) no running timer.
ApiResponse post_after_sale(ApiDeps& deps, const OrderKey& key, const std::string& body);

}  // namespace erp::daemon::api::deadline_routes
