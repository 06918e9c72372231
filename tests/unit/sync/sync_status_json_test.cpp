// The sync object each shop carries in GET /v1/status (and so in erpctl status).

#include <doctest/doctest.h>

#include "app/status.hpp"
#include "core/time_format.hpp"

using namespace erp;
using namespace erp::daemon;

TEST_CASE("a running shop's sync shows state, RFC 3339 cursor and counters") {
  sync::ShopSyncStatus s;
  s.platform = "taobao";
  s.shop = "tb-1";
  s.state = sync::SyncState::needs_reauth;
  s.cursor = *parse_rfc3339("2026-11-11T02:00:00Z");
  s.last_success_at = *parse_rfc3339("2026-11-11T02:00:30Z");
  s.last_error = "needs_reauth: session expired";
  s.next_attempt_at = *parse_rfc3339("2026-11-11T02:05:30Z");
  s.orders_synced = 42;
  s.quarantined = 1;
  s.requests_made = 7;
  const auto j = app::sync_status_json(&s);
  CHECK(j["state"] == "needs_reauth");
  CHECK(j["cursor"] == "2026-11-11T02:00:00Z");
  CHECK(j["last_success_at"] == "2026-11-11T02:00:30Z");
  CHECK(j["last_error"] == "needs_reauth: session expired");
  CHECK(j["next_attempt_at"] == "2026-11-11T02:05:30Z");
  CHECK(j["orders_synced"] == 42);
  CHECK(j["quarantined"] == 1);
  CHECK(j["requests_made"] == 7);
}

TEST_CASE("a shop without a worker is stopped, with no cursor yet") {
  const auto j = app::sync_status_json(nullptr);
  CHECK(j["state"] == "stopped");
  CHECK(j["cursor"].is_null());
  CHECK(j["next_attempt_at"].is_null());
}

TEST_CASE("build_status puts each shop's sync next to its adapter state") {
  app::StatusFacts facts;
  app::ShopRuntime running;
  running.config.id = "tb-1";
  running.config.platform = "taobao";
  running.state = "ok";
  app::ShopRuntime disabled;
  disabled.config.id = "tb-2";
  disabled.config.platform = "taobao";
  disabled.state = "disabled";
  facts.shops = {running, disabled};
  sync::ShopSyncStatus s;
  s.shop = "tb-1";
  s.state = sync::SyncState::syncing;
  facts.sync = {s};
  const auto status = app::build_status(facts);
  REQUIRE(status["shops"].size() == 2);
  CHECK(status["shops"][0]["sync"]["state"] == "syncing");
  CHECK(status["shops"][1]["sync"]["state"] == "stopped");
}
