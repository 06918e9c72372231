// The `sync:` section and shops[].requests_per_minute: defaults a merchant gets without writing
// anything, and mistakes reported at their line with what to write instead.

#include <doctest/doctest.h>

#include "config/loader.hpp"
#include "config_test_support.hpp"

namespace erp::daemon::config {
namespace {

using namespace std::chrono_literals;
using testing::all_issues;
using testing::kFile;
using testing::kMinimal;
using testing::with_shop;
using testing::yaml;


}  // namespace

TEST_CASE("sync defaults: 3d backfill, 30s lag, 2m overlap, 30m windows, hourly sweep over a day") {
  const auto result = parse_config(with_shop(""), kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const SyncConfig& sync = result.config->sync;
  CHECK(sync.backfill == std::chrono::hours{72});
  CHECK(sync.lag == 30s);
  CHECK(sync.overlap == 2min);
  CHECK(sync.window == 30min);
  CHECK(sync.reconcile_every == 1h);
  CHECK(sync.reconcile_span == std::chrono::hours{24});
  CHECK(result.config->shops.at(0).requests_per_minute == 600);
}

TEST_CASE("sync keys and requests_per_minute are read as written") {
  const auto result = parse_config(with_shop("    requests_per_minute: 120\n") + yaml(R"(
sync:
  backfill: 7d
  lag: 1m
  overlap: 0s
  window: 1d
  reconcile_every: 30m
  reconcile_span: 2d
)"),
                                   kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const SyncConfig& sync = result.config->sync;
  CHECK(sync.backfill == std::chrono::hours{7 * 24});
  CHECK(sync.lag == 1min);
  CHECK(sync.overlap == 0s);
  CHECK(sync.window == std::chrono::hours{24});
  CHECK(sync.reconcile_every == 30min);
  CHECK(sync.reconcile_span == std::chrono::hours{48});
  CHECK(result.config->shops.at(0).requests_per_minute == 120);
}

TEST_CASE("bad sync values are FILE:LINE: key messages") {
  const auto result = parse_config(with_shop("") + yaml(R"(
sync:
  backfill: forever
  lag: -5s
  window: 2d
  reconcile_every: 0s
  reconcile_span: 10
  overlaps: 2m
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  ERP_CHECK_ISSUE(result, "sync.backfill", 12, "'forever'");
  ERP_CHECK_ISSUE(result, "sync.lag", 13, "'-5s'");
  ERP_CHECK_ISSUE(result, "sync.window", 14, "must be at most 1d");
  ERP_CHECK_ISSUE(result, "sync.reconcile_every", 15, "must be at least");
  ERP_CHECK_ISSUE(result, "sync.reconcile_span", 16, "'10'");
  ERP_CHECK_ISSUE(result, "sync.overlaps", 17, "did you mean 'overlap'?");
  CHECK(testing::issue_at(result, "sync.window")->to_string() ==
        "/etc/erpd/erpd.yaml:14: sync.window: must be at most 1d (platforms refuse longer listings), got 2d");
}

TEST_CASE("requests_per_minute must be a whole number from 1 to 100000") {
  struct Case {
    const char* value;
    const char* says;
  };
  for (const Case c : {Case{"0", "must be at least 1"}, Case{"100001", "must be at most 100000"},
                       Case{"fast", "must be a whole number"}, Case{"1.5", "must be a whole number"}}) {
    const auto result = parse_config(with_shop(std::string("    requests_per_minute: ") + c.value + "\n"), kFile);
    CHECK_FALSE(result.config);
    ERP_CHECK_ISSUE(result, "shops[0].requests_per_minute", 11, c.says);
  }
}

TEST_CASE("sync must be a map") {
  const auto result = parse_config(with_shop("") + "sync: 5m\n", kFile);
  CHECK_FALSE(result.config);
  ERP_CHECK_ISSUE(result, "sync", 11, "must be a map");
}

}  // namespace erp::daemon::config
