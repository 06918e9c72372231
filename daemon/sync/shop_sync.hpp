#pragma once
// One shop's sync: bounded, fully drained modified-time windows, a cursor that moves only after a
// whole window is stored, and a periodic reconciliation sweep that re-reads the recent past.
// Nothing here may lose an order: a failure anywhere leaves the cursor where it was, and the
// next pass reads the window again (upserts are idempotent: unchanged orders write nothing).

#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "config/config.hpp"
#include "erp/adapter.hpp"
#include "metrics/metrics.hpp"
#include "store/store.hpp"
#include "sync/budgeted_http_client.hpp"
#include "sync/sleeper.hpp"
#include "sync/sync_status.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::daemon::sync {

/// Store cursor names (table sync_cursors), per platform and shop.
inline constexpr const char* kModifiedCursor = "modified";         ///< Incremental polling resumes here.
inline constexpr const char* kReconcileCursor = "reconcile";       ///< Progress of the running sweep.
inline constexpr const char* kReconcileUntil = "reconcile_until";  ///< Where the last sweep ends.

/// Metric names.
inline constexpr const char* kOrdersMetric = "erp_sync_orders_total";
inline constexpr const char* kErrorsMetric = "erp_sync_errors_total";
inline constexpr const char* kLagMetric = "erp_sync_lag_seconds";

struct ShopSyncSpec {
  std::string platform;
  std::string shop;
  std::chrono::milliseconds poll_interval{std::chrono::seconds{60}};
  std::shared_ptr<sdk::PlatformAdapter> adapter;
  /// The budgeted client the adapter was given; null when the adapter was built without one
  /// (then the worker has its own Sleeper and requests_made stays 0).
  std::shared_ptr<BudgetedHttpClient> http;
};

struct ShopSyncDeps {
  store::Store& store;
  workflows::OrderPipeline& pipeline;
  metrics::Registry& metrics;
};

class ShopSync {
 public:
  ShopSync(ShopSyncSpec spec, config::SyncConfig sync, ShopSyncDeps deps, std::shared_ptr<Sleeper> sleeper);

  /// One pass: the incremental windows up to now - lag (or the backfill on a first start), then
  /// the reconciliation sweep when it is due. Stops between pages when the shop is stopped.
  sdk::Result<void> run_pass();
  /// One pass plus its outcome: state, last error, next_attempt_at (poll interval or backoff).
  /// Returns when the next attempt is due.
  Instant step();
  /// The worker loop: step, then sleep until the next attempt, a "sync now" or a stop.
  void run();

  ShopSyncStatus status() const;
  const ShopSyncSpec& spec() const noexcept { return spec_; }
  const config::SyncConfig& settings() const noexcept { return sync_; }
  Sleeper& sleeper() noexcept { return *sleeper_; }

 private:
  sdk::Result<void> drain(const sdk::ModifiedWindow& window, const char* cursor_name);
  sdk::Result<void> walk(Instant from, Instant until, std::chrono::milliseconds max, const char* cursor_name);
  sdk::Result<void> reconcile(Instant until, std::chrono::milliseconds max);
  std::optional<Instant> read_cursor(const char* name);
  void write_cursors(std::initializer_list<std::pair<const char*, Instant>> cursors);
  void enter(SyncState state, const std::string& why);

  ShopSyncSpec spec_;
  config::SyncConfig sync_;
  ShopSyncDeps deps_;
  std::shared_ptr<Sleeper> sleeper_;
  std::minstd_rand jitter_{std::random_device{}()};
  int failures_ = 0;        ///< Failed passes in a row in which the platform answered no page.
  int pages_answered_ = 0;  ///< Pages the adapter listed in the current pass (worker thread only).
  SyncState reported_ = SyncState::idle;  ///< The last state logged (worker thread only).

  mutable std::mutex status_mutex_;
  ShopSyncStatus status_;
};

}  // namespace erp::daemon::sync
