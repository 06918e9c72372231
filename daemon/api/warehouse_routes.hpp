#pragma once
// The warehouse connector's routes: the warehouse's own calls on warehouse.inbound_path (signed,
// checked by the connector plugin, no API token), the stock changes it reported, and the
// deliveries an order went to the warehouse under.

#include <map>
#include <string>

#include "api/http_util.hpp"
#include "api/router.hpp"
#include "api/server.hpp"
#include "core/order_key.hpp"

namespace erp::daemon::api::warehouse_routes {

using Query = std::map<std::string, std::string>;

/// POST on the inbound path: the connector verifies and reads it, the daemon applies it, and the
/// connector words the answer.
ApiResponse handle_inbound(ApiDeps& deps, const ApiRequest& request, const std::string& path);

/// GET /v1/warehouse/stock-changes?item=&after=&limit=
ApiResponse list_stock_changes(ApiDeps& deps, const Query& query);

/// GET /v1/orders/{platform}/{shop}/{order_id}/deliveries
ApiResponse deliveries_of(ApiDeps& deps, const OrderKey& key);

}  // namespace erp::daemon::api::warehouse_routes
