// Issue [3/10] proof: a simulated day synced through 20% injected platform faults ends with exactly
// the orders a fault-free sync of the same day stores.

#include <doctest/doctest.h>

#include "integration/top_day.hpp"

using namespace erp::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

/// Starts erpd on a fresh database against `sim` and waits until it stored `expected` orders.
std::map<std::string, json> sync_day(const PlatformSim& sim, const TempDir& dir, const DayPlan& plan) {
  ConfigOptions options;
  options.shops_yaml = top_shops_yaml(sim, {kTaobaoShop, kTmallShop});
  options.extra_yaml = day_sync_yaml();
  write_config(dir, options);
  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd.start());
  const bool all = eventually([&] { return stored_order_count(dir) == plan.total(); }, 240s);
  INFO(erpd.log().substr(erpd.log().size() > 4000 ? erpd.log().size() - 4000 : 0));
  REQUIRE(all);
  auto orders = stored_orders(dir);
  const auto metrics = http("GET", api_url(dir) + "/metrics", api_token(dir)).body;
  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
  orders["#metrics"] = metrics;
  return orders;
}

}  // namespace

TEST_CASE("a day synced through 20% platform faults stores exactly what a fault-free sync stores") {
  TempDir sim_dir;
  PlatformSim sim(sim_dir.path());
  REQUIRE(sim.start());
  const DayPlan plan = load_trading_day(sim, 120);

  TempDir clean_dir;
  auto clean = sync_day(sim, clean_dir, plan);
  const std::string clean_metrics = clean["#metrics"].get<std::string>();
  clean.erase("#metrics");
  CHECK(clean_metrics.find("erp_sync_errors_total{") == std::string::npos);

  // One in five requests fails: platform 5xx, rate limits with a ban, bodies cut in half, and
  // requests that never get an answer.
  sim_admin(sim, "POST", "/admin/faults",
            json{{"server_error", 0.07}, {"rate_limit", 0.05}, {"truncated", 0.05}, {"timeout", 0.03}}.dump());
  TempDir faulty_dir;
  auto faulty = sync_day(sim, faulty_dir, plan);
  const std::string faulty_metrics = faulty["#metrics"].get<std::string>();
  faulty.erase("#metrics");

  CHECK(faulty_metrics.find("erp_sync_errors_total{") != std::string::npos);  // the faults were met
  REQUIRE(clean.size() == static_cast<std::size_t>(plan.total()));
  REQUIRE(faulty.size() == clean.size());
  for (const auto& [key, order] : clean) {
    INFO(key);
    REQUIRE(faulty.count(key) == 1);
    CHECK(faulty.at(key).dump() == order.dump());
  }
}
