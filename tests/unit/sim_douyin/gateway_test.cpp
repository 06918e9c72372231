// The Douyin gateway through PlatformModule::handle: signatures, tokens, faults and bad input.

#include <doctest/doctest.h>

#include "douyin_fixture.hpp"

using namespace erp::sim;
using namespace erp::sim::douyin::test;

TEST_CASE("serves Douyin method paths only") {
  Fixture f;
  Request r;
  r.path = "/order/searchList";
  CHECK(f.module->serves(r));
  r.path = "/iop/waybillReturn";
  CHECK(f.module->serves(r));
  for (const char* p : {"/router/rest", "/admin/clock", "/", "/order", "/a/b/c", "/order/"}) {
    r.path = p;
    CHECK_FALSE(f.module->serves(r));
  }
}

TEST_CASE("both signature methods are accepted and a wrong sign is refused with isv.signature-invalid") {
  Fixture f;
  f.paid_order();
  const std::string body = R"({"size":10,"page":0})";
  for (const char* m : {"hmac-sha256", "md5"}) {
    CAPTURE(m);
    auto r = json::parse(f.module->handle(f.request("order.searchList", body, "token-merchant", m)).body);
    CHECK(r["code"] == 10000);
    CHECK(r["data"]["total"] == 1);
    CHECK(r["log_id"].get<std::string>().size() > 14);
  }
  // A body signed in a different key order still verifies: the gateway signs the canonical form.
  auto req = f.request("order.searchList", R"({"page":0,"size":10})", "token-merchant");
  req.body = R"({ "size": 10, "page": 0 })";
  CHECK(json::parse(f.module->handle(req).body)["code"] == 10000);

  auto bad = f.request("order.searchList", body, "token-merchant");
  bad.query[4].second[0] = bad.query[4].second[0] == 'a' ? 'b' : 'a';
  auto r = json::parse(f.module->handle(bad).body);
  CHECK(r["code"] == 40003);
  CHECK(r["sub_code"] == "isv.signature-invalid");
  CHECK(r["data"] == json::object());

  // The body changed after signing.
  auto tampered = f.request("order.searchList", body, "token-merchant");
  tampered.body = R"({"size":11,"page":0})";
  CHECK(json::parse(f.module->handle(tampered).body)["sub_code"] == "isv.signature-invalid");

  // Signed with another secret.
  auto other = f.request("order.searchList", body, "token-merchant");
  other.query[4].second =
      *erp::sim::douyin::sign("hmac-sha256", "nope", kAppKey, "order.searchList",
                              *erp::sim::douyin::canonical_param_json(body), other.query_value("timestamp"));
  CHECK(json::parse(f.module->handle(other).body)["sub_code"] == "isv.signature-invalid");
}

TEST_CASE("envelope: new shape always, legacy err_no/message unless x-open-no-old-err-code is 1") {
  Fixture f;
  auto req = f.request("order.searchList", "{}", "token-merchant");
  auto r = json::parse(f.module->handle(req).body);
  for (const char* k : {"code", "msg", "sub_code", "sub_msg", "log_id", "data"}) CHECK(r.contains(k));
  CHECK_FALSE(r.contains("err_no"));
  req.headers.erase("x-open-no-old-err-code");
  r = json::parse(f.module->handle(req).body);
  CHECK(r["err_no"] == 0);
  CHECK(r["message"] == "success");
}

TEST_CASE("missing and unknown credentials") {
  Fixture f;
  auto without = [&](const std::string& name) {
    auto req = f.request("order.searchList", "{}", "token-merchant");
    std::erase_if(req.query, [&](const auto& kv) { return kv.first == name; });
    return json::parse(f.module->handle(req).body);
  };
  CHECK(without("app_key")["sub_code"] == "isv.app-id-missing");
  CHECK(without("sign")["sub_code"] == "isv.signature-missing");
  CHECK(without("access_token")["sub_code"] == "isv.access-token-missing");
  CHECK(without("access_token")["code"] == 40001);
  CHECK(without("timestamp")["code"] == 40001);
  CHECK(without("method")["code"] == 40001);

  auto r = f.call("order.searchList", json::object(), "no-such-token");
  CHECK(r["code"] == 40003);
  CHECK(r["sub_code"] == "isv.access-token-no-existed");

  auto req = f.request("order.searchList", "{}", "token-merchant");
  req.query[0].second = "1111111111111111111";
  CHECK(json::parse(f.module->handle(req).body)["sub_code"] == "isv.app-id-invalid");

  // Path and method disagree; v is not 2; timestamp not unix seconds; unknown method.
  req = f.request("order.searchList", "{}", "token-merchant");
  req.path = "/order/orderDetail";
  CHECK(json::parse(f.module->handle(req).body)["code"] == 40003);
  req = f.request("order.searchList", "{}", "token-merchant");
  req.query[2].second = "1";
  CHECK(json::parse(f.module->handle(req).body)["code"] == 40003);
  req = f.request("order.searchList", "{}", "token-merchant");
  req.query[3].second = "2026-01-01 00:00:00";
  CHECK(json::parse(f.module->handle(req).body)["sub_code"] == "isv.timestamp-format-error");
  CHECK(f.call("order.noSuchThing", json::object())["code"] == 70000);
}

TEST_CASE("token.create and token.refresh: the old token stops working, tokens expire") {
  Fixture f;
  auto created = f.call("token.create", {{"grant_type", "authorization_self"}, {"shop_id", f.shop.id}}, "");
  REQUIRE(created["code"] == 10000);
  const std::string t1 = created["data"]["access_token"];
  const std::string r1 = created["data"]["refresh_token"];
  CHECK(created["data"]["expires_in"] == 604800);
  CHECK(f.call("order.searchList", json::object(), "token-merchant")["sub_code"] == "isv.access-token-no-existed");
  CHECK(f.call("order.searchList", json::object(), t1)["code"] == 10000);

  auto refreshed = f.call("token.refresh", {{"grant_type", "refresh_token"}, {"refresh_token", r1}}, "");
  REQUIRE(refreshed["code"] == 10000);
  const std::string t2 = refreshed["data"]["access_token"];
  CHECK(t2 != t1);
  CHECK(f.call("order.searchList", json::object(), t1)["code"] == 40003);
  CHECK(f.call("order.searchList", json::object(), t2)["code"] == 10000);
  // The refresh token is single-use.
  CHECK(f.call("token.refresh", {{"refresh_token", r1}}, "")["code"] == 40003);

  f.clock.advance(std::chrono::hours(24 * 7));
  auto expired = f.call("order.searchList", json::object(), t2);
  CHECK(expired["code"] == 40003);
  CHECK(expired["sub_code"] == "isv.access-token-expired");

  CHECK(f.call("token.create", {{"shop_id", "999"}}, "")["sub_code"] == "dop.authorization-no-existed");
}

TEST_CASE("a token_expire event expires the current token") {
  Fixture f;
  f.event("type: token_expire");
  CHECK(f.call("order.searchList", json::object())["sub_code"] == "isv.access-token-expired");
}

TEST_CASE("faults: rate limit, server error, expired session, timeout, truncated") {
  Fixture f;
  f.faults.set(Fault::rate_limit, 1.0);
  auto r = f.call("order.searchList", json::object());
  CHECK(r["code"] == 60000);
  CHECK(r["sub_code"] == "isv.traffic-limited");
  f.faults.clear();

  f.faults.set(Fault::server_error, 1.0);
  auto resp = f.module->handle(f.request("order.searchList", "{}", "token-merchant"));
  CHECK(resp.status == 500);
  CHECK(json::parse(resp.body)["code"] == 20000);
  f.faults.clear();

  f.faults.set(Fault::expired_session, 1.0);
  CHECK(f.call("order.searchList", json::object())["sub_code"] == "isv.access-token-expired");
  f.faults.clear();

  f.faults.set(Fault::timeout, 1.0);
  CHECK(f.module->handle(f.request("order.searchList", "{}", "token-merchant")).hang);
  f.faults.clear();

  f.faults.set(Fault::truncated, 1.0);
  resp = f.module->handle(f.request("order.searchList", "{}", "token-merchant"));
  CHECK(resp.truncate);
  CHECK(json::parse(resp.body)["code"] == 10000);
}

TEST_CASE("garbage requests get the error envelope, never a crash") {
  Fixture f;
  f.paid_order();
  const std::string huge(5 * 1024 * 1024, 'x');
  for (const std::string& body :
       {std::string("not json"), std::string("[1,2]"), std::string("{\"page\":"), std::string("\"str\""),
        std::string(200, '{'), std::string("{\"a\":\"\xc3\x28\"}"), huge}) {
    auto req = f.request("order.searchList", "{}", "token-merchant");
    req.body = body;
    const Response resp = f.module->handle(req);
    auto r = json::parse(resp.body);
    CHECK(r["code"] == 40003);
    CHECK(r["sub_code"] == "isv.parameter-format-invalid");
  }
  // Well-formed JSON with wrong types and huge values.
  const json cases[] = {
      {{"size", "ten"}},
      {{"size", 1e300}},
      {{"size", json::array()}},
      {{"page", -1}},
      {{"page", 99999999999999999}},
      {{"update_time_start", "99999999999999999999999"}},
      {{"order_status", "7"}},
      {{"order_status", json::object()}},
      {{"order_by", "price"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.dump());
    auto r = f.call("order.searchList", c);
    CHECK(r["code"] == 40003);
    CHECK(r["sub_code"] == "isv.parameter-invalid");
  }
  CHECK(f.call("order.orderDetail", {{"shop_order_id", json::array({1})}})["code"] == 40003);
  CHECK(f.call("order.orderDetail", json::object())["code"] == 40001);
  CHECK(f.call("order.logisticsAddMultiPack",
               {{"order_id", "1001"}, {"request_id", "r"}, {"pack_list", "x"}})["code"] == 40003);
  CHECK(f.call("order.logisticsAddMultiPack",
               {{"order_id", "1001"}, {"request_id", "r"}, {"pack_list", json::array({1, 2})}})["code"] == 40003);
  CHECK(f.call("order.batchDecrypt", {{"cipher_infos", json::array({"x"})}})["code"] == 40003);
  Request get = f.request("order.searchList", "{}", "token-merchant");
  get.method = "GET";
  CHECK(json::parse(f.module->handle(get).body)["code"] == 40003);
  Request empty;
  empty.path = "/order/searchList";
  CHECK(json::parse(f.module->handle(empty).body)["code"] >= 40001);
}

TEST_CASE("a request the transport refused is answered in Douyin's envelope") {
  Fixture f;
  Request partial;
  partial.method = "POST";
  partial.path = "/order/searchList";
  const Response r = f.module->transport_error(partial, 413, "body too large");
  CHECK(r.status == 413);
  auto body = json::parse(r.body);
  CHECK(body["code"] == 40003);
  CHECK(body["sub_code"] == "isv.parameter-format-invalid");
  CHECK(json::parse(f.module->transport_error(partial, 500, "boom").body)["code"] == 20000);
}

TEST_CASE("mutated bodies, signed or not, always get an envelope") {
  Fixture f;
  Shop factory = Fixture::make_shop("7000001", "token-fa", "factory");
  f.module->add_shop(factory);
  f.event("type: bind_factory\nfactory_shop_id: '7000001'");
  f.paid_order("1001");
  const std::vector<std::pair<std::string, std::string>> seeds = {
      {"order.searchList",
       R"({"page":0,"size":10,"order_status":"2,3","update_time_start":1,"order_by":"update_time"})"},
      {"order.orderDetail", R"({"shop_order_id":"1001"})"},
      {"order.addOrderRemark", R"({"order_id":"1001","remark":"备注","is_add_star":"true","star":3})"},
      {"order.logisticsAdd", R"({"order_id":"1001","company_code":"zt","logistics_code":"Z1","request_id":"a"})"},
      {"order.logisticsAddMultiPack",
       R"({"order_id":"1001","request_id":"b","pack_list":[{"company_code":"zt","logistics_code":"Z","shipped_order_info":[{"shipped_order_id":"1001-1","shipped_num":1}]}]})"},
      {"order.batchDecrypt", R"({"cipher_infos":[{"auth_id":"1001","cipher_text":"$x$y$1$$"}]})"},
      {"iop.sellerDistribute", R"({"supplier_shop_id":"7000001","distribute_order_list":[{"order_id":"1001"}]})"},
      {"iop.sellerCancleDistribute", R"({"distr_order_id":"1"})"},
      {"iop.orderList", R"({"start_update_time":1,"end_update_time":100,"page":0,"size":10})"},
      {"iop.waybillReturn", R"({"distr_order_id":"1","company_code":"zt","track_no":"T"})"},
      {"token.refresh", R"({"refresh_token":"x","grant_type":"refresh_token"})"},
  };
  const std::string alphabet = "{}[]\",:0123456789.-eE truefalsnul\\u00e6\xe6\x8a\x96";
  std::mt19937 rng(42);
  int answered = 0;
  for (int i = 0; i < 3000; ++i) {
    const auto& [method, seed] = seeds[static_cast<std::size_t>(i) % seeds.size()];
    std::string body = seed;
    const int edits = std::uniform_int_distribution<int>(1, 4)(rng);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      const auto at = std::uniform_int_distribution<std::size_t>(0, body.size() - 1)(rng);
      const char c = alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
      switch (std::uniform_int_distribution<int>(0, 2)(rng)) {
        case 0:
          body[at] = c;
          break;
        case 1:
          body.insert(at, 1, c);
          break;
        default:
          body.erase(at, 1);
      }
    }
    const std::string token =
        method.rfind("iop.order", 0) == 0 || method == "iop.waybillReturn" ? "token-fa" : "token-merchant";
    const Response r = f.module->handle(f.request(method, body, token, i % 2 ? "md5" : "hmac-sha256"));
    const auto parsed = json::parse(r.body, nullptr, false);
    REQUIRE_FALSE(parsed.is_discarded());
    REQUIRE(parsed["code"].is_number_integer());
    if (parsed["code"] != 20000) ++answered;
  }
  CHECK(answered == 3000);  // no internal errors either
}
