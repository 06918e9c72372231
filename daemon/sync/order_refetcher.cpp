#include "sync/order_refetcher.hpp"

#include <spdlog/spdlog.h>

namespace erp::daemon::sync {

OrderRefetcher::OrderRefetcher(PushDeps deps, std::shared_ptr<const SyncClock> clock, std::size_t max_queued)
    : deps_(std::move(deps)), clock_(std::move(clock)), max_queued_(max_queued), thread_([this] { run(); }) {}

OrderRefetcher::~OrderRefetcher() { stop(); }

bool OrderRefetcher::request(const OrderKey& key) {
  {
    std::lock_guard lock(mutex_);
    if (stopped_ || queue_.size() >= max_queued_) return false;
    if (!waiting_.insert(key.to_string()).second) return false;
    queue_.push_back(key);
  }
  cv_.notify_one();
  return true;
}

bool OrderRefetcher::idle() const {
  std::lock_guard lock(mutex_);
  return queue_.empty() && !busy_;
}

void OrderRefetcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    queue_.clear();
    waiting_.clear();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OrderRefetcher::run() {
  for (;;) {
    OrderKey key;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stopped_ || !queue_.empty(); });
      if (stopped_) return;
      key = std::move(queue_.front());
      queue_.pop_front();
      waiting_.erase(key.to_string());
      busy_ = true;
    }
    fetch(key);
    std::lock_guard lock(mutex_);
    busy_ = false;
  }
}

void OrderRefetcher::fetch(const OrderKey& key) {
  try {
    auto adapter = deps_.adapters(key.shop);
    if (!adapter) return;  // the shop is not running; its sync reads the order once it runs
    auto order = adapter->get_order(key.order_id);
    if (!order) {
      spdlog::info("shop {}: fetching order {} again failed ({}); the sync reads it later", key.shop, key.order_id,
                   order.error().message);
      return;
    }
    // The shop's adapter speaks for this shop only: whatever it filled in, the order is filed here.
    order->platform = key.platform;
    order->shop = key.shop;
    deps_.pipeline.ingest(*order, clock_->now());
  } catch (const std::exception& e) {
    spdlog::warn("shop {}: filing order {} fetched again failed: {}; the sync reads it later", key.shop, key.order_id,
                 e.what());
  }
}

}  // namespace erp::daemon::sync
