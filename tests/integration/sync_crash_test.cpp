// Issue [3/10] proof: erpd killed with SIGKILL in the middle of a sync window loses no order and
// stores none twice once restarted; every order still reaches the warehouse exactly once.

#include <doctest/doctest.h>

#include "integration/top_day.hpp"

using namespace erp::test;
using nlohmann::json;
using namespace std::chrono_literals;

TEST_CASE("kill -9 in the middle of a window, then restart: no order lost, none stored or delivered twice") {
  TempDir sim_dir;
  PlatformSim sim(sim_dir.path());
  REQUIRE(sim.start());
  // 1,500 trades in the last half hour land in one window of 15 pages; a small request budget
  // keeps erpd inside that window long enough to kill it there.
  const json generated = sim_admin(sim, "POST", "/admin/generate",
                                   json{{"platform", "tmall"}, {"shops", 1}, {"orders", 1500}}.dump());
  const std::string shop_id = generated["shops"][0]["id"].get<std::string>();
  const TopShop shop{shop_id, "tmall"};
  const int expected = generated["orders"].get<int>();

  WebhookReceiver warehouse;
  TempDir dir;
  ConfigOptions options = with_webhook(warehouse.url());
  std::string shops = top_shops_yaml(sim, {shop});
  shops.replace(shops.find("requests_per_minute: 6000"), 25, "requests_per_minute: 240");
  options.shops_yaml = shops;
  options.extra_yaml = "sync:\n  backfill: 1d\n  window: 1d\n  lag: 1s\n";
  write_config(dir, options);

  {
    Erpd erpd(dir / "erpd.yaml", dir.path());
    REQUIRE(erpd.start());
    REQUIRE(eventually([&] { return stored_order_count(dir) >= 100; }, 60s));
    const auto before_kill = stored_order_count(dir);
    erpd.kill9();
    INFO("stored before the kill: " << before_kill);
    REQUIRE(before_kill < expected);  // killed inside the window, not after it
  }

  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd.start());
  REQUIRE(eventually([&] { return stored_order_count(dir) == expected; }, 180s));
  const auto orders = stored_orders(dir);
  CHECK(orders.size() == static_cast<std::size_t>(expected));

  // Stored once: each order was received once, whatever the restart re-read.
  const std::string url = api_url(dir), token = api_token(dir);
  int checked = 0;
  for (const auto& [key, order] : orders) {
    if (checked++ % 50 != 0) continue;
    const auto why = http("GET", url + "/v1/orders/" + key + "/why", token);
    REQUIRE(why.status == 200);
    int received = 0;
    const json history = json::parse(why.body);
    for (const auto& event : history["entries"]) received += event["kind"] == "order.received";
    INFO(key << ": " << why.body);
    CHECK(received == 1);
  }
  // Delivered once: every released order reached the warehouse under its one key (orders the
  // buyer refunded whole are closed and never released).
  std::size_t released = 0;
  for (const auto& [key, order] : orders) released += order["released"] == true;
  CHECK(released > static_cast<std::size_t>(expected) * 9 / 10);
  const bool delivered = eventually([&] { return warehouse.distinct_keys() == released; }, 60s);
  INFO("deliveries: " << warehouse.distinct_keys() << " distinct of " << warehouse.requests().size());
  REQUIRE(delivered);
  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
}
