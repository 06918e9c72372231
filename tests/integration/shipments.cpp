#include "integration/shipments.hpp"

#include "integration/fixtures.hpp"

namespace erp::test {

using nlohmann::json;

json shipment_body(const std::string& shipment_id, const std::vector<Parcel>& parcels, const std::string& carrier) {
  json packages = json::array();
  for (const auto& p : parcels) {
    json package{{"waybill", p.waybill}, {"carrier", carrier}};
    if (!p.lines.empty()) package["lines"] = p.lines;
    packages.push_back(std::move(package));
  }
  return json{{"shipment_id", shipment_id}, {"packages", std::move(packages)}};
}

int post_shipment(const TempDir& dir, const std::string& key, const json& body) {
  return http("POST", api_url(dir) + "/v1/orders/" + key + "/shipments", api_token(dir), body.dump()).status;
}

bool all_uploads_done(const TempDir& dir) {
  const auto reply = http("GET", api_url(dir) + "/v1/outbox?limit=1000", api_token(dir));
  if (reply.status != 200) return false;
  const json outbox = json::parse(reply.body);
  for (const auto& item : outbox["items"]) {
    if (item["kind"] == "platform.ship" && item["state"] != "done") return false;
  }
  return true;
}

}  // namespace erp::test
