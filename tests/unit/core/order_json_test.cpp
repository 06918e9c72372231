#include "core/order_json.hpp"

#include <doctest/doctest.h>

#include "core/time_format.hpp"
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
