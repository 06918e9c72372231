// One shop's sync against a fake platform on a manual clock: what a merchant would notice if it
// went wrong is a missing order, a duplicate, a skipped late update or a ban for hammering.

#include "sync/shop_sync.hpp"

#include "sync/window_plan.hpp"
#include "unit/sync/sync_test_support.hpp"

using namespace erp;
using namespace erp::test;
using namespace std::chrono_literals;
using daemon::sync::SyncState;

namespace {

void check_contiguous(const std::vector<sdk::ModifiedWindow>& windows) {
  for (std::size_t i = 1; i < windows.size(); ++i) CHECK(windows[i].from == windows[i - 1].to);
}

}  // namespace

TEST_CASE("windows never exceed the adapter's limit and never reach past now minus lag") {
  SyncFixture f;
  f.adapter->max_window_seconds = 600;  // tighter than sync.window (30m)
  REQUIRE(f.shop().run_pass().ok());
  const auto windows = f.adapter->windows_seen();
  REQUIRE(!windows.empty());
  for (const auto& w : windows) {
    CHECK(w.to - w.from <= 600s);
    CHECK(w.to <= f.clock->now() - f.settings.lag);
  }
  CHECK(windows.back().to == f.clock->now() - 30s);
  check_contiguous(windows);
}

TEST_CASE("sync.window caps windows when the adapter allows more, and one day is the hard cap") {
  SyncFixture f;
  f.settings.window = 45min;
  REQUIRE(f.shop().run_pass().ok());
  for (const auto& w : f.adapter->windows_seen()) CHECK(w.to - w.from <= 45min);

  daemon::config::SyncConfig wide;
  wide.window = std::chrono::hours{48};
  sdk::Capabilities caps;
  caps.max_window_seconds = 7 * 86400;
  CHECK(daemon::sync::max_window(wide, caps) == std::chrono::hours{24});
}

TEST_CASE("the first start backfills exactly sync.backfill, window by window") {
  SyncFixture f;
  f.settings.backfill = std::chrono::hours{48};
  f.adapter->put("old", f.clock->now() - std::chrono::hours{49});  // before the backfill: not read
  f.adapter->put("edge", f.clock->now() - std::chrono::hours{48});
  f.adapter->put("recent", f.clock->now() - 5min);
  f.adapter->put("unsettled", f.clock->now() - 10s);  // inside the lag: left for the next poll
  REQUIRE(f.shop().run_pass().ok());
  const auto windows = f.adapter->windows_seen();
  REQUIRE(!windows.empty());
  CHECK(windows.front().from == f.clock->now() - std::chrono::hours{48});
  CHECK(windows.back().to == f.clock->now() - 30s);
  CHECK(windows.size() == 96);  // 48h in 30-minute windows
  check_contiguous(windows);
  CHECK(f.stored("edge"));
  CHECK(f.stored("recent"));
  CHECK_FALSE(f.stored("old"));
  CHECK_FALSE(f.stored("unsettled"));
  CHECK(f.cursor() == f.clock->now() - 30s);

  // The next poll picks up the order that was still inside the lag.
  f.clock->advance(1min);
  REQUIRE(f.shop().run_pass().ok());
  CHECK(f.stored("unsettled"));
}

TEST_CASE("each poll starts sync.overlap before the cursor, so a late commit near the edge is read") {
  SyncFixture f;
  REQUIRE(f.shop().run_pass().ok());
  const Instant cursor = *f.cursor();
  // Committed late with a modified time just before the cursor: the previous window missed it.
  f.adapter->put("late", cursor - 90s);
  f.adapter->forget_windows();
  f.clock->advance(5min);
  REQUIRE(f.shop().run_pass().ok());
  const auto windows = f.adapter->windows_seen();
  REQUIRE(!windows.empty());
  CHECK(windows.front().from == cursor - 2min);
  CHECK(f.stored("late"));
}

TEST_CASE("the cursor moves only after every page of a window; a failure on page 3 of 4 re-reads it") {
  SyncFixture f;
  f.settings.window = 1h;
  REQUIRE(f.shop().run_pass().ok());  // backfill: the shop is empty
  const Instant cursor = *f.cursor();
  f.adapter->page_size = 2;
  for (int i = 0; i < 8; ++i) f.adapter->put("o" + std::to_string(i), cursor + std::chrono::seconds{i + 1});
  f.clock->advance(10min);  // one window: [cursor - overlap, now - lag)
  f.adapter->fail_call(f.adapter->calls + 3, sdk::fail(sdk::ErrorCode::transient, "gateway timeout"));

  const auto failed = f.shop().run_pass();
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code == sdk::ErrorCode::transient);
  CHECK(f.cursor() == cursor);  // not moved
  CHECK(f.stored("o0"));        // pages 1 and 2 were stored ...
  CHECK(f.stored("o3"));
  CHECK_FALSE(f.stored("o4"));  // ... pages 3 and 4 were not
  const auto events_before = f.events_of("o0");

  REQUIRE(f.shop().run_pass().ok());
  CHECK(f.cursor() == f.clock->now() - 30s);
  for (int i = 0; i < 8; ++i) CHECK(f.stored("o" + std::to_string(i)));
  // The re-read of pages 1 and 2 wrote nothing: unchanged orders make no events.
  CHECK(f.events_of("o0") == events_before);
  CHECK(f.events_of("o7") == events_before);
  CHECK(f.shop().status().orders_synced == 8);
}

TEST_CASE("rejected payloads are quarantined with their reason and sync goes on") {
  SyncFixture f;
  f.adapter->put("good", f.clock->now() - 1h);
  f.adapter->rejected.push_back(sdk::Rejected{"bad-1", "pay_time is not a time: 'yesterday'", R"({"tid":"bad-1"})"});
  REQUIRE(f.shop().run_pass().ok());
  CHECK(f.stored("good"));
  const auto quarantined = f.store->list_quarantine();
  REQUIRE(quarantined.size() == 1);
  CHECK(quarantined[0].platform == "taobao");
  CHECK(quarantined[0].shop == "shop-1");
  CHECK(quarantined[0].order_id == "bad-1");
  CHECK(quarantined[0].reason == "pay_time is not a time: 'yesterday'");
  CHECK(quarantined[0].payload == R"({"tid":"bad-1"})");
  CHECK(f.cursor() == f.clock->now() - 30s);
  CHECK(f.shop().status().quarantined == 1);
}

TEST_CASE("a window that fails after a rejected page does not quarantine the payload twice") {
  SyncFixture f;
  REQUIRE(f.shop().run_pass().ok());
  f.adapter->page_size = 1;
  f.adapter->put("a", *f.cursor() + 1s);
  f.adapter->put("b", *f.cursor() + 2s);
  f.adapter->rejected.push_back(sdk::Rejected{"bad", "no tid", "{}"});
  f.clock->advance(5min);
  f.adapter->fail_call(f.adapter->calls + 2, sdk::fail(sdk::ErrorCode::transient, "reset"));
  REQUIRE_FALSE(f.shop().run_pass().ok());
  CHECK(f.store->list_quarantine().empty());
  f.adapter->rejected.push_back(sdk::Rejected{"bad", "no tid", "{}"});  // the platform sends it again
  REQUIRE(f.shop().run_pass().ok());
  CHECK(f.store->list_quarantine().size() == 1);
}

TEST_CASE("rate_limited waits the platform's retry_after") {
  SyncFixture f;
  auto error = sdk::fail(sdk::ErrorCode::rate_limited, "This ban will last for 120 more seconds");
  error.retry_after = std::chrono::seconds{120};
  f.adapter->fail_call(1, error);
  const Instant before = f.clock->now();
  const Instant next = f.shop().step();
  CHECK(next == before + 120s);
  const auto status = f.shop().status();
  CHECK(status.state == SyncState::backoff);
  CHECK(status.next_attempt_at == before + 120s);
  CHECK(status.last_error.find("rate_limited") == 0);
  CHECK(f.metrics.value("erp_sync_errors_total", {{"shop", "shop-1"}, {"code", "rate_limited"}}) == 1);
  CHECK_FALSE(f.cursor().has_value());
}

TEST_CASE("transient failures back off exponentially from 1 s up to 5 min") {
  SyncFixture f;
  for (int i = 1; i <= 12; ++i) f.adapter->fail_call(i, sdk::fail(sdk::ErrorCode::transient, "timeout"));
  std::vector<std::chrono::milliseconds> delays;
  for (int i = 0; i < 12; ++i) {
    const Instant before = f.clock->now();
    const Instant next = f.shop().step();
    delays.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(next - before));
    f.clock->advance(delays.back());
  }
  CHECK(delays[0] <= 1s);
  CHECK(delays[0] >= 800ms);
  CHECK(delays[1] >= 1600ms);
  CHECK(delays[1] <= 2s);
  CHECK(delays[11] <= 5min);
  CHECK(delays[11] >= 4min);
  CHECK(f.shop().status().state == SyncState::backoff);
}

TEST_CASE("a pass that stored windows before it failed starts the backoff over") {
  SyncFixture f;
  f.settings.backfill = 6h;
  f.settings.window = 30min;
  // Each pass fails on its third window: the first two are stored, so the cursor moves.
  std::vector<std::chrono::milliseconds> delays;
  for (int i = 0; i < 3; ++i) {
    f.adapter->fail_call(f.adapter->calls + 3, sdk::fail(sdk::ErrorCode::transient, "timeout"));
    const auto cursor_before = f.cursor();
    const Instant before = f.clock->now();
    const Instant next = f.shop().step();
    CHECK(f.cursor() != cursor_before);
    delays.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(next - before));
    f.clock->advance(delays.back());
  }
  for (const auto delay : delays) CHECK(delay <= 1s);  // not 1 s, 2 s, 4 s
}

TEST_CASE("a pass that failed on page 2 of its only window starts the backoff over: the platform answered") {
  SyncFixture f;
  REQUIRE(f.shop().run_pass().ok());  // backfill: the shop is empty
  const Instant cursor = *f.cursor();
  f.adapter->page_size = 2;
  for (int i = 0; i < 4; ++i) f.adapter->put("p" + std::to_string(i), cursor + std::chrono::seconds{i + 1});
  f.clock->advance(5min);  // one window of two pages
  std::vector<std::chrono::milliseconds> delays;
  for (int i = 0; i < 4; ++i) {
    f.adapter->fail_call(f.adapter->calls + 2, sdk::fail(sdk::ErrorCode::transient, "body cut short"));
    const Instant before = f.clock->now();
    const Instant next = f.shop().step();
    CHECK(f.cursor() == cursor);  // the window never completed
    delays.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(next - before));
    f.clock->advance(delays.back());
  }
  for (const auto delay : delays) CHECK(delay <= 1s);  // not 1 s, 2 s, 4 s, 8 s
  f.shop().step();
  CHECK(f.stored("p3"));
  CHECK(f.shop().status().state == SyncState::idle);
}

TEST_CASE("a throttle waits its own time and does not grow the backoff of the failures after it") {
  SyncFixture f;
  auto throttled = sdk::fail(sdk::ErrorCode::rate_limited, "too many requests");
  throttled.retry_after = std::chrono::seconds{1};
  for (int i = 1; i <= 3; ++i) f.adapter->fail_call(i, throttled);
  f.adapter->fail_call(4, sdk::fail(sdk::ErrorCode::transient, "timeout"));
  std::vector<std::chrono::milliseconds> delays;
  for (int i = 0; i < 4; ++i) {
    const Instant before = f.clock->now();
    const Instant next = f.shop().step();
    delays.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(next - before));
    f.clock->advance(delays.back());
  }
  for (std::size_t i = 0; i < 3; ++i) CHECK(delays[i] == 1s);  // the platform's wait
  // Then the first real failure: the backoff's first step (0.8-1 s), not its fourth (8 s).
  CHECK(delays[3] <= 1s);
}

TEST_CASE("needs_reauth shows in the status, retries every 5 minutes and clears on the next success") {
  SyncFixture f;
  f.adapter->fail_call(1, sdk::fail(sdk::ErrorCode::needs_reauth, "session expired; authorize the app again"));
  const Instant before = f.clock->now();
  CHECK(f.shop().step() == before + 5min);
  auto status = f.shop().status();
  CHECK(status.state == SyncState::needs_reauth);
  CHECK(status.last_error == "needs_reauth: session expired; authorize the app again");

  f.clock->advance(5min);
  f.shop().step();
  status = f.shop().status();
  CHECK(status.state == SyncState::idle);
  CHECK(status.last_error.empty());
  CHECK(status.last_success_at == f.clock->now());
  CHECK(status.next_attempt_at == f.clock->now() + 1min);  // the poll interval
}

TEST_CASE("config_error puts the shop in state config_error with the message") {
  SyncFixture f;
  f.adapter->fail_call(1, sdk::fail(sdk::ErrorCode::config_error, "invalid app key"));
  const Instant before = f.clock->now();
  CHECK(f.shop().step() == before + 5min);
  CHECK(f.shop().status().state == SyncState::config_error);
  CHECK(f.shop().status().last_error == "config_error: invalid app key");
}

TEST_CASE("the reconciliation sweep picks up an order modified inside an already-passed window") {
  SyncFixture f;
  REQUIRE(f.shop().run_pass().ok());  // first start: backfill
  const Instant first_cursor = *f.cursor();
  // The platform committed this update so late that every incremental window already passed it.
  f.adapter->put("missed", first_cursor - 20min);

  f.clock->advance(30min);
  REQUIRE(f.shop().run_pass().ok());
  CHECK_FALSE(f.stored("missed"));  // overlap is 2m: incremental polling cannot see it

  f.clock->advance(31min);  // reconcile_every (1h) has passed since the backfill
  REQUIRE(f.shop().run_pass().ok());
  CHECK(f.stored("missed"));
  CHECK(f.cursor(daemon::sync::kReconcileCursor) == f.cursor(daemon::sync::kReconcileUntil));
}

TEST_CASE("a stop between pages leaves the cursor and ends the pass") {
  SyncFixture f;
  f.adapter->page_size = 1;
  f.adapter->put("a", f.clock->now() - 1h);
  f.sleeper->stop();
  const auto pass = f.shop().run_pass();
  CHECK_FALSE(pass.ok());
  CHECK_FALSE(f.cursor().has_value());
  CHECK(f.adapter->calls == 0);
}
