// Shipments the warehouse posts for Douyin orders reach the platform exactly once each (the
// simulator's write counters), through upload faults, repeated posts and a daemon killed mid-way;
// parcels of chosen sku orders go out through order.logisticsAddMultiPack (the Douyin twin of
// ship_once_test).

#include <doctest/doctest.h>

#include <set>

#include "integration/douyin_day.hpp"
#include "integration/shipments.hpp"

using namespace erp::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

/// Waybill -> the sku orders it carries, as the platform shows the order.
std::map<std::string, std::set<std::string>> parcels_on(const PlatformSim& sim, const std::string& order_id) {
  const json answer =
      douyin_call(sim, kDouyinShop, "order.orderDetail", json{{"shop_order_id", order_id}}, kDouyinShop.access_token());
  REQUIRE(answer["code"] == 10000);
  std::map<std::string, std::set<std::string>> out;
  for (const auto& parcel : answer["data"]["shop_order_detail"]["logistics_info"]) {
    for (const auto& item : parcel["product_info"]) {
      out[parcel["tracking_no"].get<std::string>()].insert(item["shipped_order_id"].get<std::string>());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("Douyin: each posted shipment is uploaded exactly once, through faults, repeats and a kill -9") {
  TempDir sim_dir;
  PlatformSim sim(sim_dir.path());
  REQUIRE(sim.start());
  const int day = load_douyin_day(sim, 120);

  TempDir dir;
  ConfigOptions options;
  options.shops_yaml = douyin_shop_yaml(sim, kDouyinShop);
  options.extra_yaml = douyin_sync_yaml();
  options.outbox_yaml = "  max_attempts: 50\n  backoff_initial: 200ms\n  backoff_max: 2s\n";
  write_config(dir, options);
  auto erpd = std::make_unique<Erpd>(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd->start());
  REQUIRE(eventually([&] { return stored_order_count(dir) == day; }, 60s));

  // Every sku order still waiting to ship, as the warehouse would ship it: a single-item order in
  // one whole-order parcel (order.logisticsAdd); the others one parcel per sku order, all in one
  // shipment, or for every other such order the first item now and the rest in a second shipment
  // (order.logisticsAddMultiPack, once per shipment).
  struct Planned {
    std::vector<std::vector<Parcel>> shipments;
    std::size_t parcels() const {
      std::size_t n = 0;
      for (const auto& s : shipments) n += s.size();
      return n;
    }
  };
  std::map<std::string, Planned> plan;  // "platform/shop/order" -> shipments
  int multi = 0;
  for (const auto& [key, order] : stored_orders(dir)) {
    if (order["status"] != "paid" && order["status"] != "partially_shipped") continue;
    const std::string id = order["order_id"].get<std::string>();
    std::vector<std::string> open;
    for (const auto& line : order["lines"]) {
      if (line["status"] == "paid" && line["refund_status"] == "none")
        open.push_back(line["line_id"].get<std::string>());
    }
    if (open.empty()) continue;
    Planned planned;
    if (order["lines"].size() == 1) {
      planned.shipments.push_back({Parcel{"W" + id, {}}});
    } else {
      std::vector<Parcel> parcels;
      for (const auto& line : open) parcels.push_back(Parcel{"W" + line, {line}});
      if (parcels.size() > 1 && multi++ % 2 == 0) {
        planned.shipments.push_back({parcels.front()});
        parcels.erase(parcels.begin());
      }
      planned.shipments.push_back(parcels);
    }
    plan[key] = planned;
  }
  REQUIRE(plan.size() >= 30);
  std::size_t splits = 0, whole = 0;
  for (const auto& [key, planned] : plan) {
    splits += planned.shipments.size() > 1;
    whole += planned.shipments.front().front().lines.empty();
  }
  INFO("orders " << plan.size() << ", split over two shipments " << splits << ", whole-order " << whole);
  REQUIRE(splits >= 5);
  REQUIRE(whole >= 5);

  // Uploads fail a third of the time, half of those after the platform already shipped.
  sim_admin(sim, "POST", "/admin/faults",
            json{{"server_error", 0.1},
                 {"truncated", 0.1},
                 {"timeout", 0.1},
                 {"methods", {"order.logisticsAdd", "order.logisticsAddMultiPack"}}}
                .dump());
  sim_admin(sim, "POST", "/admin/counters/reset");
  int posted = 0, orders_posted = 0;
  for (const auto& [key, planned] : plan) {
    for (const auto& parcels : planned.shipments) {
      const json body = shipment_body("S-" + std::to_string(posted), parcels, "shunfeng");
      INFO(key << " " << body.dump());
      CHECK(post_shipment(dir, key, body) == 202);
      if (posted % 3 == 0) CHECK(post_shipment(dir, key, body) == 200);  // the warehouse repeats itself
      ++posted;
    }
    if (++orders_posted == static_cast<int>(plan.size()) / 2) {
      erpd->kill9();  // some uploads pending, one perhaps in flight
      erpd = std::make_unique<Erpd>(dir / "erpd.yaml", dir.path());
      REQUIRE(erpd->start());
    }
  }
  const bool done = eventually([&] { return all_uploads_done(dir); }, 120s);
  REQUIRE_MESSAGE(done, log_tail(*erpd));

  // The faults were met: some uploads took more than one attempt.
  const json outbox = json::parse(http("GET", api_url(dir) + "/v1/outbox?limit=1000", api_token(dir)).body);
  int retried = 0;
  for (const auto& item : outbox["items"]) retried += item["kind"] == "platform.ship" && item["attempts"] > 1;
  MESSAGE("orders " << plan.size() << ", shipments " << posted << " (split " << splits << ", whole-order " << whole
                    << "), uploads retried " << retried);
  CHECK(retried > 0);

  const json counters = sim_admin(sim, "GET", "/admin/counters");
  INFO("counters: " << counters.dump());
  const json uploads = counters.value("ship.upload", json::object());
  const json shipped = counters.value("ship", json::object());
  CHECK(uploads.value("total", 0) == posted);
  for (const auto& [key, planned] : plan) {
    const std::string order_id = key.substr(key.rfind('/') + 1);
    INFO(key);
    CHECK(uploads.value(order_id, 0) == static_cast<int>(planned.shipments.size()));
    const auto on_platform = parcels_on(sim, order_id);
    for (const auto& parcels : planned.shipments) {
      for (const auto& parcel : parcels) {
        INFO(parcel.waybill);
        REQUIRE(on_platform.count(parcel.waybill) == 1);
        if (parcel.lines.empty()) continue;
        // A parcel of chosen sku orders: only those items ride on its waybill, which only
        // logisticsAddMultiPack can do (logisticsAdd ships every item left).
        CHECK(on_platform.at(parcel.waybill) == std::set<std::string>(parcel.lines.begin(), parcel.lines.end()));
        CHECK(shipped.value(order_id + "/" + parcel.lines[0], 0) == 1);
      }
    }
  }
  erpd->signal(SIGTERM);
  CHECK(erpd->wait() == 0);
}
