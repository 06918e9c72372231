// The per-shop request budget: every HTTP request the adapter makes takes a token; when the
// budget is spent the request waits (on the shop's clock), and a stop ends the wait.

#include "sync/budgeted_http_client.hpp"
#include "unit/sync/sync_test_support.hpp"

using namespace erp;
using namespace erp::test;
using namespace std::chrono_literals;

TEST_CASE("requests_per_minute limits the request rate") {
  auto clock = std::make_shared<ManualClock>(at("2026-11-11T00:00:00Z"));
  auto inner = std::make_shared<CountingHttp>();
  auto sleeper = std::make_shared<daemon::sync::Sleeper>(clock);
  daemon::sync::BudgetedHttpClient http(inner, 600, sleeper);  // 10 a second
  const Instant start = clock->now();
  for (int i = 0; i < 1210; ++i) REQUIRE(http.send(sdk::HttpRequest{}).ok());
  CHECK(inner->sent == 1210);
  CHECK(http.requests_made() == 1210);
  // A burst of at most one second's worth (10), then 10 a second: 1200 more need 120 s.
  const auto elapsed = clock->now() - start;
  CHECK(elapsed >= 120s);
  CHECK(elapsed <= 121s);
}

TEST_CASE("a shop with a small budget sends no more than its budget in a minute") {
  auto clock = std::make_shared<ManualClock>(at("2026-11-11T00:00:00Z"));
  auto inner = std::make_shared<CountingHttp>();
  auto sleeper = std::make_shared<daemon::sync::Sleeper>(clock);
  daemon::sync::BudgetedHttpClient http(inner, 30, sleeper);
  const Instant start = clock->now();
  int within_a_minute = 0;
  for (int i = 0; i < 100; ++i) {
    REQUIRE(http.send(sdk::HttpRequest{}).ok());
    if (clock->now() - start < 60s) ++within_a_minute;
  }
  CHECK(within_a_minute <= 31);
  CHECK(within_a_minute >= 29);
}

TEST_CASE("the sync's adapter calls go through the budget") {
  SyncFixture f;
  auto inner = std::make_shared<CountingHttp>();
  auto http = std::make_shared<daemon::sync::BudgetedHttpClient>(inner, 60, f.sleeper);
  f.adapter->http = http.get();
  const Instant start = f.clock->now();
  // Backfill of 3 days in 30-minute windows: 144 list calls at 1 a second.
  daemon::sync::ShopSyncSpec spec{"taobao", "shop-1", 1min, f.adapter, http};
  daemon::sync::ShopSync sync(spec, f.settings, {*f.store, f.pipeline, f.metrics}, f.sleeper);
  REQUIRE(sync.run_pass().ok());
  CHECK(inner->sent == 144);
  CHECK(sync.status().requests_made == 144);
  CHECK(f.clock->now() - start >= 143s);
}

TEST_CASE("a stop ends a wait for budget without sending") {
  auto clock = std::make_shared<ManualClock>(at("2026-11-11T00:00:00Z"));
  auto inner = std::make_shared<CountingHttp>();
  auto sleeper = std::make_shared<daemon::sync::Sleeper>(clock);
  daemon::sync::BudgetedHttpClient http(inner, 1, sleeper);
  REQUIRE(http.send(sdk::HttpRequest{}).ok());
  sleeper->stop();
  const auto second = http.send(sdk::HttpRequest{});
  CHECK_FALSE(second.ok());
  CHECK(inner->sent == 1);
}
