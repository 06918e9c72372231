#include "core/order_json.hpp"

#include <doctest/doctest.h>

#include "core/time_format.hpp"
#include "erp/warehouse.hpp"
#include "unit/core/sample_order.hpp"

using namespace erp;
using namespace erp::daemon;

using erp::test::sample;

TEST_CASE("the order JSON has the public field names and never the ciphertext unless asked") {
  const auto j = order_to_json(sample(), false);
  for (const char* field : {"platform", "shop", "order_id", "status", "platform_status", "paid_at", "total_fen", "lines",
                            "receiver", "memo", "ship_by", "reservation_order_ids"}) {
    CAPTURE(field);
    CHECK(j.contains(field));
  }
  CHECK(j["status"] == "partially_shipped");
  CHECK(j["paid_at"] == "2026-11-11T00:00:05Z");
  CHECK(j["lines"][0]["price_fen"] == 29900);
  CHECK(j["lines"][0]["refund_status"] == "requested");
  CHECK_FALSE(j["receiver"].contains("ciphertext"));
  CHECK(order_to_json(sample(), true)["receiver"]["ciphertext"] == "#cipher#");
}

TEST_CASE("an order survives the JSON round trip unchanged") {
  const auto back = order_from_json(order_to_json(sample(), true));
  REQUIRE(back.ok());
  CHECK(order_to_json(*back, true) == order_to_json(sample(), true));
}

TEST_CASE("a malformed stored order is refused with the field named, never a crash") {
  auto j = order_to_json(sample(), true);
  j["lines"][0]["quantity"] = "two";
  auto r = order_from_json(j);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("order.lines[0].quantity") != std::string::npos);
  j = order_to_json(sample(), true);
  j["status"] = "teleported";
  CHECK(order_from_json(j).error().message.find("order.status") != std::string::npos);
  CHECK_FALSE(order_from_json(nlohmann::json::array()).ok());
  CHECK_FALSE(order_from_json(nlohmann::json{{"platform", "x"}}).ok());
}

TEST_CASE("G5-G8: each line carries when and with which parcel it shipped, and reads back") {
  const auto j = order_to_json(sample(), true);
  const auto& line = j["lines"][0];
  CHECK(line["shipped_at"] == "2026-11-12T03:04:05Z");
  CHECK(line["waybill"] == "SF1234567890");
  CHECK(line["carrier"] == "顺丰速运");
  const auto back = order_from_json(j);
  REQUIRE(back.ok());
  const auto& read = back->lines.at(0);
  REQUIRE(read.shipped_at);
  CHECK(*read.shipped_at == *parse_rfc3339("2026-11-12T03:04:05Z"));
  CHECK(read.waybill == "SF1234567890");
  CHECK(read.carrier == "顺丰速运");

  // Not shipped yet: null and empty strings, the conventions of paid_at / ship_by and memo.
  sdk::Order unshipped = sample();
  unshipped.lines[0].shipped_at.reset();
  unshipped.lines[0].waybill.clear();
  unshipped.lines[0].carrier.clear();
  const auto u = order_to_json(unshipped, true)["lines"][0];
  CHECK(u["shipped_at"].is_null());
  CHECK(u["waybill"] == "");
  CHECK(u["carrier"] == "");
  const auto u_back = order_from_json(order_to_json(unshipped, true));
  REQUIRE(u_back.ok());
  CHECK_FALSE(u_back->lines.at(0).shipped_at);
}

TEST_CASE("an order stored before lines had shipping facts still reads back, as not shipped") {
  auto j = order_to_json(sample(), true);
  for (auto& line : j["lines"]) {
    line.erase("shipped_at");
    line.erase("waybill");
    line.erase("carrier");
  }
  const auto back = order_from_json(j);
  REQUIRE(back.ok());
  REQUIRE(back->lines.size() == 1);
  CHECK_FALSE(back->lines[0].shipped_at);
  CHECK(back->lines[0].waybill.empty());
  CHECK(back->lines[0].carrier.empty());
  CHECK(back->lines[0].line_id == "L1");
  CHECK(back->lines[0].quantity == 2);
}

TEST_CASE("a line's malformed shipped_at or waybill is refused with the field named") {
  auto j = order_to_json(sample(), true);
  j["lines"][0]["shipped_at"] = "2026-11-12 03:04:05";
  auto r = order_from_json(j);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("order.lines[0].shipped_at") != std::string::npos);
  j = order_to_json(sample(), true);
  j["lines"][0]["waybill"] = 42;
  r = order_from_json(j);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("order.lines[0].waybill") != std::string::npos);
}

TEST_CASE("G4: an added gift line is the line's own JSON plus gift, rule and the orders it fulfils") {
  sdk::AddedLine added;
  added.line = sample().lines[0];
  added.line.line_id = "gift:R1:R1-1";
  added.line.price = sdk::Money{0};
  added.line.paid = sdk::Money{0};
  added.rule_id = "G4";
  added.fulfils = {"R1", "R2"};
  const auto j = added_line_to_json(added);
  auto expected = line_to_json(added.line);
  expected["gift"] = true;
  expected["rule"] = "G4";
  expected["fulfils"] = nlohmann::json::array({"R1", "R2"});
  CHECK(j == expected);
  CHECK(j["line_id"] == "gift:R1:R1-1");
  CHECK(j["paid_fen"] == 0);
  CHECK(j["fulfils"].is_array());

  sdk::AddedLine none;
  none.line.line_id = "x";
  CHECK(added_line_to_json(none)["fulfils"] == nlohmann::json::array());
  CHECK(added_line_to_json(none)["rule"] == "");
}
