#pragma once
// A shipment as the warehouse posts it (POST .../shipments): the warehouse's own shipment id and
// its parcels. The same shape travels in the "platform.ship" outbox payload.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/order_key.hpp"
#include "erp/model.hpp"
#include "erp/result.hpp"

namespace erp::daemon::shipping {

/// The outbox kind that uploads a shipment's waybills through the shop's adapter.
inline constexpr const char* kPlatformShipKind = "platform.ship";

/// The outbox idempotency key of one shipment (its shipment_id) of one order.
inline std::string shipment_key(const OrderKey& key, const std::string& shipment_id) {
  return std::string(kPlatformShipKind) + ":" + key.to_string() + "#" + shipment_id;
}

/// Longest waybill or carrier code accepted; platforms' own limits are well below this.
inline constexpr std::size_t kMaxCodeLength = 64;
/// Parcels one shipment may carry (TOP and Douyin both split per parcel; more is a client bug).
inline constexpr std::size_t kMaxPackages = 50;

struct PostedShipment {
  std::string shipment_id;  ///< The warehouse's id; posting it again is answered, not repeated.
  std::vector<sdk::Package> packages;
};

/// Reads a request body. Errors are invalid_input with the field path first
/// (`packages[1].waybill: required`), as the API reports them.
sdk::Result<PostedShipment> parse_posted_shipment(const nlohmann::json& body);

nlohmann::json to_json(const PostedShipment& shipment);

}  // namespace erp::daemon::shipping
