#pragma once
// A fake platform and a manual clock for the sync engine's tests: windows, backoff and the
// request budget are checked against exact instants, never against wall time.

#include <doctest/doctest.h>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>

#include "holds/release_gate.hpp"
#include "metrics/metrics.hpp"
#include "sync/shop_sync.hpp"
#include "sync/sync_clock.hpp"
#include "unit/store/store_fixture.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::test {

/// Time moves only when a test moves it, or when someone waits (a wait jumps to its deadline).
class ManualClock final : public daemon::sync::SyncClock {
 public:
  explicit ManualClock(Instant start) : ms_(daemon::to_millis(start)) {}
  Instant now() const noexcept override { return daemon::from_millis(ms_.load()); }
  void wait_until(std::condition_variable&, std::unique_lock<std::mutex>&, Instant deadline,
                  const std::function<bool()>& done) const override {
    if (done()) return;
    std::int64_t cur = ms_.load();
    const std::int64_t want = daemon::to_millis(deadline);
    while (cur < want && !ms_.compare_exchange_weak(cur, want)) {
    }
  }
  void advance(std::chrono::milliseconds d) { ms_ += d.count(); }

 private:
  mutable std::atomic<std::int64_t> ms_;
};

/// Counts requests; answers 200 with an empty body.
class CountingHttp final : public sdk::HttpClient {
 public:
  sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest&) noexcept override {
    ++sent;
    sdk::HttpResponse r;
    r.status = 200;
    return r;
  }
  std::atomic<int> sent{0};
};

/// A platform of orders keyed by modified time. list_modified pages them `page_size` at a time
/// and sends one HTTP request per page through `http` when set (so the budget applies).
class FakeAdapter final : public sdk::PlatformAdapter {
 public:
  std::int64_t max_window_seconds = 86400;
  bool incremental = true;
  std::size_t page_size = 100;
  sdk::HttpClient* http = nullptr;

  sdk::Capabilities capabilities() const override {
    sdk::Capabilities c;
    c.incremental_sync = incremental;
    c.max_window_seconds = max_window_seconds;
    return c;
  }

  sdk::Result<sdk::OrderPage> list_modified(const sdk::ModifiedWindow& window, const std::string& page) override {
    std::lock_guard lock(mutex_);
    ++calls;
    windows.push_back(window);
    if (!failures.empty()) {
      auto [call, error] = failures.front();
      if (call == calls) {
        failures.pop_front();
        return error;
      }
    }
    if (http != nullptr) {
      if (auto sent = http->send(sdk::HttpRequest{}); !sent) return std::move(sent).error();
    }
    std::vector<sdk::Order> in_window;
    for (const auto& [id, order] : orders) {
      if (order.modified_at >= window.from && order.modified_at < window.to) in_window.push_back(order);
    }
    const std::size_t start = page.empty() ? 0 : std::stoul(page);
    sdk::OrderPage out;
    for (std::size_t i = start; i < in_window.size() && i < start + page_size; ++i) out.orders.push_back(in_window[i]);
    if (start + page_size < in_window.size()) out.next_page = std::to_string(start + page_size);
    if (start == 0) {
      for (const auto& r : rejected) out.rejected.push_back(r);
      rejected.clear();
    }
    return out;
  }

  sdk::Result<sdk::Order> get_order(const std::string&) override {
    return sdk::fail(sdk::ErrorCode::unsupported, "not in the fake");
  }

  void put(const std::string& id, Instant modified_at, const std::string& shop = "shop-1") {
    std::lock_guard lock(mutex_);
    auto o = sample_order(id, shop, "taobao");
    o.modified_at = modified_at;
    orders[id] = o;
  }
  /// The `call`-th list_modified call (1-based, counting all calls so far) fails with `error`.
  void fail_call(int call, sdk::Error error) {
    std::lock_guard lock(mutex_);
    failures.emplace_back(call, std::move(error));
  }
  std::vector<sdk::ModifiedWindow> windows_seen() {
    std::lock_guard lock(mutex_);
    return windows;
  }
  void forget_windows() {
    std::lock_guard lock(mutex_);
    windows.clear();
  }

  std::map<std::string, sdk::Order> orders;
  std::vector<sdk::Rejected> rejected;
  std::atomic<int> calls{0};

 private:
  std::mutex mutex_;
  std::vector<sdk::ModifiedWindow> windows;
  std::deque<std::pair<int, sdk::Error>> failures;
};

/// A store, a pipeline, metrics and one shop's sync on a manual clock.
struct SyncFixture {
  TempDir dir;
  std::unique_ptr<daemon::store::Store> store = open_store(dir / "erpd.db");
  daemon::holds::ReleaseGate gate{*store, [](daemon::store::Tx&, const daemon::store::StoredOrder&, Instant) {}};
  daemon::workflows::OrderPipeline pipeline{*store, gate};
  daemon::metrics::Registry metrics;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(at("2026-11-11T00:00:00Z"));
  std::shared_ptr<FakeAdapter> adapter = std::make_shared<FakeAdapter>();
  daemon::config::SyncConfig settings;
  std::shared_ptr<daemon::sync::Sleeper> sleeper = std::make_shared<daemon::sync::Sleeper>(clock);
  std::unique_ptr<daemon::sync::ShopSync> sync;

  daemon::sync::ShopSync& shop() {
    if (!sync) {
      daemon::sync::ShopSyncSpec spec{"taobao", "shop-1", std::chrono::minutes{1}, adapter, nullptr};
      sync = std::make_unique<daemon::sync::ShopSync>(spec, settings,
                                                      daemon::sync::ShopSyncDeps{*store, pipeline, metrics}, sleeper);
    }
    return *sync;
  }
  std::optional<Instant> cursor(const char* name = daemon::sync::kModifiedCursor) {
    auto text = store->cursor("taobao", "shop-1", name);
    if (!text) return std::nullopt;
    return daemon::parse_rfc3339(*text);
  }
  std::size_t events_of(const std::string& id) { return store->events(OrderKey{"taobao", "shop-1", id}).size(); }
  bool stored(const std::string& id) { return store->get_order(OrderKey{"taobao", "shop-1", id}).has_value(); }
};

}  // namespace erp::test
