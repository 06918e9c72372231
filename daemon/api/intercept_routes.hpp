#pragma once
// Handlers of the intercept routes (rules I1-I9, docs/api.md "Intercepts"): requests on an order,
// the warehouse's confirmation, cancel (I6), batch unlock (I7) and the listings the warehouse
// pulls. Kept apart from router.cpp so the route table is the only shared place they touch.

#include <map>
#include <string>

#include "api/router.hpp"

namespace erp::daemon::api::intercept_routes {

using Query = std::map<std::string, std::string>;

ApiResponse post_intercept(ApiDeps& deps, const OrderKey& key, const std::string& body);
ApiResponse list_of_order(ApiDeps& deps, const OrderKey& key);
ApiResponse list(ApiDeps& deps, const Query& query);
ApiResponse get(ApiDeps& deps, const std::string& id);
ApiResponse post_confirm(ApiDeps& deps, const std::string& id, const std::string& body);
ApiResponse post_cancel(ApiDeps& deps, const std::string& id, const std::string& body);
ApiResponse post_unlock(ApiDeps& deps, const std::string& body);

/// The order's open intercept as JSON, or null (the order JSON's `intercept`).
nlohmann::json open_intercept_json(ApiDeps& deps, const OrderKey& key);

/// The answer to a shipment the intercept check refused: 409 with code `intercepted` and the
/// intercept, or nullopt when no locked intercept explains the refusal.
std::optional<ApiResponse> intercepted_shipment(ApiDeps& deps, const OrderKey& key, const std::string& message);

}  // namespace erp::daemon::api::intercept_routes
