// Issue [3/10] proof: shipments the warehouse posts reach the platform exactly once each (the
// simulator's write counters), through upload faults, repeated posts and a daemon killed mid-way.

#include <doctest/doctest.h>

#include <set>

#include "integration/shipments.hpp"
#include "integration/top_day.hpp"

using namespace erp::test;
using nlohmann::json;
using namespace std::chrono_literals;

TEST_CASE("each posted shipment reaches the platform exactly once, through faults, repeats and a kill -9") {
  TempDir sim_dir;
  PlatformSim sim(sim_dir.path());
  REQUIRE(sim.start());
  load_trading_day(sim, 60);

  TempDir dir;
  ConfigOptions options;
  options.shops_yaml = top_shops_yaml(sim, {kTaobaoShop, kTmallShop});
  options.extra_yaml = day_sync_yaml();
  options.outbox_yaml = "  max_attempts: 50\n  backoff_initial: 200ms\n  backoff_max: 2s\n";
  write_config(dir, options);
  auto erpd = std::make_unique<Erpd>(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd->start());
  REQUIRE(eventually([&] { return stored_order_count(dir) >= 120; }, 120s));

  // Every paid order still waiting for shipment, as the warehouse would ship it: single-line
  // orders in one parcel, the others one parcel per line.
  std::map<std::string, std::vector<Parcel>> plan;  // "platform/shop/order" -> parcels
  const auto orders = stored_orders(dir);
  // 1-yuan reservation orders ship with their repurchase, by Tmall itself (rules G5-G10), so the
  // warehouse never ships them on their own.
  std::set<std::string> reservations;
  for (const auto& [key, order] : orders) {
    for (const auto& id : order["reservation_order_ids"]) reservations.insert(id.get<std::string>());
  }
  for (const auto& [key, order] : orders) {
    if (order["platform_status"] != "WAIT_SELLER_SEND_GOODS") continue;
    if (reservations.count(order["order_id"].get<std::string>())) continue;
    std::vector<Parcel> parcels;
    const auto& lines = order["lines"];
    if (lines.size() == 1) {
      parcels.push_back({"W" + order["order_id"].get<std::string>(), {}});
    } else {
      for (const auto& line : lines) {
        if (line["refund_status"] != "none") continue;
        parcels.push_back({"W" + line["line_id"].get<std::string>(), {line["line_id"].get<std::string>()}});
      }
    }
    if (!parcels.empty()) plan[key] = parcels;
  }
  REQUIRE(plan.size() >= 20);

  // Uploads fail a third of the time, half of those after the platform already shipped.
  sim_admin(sim, "POST", "/admin/faults",
            json{{"server_error", 0.1}, {"truncated", 0.1}, {"timeout", 0.1}, {"methods", {"taobao.logistics.offline.send"}}}
                .dump());
  sim_admin(sim, "POST", "/admin/counters/reset");
  int posted = 0;
  for (const auto& [key, parcels] : plan) {
    const json body = shipment_body("S-" + std::to_string(posted), parcels, "SF");
    CHECK(post_shipment(dir, key, body) == 202);
    if (posted % 3 == 0) CHECK(post_shipment(dir, key, body) == 200);  // the warehouse repeats itself
    if (++posted == static_cast<int>(plan.size()) / 2) {
      erpd->kill9();  // some uploads pending, one perhaps in flight
      erpd = std::make_unique<Erpd>(dir / "erpd.yaml", dir.path());
      REQUIRE(erpd->start());
    }
  }
  const bool done = eventually([&] { return all_uploads_done(dir); }, 180s);
  INFO(erpd->log().substr(erpd->log().size() > 4000 ? erpd->log().size() - 4000 : 0));
  REQUIRE(done);

  const json counters = sim_admin(sim, "GET", "/admin/counters");
  INFO("counters: " << counters.dump());
  for (const auto& [key, parcels] : plan) {
    const std::string order_id = key.substr(key.rfind('/') + 1);
    INFO(key);
    CHECK(counters["ship.upload"].value(order_id, 0) == static_cast<int>(parcels.size()));
    if (parcels.size() > 1) {
      for (const auto& parcel : parcels) CHECK(counters["ship"].value(order_id + "/" + parcel.lines[0], 0) == 1);
    }
  }
  erpd->signal(SIGTERM);
  CHECK(erpd->wait() == 0);
}
