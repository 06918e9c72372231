// Receiver decryption for the party that ships (rule D10): batch and single routes, per-entry
// errors, the audit event, no caching, rate limits, and plaintext that never reaches the log.

#include <doctest/doctest.h>

#include "unit/api/push_api_fixture.hpp"

using namespace erp::test::api_support;
using erp::test::push::CapturedLog;
using erp::test::push::kPlainAddress;
using erp::test::push::kPlainName;
using erp::test::push::kPlainPhone;
using nlohmann::json;

namespace {

json orders(const std::vector<OrderKey>& keys) {
  json list = json::array();
  for (const auto& k : keys) list.push_back({{"platform", k.platform}, {"shop", k.shop}, {"order_id", k.order_id}});
  return json{{"orders", list}};
}

std::vector<erp::daemon::store::Event> decrypt_events(PushApi& api, const OrderKey& key) {
  std::vector<erp::daemon::store::Event> out;
  for (const auto& e : api.store->events(key)) {
    if (e.kind == "receiver.decrypted") out.push_back(e);
  }
  return out;
}

erp::sdk::Error sdk_rate_limited() { return erp::sdk::fail(erp::sdk::ErrorCode::rate_limited, "60000 too many calls"); }

bool has_plaintext(const std::string& text) {
  return text.find(kPlainName) != std::string::npos || text.find(kPlainPhone) != std::string::npos ||
         text.find(kPlainAddress) != std::string::npos;
}

}  // namespace

TEST_CASE("D10 batch decryption: one adapter call per shop, per-entry errors, no-store, audited without plaintext") {
  PushApi api;
  CapturedLog log;
  api.seed_order("1001");
  api.seed_order("1002");
  auto refused = api.seed_order("1003");
  {
    refused.receiver.ciphertext = "REFUSE";
    refused.modified_at += std::chrono::seconds{1};
    api.seed(refused);
  }
  api.seed_order("3001", "tb-1", "taobao");
  const OrderKey a{"douyin", "dy-1", "1001"}, b{"douyin", "dy-1", "1002"}, r{"douyin", "dy-1", "1003"},
      missing{"douyin", "dy-1", "404404"}, top{"taobao", "tb-1", "3001"};

  const auto reply = api.post("/v1/receivers/decrypt", orders({a, missing, b, top, r}).dump());
  REQUIRE(reply.status == 200);
  CHECK(reply.header("cache-control") == "no-store");
  const json receivers = reply.json_body()["receivers"];
  REQUIRE(receivers.size() == 5);

  CHECK(receivers[0] == json{{"platform", "douyin"},
                             {"shop", "dy-1"},
                             {"order_id", "1001"},
                             {"name", kPlainName},
                             {"phone", kPlainPhone},
                             {"address", kPlainAddress},
                             {"province", "浙江省"},
                             {"city", "杭州市"},
                             {"district", "西湖区"},
                             {"error", ""}});
  CHECK(receivers[1]["order_id"] == "404404");
  CHECK(receivers[1]["name"] == "");
  CHECK(receivers[1]["error"].get<std::string>().starts_with("not_found: "));
  CHECK(receivers[2]["name"] == kPlainName);
  CHECK(receivers[3]["error"] == "unsupported: this platform gives no decryption");
  CHECK(receivers[3]["phone"] == "");
  CHECK(receivers[4]["error"].get<std::string>().find("decryption quota used up") != std::string::npos);
  CHECK(receivers[4]["address"] == "");

  // The adapter got the stored ciphertexts of its own shop, in one call.
  auto& dy = api.adapter();
  REQUIRE(dy.decrypt_calls == 1);
  REQUIRE(dy.decrypt_seen[0].size() == 3);
  CHECK(dy.decrypt_seen[0][0].order_id == "1001");
  CHECK(dy.decrypt_seen[0][0].ciphertext == "#CIPHER#1001");
  CHECK(api.adapter("tb-1").decrypt_calls == 0);

  // Audited: one event per decrypted order, rule D10, no plaintext anywhere in it.
  for (const auto& key : {a, b}) {
    const auto events = decrypt_events(api, key);
    REQUIRE(events.size() == 1);
    CHECK(events[0].rule_id == "D10");
    CHECK(events[0].actor == "api");
    CHECK_FALSE(has_plaintext(events[0].reason + events[0].detail.dump()));
  }
  CHECK(decrypt_events(api, r).empty());
  CHECK(decrypt_events(api, top).empty());
  // Nor in the order as stored and shown.
  CHECK_FALSE(has_plaintext(api.get("/v1/orders/douyin/dy-1/1001").body));
  CHECK_FALSE(has_plaintext(api.get("/v1/orders/douyin/dy-1/1001/why").body));
  CHECK(api.get("/v1/orders/douyin/dy-1/1001/why").body.find("Receiver decrypted") != std::string::npos);

  const std::string text = log.text();
  INFO(text);
  CHECK_FALSE(has_plaintext(text));
}

TEST_CASE("D10 single receiver: 200 with the entry, 404 unknown order, 422 no decryption, audited") {
  PushApi api;
  CapturedLog log;
  api.seed_order("1001");
  api.seed_order("3001", "tb-1", "taobao");

  const auto ok = api.get("/v1/orders/douyin/dy-1/1001/receiver");
  REQUIRE(ok.status == 200);
  CHECK(ok.header("cache-control") == "no-store");
  CHECK(ok.json_body()["name"] == kPlainName);
  CHECK(ok.json_body()["phone"] == kPlainPhone);
  CHECK(ok.json_body()["error"] == "");
  CHECK(decrypt_events(api, OrderKey{"douyin", "dy-1", "1001"}).size() == 1);

  const auto unknown = api.get("/v1/orders/douyin/dy-1/9999/receiver");
  CHECK(unknown.status == 404);
  CHECK(unknown.error_code() == "not_found");
  CHECK(api.adapter().decrypt_calls == 1);

  const auto top = api.get("/v1/orders/taobao/tb-1/3001/receiver");
  CHECK(top.status == 422);
  CHECK(top.error_message() == "this platform gives no decryption");

  CHECK(api.request("POST", "/v1/orders/douyin/dy-1/1001/receiver", {}, "", std::string(kToken)).status == 405);
  CHECK(api.request("GET", "/v1/orders/douyin/dy-1/1001/receiver", {}).status == 401);
  CHECK(api.request("POST", "/v1/receivers/decrypt", {}, orders({{"douyin", "dy-1", "1001"}}).dump()).status == 401);
  CHECK_FALSE(has_plaintext(log.text()));
}

TEST_CASE("D10 a rate-limited platform is asked again; past about 5 s the answer is 503 with Retry-After") {
  PushApi api;
  CapturedLog log;
  api.seed_order("1001");
  api.adapter().decrypt_failures = {sdk_rate_limited(), sdk_rate_limited()};
  const auto ok = api.post("/v1/receivers/decrypt", orders({{"douyin", "dy-1", "1001"}}).dump());
  REQUIRE(ok.status == 200);
  CHECK(ok.json_body()["receivers"][0]["name"] == kPlainName);
  CHECK(api.adapter().decrypt_calls == 3);

  // The platform bans for longer than the budget: no waiting, 503 at once with its ban.
  auto ban = sdk_rate_limited();
  ban.retry_after = std::chrono::seconds{30};
  api.adapter().decrypt_failures = {ban};
  const auto limited = api.post("/v1/receivers/decrypt", orders({{"douyin", "dy-1", "1001"}}).dump());
  CHECK(limited.status == 503);
  CHECK(limited.header("retry-after") == "30");
  CHECK(limited.error_code() == "rate_limited");
  const auto single = [&] {
    api.adapter().decrypt_failures = {ban};
    return api.get("/v1/orders/douyin/dy-1/1001/receiver");
  }();
  CHECK(single.status == 503);
  CHECK(single.header("retry-after") == "30");
  // Only the one decryption that was handed out is on record.
  CHECK(decrypt_events(api, OrderKey{"douyin", "dy-1", "1001"}).size() == 1);

  // Other platform failures are the entries' errors.
  api.adapter().decrypt_failures = {erp::sdk::fail(erp::sdk::ErrorCode::needs_reauth, "authorization revoked")};
  const auto reauth = api.post("/v1/receivers/decrypt", orders({{"douyin", "dy-1", "1001"}}).dump());
  REQUIRE(reauth.status == 200);
  CHECK(reauth.json_body()["receivers"][0]["error"] == "needs_reauth: authorization revoked");
  CHECK_FALSE(has_plaintext(log.text()));
}

TEST_CASE("D10 decrypt bodies: 1 to 200 orders of {platform, shop, order_id}, else 400 naming the problem") {
  PushApi api;
  auto bad = [&](const std::string& body, const std::string& says) {
    CAPTURE(body);
    const auto reply = api.post("/v1/receivers/decrypt", body);
    CHECK(reply.status == 400);
    CHECK(reply.error_code() == "invalid_input");
    CHECK_MESSAGE(reply.error_message().find(says) != std::string::npos, reply.error_message());
  };
  bad("", "request body: expected a JSON object");
  bad("{", "not valid JSON");
  bad("[]", "expected a JSON object");
  bad("{}", "orders: required");
  bad(R"({"orders": {}})", "orders: must be a list");
  bad(R"({"orders": []})", "orders: must hold 1 to 200 entries, got 0");
  bad(R"({"orders": [{"platform": "douyin", "shop": "dy-1", "order_id": "1"}], "by": "x"})", "unknown field 'by'");
  bad(R"({"orders": ["1001"]})", "orders[0]: must be an object");
  bad(R"({"orders": [{"platform": "douyin", "shop": "dy-1"}]})", "orders[0].order_id: required");
  bad(R"({"orders": [{"platform": "douyin", "shop": "", "order_id": "1"}]})", "orders[0].shop: required");
  bad(R"({"orders": [{"platform": "douyin", "shop": "dy-1", "order_id": 1}]})", "orders[0].order_id: required");
  bad(R"({"orders": [{"platform": "douyin", "shop": "dy-1", "order_id": "1", "tid": "2"}]})",
      "orders[0]: unknown field 'tid'");
  std::vector<OrderKey> many(201, OrderKey{"douyin", "dy-1", "1"});
  bad(orders(many).dump(), "got 201");
  many.resize(200);
  CHECK(api.post("/v1/receivers/decrypt", orders(many).dump()).status == 200);
  CHECK(api.adapter().decrypt_calls == 0);  // order 1 is not stored: nothing to ask
}
