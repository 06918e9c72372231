// platform-sim as a process, the way adapters and benchmarks use it: scenarios through /admin/,
// requests signed by this test's own signer (not the simulator's), and write counters that prove
// exactly-once. The signer follows PLATFORMS.md 1.3 (TOP) and 3.2 (Douyin).

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "integration/fixtures.hpp"
#include "integration/platform_calls.hpp"

using namespace erp::test;
using nlohmann::json;

namespace {

// TOP: md5(secret + k1v1k2v2... + secret) over the sorted parameters, uppercase hex.
json top_call(const PlatformSim& sim, const std::string& secret, std::map<std::string, std::string> params) {
  return json::parse(top_post(sim.url(), secret, std::move(params)).body);
}

// Douyin: hmac-sha256(secret, secret + app_key.. method.. param_json.. timestamp.. v2 + secret), lowercase.
json douyin_call(const PlatformSim& sim, const std::string& app_key, const std::string& secret,
                 const std::string& token, const std::string& method, const json& params) {
  const std::string body = params.dump();  // nlohmann sorts object keys: canonical at every depth
  const std::string timestamp = "1731254400";
  const std::string pattern =
      secret + "app_key" + app_key + "method" + method + "param_json" + body + "timestamp" + timestamp + "v2" + secret;
  std::string path = method;
  std::replace(path.begin(), path.end(), '.', '/');
  const std::string url = sim.url() + "/" + path + "?app_key=" + app_key + "&method=" + method +
                          "&v=2&timestamp=" + timestamp + "&sign_method=hmac-sha256&access_token=" + token +
                          "&sign=" + hmac_sha256_hex(secret, pattern);
  return json::parse(http("POST", url, "", body).body);
}

json admin(const PlatformSim& sim, const std::string& method, const std::string& path, const std::string& body = "") {
  const auto reply = http(method, sim.url() + path, "", body, "application/yaml");
  return json::parse(reply.body);
}

constexpr const char* kScenario = R"(clock: "2026-11-11 00:00:00"
shops:
  - id: tb-1
    platform: taobao
    app_key: "12345678"
    app_secret: top-secret-1
    session: sess-tb-1
  - id: dy-1
    platform: douyin
    app_key: "7001"
    app_secret: dy-secret-1
    access_token: tok-dy-1
events:
  - at: "+1m"
    shop: tb-1
    type: order
    tid: "1001"
    paid: true
    lines:
      - {oid: "10011", sku: "S1", outer_sku: "O1", qty: 1, price: "19.90"}
      - {oid: "10012", sku: "S2", outer_sku: "O2", qty: 2, price: "5.00"}
  - at: "+1m"
    shop: dy-1
    type: order
    order_id: "5001"
    paid: true
    receiver: {name: "欧阳娜娜", phone: "13987654321", province: "浙江省", city: "杭州市", detail: "文一西路 1 号"}
    skus:
      - {sku_order_id: "5001-1", sku_id: "K1", code: "C1", qty: 1, price: "29.90"}
)";

}  // namespace

TEST_CASE("platform-sim serves a scenario over TOP with real signatures and counts one shipment per line") {
  TempDir dir;
  PlatformSim sim(dir.path());
  REQUIRE_MESSAGE(sim.start(), sim.log());
  const auto loaded = admin(sim, "POST", "/admin/scenario", kScenario);
  REQUIRE_MESSAGE(loaded["shops"].size() == 2, loaded.dump());
  const auto moved = admin(sim, "POST", "/admin/clock", R"({"advance": "2m"})");
  CHECK(moved["applied"] == 2);
  const std::string now = moved["now_cst"].get<std::string>();

  std::map<std::string, std::string> common{{"app_key", "12345678"}, {"session", "sess-tb-1"},
                                            {"timestamp", now},       {"format", "json"},
                                            {"v", "2.0"},             {"sign_method", "md5"}};
  auto call = [&](std::map<std::string, std::string> params) {
    params.insert(common.begin(), common.end());
    return top_call(sim, "top-secret-1", params);
  };

  const auto trade = call({{"method", "taobao.trade.fullinfo.get"}, {"tid", "1001"}, {"fields", "tid,status,orders"}});
  REQUIRE_MESSAGE(trade.contains("trade_fullinfo_get_response"), trade.dump());
  CHECK(trade["trade_fullinfo_get_response"]["trade"]["status"] == "WAIT_SELLER_SEND_GOODS");

  const auto shipped = call({{"method", "taobao.logistics.offline.send"}, {"tid", "1001"}, {"out_sid", "SF100"},
                             {"company_code", "SF"}});
  CHECK_MESSAGE(shipped.contains("logistics_offline_send_response"), shipped.dump());
  const auto again = call({{"method", "taobao.logistics.offline.send"}, {"tid", "1001"}, {"out_sid", "SF101"},
                           {"company_code", "SF"}});
  CHECK_MESSAGE(again.contains("error_response"), again.dump());
  const auto counters = admin(sim, "GET", "/admin/counters?order_id=1001");
  INFO(counters.dump());
  CHECK(counters["ship.upload"]["1001"] == 1);  // one accepted upload call ...
  CHECK(counters["ship"]["1001/10011"] == 1);    // ... shipping each line exactly once
  CHECK(counters["ship"]["1001/10012"] == 1);

  const auto forged = top_call(sim, "wrong-secret", {{"method", "taobao.trade.fullinfo.get"}, {"tid", "1001"},
                                                     {"fields", "tid"}, {"app_key", "12345678"},
                                                     {"session", "sess-tb-1"}, {"timestamp", now},
                                                     {"format", "json"}, {"v", "2.0"}, {"sign_method", "md5"}});
  CHECK(forged["error_response"]["code"] == 25);
}

TEST_CASE("platform-sim serves Douyin with real signatures, encrypted receivers and idempotent shipments") {
  TempDir dir;
  PlatformSim sim(dir.path());
  REQUIRE(sim.start());
  REQUIRE(admin(sim, "POST", "/admin/scenario", kScenario)["shops"].size() == 2);
  admin(sim, "POST", "/admin/clock", R"({"advance": "2m"})");

  const auto detail = douyin_call(sim, "7001", "dy-secret-1", "tok-dy-1", "order.orderDetail", {{"shop_order_id", "5001"}});
  REQUIRE_MESSAGE(detail["code"] == 10000, detail.dump());
  const std::string text = detail.dump();
  CHECK(text.find("欧阳娜娜") == std::string::npos);  // D10: receivers leave the platform encrypted
  CHECK(text.find("13987654321") == std::string::npos);
  CHECK_FALSE(detail["data"]["shop_order_detail"]["encrypt_post_tel"].get<std::string>().empty());

  const json ship{{"order_id", "5001"}, {"company_code", "shunfeng"}, {"logistics_code", "SF200"},
                  {"request_id", "req-5001-1"}};
  CHECK(douyin_call(sim, "7001", "dy-secret-1", "tok-dy-1", "order.logisticsAdd", ship)["code"] == 10000);
  CHECK(douyin_call(sim, "7001", "dy-secret-1", "tok-dy-1", "order.logisticsAdd", ship)["code"] == 10000);
  CHECK(admin(sim, "GET", "/admin/counters?order_id=5001")["ship"]["5001"] == 1);

  const auto forged = douyin_call(sim, "7001", "not-the-secret", "tok-dy-1", "order.orderDetail", {{"shop_order_id", "5001"}});
  CHECK(forged["code"] == 40003);
  CHECK(forged["sub_code"] == "isv.signature-invalid");
}

TEST_CASE("D11 platform-sim sends Douyin pushes with event-sign and duplicates or drops them on request") {
  TempDir dir;
  PlatformSim sim(dir.path());
  WebhookReceiver receiver;
  REQUIRE(sim.start());
  const std::string scenario = std::string("shops:\n  - id: dy-push\n    platform: douyin\n    app_key: \"7002\"\n") +
                               "    app_secret: dy-secret-2\n    access_token: tok-dy-2\n    push_url: " +
                               receiver.url() + "\n";
  REQUIRE(admin(sim, "POST", "/admin/scenario", scenario)["shops"].size() == 1);

  const auto faults = admin(sim, "POST", "/admin/faults", R"({"push_duplicate": 1.0})");
  CHECK(faults["push_duplicate"] == 1.0);
  const std::string order_event = "events:\n  - at: \"+0s\"\n    shop: dy-push\n    type: order\n    order_id: \"7001\"\n"
                                  "    paid: true\n    skus:\n      - {sku_order_id: \"7001-1\", sku_id: \"K1\", qty: 1, "
                                  "price: \"9.90\"}\n";
  admin(sim, "POST", "/admin/scenario", order_event);
  REQUIRE(receiver.wait_for_requests(2, 10s));
  std::this_thread::sleep_for(300ms);
  auto requests = receiver.requests();
  REQUIRE(requests.size() % 2 == 0);
  for (std::size_t i = 0; i + 1 < requests.size(); i += 2) {
    CHECK(requests[i].body == requests[i + 1].body);  // the same msg_id twice: receivers must dedupe
  }
  for (const auto& request : requests) {
    CHECK(request.event_sign == md5_hex("7002" + request.body + "dy-secret-2", false));
  }
  const auto pushes = json::parse(requests[0].body);
  REQUIRE(pushes.is_array());
  CHECK(pushes[0].contains("msg_id"));
  CHECK(pushes[0].contains("tag"));

  const std::size_t before = requests.size();
  admin(sim, "POST", "/admin/faults", R"({"push_drop": 1.0})");
  admin(sim, "POST", "/admin/scenario",
        "events:\n  - at: \"+0s\"\n    shop: dy-push\n    type: memo\n    order_id: \"7001\"\n    remark: hi\n");
  std::this_thread::sleep_for(500ms);
  CHECK(receiver.requests().size() == before);  // every push dropped
  CHECK(admin(sim, "DELETE", "/admin/faults")["push_drop"] == 0.0);
}

// The binary as scripts run it: --listen with port 0, --port-file, --scenario, bad arguments and
// files, SIGTERM.
TEST_CASE("platform-sim: port 0, port file, scenario, one start line, SIGTERM stops it") {
  TempDir dir;
  write_file(dir / "s.yaml", R"(clock: "2026-11-11 00:00:00"
shops:
  - id: shop-a
    platform: tmall
    app_key: "12345678"
    app_secret: s3cret
    session: sess-a
)");
  PlatformSim sim(dir.path());
  REQUIRE(sim.start({"--scenario", (dir / "s.yaml").string()}));
  CHECK(sim.port() > 0);
  const auto state = http("GET", sim.url() + "/admin/state");
  CHECK(state.status == 200);
  CHECK(json::parse(state.body)["shops"][0]["id"] == "shop-a");
  CHECK(json::parse(state.body)["now_cst"] == "2026-11-11 00:00:00");
  CHECK(sim.log().find("platform-sim listening on http://127.0.0.1:" + std::to_string(sim.port())) !=
        std::string::npos);
  CHECK(sim.stop() == 0);
}

TEST_CASE("platform-sim: a bad scenario names file and line and exits 2; bad arguments exit 2") {
  TempDir dir;
  write_file(dir / "bad.yaml", "shops:\n  - id: a\n    platform: jd\n    app_key: k\n    app_secret: s\n");
  const auto sim = platform_sim_binary().string();
  const auto bad = run({sim, "--listen", "127.0.0.1:0", "--scenario", (dir / "bad.yaml").string()});
  INFO("bad: stderr was: ", bad.err);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find((dir / "bad.yaml").string() + ":3: shops[0].platform: 'jd'") != std::string::npos);

  const auto nowhere = run({sim, "--listen", "nowhere"});
  INFO("nowhere: stderr was: ", nowhere.err);
  CHECK(nowhere.exit_code == 2);
  CHECK(nowhere.err.find("--listen: 'nowhere' is not HOST:PORT") != std::string::npos);

  const auto no_listen = run({sim, "--scenario", "x.yaml"});
  INFO("no_listen: stderr was: ", no_listen.err);
  CHECK(no_listen.exit_code == 2);
  CHECK(no_listen.err.find("--listen HOST:PORT is required") != std::string::npos);
}
