#pragma once
// Handlers of the gift routes (rules G1-G13, docs/api.md "Gifts"): the reservations the gift
// workflow holds, one order's gift role with its links and gift lines, the order JSON's `gift`
// and `gift_lines`. Read-only over the store; the workflow's alerts are served and cleared with
// the others (sync_routes). Kept apart from router.cpp so the route table is the only shared
// place they touch.

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "api/router.hpp"

namespace erp::daemon::api::gift_routes {

using Query = std::map<std::string, std::string>;

/// GET /v1/gifts?state=&platform=&shop=&limit=: {"reservations": [...]}, newest first.
ApiResponse list(ApiDeps& deps, const Query& query);
/// GET .../{order_id}/gift: {"order", "role", "reservation", "links", "gift_lines"}; 404 for an
/// unknown order.
ApiResponse of_order(ApiDeps& deps, const OrderKey& key);

/// What the order JSON carries about gifts: `gift` (null, or the order's role in a few fields)
/// and `gift_lines` (the gift lines a repurchase carries to the warehouse, rule G4; [] else).
/// Two indexed reads for an order with no gift role.
struct OrderGift {
  nlohmann::json gift;
  nlohmann::json gift_lines;
};
OrderGift order_gift(ApiDeps& deps, const OrderKey& key);

}  // namespace erp::daemon::api::gift_routes
