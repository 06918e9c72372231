// A simulated Douyin day synced through 20% injected platform faults ends with exactly the orders a
// fault-free sync of the same day stores (the Douyin twin of sync_faults_test).

#include <doctest/doctest.h>

#include <sstream>

#include "integration/douyin_day.hpp"

using namespace erp::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::vector<DouyinShop> kShops = {DouyinShop{"dy-day-1"}, DouyinShop{"dy-day-2"}, DouyinShop{"dy-day-3"}};

/// Starts erpd on a fresh database against `sim` and waits until it stored `expected` orders.
std::map<std::string, json> sync_day(const PlatformSim& sim, const TempDir& dir, int expected, std::string& metrics,
                                     std::chrono::seconds within) {
  ConfigOptions options;
  // Three shops, each in three windows of one to three pages: a fault re-reads its window, and
  // backs off only its own shop.
  DouyinShopOptions shop;
  shop.page_size = 50;
  for (const auto& s : kShops) options.shops_yaml += douyin_shop_yaml(sim, s, shop);
  options.extra_yaml = douyin_sync_yaml("25h", "12h");
  write_config(dir, options);
  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd.start());
  const auto started = std::chrono::steady_clock::now();
  const bool all = eventually([&] { return stored_order_count(dir) == expected; }, within);
  MESSAGE(
      "synced " << stored_order_count(dir) << " of " << expected << " orders in "
                << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count()
                << " s");
  REQUIRE_MESSAGE(all, log_tail(erpd));
  auto orders = stored_orders(dir);
  metrics = http("GET", api_url(dir) + "/metrics", api_token(dir)).body;
  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
  return orders;
}

/// The sum of a counter's samples in a /metrics text.
double metric_sum(const std::string& metrics, const std::string& name) {
  double sum = 0;
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + "{", 0) == 0 || line.rfind(name + " ", 0) == 0)
      sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

}  // namespace

TEST_CASE("a Douyin day synced through 20% platform faults stores exactly what a fault-free sync stores") {
  TempDir sim_dir;
  PlatformSim sim(sim_dir.path());
  REQUIRE(sim.start());
  const int expected = load_douyin_day(sim, 150, kShops);

  TempDir clean_dir;
  std::string clean_metrics;
  const auto clean = sync_day(sim, clean_dir, expected, clean_metrics, 60s);
  CHECK(clean_metrics.find("erp_sync_errors_total{") == std::string::npos);

  // The day has every shape the mapping must carry: statuses, refunds, memos, partial shipments.
  std::map<std::string, int> statuses;
  int refunded_lines = 0, memos = 0;
  for (const auto& [key, order] : clean) {
    ++statuses[order["status"].get<std::string>()];
    memos += order["memo"] != "";
    for (const auto& line : order["lines"]) refunded_lines += line["refund_status"] != "none";
  }
  INFO("statuses: " << json(statuses).dump());
  CHECK(statuses.size() >= 5);
  CHECK(refunded_lines > 0);
  CHECK(memos > 0);

  // One in five requests fails: platform 5xx, rate limits (60000, waited out for a second),
  // bodies cut in half, and requests that never get an answer.
  sim_admin(sim, "POST", "/admin/faults",
            json{{"server_error", 0.07}, {"rate_limit", 0.05}, {"truncated", 0.05}, {"timeout", 0.03}}.dump());
  TempDir faulty_dir;
  std::string faulty_metrics;
  const auto faulty = sync_day(sim, faulty_dir, expected, faulty_metrics, 90s);

  CHECK(metric_sum(faulty_metrics, "erp_sync_errors_total") >= 3);  // the faults were met
  REQUIRE(clean.size() == static_cast<std::size_t>(expected));
  REQUIRE(faulty.size() == clean.size());
  for (const auto& [key, order] : clean) {
    INFO(key);
    REQUIRE(faulty.count(key) == 1);
    CHECK(faulty.at(key).dump() == order.dump());
  }
}
