#include "core/posted_shipment.hpp"

#include <doctest/doctest.h>

using erp::daemon::shipping::parse_posted_shipment;
using nlohmann::json;

namespace {

std::string error_of(const json& body) {
  auto parsed = parse_posted_shipment(body);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().code == erp::sdk::ErrorCode::invalid_input);
  return parsed.error().message;
}

}  // namespace

TEST_CASE("a shipment with two parcels of chosen lines is read as posted") {
  const json body = {{"shipment_id", "WMS-1"},
                     {"packages",
                      {{{"waybill", "SF100"}, {"carrier", "SF"}, {"lines", {"1", "2"}}},
                       {{"waybill", "SF101"}, {"carrier", "SF"}, {"lines", {"3"}}}}}};
  auto parsed = parse_posted_shipment(body);
  REQUIRE(parsed.ok());
  CHECK(parsed->shipment_id == "WMS-1");
  REQUIRE(parsed->packages.size() == 2);
  CHECK(parsed->packages[1].waybill == "SF101");
  CHECK(parsed->packages[1].carrier_code == "SF");
  CHECK(parsed->packages[0].line_ids == std::vector<std::string>{"1", "2"});
  CHECK(erp::daemon::shipping::to_json(*parsed) == json{{"shipment_id", "WMS-1"},
                                                        {"packages",
                                                         {{{"waybill", "SF100"}, {"carrier", "SF"}, {"lines", {"1", "2"}}},
                                                          {{"waybill", "SF101"}, {"carrier", "SF"}, {"lines", {"3"}}}}}});
}

TEST_CASE("bad shipments are refused with the field that is wrong") {
  CHECK(error_of(json::array()) == "request body: expected a JSON object");
  CHECK(error_of({{"packages", {{{"waybill", "SF1"}, {"carrier", "SF"}}}}}) == "shipment_id: required");
  CHECK(error_of({{"shipment_id", "W"}}).rfind("packages: required", 0) == 0);
  CHECK(error_of({{"shipment_id", "W"}, {"packages", json::array()}}).rfind("packages: required", 0) == 0);
  CHECK(error_of({{"shipment_id", "W"}, {"packages", {{{"carrier", "SF"}}}}}) == "packages[0].waybill: required");
  CHECK(error_of({{"shipment_id", "W"}, {"packages", {{{"waybill", "SF 1"}, {"carrier", "SF"}}}}})
            .rfind("packages[0].waybill: must be", 0) == 0);
  CHECK(error_of({{"shipment_id", "W"}, {"packages", {{{"waybill", "SF1"}, {"carrier", "SF"}, {"line", {"1"}}}}}})
            .rfind("packages[0].line: unknown field", 0) == 0);
  CHECK(error_of({{"shipment_id", "W"}, {"extra", 1}, {"packages", {{{"waybill", "SF1"}, {"carrier", "SF"}}}}})
            .rfind("unknown field 'extra'", 0) == 0);
}

TEST_CASE("a line may ship in one parcel only") {
  const json twice = {{"shipment_id", "W"},
                      {"packages",
                       {{{"waybill", "A"}, {"carrier", "SF"}, {"lines", {"1"}}},
                        {{"waybill", "B"}, {"carrier", "SF"}, {"lines", {"1"}}}}}};
  CHECK(error_of(twice) == "packages[1].lines: line '1' is already in another package");
  const json whole_and_part = {{"shipment_id", "W"},
                               {"packages",
                                {{{"waybill", "A"}, {"carrier", "SF"}},
                                 {{"waybill", "B"}, {"carrier", "SF"}, {"lines", {"1"}}}}}};
  CHECK(error_of(whole_and_part) == "packages[0].lines: required when a shipment has several packages");
  const json repeated = {{"shipment_id", "W"}, {"packages", {{{"waybill", "A"}, {"carrier", "SF"}, {"lines", {"1", "1"}}}}}};
  CHECK(error_of(repeated) == "packages[0].lines[1]: line '1' is listed twice");
}
