#pragma once
// Waybill uploads on Douyin (PLATFORMS.md §3.4): order.logisticsAdd for one parcel carrying the
// whole order, order.logisticsAddMultiPack for parcels of chosen sku orders. Both carry a
// request_id derived from the shipment's idempotency key, so a retry whose first attempt did
// reach Douyin gets the first answer back instead of a second shipment.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "erp/model.hpp"
#include "erp/result.hpp"

namespace erp::plugins::douyin {

/// "Already shipped" under 50002 isv.business-failed:<n>: platform-sim's number (Douyin documents none).
inline constexpr std::string_view kAlreadyShipped = "isv.business-failed:20005";

/// invalid_input when the shipment cannot be uploaded as given.
sdk::Result<void> check_shipment(const sdk::Shipment& shipment);

/// The stable request_id of a shipment: lower-case md5 hex of its idempotency key.
std::string request_id_of(const sdk::Shipment& shipment);

/// The packages whose waybill the order (an orderDetail shop_order_detail) does not carry yet on
/// every sku order they name; a whole-order package counts as there when its waybill is on the
/// order and no item still waits to ship.
std::vector<sdk::Package> pending_packages(const nlohmann::json& detail, const sdk::Shipment& shipment);

struct ShipCall {
  std::string method;
  nlohmann::json params;
};

/// The call that uploads `pending`: logisticsAdd for a single whole-order parcel, else
/// logisticsAddMultiPack with each named sku order's quantity from `detail`.
ShipCall ship_call(const nlohmann::json& detail, const sdk::Shipment& shipment, const std::vector<sdk::Package>& pending);

}  // namespace erp::plugins::douyin
