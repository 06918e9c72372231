// Rule D10 for Douyin: receivers arrive as ciphertext and only the caller that ships gets them in
// plaintext (POST /v1/receivers/decrypt); after a full debug-level run (sync, a shipment, a
// decryption, a reload) neither the receiver's plaintext nor any secret is in erpd's log or in its
// database files (the Douyin twin of privacy_test).

#include <doctest/doctest.h>
#include <signal.h>

#include "integration/douyin_day.hpp"

using namespace erp::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const DouyinShop kShop{"dy-private"};
const std::string kName = "欧阳娜娜";
const std::string kPhone = "13987654321";
const std::string kDetail = "翠湖路88号欧阳公馆";
const std::string kWebhookToken = "wh-tok-douyin-5e8a1c";
const std::vector<std::string> kOrders = {"6950000000000000001", "6950000000000000002", "6950000000000000003",
                                          "6950000000000000004"};

std::string scenario() {
  std::string yaml = "shops:\n" + douyin_scenario_shop(kShop) + "events:\n";
  int n = 0;
  for (const auto& id : kOrders) {
    ++n;
    yaml += "  - {at: \"+0s\", shop: " + kShop.id + ", type: order, order_id: \"" + id +
            "\", paid: true, receiver: {name: " + kName + ", phone: \"" + kPhone +
            "\", province: 云南省, city: 昆明市, town: 五华区, street: 翠湖街道, detail: " + kDetail +
            "}, skus: [{sku_order_id: \"69600000000000000" + std::to_string(10 + n) +
            "\", code: SKU-P, product_name: 茶饼, qty: 1, price: \"88.00\"}, {sku_order_id: \"69600000000000000" +
            std::to_string(50 + n) + "\", code: SKU-Q, product_name: 茶杯, qty: 2, price: \"19.90\"}]}\n";
  }
  // A memo that names nobody, and an address change to the same person (new ciphertexts).
  yaml += "  - {at: \"+0s\", shop: " + kShop.id + ", type: memo, order_id: \"" + kOrders[0] +
          "\", remark: 易碎品, star: 2}\n";
  yaml += "  - {at: \"+0s\", shop: " + kShop.id + ", type: address, order_id: \"" + kOrders[1] +
          "\", receiver: {name: " + kName + ", phone: \"" + kPhone +
          "\", province: 云南省, city: 昆明市, town: 五华区, street: 翠湖街道, detail: " + kDetail + "}}\n";
  return yaml;
}

std::string everything_on_disk(const TempDir& dir) {
  std::string all;
  for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
    if (entry.is_regular_file() && entry.path().filename() != "api.token" && entry.path().filename() != "erpd.yaml")
      all += read_file(entry.path());
  }
  return all;
}

/// A full run at `level`: sync, a token refresh, a shipment, decryptions, a reload; then the log
/// and every file erpd wrote are searched.
void private_run(const std::string& level) {
  TempDir sim_dir;
  PlatformSim sim(sim_dir.path());
  REQUIRE(sim.start());
  const json loaded = sim_admin(sim, "POST", "/admin/scenario?name=private.yaml", scenario());
  REQUIRE(loaded["refused"].empty());

  TempDir dir;
  WebhookReceiver warehouse;
  ConfigOptions options;
  options.webhook_url = warehouse.url();
  options.webhook_token = kWebhookToken;
  options.log_level = level;
  options.shops_yaml = douyin_shop_yaml(sim, kShop);
  options.extra_yaml = "sync:\n  backfill: 1d\n  window: 2h\n  lag: 1s\n";
  write_config(dir, options);

  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd.start());
  const std::string url = api_url(dir), token = api_token(dir);
  REQUIRE(eventually([&] { return stored_order_count(dir) == static_cast<int>(kOrders.size()); }, 30s));
  REQUIRE(warehouse.wait_for_requests(kOrders.size(), 20s));
  CHECK(warehouse.requests()[0].authorization == "Bearer " + kWebhookToken);  // the secret was used ...

  // The token expires and is refreshed: the new pair is a secret as well.
  sim_admin(sim, "POST", "/admin/scenario?name=expire.yaml",
            "events:\n  - {at: \"+0s\", shop: " + kShop.id + ", type: token_expire}\n");
  REQUIRE(http("POST", url + "/v1/shops/" + kShop.id + "/sync", token).status == 202);
  REQUIRE(eventually([&] { return erpd.log().find("access_token refreshed") != std::string::npos; }, 10s));

  // The API shows the masks only.
  const std::string key = "douyin/" + kShop.id + "/" + kOrders[0];
  const auto shown = http("GET", url + "/v1/orders/" + key, token);
  REQUIRE(shown.status == 200);
  const json order = json::parse(shown.body);
  CHECK(order["receiver"]["name"] == "欧**");
  CHECK(order["receiver"]["phone"] == "139****4321");
  CHECK(shown.body.find(kName) == std::string::npos);
  erpctl(dir, {"status"});
  erpctl(dir, {"orders", "show", kOrders[0]});
  erpctl(dir, {"why", kOrders[0]});

  // A shipment, uploaded once.
  const json shipment{{"shipment_id", "P-1"}, {"packages", {{{"waybill", "SF6950001"}, {"carrier", "shunfeng"}}}}};
  REQUIRE(http("POST", url + "/v1/orders/" + key + "/shipments", token, shipment.dump()).status == 202);
  REQUIRE(eventually([&] { return sim_counter(sim, "ship.upload") == 1; }, 20s));

  // The party that ships asks for the plaintext: it is in the answer, and only there.
  json wanted = json::array();
  for (const auto& id : kOrders) wanted.push_back({{"platform", "douyin"}, {"shop", kShop.id}, {"order_id", id}});
  const auto decrypted = http("POST", url + "/v1/receivers/decrypt", token, json{{"orders", wanted}}.dump());
  INFO("decrypt: " << decrypted.status << " " << decrypted.body);
  REQUIRE(decrypted.status == 200);
  CHECK(occurrences(decrypted.body, kName) == kOrders.size());
  CHECK(occurrences(decrypted.body, kPhone) == kOrders.size());
  CHECK(occurrences(decrypted.body, kDetail) == kOrders.size());
  const auto one = http("GET", url + "/v1/orders/douyin/" + kShop.id + "/" + kOrders[2] + "/receiver", token);
  INFO("receiver: " << one.status << " " << one.body);
  CHECK(one.status == 200);
  CHECK(one.body.find(kName) != std::string::npos);
  CHECK(one.body.find(kPhone) != std::string::npos);
  CHECK(sim_counter(sim, "decrypt") >= static_cast<int>(kOrders.size()) + 1);
  CHECK(http("POST", url + "/v1/receivers/decrypt", "wrong-token", json{{"orders", wanted}}.dump()).status == 401);

  const std::string disk_while_running = everything_on_disk(dir);  // with the database's -wal file
  CHECK(fs::exists(dir / "erpd.db-wal"));
  http("GET", url + "/v1/status", "wrong-token");
  http("GET", url + "/metrics", token);
  erpd.signal(SIGHUP);
  REQUIRE(erpd.notify().wait_for("RELOADING=1", 5s));
  erpd.signal(SIGTERM);
  REQUIRE(erpd.wait() == 0);

  const std::string log = erpd.log();
  CHECK(log.find("outbox: platform.ship") != std::string::npos);  // the run did log
  const std::string disk = everything_on_disk(dir);
  CHECK(disk.find(kOrders[0]) != std::string::npos);  // the database holds the orders ...
  for (const std::string& secret : {kName, kPhone, kDetail, kShop.app_secret(), kShop.access_token(),
                                    kShop.refresh_token(), kWebhookToken, token}) {
    INFO("found on disk or in the log: " << secret);
    CHECK(log.find(secret) == std::string::npos);  // ... but none of this
    CHECK(disk.find(secret) == std::string::npos);
    CHECK(disk_while_running.find(secret) == std::string::npos);
  }
  // The refreshed pair is kept in the database (it must survive a restart), never in the log.
  const auto stored = plugin_state_value(dir, "douyin", kShop.id, "douyin.tokens");
  REQUIRE(stored.has_value());
  const json pair = json::parse(*stored);
  for (const char* name : {"access_token", "refresh_token"}) {
    const std::string secret = pair.value(name, "");
    INFO(name << " in the log");
    REQUIRE(secret.size() > 8);
    CHECK(log.find(secret) == std::string::npos);
    CHECK(read_file(dir / "erpd.stdout").find(secret) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("D10 Douyin: a full debug-level run leaves no receiver plaintext and no secret in the log or the database") {
  private_run("debug");
}

TEST_CASE("D10 Douyin: the same at trace level") { private_run("trace"); }
