#pragma once
// POST /v1/orders/{platform}/{shop}/{order_id}/shipments: the warehouse reports what it shipped;
// the waybills go back to the platform through the outbox, exactly once per shipment_id.

#include <string>

#include "api/router.hpp"
#include "core/order_key.hpp"

namespace erp::daemon::api::shipment_routes {

/// 202 with the owed upload when the shipment is new; 200 with the same answer when this
/// shipment_id was posted before with the same parcels; 400/404/409 with a JSON error otherwise.
ApiResponse post_shipment(ApiDeps& deps, const OrderKey& key, const std::string& body);

}  // namespace erp::daemon::api::shipment_routes
