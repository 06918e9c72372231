#include "core/order_json.hpp"

#include <doctest/doctest.h>

#include "core/time_format.hpp"

using namespace erp;
using namespace erp::daemon;

namespace {
sdk::Order sample() {
  sdk::Order o;
  o.platform = "tmall";
  o.shop = "tm1";
  o.order_id = "4000123";
  o.status = sdk::OrderStatus::partially_shipped;
  o.platform_status = "SELLER_CONSIGNED_PART";
  o.kind = sdk::OrderKind::presale;
  o.cross_border = sdk::CrossBorderType::direct_mail;
  o.created_at = *parse_rfc3339("2026-11-11T00:00:01Z");
  o.paid_at = *parse_rfc3339("2026-11-11T00:00:05Z");
  o.modified_at = *parse_rfc3339("2026-11-11T01:00:00.5Z");
  o.total = sdk::Money{59800};
  o.lines.push_back({"L1", "I1", "S1", "OUT1", "大衣", 2, sdk::Money{29900}, sdk::Money{59800},
                     sdk::OrderStatus::shipped, sdk::RefundStatus::requested});
  o.receiver = {"#cipher#", "张*", "138****5678", "浙江省****", "浙江省", "杭州市", "西湖区"};
  o.buyer_ref = "AAEx";
  o.memo = "拦截";
  o.memo_flag = 2;
  o.ship_by = *parse_rfc3339("2026-11-13T00:00:05Z");
  o.reservation_order_ids = {"R1", "R2"};
  o.extras = {{"step_trade_status", "FRONT_PAID_FINAL_NOPAID"}};
  return o;
}
}  // namespace

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
