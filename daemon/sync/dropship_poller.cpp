#include "sync/dropship_poller.hpp"

#include <spdlog/spdlog.h>

#include "core/time_format.hpp"
#include "sync/window_plan.hpp"

namespace erp::daemon::sync {
namespace {

constexpr const char* kCursor = "dropship_assigned";

}  // namespace

DropshipPoller::DropshipPoller(store::Store& store, workflows::dropship::DropshipService& service,
                               AdapterLookup adapters, std::shared_ptr<const SyncClock> clock)
    : store_(store), service_(service), adapters_(std::move(adapters)), clock_(std::move(clock)) {}

DropshipPoller::~DropshipPoller() { stop(); }

void DropshipPoller::configure(DropshipPollerOptions options, std::vector<DropshipShop> shops) {
  {
    std::lock_guard lock(mutex_);
    options_ = options;
    shops_ = std::move(shops);
    all_nudged_ = true;
    if (stopped_) return;
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  }
  cv_.notify_all();
}

void DropshipPoller::nudge(const std::string& shop) {
  {
    std::lock_guard lock(mutex_);
    if (shop.empty()) {
      all_nudged_ = true;
    } else {
      nudged_.insert(shop);
    }
  }
  cv_.notify_all();
}

std::uint64_t DropshipPoller::passes() const {
  std::lock_guard lock(mutex_);
  return passes_;
}

void DropshipPoller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void DropshipPoller::run() {
  auto next_full = clock_->now();
  for (;;) {
    std::vector<DropshipShop> due;
    {
      std::unique_lock lock(mutex_);
      clock_->wait_until(cv_, lock, next_full, [&] {
        return stopped_ || all_nudged_ || !nudged_.empty() || clock_->now() >= next_full;
      });
      if (stopped_) return;
      const bool full = all_nudged_ || clock_->now() >= next_full;
      for (const auto& shop : shops_)
        if (full || nudged_.count(shop.shop)) due.push_back(shop);
      nudged_.clear();
      all_nudged_ = false;
      if (full) next_full = clock_->now() + options_.every;
    }
    for (const auto& shop : due) {
      try {
        poll(shop);
      } catch (const std::exception& e) {
        // The store or a decision failed; the next pass reads the same again.
        spdlog::error("dropship reconciliation of shop {} failed (will try again): {}", shop.shop, e.what());
      }
    }
    std::lock_guard lock(mutex_);
    ++passes_;
  }
}

void DropshipPoller::poll(const DropshipShop& shop) {
  auto adapter = adapters_(shop.shop);
  if (!adapter) return;  // disabled or failed: its reconciliation waits for it
  if (!adapter->capabilities().dropship) return;  // no platform channel: the daemon's state is the only one
  if (shop.factory) {
    poll_assigned(shop, *adapter);
  } else {
    poll_bindings(shop, *adapter);
  }
}

void DropshipPoller::poll_bindings(const DropshipShop& shop, sdk::PlatformAdapter& adapter) {
  auto bound = adapter.list_factories();
  if (!bound) {
    spdlog::warn("dropship: reading the factories bound to shop {} failed: {}", shop.shop, bound.error().message);
    return;
  }
  service_.reconcile_platform_bindings(shop.shop, *bound, clock_->now());
}

void DropshipPoller::poll_assigned(const DropshipShop& shop, sdk::PlatformAdapter& adapter) {
  DropshipPollerOptions options;
  {
    std::lock_guard lock(mutex_);
    options = options_;
  }
  const auto now = clock_->now();
  Instant from = now - options.backfill;
  if (const auto cursor = store_.cursor(shop.platform, shop.shop, kCursor))
    if (const auto at = parse_rfc3339(*cursor)) from = *at - options.overlap;
  while (const auto window = next_window(from, now, options.window)) {
    // As the order sync does: what could not be mapped is quarantined in the cursor's
    // transaction, so a window read again after a failure does not quarantine it twice.
    std::vector<sdk::Rejected> rejected;
    std::string page;
    do {
      auto listed = adapter.list_dropship(*window, page);
      if (!listed) {
        spdlog::warn("dropship: listing the items assigned to shop {} failed: {}", shop.shop, listed.error().message);
        return;  // the cursor stays: the next pass reads this window again
      }
      for (auto& r : listed->rejected) rejected.push_back(std::move(r));
      for (const auto& item : listed->orders) {
        // The listing leaves out the merchant's order id and the receiver; the detail has them.
        auto detail = adapter.get_dropship(item.distr_order_id);
        service_.reconcile_factory_item(shop.shop, detail ? *detail : item, clock_->now());
      }
      page = listed->next_page;
    } while (!page.empty());
    const auto at = clock_->now();
    auto tx = store_.begin();
    for (const auto& r : rejected) {
      store_.quarantine(*tx, store::QuarantineEntry{0, shop.platform, shop.shop, r.order_id,
                                                    "dropship item: " + r.reason, r.payload, at});
    }
    store_.set_cursor(*tx, shop.platform, shop.shop, kCursor, format_rfc3339(window->to), at);
    tx->commit();
    for (const auto& r : rejected)
      spdlog::warn("shop {}: dropship item quarantined ({}): {}", shop.shop, r.order_id.empty() ? "?" : r.order_id,
                   r.reason);
    from = window->to;
  }
}

}  // namespace erp::daemon::sync
