// A rate-limited Douyin answer (60000 isv.traffic-limited, which names no ban; Douyin's limits are
// per second) makes the shop back off for seconds, as docs/api.md says of the sync's `backoff`
// state ("retried with exponential backoff from 1 s to 5 min, or after the platform's stated ban"),
// not for a minute.

#include <doctest/doctest.h>

#include "core/time_format.hpp"
#include "integration/douyin_day.hpp"

using namespace erp::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const DouyinShop kShop{"dy-limited"};

}  // namespace

TEST_CASE("a rate-limited Douyin sync backs off for seconds (docs/api.md: from 1 s), not a minute") {
  TempDir sim_dir;
  PlatformSim sim(sim_dir.path());
  REQUIRE(sim.start());
  const int expected = load_douyin_day(sim, 40, {kShop});
  sim_admin(sim, "POST", "/admin/faults", json{{"rate_limit", 1.0}, {"methods", {"order.searchList"}}}.dump());

  TempDir dir;
  ConfigOptions options;
  options.shops_yaml = douyin_shop_yaml(sim, kShop);
  options.extra_yaml = douyin_sync_yaml("25h");
  write_config(dir, options);
  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd.start());
  json status;
  REQUIRE(eventually(
      [&] {
        status = shop_status(dir, kShop.id);
        return status.is_object() && status["sync"]["last_error"].get<std::string>().rfind("rate_limited", 0) == 0;
      },
      10s));
  INFO("status: " << status.dump());
  CHECK(status["sync"]["state"] == "backoff");
  const auto next = erp::daemon::parse_rfc3339(status["sync"]["next_attempt_at"].get<std::string>());
  REQUIRE(next.has_value());
  const auto wait = std::chrono::duration_cast<std::chrono::seconds>(*next - std::chrono::system_clock::now());
  CHECK(wait <= 10s);

  // Once the platform answers again, the day is in within seconds.
  sim_admin(sim, "DELETE", "/admin/faults");
  const bool all = eventually([&] { return stored_order_count(dir) == expected; }, 20s);
  CHECK_MESSAGE(all, log_tail(erpd));
  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
}
