// Single orders fetched again for a workflow (the gift's tag window, rule G2): filed through the
// pipeline like a sync, each waiting order once, failures left to the sync.

#include "sync/order_refetcher.hpp"

#include <doctest/doctest.h>

#include <thread>

#include "holds/release_gate.hpp"
#include "unit/store/store_fixture.hpp"
#include "unit/sync/push_fakes.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::test {
namespace {

using push::FakePushAdapter;

struct RefetchFixture {
  TempDir dir;
  std::unique_ptr<daemon::store::Store> store = open_store(dir / "erpd.db");
  daemon::holds::ReleaseGate gate{*store, [](daemon::store::Tx&, const daemon::store::StoredOrder&, Instant) {}};
  daemon::workflows::OrderPipeline pipeline{*store, gate};
  daemon::metrics::Registry metrics;
  std::shared_ptr<FakePushAdapter> adapter = std::make_shared<FakePushAdapter>();
  daemon::sync::OrderRefetcher refetcher{
      daemon::sync::PushDeps{*store, pipeline, metrics,
                             [this](const std::string& shop) -> std::shared_ptr<sdk::PlatformAdapter> {
                               return shop == "dy-1" ? adapter : nullptr;
                             }},
      std::make_shared<daemon::sync::SystemSyncClock>()};

  bool wait_idle() {
    for (int i = 0; i < 1000; ++i) {
      if (refetcher.idle()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds{5});
    }
    return false;
  }
};

OrderKey key(const std::string& shop, const std::string& id) { return OrderKey{"douyin", shop, id}; }

}  // namespace

TEST_CASE("gift_G2_an_order_asked_for_again_is_fetched_and_filed") {
  RefetchFixture f;
  CHECK(f.refetcher.request(key("dy-1", "5001")));
  REQUIRE(f.wait_idle());
  CHECK(f.adapter->fetches("5001") == 1);
  CHECK(f.store->get_order(key("dy-1", "5001")).has_value());
}

TEST_CASE("refetch: an order already waiting is asked for once") {
  RefetchFixture f;
  f.adapter->gate.close();
  CHECK(f.refetcher.request(key("dy-1", "5001")));  // taken by the worker, held at the gate
  REQUIRE(f.adapter->gate.held(1));
  CHECK(f.refetcher.request(key("dy-1", "5002")));
  CHECK_FALSE(f.refetcher.request(key("dy-1", "5002")));  // waits already
  f.adapter->gate.open();
  REQUIRE(f.wait_idle());
  CHECK(f.adapter->fetches("5002") == 1);
}

TEST_CASE("refetch: a failed fetch or an unknown shop stores nothing and the worker goes on") {
  RefetchFixture f;
  CHECK(f.refetcher.request(key("dy-1", "gone-1")));  // the platform answers not_found
  CHECK(f.refetcher.request(key("dy-9", "5003")));    // no running adapter
  CHECK(f.refetcher.request(key("dy-1", "5004")));
  REQUIRE(f.wait_idle());
  CHECK_FALSE(f.store->get_order(key("dy-1", "gone-1")).has_value());
  CHECK_FALSE(f.store->get_order(key("dy-9", "5003")).has_value());
  CHECK(f.store->get_order(key("dy-1", "5004")).has_value());
  f.refetcher.stop();
  CHECK_FALSE(f.refetcher.request(key("dy-1", "5005")));  // stopped: refused, not lost silently
}

}  // namespace erp::test
