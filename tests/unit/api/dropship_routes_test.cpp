// The merchant's dropship routes and the factory API (rules D2, D4, D5, D7, D8, D10) over HTTP:
// who may see and ship which line, what a binding's life looks like from both sides, per-line
// answers to an assignment, the refusals a factory gets, the receiver hand-out's audit, and the
// JSON errors bad requests get.

#include "api/dropship_routes.hpp"

#include <doctest/doctest.h>

#include "core/posted_shipment.hpp"
#include "unit/api/dropship_api_fixture.hpp"

using namespace erp::test::api_support;

namespace {

OrderKey ds_key(const std::string& id) { return OrderKey{"tmall", kMerchantShop, id}; }

/// The platform's next version of `order` with line `index` refunded to the buyer before it shipped.
erp::sdk::Order ds_refunded_line(erp::sdk::Order order, std::size_t index) {
  order.lines[index].refund_status = erp::sdk::RefundStatus::refunded;
  order.lines[index].status = erp::sdk::OrderStatus::closed;
  order.modified_at += std::chrono::minutes{5};
  return order;
}

json ds_assign_body(const std::string& factory, const json& orders) {
  return json{{"factory", factory}, {"orders", orders}};
}

json ds_order_ref(const std::string& id) {
  return json{{"platform", "tmall"}, {"shop", kMerchantShop}, {"order_id", id}};
}

bool ds_has_plaintext(const std::string& text) {
  return text.find(kPlainName) != std::string::npos || text.find(kPlainPhone) != std::string::npos ||
         text.find(kPlainAddress) != std::string::npos;
}

/// A JSON error answer: the status, and error.code / error.message present.
void ds_check_error(const Reply& reply, long status, const std::string& code) {
  INFO(reply.body);
  CHECK(reply.status == status);
  CHECK(reply.header("content-type").find("application/json") != std::string::npos);
  const json body = json::parse(reply.body, nullptr, false);
  REQUIRE_FALSE(body.is_discarded());
  REQUIRE(body.contains("error"));
  CHECK(body["error"]["code"] == code);
  CHECK_FALSE(body["error"]["message"].get<std::string>().empty());
}

}  // namespace

TEST_CASE("D5 a factory token sees only its own lines (two factories): list, get 404, ship 404") {
  DropshipApi api;
  const auto binding_a = api.bind("fac-a");
  const auto binding_b = api.bind("fac-b");
  api.ingest(make_order(kMerchantShop, "5001"));
  const auto a = api.assign(ds_key("5001"), "5001-1", "fac-a");
  const auto b = api.assign(ds_key("5001"), "5001-2", "fac-b");

  const auto me = api.call("GET", "/v1/factory/me", std::string(kFactoryAToken));
  REQUIRE(me.status == 200);
  CHECK(me.json_body()["id"] == "fac-a");
  CHECK(me.json_body()["ships"] == "merchant");

  const auto list_a = api.call("GET", "/v1/factory/lines", std::string(kFactoryAToken));
  REQUIRE(list_a.status == 200);
  const json lines_a = list_a.json_body()["lines"];
  REQUIRE(lines_a.size() == 1);
  CHECK(lines_a[0]["id"] == a.id);
  CHECK(lines_a[0]["line_id"] == "5001-1");
  CHECK(lines_a[0]["factory"] == "fac-a");
  CHECK(lines_a[0]["may_ship"] == true);
  const auto list_b = api.call("GET", "/v1/factory/lines", std::string(kFactoryBToken));
  REQUIRE(list_b.status == 200);
  REQUIRE(list_b.json_body()["lines"].size() == 1);
  CHECK(list_b.json_body()["lines"][0]["id"] == b.id);

  // Its own line: 200; the other factory's: 404, exactly as a line that does not exist.
  CHECK(api.call("GET", line_path(a.id), std::string(kFactoryAToken)).status == 200);
  ds_check_error(api.call("GET", line_path(b.id), std::string(kFactoryAToken)), 404, "not_found");
  ds_check_error(api.call("GET", line_path(999999), std::string(kFactoryAToken)), 404, "not_found");
  ds_check_error(api.call("POST", line_path(b.id, "/shipment"), std::string(kFactoryAToken),
                          R"({"carrier":"SF","waybill":"SF100"})"),
                 404, "not_found");
  ds_check_error(api.call("POST", line_path(b.id, "/receiver"), std::string(kFactoryAToken)), 404, "not_found");
  CHECK(api.store->get_dropship_line(b.id)->state == store::DropshipLineState::assigned);
  CHECK(api.outbox_count(erp::daemon::shipping::kPlatformShipKind) == 0);
  CHECK(api.adapter->seen().empty());
  CHECK(api.store->receiver_accesses().empty());

  // Bindings too: each factory sees and acts on its own only.
  const auto bindings_a = api.call("GET", "/v1/factory/bindings", std::string(kFactoryAToken));
  REQUIRE(bindings_a.status == 200);
  REQUIRE(bindings_a.json_body()["bindings"].size() == 1);
  CHECK(bindings_a.json_body()["bindings"][0]["id"] == binding_a.id);
  ds_check_error(
      api.call("POST", "/v1/factory/bindings/" + std::to_string(binding_b.id) + "/unbind", std::string(kFactoryAToken)),
      404, "not_found");
  CHECK(api.store->get_binding(binding_b.id)->state == store::BindingState::bound);

  // The merchant sees both.
  const auto all = api.merchant("GET", "/v1/dropship/lines");
  REQUIRE(all.status == 200);
  CHECK(all.json_body()["lines"].size() == 2);
  const auto of_order = api.merchant("GET", order_path(kMerchantShop, "5001") + "/dropship");
  REQUIRE(of_order.status == 200);
  CHECK(of_order.json_body()["lines"].size() == 2);
}

TEST_CASE("D5 the daemon token is refused on /v1/factory/ and a factory token on /v1/orders") {
  DropshipApi api;
  api.bind("fac-a");
  api.ingest(make_order(kMerchantShop, "5101"));
  const auto a = api.assign(ds_key("5101"), "5101-1", "fac-a");

  const auto daemon = api.merchant("GET", "/v1/factory/lines");
  ds_check_error(daemon, 401, "unauthorized");
  CHECK(daemon.header("www-authenticate").find("erpd-factory") != std::string::npos);
  ds_check_error(
      api.call("POST", line_path(a.id, "/shipment"), std::string(kToken), R"({"carrier":"SF","waybill":"1"})"), 401,
      "unauthorized");
  ds_check_error(api.call("GET", "/v1/factory/lines", std::nullopt), 401, "unauthorized");
  ds_check_error(api.call("GET", "/v1/factory/lines", std::string("not-a-token")), 401, "unauthorized");
  ds_check_error(api.call("GET", "/v1/factory/me", std::string(kStaleToken)), 401, "unauthorized");
  CHECK(api.store->get_dropship_line(a.id)->state == store::DropshipLineState::assigned);

  ds_check_error(api.call("GET", order_path(kMerchantShop, "5101"), std::string(kFactoryAToken)), 401, "unauthorized");
  ds_check_error(api.call("GET", "/v1/dropship/lines", std::string(kFactoryAToken)), 401, "unauthorized");
  ds_check_error(
      api.call("POST", "/v1/dropship/lines/" + std::to_string(a.id) + "/unassign", std::string(kFactoryAToken)), 401,
      "unauthorized");
  CHECK(api.store->get_dropship_line(a.id)->state == store::DropshipLineState::assigned);

  // Each token where it belongs.
  CHECK(api.merchant("GET", order_path(kMerchantShop, "5101")).status == 200);
  CHECK(api.call("GET", "/v1/factory/lines", std::string(kFactoryAToken)).status == 200);
}

TEST_CASE("D2 POST /v1/dropship/bindings, factory confirm and unbind") {
  DropshipApi api;
  const auto created = api.merchant("POST", "/v1/dropship/bindings", R"({"shop":"tm-1","factory":"fac-a"})");
  REQUIRE(created.status == 201);
  const json b = created.json_body();
  CHECK(b["state"] == "requested");
  CHECK(b["shop"] == kMerchantShop);
  CHECK(b["platform"] == "tmall");
  CHECK(b["factory"] == "fac-a");
  CHECK(b["bound_at"].is_null());
  const std::string id = std::to_string(b["id"].get<std::int64_t>());

  ds_check_error(api.merchant("POST", "/v1/dropship/bindings", R"({"shop":"tm-1","factory":"fac-a"})"), 409,
                 "conflict");
  ds_check_error(api.merchant("POST", "/v1/dropship/bindings", R"({"shop":"tm-1","factory":"fac-z"})"), 404,
                 "not_found");
  ds_check_error(api.merchant("POST", "/v1/dropship/bindings", R"({"shop":"nowhere","factory":"fac-a"})"), 404,
                 "not_found");
  const auto no_shop = api.merchant("POST", "/v1/dropship/bindings", R"({"factory":"fac-a"})");
  ds_check_error(no_shop, 400, "invalid_input");
  CHECK(no_shop.error_message().starts_with("shop:"));
  const auto blank_factory = api.merchant("POST", "/v1/dropship/bindings", R"({"shop":"tm-1","factory":"  "})");
  ds_check_error(blank_factory, 400, "invalid_input");
  CHECK(blank_factory.error_message().starts_with("factory:"));
  ds_check_error(api.merchant("POST", "/v1/dropship/bindings", R"({"shop":"tm-1","factory":"fac-a","x":1})"), 400,
                 "invalid_input");

  const auto requested = api.merchant("GET", "/v1/dropship/bindings?state=requested");
  REQUIRE(requested.status == 200);
  CHECK(requested.json_body()["bindings"].size() == 1);

  // The factory asked confirms it; the other is told there is no such binding.
  ds_check_error(api.call("POST", "/v1/factory/bindings/" + id + "/confirm", std::string(kFactoryBToken)), 404,
                 "not_found");
  const auto confirmed = api.call("POST", "/v1/factory/bindings/" + id + "/confirm", std::string(kFactoryAToken));
  REQUIRE(confirmed.status == 200);
  CHECK(confirmed.json_body()["state"] == "bound");
  CHECK(confirmed.json_body()["bound_at"].is_string());
  const auto factories = api.merchant("GET", "/v1/dropship/factories");
  REQUIRE(factories.status == 200);
  REQUIRE(factories.json_body()["factories"].size() == 2);
  CHECK(factories.json_body()["factories"][0]["id"] == "fac-a");
  CHECK(factories.json_body()["factories"][0]["notifies"] == true);
  CHECK(factories.json_body()["factories"][0]["bindings"][0]["state"] == "bound");
  CHECK(factories.json_body()["factories"][1]["bindings"].empty());

  // The factory ends it.
  const auto ended = api.call("POST", "/v1/factory/bindings/" + id + "/unbind", std::string(kFactoryAToken));
  REQUIRE(ended.status == 200);
  CHECK(ended.json_body()["state"] == "unbound");
  CHECK(ended.json_body()["ended_by"] == "factory");
  ds_check_error(api.call("POST", "/v1/factory/bindings/" + id + "/confirm", std::string(kFactoryAToken)), 409,
                 "conflict");

  // Asked again, confirmed, then ended by the merchant.
  const auto again = api.merchant("POST", "/v1/dropship/bindings", R"({"shop":"tm-1","factory":"fac-a"})");
  REQUIRE(again.status == 201);
  const std::string id2 = std::to_string(again.json_body()["id"].get<std::int64_t>());
  CHECK(id2 != id);
  REQUIRE(api.call("POST", "/v1/factory/bindings/" + id2 + "/confirm", std::string(kFactoryAToken)).status == 200);
  const auto unbound = api.merchant("POST", "/v1/dropship/bindings/" + id2 + "/unbind");
  REQUIRE(unbound.status == 200);
  CHECK(unbound.json_body()["state"] == "unbound");
  CHECK(unbound.json_body()["ended_by"] == "merchant");
  CHECK_FALSE(api.store->open_binding("tmall", kMerchantShop, "fac-a").has_value());
  ds_check_error(api.merchant("POST", "/v1/dropship/bindings/abc/unbind"), 400, "invalid_input");
  ds_check_error(api.merchant("POST", "/v1/dropship/bindings/999999/unbind"), 404, "not_found");
  ds_check_error(api.merchant("GET", "/v1/dropship/bindings?state=married"), 400, "invalid_input");
}

TEST_CASE("D4 POST /v1/dropship/assign answers per line and validates its body (400s name the field)") {
  DropshipApi api;
  api.bind("fac-a");
  auto first = make_order(kMerchantShop, "4001");
  first.lines[2].refund_status = erp::sdk::RefundStatus::requested;
  api.ingest(first);
  api.ingest(make_order(kMerchantShop, "4002"));

  json o1 = ds_order_ref("4001");
  o1["lines"] = json::array({"4001-1", "nope", "4001-3"});
  const auto reply =
      api.merchant("POST", "/v1/dropship/assign",
                   ds_assign_body("fac-a", json::array({o1, ds_order_ref("404404"), ds_order_ref("4002")})).dump());
  REQUIRE(reply.status == 200);
  const json results = reply.json_body()["results"];
  REQUIRE(results.size() == 7);
  CHECK(results[0]["order"] == "tmall/tm-1/4001");
  CHECK(results[0]["line_id"] == "4001-1");
  CHECK(results[0]["outcome"] == "assigned");
  CHECK(results[0]["line"]["factory"] == "fac-a");
  CHECK(results[0]["line"]["state"] == "assigned");
  CHECK(results[1]["line_id"] == "nope");
  CHECK(results[1]["outcome"] == "refused");
  CHECK(results[1]["refusal"] == "not_found");
  CHECK(results[1]["line"].is_null());
  CHECK(results[2]["refusal"] == "refund_pending");
  CHECK(results[3]["line_id"].is_null());  // the unknown order is refused as a whole
  CHECK(results[3]["outcome"] == "refused");
  CHECK(results[3]["refusal"] == "not_found");
  for (std::size_t i = 4; i < 7; ++i) {
    CHECK(results[i]["order"] == "tmall/tm-1/4002");
    CHECK(results[i]["outcome"] == "assigned");  // no lines named: all of them
  }
  CHECK(api.store->dropship_lines_of(ds_key("4001")).size() == 1);
  CHECK(api.store->dropship_lines_of(ds_key("4002")).size() == 3);

  // The same line again, and a factory without a binding.
  json again = ds_order_ref("4001");
  again["lines"] = json::array({"4001-1"});
  const auto twice = api.merchant("POST", "/v1/dropship/assign", ds_assign_body("fac-a", json::array({again})).dump());
  REQUIRE(twice.status == 200);
  CHECK(twice.json_body()["results"][0]["refusal"] == "already_assigned");
  const auto unbound =
      api.merchant("POST", "/v1/dropship/assign", ds_assign_body("fac-b", json::array({ds_order_ref("4001")})).dump());
  REQUIRE(unbound.status == 200);
  CHECK(unbound.json_body()["results"][0]["refusal"] == "conflict");
  CHECK(unbound.json_body()["results"][0]["message"].get<std::string>().find("D2") != std::string::npos);

  // Bad bodies: 400 naming the field; nothing assigned.
  const auto bad = [&](const std::string& body, const std::string& field) {
    const auto r = api.merchant("POST", "/v1/dropship/assign", body);
    ds_check_error(r, 400, "invalid_input");
    CHECK_MESSAGE(r.error_message().find(field) != std::string::npos, r.error_message());
  };
  bad("", "request body");
  bad("{not json", "not valid JSON");
  bad(R"({"orders":[{"platform":"tmall","shop":"tm-1","order_id":"4001"}]})", "factory:");
  bad(R"({"factory":"fac-a"})", "orders:");
  bad(R"({"factory":"fac-a","orders":[]})", "orders:");
  bad(R"({"factory":"fac-a","orders":"4001"})", "orders:");
  bad(R"({"factory":"fac-a","orders":[42]})", "orders[0]: must be an object");
  bad(R"({"factory":"fac-a","orders":[{"platform":"tmall","shop":"tm-1"}]})", "orders[0].order_id:");
  bad(R"({"factory":"fac-a","orders":[{"platform":"tmall","shop":"tm-1","order_id":"4001"},{"shop":"tm-1"}]})",
      "orders[1].platform:");
  bad(R"({"factory":"fac-a","orders":[{"platform":"tmall","shop":"tm-1","order_id":"4001","lines":"4001-2"}]})",
      "orders[0].lines");
  bad(R"({"factory":"fac-a","orders":[{"platform":"tmall","shop":"tm-1","order_id":"4001","lines":[""]}]})",
      "orders[0].lines");
  bad(R"({"factory":"fac-a","orders":[{"platform":"tmall","shop":"tm-1","order_id":"4001","line":["4001-2"]}]})",
      "unknown field 'line'");
  bad(R"({"factory":"fac-a","orders":[],"extra":true})", "unknown field 'extra'");
  json many = json::array();
  for (std::size_t i = 0; i <= erp::daemon::api::dropship_routes::kMaxBatch; ++i) many.push_back(ds_order_ref("4001"));
  bad(ds_assign_body("fac-a", many).dump(), "orders:");
  CHECK(api.store->dropship_lines_of(ds_key("4001")).size() == 1);
}

TEST_CASE("D7 a second factory shipment answers 409 already_shipped") {
  DropshipApi api;
  api.bind("fac-a");
  api.ingest(make_order(kMerchantShop, "7001"));
  const auto a = api.assign(ds_key("7001"), "7001-1", "fac-a");
  const auto b = api.assign(ds_key("7001"), "7001-2", "fac-a");

  // Bad bodies first: nothing ships.
  const auto no_waybill =
      api.call("POST", line_path(a.id, "/shipment"), std::string(kFactoryAToken), R"({"carrier":"SF"})");
  ds_check_error(no_waybill, 400, "invalid_input");
  CHECK(no_waybill.error_message().starts_with("waybill:"));
  const auto no_carrier =
      api.call("POST", line_path(a.id, "/shipment"), std::string(kFactoryAToken), R"({"carrier":"","waybill":"SF1"})");
  ds_check_error(no_carrier, 400, "invalid_input");
  CHECK(no_carrier.error_message().starts_with("carrier:"));
  ds_check_error(api.call("POST", line_path(a.id, "/shipment"), std::string(kFactoryAToken), "[1]"), 400,
                 "invalid_input");
  ds_check_error(api.call("POST", line_path(a.id, "/shipment"), std::string(kFactoryAToken),
                          R"({"carrier":"SF","waybill":"SF1\n2"})"),
                 400, "invalid_input");
  CHECK(api.store->get_dropship_line(a.id)->state == store::DropshipLineState::assigned);

  const std::string body = R"({"carrier":"SF","waybill":"SF1000"})";
  const auto shipped = api.call("POST", line_path(a.id, "/shipment"), std::string(kFactoryAToken), body);
  REQUIRE(shipped.status == 202);
  CHECK(shipped.json_body()["state"] == "shipped");
  CHECK(shipped.json_body()["shipped_by"] == "factory");
  CHECK(shipped.json_body()["waybill"] == "SF1000");
  CHECK(shipped.json_body()["may_ship"] == false);
  // The same post again is answered as before; another waybill is a second shipment.
  CHECK(api.call("POST", line_path(a.id, "/shipment"), std::string(kFactoryAToken), body).status == 202);
  const auto second = api.call("POST", line_path(a.id, "/shipment"), std::string(kFactoryAToken),
                               R"({"carrier":"YTO","waybill":"YT2000"})");
  ds_check_error(second, 409, "already_shipped");
  CHECK(api.outbox_count(erp::daemon::shipping::kPlatformShipKind) == 1);
  CHECK(api.store->get_dropship_line(a.id)->waybill == "SF1000");
  // Nor can the merchant take it back now.
  ds_check_error(api.merchant("POST", "/v1/dropship/lines/" + std::to_string(a.id) + "/unassign"), 409,
                 "already_shipped");

  // The merchant's warehouse shipped the other line first.
  {
    auto tx = api.store->begin();
    REQUIRE(api.service->settle_merchant_shipment(*tx, ds_key("7001"), {"7001-2"}, now_utc()).ok());
    tx->commit();
  }
  const auto late = api.call("POST", line_path(b.id, "/shipment"), std::string(kFactoryAToken), body);
  ds_check_error(late, 409, "already_shipped");
  CHECK(late.error_message().find("merchant") != std::string::npos);
  CHECK(api.outbox_count(erp::daemon::shipping::kPlatformShipKind) == 1);
}

TEST_CASE("D8 a cancelled line answers 409 buyer_cancelled") {
  DropshipApi api;
  api.bind("fac-a");
  const auto order = make_order(kMerchantShop, "8001");
  api.ingest(order);
  const auto a = api.assign(ds_key("8001"), "8001-1", "fac-a");
  const auto b = api.assign(ds_key("8001"), "8001-2", "fac-a");

  api.ingest(ds_refunded_line(order, 0));
  const auto seen = api.call("GET", line_path(a.id), std::string(kFactoryAToken));
  REQUIRE(seen.status == 200);
  CHECK(seen.json_body()["buyer_cancelled"] == true);
  CHECK(seen.json_body()["may_ship"] == false);
  CHECK(seen.json_body()["state"] == "assigned");       // still assigned (D8), only blocked
  CHECK(api.outbox_count(dropship::kNotifyKind) == 3);  // assigned twice, cancelled once

  const auto refused = api.call("POST", line_path(a.id, "/shipment"), std::string(kFactoryAToken),
                                R"({"carrier":"SF","waybill":"SF1"})");
  ds_check_error(refused, 409, "buyer_cancelled");
  CHECK(refused.error_message().find("D8") != std::string::npos);
  CHECK(api.outbox_count(erp::daemon::shipping::kPlatformShipKind) == 0);
  CHECK(api.store->get_dropship_line(a.id)->state == store::DropshipLineState::assigned);
  const auto cancelled = api.call("GET", "/v1/factory/lines?state=assigned", std::string(kFactoryAToken));
  REQUIRE(cancelled.status == 200);
  CHECK(cancelled.json_body()["lines"].size() == 2);

  // The other line ships.
  CHECK(
      api.call("POST", line_path(b.id, "/shipment"), std::string(kFactoryAToken), R"({"carrier":"SF","waybill":"SF2"})")
          .status == 202);
  CHECK(api.outbox_count(erp::daemon::shipping::kPlatformShipKind) == 1);
}

TEST_CASE("D10 the receiver route audits every hand-out and refuses a cancelled line") {
  DropshipApi api;
  api.bind("fac-a");
  const auto order = make_order(kMerchantShop, "1001");
  api.ingest(order);
  const auto a = api.assign(ds_key("1001"), "1001-1", "fac-a");
  const auto b = api.assign(ds_key("1001"), "1001-2", "fac-a");
  const auto c = api.assign(ds_key("1001"), "1001-3", "fac-a");

  const auto handed = api.call("POST", line_path(a.id, "/receiver"), std::string(kFactoryAToken));
  REQUIRE(handed.status == 200);
  CHECK(handed.header("cache-control") == "no-store");
  CHECK(handed.json_body()["name"] == kPlainName);
  CHECK(handed.json_body()["phone"] == kPlainPhone);
  CHECK(handed.json_body()["address"] == kPlainAddress);
  CHECK(handed.json_body()["province"] == "浙江省");
  auto seen = api.adapter->seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].order_id == "1001");
  CHECK(seen[0].ciphertext == kCiphertext);

  // Every hand-out is asked for and recorded again (nothing cached).
  REQUIRE(api.call("POST", line_path(a.id, "/receiver"), std::string(kFactoryAToken)).status == 200);
  CHECK(api.adapter->seen().size() == 2);
  auto accesses = api.store->receiver_accesses("fac-a");
  REQUIRE(accesses.size() == 2);
  CHECK(accesses[0].outcome == "decrypted");
  CHECK(accesses[0].dropship_line == a.id);
  CHECK(accesses[0].order_id == "1001");
  std::size_t decrypted_events = 0;
  for (const auto& e : api.store->events(ds_key("1001"))) {
    if (e.kind != "receiver.decrypted") continue;
    ++decrypted_events;
    CHECK(e.rule_id == "D10");
    CHECK(e.actor == "factory:fac-a");
    CHECK_FALSE(ds_has_plaintext(e.reason + e.detail.dump()));
  }
  CHECK(decrypted_events == 2);

  // A cancelled line: refused, not decrypted, and the refusal is on record too.
  api.ingest(ds_refunded_line(order, 1));
  const auto refused = api.call("POST", line_path(b.id, "/receiver"), std::string(kFactoryAToken));
  ds_check_error(refused, 409, "buyer_cancelled");
  CHECK_FALSE(ds_has_plaintext(refused.body));
  CHECK(api.adapter->seen().size() == 2);
  accesses = api.store->receiver_accesses("fac-a");
  REQUIRE(accesses.size() == 3);
  CHECK(accesses[0].outcome == "buyer_cancelled");  // newest first
  CHECK(accesses[0].dropship_line == b.id);

  // A shipped line: the factory has printed it already.
  REQUIRE(
      api.call("POST", line_path(c.id, "/shipment"), std::string(kFactoryAToken), R"({"carrier":"SF","waybill":"S3"})")
          .status == 202);
  ds_check_error(api.call("POST", line_path(c.id, "/receiver"), std::string(kFactoryAToken)), 409, "already_shipped");
  CHECK(api.adapter->seen().size() == 2);
  CHECK(api.store->receiver_accesses("fac-a").size() == 4);

  // Another factory: not found, and not audited as a hand-out.
  ds_check_error(api.call("POST", line_path(a.id, "/receiver"), std::string(kFactoryBToken)), 404, "not_found");
  CHECK(api.store->receiver_accesses().size() == 4);

  // The merchant reads the audit; nothing of it is plaintext.
  const auto audit = api.merchant("GET", "/v1/dropship/audit?factory=fac-a");
  REQUIRE(audit.status == 200);
  REQUIRE(audit.json_body()["accesses"].size() == 4);
  CHECK(audit.json_body()["accesses"][3]["outcome"] == "decrypted");
  CHECK_FALSE(ds_has_plaintext(audit.body));
  CHECK(api.merchant("GET", "/v1/dropship/audit?factory=fac-b").json_body()["accesses"].empty());
  CHECK_FALSE(ds_has_plaintext(api.merchant("GET", order_path(kMerchantShop, "1001")).body));
}

TEST_CASE("bad input to the dropship and factory routes gives 4xx with a JSON error") {
  DropshipApi api;
  api.bind("fac-a");
  api.ingest(make_order(kMerchantShop, "9001"));
  const auto a = api.assign(ds_key("9001"), "9001-1", "fac-a");

  ds_check_error(api.merchant("GET", "/v1/dropship/lines?state=lost"), 400, "invalid_input");
  ds_check_error(api.merchant("GET", "/v1/dropship/lines?limit=0"), 400, "invalid_input");
  ds_check_error(api.merchant("GET", "/v1/dropship/lines?after=x"), 400, "invalid_input");
  ds_check_error(api.merchant("GET", "/v1/dropship/lines?colour=red"), 400, "invalid_input");
  ds_check_error(api.merchant("GET", "/v1/dropship/lines/abc"), 400, "invalid_input");
  ds_check_error(api.merchant("GET", "/v1/dropship/lines/999999"), 404, "not_found");
  ds_check_error(api.merchant("POST", "/v1/dropship/lines/0/unassign"), 400, "invalid_input");
  ds_check_error(api.merchant("POST", "/v1/dropship/lines/999999/unassign"), 404, "not_found");
  ds_check_error(api.merchant("GET", "/v1/dropship/audit?limit=5000"), 400, "invalid_input");
  ds_check_error(api.merchant("GET", order_path(kMerchantShop, "404") + "/dropship"), 404, "not_found");
  ds_check_error(api.merchant("DELETE", "/v1/dropship/assign"), 405, "method_not_allowed");

  const std::string token = kFactoryAToken;
  ds_check_error(api.call("GET", "/v1/factory/lines?state=lost", token), 400, "invalid_input");
  ds_check_error(api.call("GET", "/v1/factory/lines?limit=1001", token), 400, "invalid_input");
  ds_check_error(api.call("GET", "/v1/factory/lines?factory=fac-b", token), 400, "invalid_input");
  ds_check_error(api.call("GET", "/v1/factory/lines/abc", token), 404, "not_found");
  ds_check_error(api.call("POST", "/v1/factory/bindings/abc/confirm", token), 404, "not_found");
  ds_check_error(api.call("GET", "/v1/factory/nothing", token), 404, "not_found");
  const auto wrong_method = api.call("DELETE", "/v1/factory/lines", token);
  ds_check_error(wrong_method, 405, "method_not_allowed");
  CHECK(wrong_method.header("allow") == "GET");
  ds_check_error(api.call("POST", line_path(a.id, "/shipment"), token, "not json"), 400, "invalid_input");
  CHECK(api.store->get_dropship_line(a.id)->state == store::DropshipLineState::assigned);

  // The good ones next to them.
  const auto unassigned = api.merchant("POST", "/v1/dropship/lines/" + std::to_string(a.id) + "/unassign");
  REQUIRE(unassigned.status == 200);
  CHECK(unassigned.json_body()["state"] == "unassigned");
  const auto reconcile = api.merchant("POST", "/v1/dropship/reconcile");
  CHECK(reconcile.status == 202);
  CHECK(api.reconciles == 1);
}
