// The workers: one thread per shop, woken by "sync now", stopped promptly, restarted on reload
// only when something of theirs changed. Real clock here; the poll interval is an hour, so any
// second pass within the test comes from sync_now.

#include "sync/sync_engine.hpp"

#include <thread>

#include "unit/sync/sync_test_support.hpp"

using namespace erp;
using namespace erp::test;
using namespace std::chrono_literals;
using daemon::sync::SyncState;

namespace {

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

struct EngineFixture {
  SyncFixture f;
  daemon::sync::SyncEngine engine{{*f.store, f.pipeline, f.metrics}, std::make_shared<daemon::sync::SystemSyncClock>()};
  daemon::sync::ShopSyncSpec spec() {
    f.adapter->max_window_seconds = 86400;
    return daemon::sync::ShopSyncSpec{"taobao", "shop-1", 1h, f.adapter, nullptr};
  }
};

}  // namespace

TEST_CASE("a worker syncs at start, again on sync now, and stops promptly") {
  EngineFixture e;
  e.f.adapter->put("now-ish", daemon::now_utc() - 1h);
  e.engine.apply(e.f.settings, {e.spec()});
  REQUIRE(eventually([&] { return e.f.stored("now-ish"); }));
  REQUIRE(eventually([&] { return e.engine.statuses().at(0).state == SyncState::idle; }));
  const int calls = e.f.adapter->calls;
  CHECK(e.engine.sync_now("shop-1"));
  CHECK_FALSE(e.engine.sync_now("no-such-shop"));
  CHECK(eventually([&] { return e.f.adapter->calls > calls; }));

  const auto t0 = std::chrono::steady_clock::now();
  e.engine.stop();
  CHECK(std::chrono::steady_clock::now() - t0 < 2s);
  CHECK(e.engine.statuses().empty());
}

TEST_CASE("reload keeps unchanged workers, restarts changed ones and stops removed ones") {
  EngineFixture e;
  e.engine.apply(e.f.settings, {e.spec()});
  REQUIRE(eventually([&] { return e.engine.statuses().size() == 1 && e.engine.statuses()[0].last_success_at; }));
  const int calls = e.f.adapter->calls;

  e.engine.apply(e.f.settings, {e.spec()});  // same adapter, same settings: no restart, no new pass
  std::this_thread::sleep_for(100ms);
  CHECK(e.f.adapter->calls == calls);

  auto changed = e.f.settings;
  changed.overlap = 5min;
  e.engine.apply(changed, {e.spec()});  // restarted: a new first pass
  CHECK(eventually([&] { return e.f.adapter->calls > calls; }));

  e.engine.apply(changed, {});
  CHECK(e.engine.statuses().empty());
  CHECK_FALSE(e.engine.sync_now("shop-1"));
}

TEST_CASE("a shop whose adapter cannot list modified orders gets no worker") {
  EngineFixture e;
  e.f.adapter->incremental = false;
  e.engine.apply(e.f.settings, {daemon::sync::ShopSyncSpec{"taobao", "shop-1", 1h, e.f.adapter, nullptr}});
  CHECK(e.engine.statuses().empty());
  CHECK(e.f.adapter->calls == 0);
}
