// The sync routes over real HTTP: quarantined payloads, alerts, "sync now".

#include <doctest/doctest.h>

#include "core/time_format.hpp"
#include "unit/api/api_fixture.hpp"

using namespace erp::daemon;
using namespace erp::test::api_support;
using nlohmann::json;

namespace {

void quarantine(Api& api, const std::string& shop, const std::string& order_id, const std::string& reason) {
  auto tx = api.store->begin();
  api.store->quarantine(
      *tx, store::QuarantineEntry{0, "taobao", shop, order_id, reason, R"({"tid":")" + order_id + "\"}", now_utc()});
  tx->commit();
}

}  // namespace

TEST_CASE("quarantine lists payloads newest first, filters by shop, shows payloads only when asked") {
  Api api;
  quarantine(api, "tb-1", "9001", "pay_time is not a time");
  quarantine(api, "tb-2", "9002", "no tid");
  quarantine(api, "tb-1", "9003", "unknown status 'X'");

  const auto all = api.get("/v1/quarantine");
  REQUIRE(all.status == 200);
  const json items = all.json_body()["items"];
  REQUIRE(items.size() == 3);
  CHECK(items[0]["order_id"] == "9003");
  CHECK(items[0]["reason"] == "unknown status 'X'");
  CHECK(items[0]["shop"] == "tb-1");
  CHECK(items[0]["platform"] == "taobao");
  CHECK_FALSE(items[0].contains("payload"));
  CHECK(items[0]["payload_bytes"] == 14);

  const auto one_shop = api.get("/v1/quarantine?shop=tb-2&payload=true").json_body()["items"];
  REQUIRE(one_shop.size() == 1);
  CHECK(one_shop[0]["order_id"] == "9002");
  CHECK(one_shop[0]["payload"] == R"({"tid":"9002"})");

  CHECK(api.get("/v1/quarantine?limit=1").json_body()["items"].size() == 1);
  CHECK(api.get("/v1/quarantine?limit=0").status == 400);
  CHECK(api.get("/v1/quarantine?payload=maybe").status == 400);
  CHECK(api.get("/v1/quarantine?shops=tb-1").status == 400);
}

TEST_CASE("alerts: shops needing a person, quarantined payloads and dead outbox items") {
  Api api;
  auto quiet = api.get("/v1/alerts");
  REQUIRE(quiet.status == 200);
  CHECK(quiet.json_body()["ok"] == true);
  CHECK(quiet.json_body()["shops"].empty());

  api.alerts = json::array({{{"shop", "tb-1"},
                             {"platform", "taobao"},
                             {"state", "needs_reauth"},
                             {"last_error", "needs_reauth: session expired"}}});
  quarantine(api, "tb-1", "9001", "no tid");
  const auto loud = api.get("/v1/alerts").json_body();
  CHECK(loud["ok"] == false);
  REQUIRE(loud["shops"].size() == 1);
  CHECK(loud["shops"][0]["state"] == "needs_reauth");
  CHECK(loud["quarantined"] == 1);
  CHECK(loud["outbox_dead"] == 0);
}

TEST_CASE("sync now: 202 for a shop with a worker, 404 otherwise, POST only") {
  Api api;
  const auto ok = api.send("POST", "/v1/shops/tb-1/sync");
  CHECK(ok.status == 202);
  CHECK(ok.json_body()["shop"] == "tb-1");
  const auto unknown = api.send("POST", "/v1/shops/nope/sync");
  CHECK(unknown.status == 404);
  CHECK(unknown.error_message().find("nope") != std::string::npos);
  CHECK(api.sync_requests == 2);
  CHECK(api.get("/v1/shops/tb-1/sync").status == 405);
}
