#include "sync/sync_engine.hpp"

#include <spdlog/spdlog.h>

namespace erp::daemon::sync {
namespace {

bool same_worker(const ShopSync& running, const ShopSyncSpec& spec, const config::SyncConfig& sync) {
  const auto& was = running.spec();
  return was.adapter == spec.adapter && was.http == spec.http && was.poll_interval == spec.poll_interval &&
         was.platform == spec.platform && running.settings() == sync;
}

// A push-only adapter has nothing to poll; its shop gets no worker (status shows "stopped").
bool polls(const ShopSyncSpec& spec) {
  bool incremental = false;
  try {
    incremental = spec.adapter && spec.adapter->capabilities().incremental_sync;
  } catch (const std::exception& e) {
    spdlog::error("shop {}: adapter capabilities failed: {}; not synced", spec.shop, e.what());
    return false;
  }
  if (!incremental)
    spdlog::info("shop {}: the {} adapter has no incremental sync; not polled", spec.shop, spec.platform);
  return incremental;
}

}  // namespace

SyncEngine::SyncEngine(ShopSyncDeps deps, std::shared_ptr<const SyncClock> clock)
    : deps_(deps), clock_(std::move(clock)) {
  deps_.metrics.describe(kOrdersMetric, "counter", "Orders the sync stored new or changed, by shop.");
  deps_.metrics.describe(kErrorsMetric, "counter", "Failed sync passes, by shop and error code.");
  deps_.metrics.describe(kLagMetric, "gauge", "Seconds between now and the shop's sync cursor.");
}

SyncEngine::~SyncEngine() { stop(); }

SyncEngine::Worker SyncEngine::start(const ShopSyncSpec& spec, const config::SyncConfig& sync) {
  // The adapter's budgeted HTTP client and the worker share one Sleeper, so a stop also ends a
  // wait for request budget.
  auto sleeper = spec.http ? spec.http->sleeper() : std::make_shared<Sleeper>(clock_);
  sleeper->resume();
  Worker worker;
  worker.sync = std::make_shared<ShopSync>(spec, sync, deps_, std::move(sleeper));
  worker.thread = std::thread([sync = worker.sync] { sync->run(); });
  return worker;
}

void SyncEngine::halt(std::vector<Worker>& workers) {
  for (auto& w : workers) w.sync->sleeper().stop();  // all at once: they wind down in parallel
  for (auto& w : workers) {
    if (w.thread.joinable()) w.thread.join();
  }
}

void SyncEngine::apply(const config::SyncConfig& sync, std::vector<ShopSyncSpec> shops) {
  std::lock_guard apply_lock(apply_mutex_);
  std::map<std::string, Worker> current;
  {
    std::lock_guard lock(mutex_);
    current.swap(workers_);
  }
  std::map<std::string, Worker> next;
  std::vector<Worker> retiring;
  std::vector<ShopSyncSpec> to_start;
  for (auto& spec : shops) {
    if (!polls(spec)) continue;
    auto it = current.find(spec.shop);
    if (it != current.end() && same_worker(*it->second.sync, spec, sync)) {
      next.emplace(spec.shop, std::move(it->second));
      current.erase(it);
    } else {
      to_start.push_back(std::move(spec));
    }
  }
  for (auto& [id, worker] : current) retiring.push_back(std::move(worker));
  // Retire first: a restarted shop's old worker must be gone before the new one reads its cursor.
  halt(retiring);
  for (const auto& spec : to_start) next.emplace(spec.shop, start(spec, sync));
  std::lock_guard lock(mutex_);
  workers_ = std::move(next);
}

void SyncEngine::stop() {
  std::lock_guard apply_lock(apply_mutex_);
  std::vector<Worker> all;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, worker] : workers_) all.push_back(std::move(worker));
    workers_.clear();
  }
  halt(all);
}

bool SyncEngine::sync_now(const std::string& shop) {
  std::lock_guard lock(mutex_);
  auto it = workers_.find(shop);
  if (it == workers_.end()) return false;
  it->second.sync->sleeper().wake();
  return true;
}

std::vector<ShopSyncStatus> SyncEngine::statuses() const {
  std::lock_guard lock(mutex_);
  std::vector<ShopSyncStatus> out;
  for (const auto& [id, worker] : workers_) out.push_back(worker.sync->status());
  return out;
}

}  // namespace erp::daemon::sync
