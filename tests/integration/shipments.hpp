#pragma once
// Shipments as a warehouse posts them through the daemon's API, for the ship-once tests of every
// platform.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "integration/harness.hpp"

namespace erp::test {

struct Parcel {
  std::string waybill;
  std::vector<std::string> lines;  ///< Empty: the whole order.
};

/// The body of POST /v1/orders/{key}/shipments.
nlohmann::json shipment_body(const std::string& shipment_id, const std::vector<Parcel>& parcels,
                             const std::string& carrier);

/// Posts a shipment for order `key` ("platform/shop/order_id"); the HTTP status.
int post_shipment(const TempDir& dir, const std::string& key, const nlohmann::json& body);

/// Whether every platform.ship item of the outbox is done.
bool all_uploads_done(const TempDir& dir);

}  // namespace erp::test
