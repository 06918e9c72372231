// erpd killed with SIGKILL in the middle of a Douyin sync window loses no order and stores none twice
// once restarted; every order still reaches the warehouse exactly once (the Douyin twin of
// sync_crash_test).

#include <doctest/doctest.h>

#include <set>

#include "integration/douyin_day.hpp"

using namespace erp::test;
using nlohmann::json;
using namespace std::chrono_literals;

TEST_CASE("Douyin: kill -9 in the middle of a window, then restart: no order lost, none stored or delivered twice") {
  TempDir sim_dir;
  PlatformSim sim(sim_dir.path());
  REQUIRE(sim.start());
  // 600 orders of the last minute land in one window of 30 pages of 20; two requests a second keep
  // erpd inside that window long enough to kill it there.
  const json generated =
      sim_admin(sim, "POST", "/admin/generate", json{{"platform", "douyin"}, {"shops", 1}, {"orders", 600}}.dump());
  const DouyinShop shop{generated["shops"][0]["id"].get<std::string>()};
  const int expected = generated["orders"].get<int>();

  WebhookReceiver warehouse;
  TempDir dir;
  ConfigOptions options = with_webhook(warehouse.url());
  DouyinShopOptions slow;
  slow.page_size = 20;
  slow.requests_per_minute = 120;
  options.shops_yaml = douyin_shop_yaml(sim, shop, slow);
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
  const std::size_t delivered_before_kill = warehouse.requests().size();

  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd.start());
  const bool all = eventually([&] { return stored_order_count(dir) == expected; }, 90s);
  INFO(log_tail(erpd));
  REQUIRE(all);
  const auto orders = stored_orders(dir);
  CHECK(orders.size() == static_cast<std::size_t>(expected));

  // Stored once: each order was received once, whatever the restart re-read.
  std::vector<std::string> keys;
  for (const auto& [key, order] : orders) keys.push_back(key);
  for (const auto& [key, received] : received_counts(dir, keys)) {
    INFO(key);
    CHECK(received == 1);
  }

  // Delivered once: every released order reached the warehouse under its one key (orders with a
  // refund request may be held, and are then not released).
  std::size_t released = 0;
  for (const auto& [key, order] : orders) released += order["released"] == true;
  CHECK(released > static_cast<std::size_t>(expected) * 8 / 10);
  const bool delivered = eventually([&] { return warehouse.distinct_keys() == released; }, 60s);
  INFO("deliveries: " << warehouse.distinct_keys() << " distinct of " << warehouse.requests().size()
                      << ", before the kill " << delivered_before_kill);
  REQUIRE(delivered);
  // One key per order: no order reached the warehouse under two keys.
  std::set<std::string> ids;
  for (const auto& request : warehouse.requests()) {
    const json body = json::parse(request.body, nullptr, false);
    if (!body.is_object() || body.value("event", "") != "order.released") continue;
    ids.insert(request.idempotency_key + " " + body["order"].value("order_id", ""));
  }
  CHECK(ids.size() == released);
  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
}
