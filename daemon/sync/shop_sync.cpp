#include "sync/shop_sync.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <utility>

#include "core/time_format.hpp"
#include "sync/retry_policy.hpp"
#include "sync/window_plan.hpp"

namespace erp::daemon::sync {
namespace {

sdk::Error stopping() { return sdk::fail(sdk::ErrorCode::transient, "stopping"); }

std::string describe(const sdk::Error& error) { return std::string(sdk::to_string(error.code)) + ": " + error.message; }

}  // namespace

ShopSync::ShopSync(ShopSyncSpec spec, config::SyncConfig sync, ShopSyncDeps deps, std::shared_ptr<Sleeper> sleeper)
    : spec_(std::move(spec)), sync_(sync), deps_(deps), sleeper_(std::move(sleeper)) {
  status_.platform = spec_.platform;
  status_.shop = spec_.shop;
  status_.cursor = read_cursor(kModifiedCursor);
}

std::optional<Instant> ShopSync::read_cursor(const char* name) {
  const auto text = deps_.store.cursor(spec_.platform, spec_.shop, name);
  if (!text) return std::nullopt;
  return parse_rfc3339(*text);
}

void ShopSync::write_cursors(std::initializer_list<std::pair<const char*, Instant>> cursors) {
  auto tx = deps_.store.begin();
  for (const auto& [name, at] : cursors) {
    deps_.store.set_cursor(*tx, spec_.platform, spec_.shop, name, format_rfc3339(at), sleeper_->clock().now());
  }
  tx->commit();
}

sdk::Result<void> ShopSync::drain(const sdk::ModifiedWindow& window, const char* cursor_name) {
  // Rejected payloads wait for the end of the window and are quarantined in the cursor's
  // transaction: a window re-read after a failure does not quarantine them twice.
  std::vector<sdk::Rejected> rejected;
  std::string page;
  std::int64_t stored = 0;
  do {
    if (sleeper_->stopped()) return stopping();
    sdk::Result<sdk::OrderPage> listed = sdk::fail(sdk::ErrorCode::internal, "no answer");
    try {
      listed = spec_.adapter->list_modified(window, page);
    } catch (const std::exception& e) {
      return sdk::fail(sdk::ErrorCode::internal, std::string("adapter threw: ") + e.what());
    }
    if (!listed) return std::move(listed).error();
    ++pages_answered_;
    for (auto& order : listed->orders) {
      // The shop's adapter speaks for this shop only: whatever it filled in, the order is filed here.
      order.platform = spec_.platform;
      order.shop = spec_.shop;
      try {
        const auto outcome = deps_.pipeline.ingest(order, sleeper_->clock().now());
        if (outcome == store::UpsertOutcome::inserted || outcome == store::UpsertOutcome::updated) ++stored;
      } catch (const std::invalid_argument& e) {
        // A mapped order the store refuses (no id): keep what we know and go on. Any other
        // failure (database, workflow) propagates and the window is read again later.
        rejected.push_back(sdk::Rejected{order.order_id, std::string("not storable: ") + e.what(), {}});
      }
    }
    if (stored > 0) {
      // Counted as stored, even if a later page fails: these orders are in the store.
      deps_.metrics.add(kOrdersMetric, {{"shop", spec_.shop}}, static_cast<double>(stored));
      std::lock_guard lock(status_mutex_);
      status_.orders_synced += stored;
      stored = 0;
    }
    for (auto& r : listed->rejected) rejected.push_back(std::move(r));
    if (!listed->next_page.empty() && listed->next_page == page) {
      return sdk::fail(sdk::ErrorCode::internal, "adapter returned the same page token twice");
    }
    page = listed->next_page;
  } while (!page.empty());

  const Instant now = sleeper_->clock().now();
  {
    auto tx = deps_.store.begin();
    for (const auto& r : rejected) {
      deps_.store.quarantine(
          *tx, store::QuarantineEntry{0, spec_.platform, spec_.shop, r.order_id, r.reason, r.payload, now});
    }
    deps_.store.set_cursor(*tx, spec_.platform, spec_.shop, cursor_name, format_rfc3339(window.to), now);
    tx->commit();
  }
  for (const auto& r : rejected) {
    spdlog::warn("shop {}: payload quarantined (order {}): {}", spec_.shop, r.order_id.empty() ? "?" : r.order_id,
                 r.reason);
  }
  std::lock_guard lock(status_mutex_);
  status_.quarantined += static_cast<std::int64_t>(rejected.size());
  if (std::string_view(cursor_name) == kModifiedCursor) status_.cursor = window.to;
  return {};
}

sdk::Result<void> ShopSync::walk(Instant from, Instant until, std::chrono::milliseconds max, const char* cursor_name) {
  while (const auto window = next_window(from, until, max)) {
    if (auto drained = drain(*window, cursor_name); !drained) return drained;
    from = window->to;
  }
  return {};
}

sdk::Result<void> ShopSync::reconcile(Instant until, std::chrono::milliseconds max) {
  auto sweep_until = read_cursor(kReconcileUntil);
  auto progress = read_cursor(kReconcileCursor);
  if (!sweep_until || !progress) {
    // First start: the backfill just read this span, so the first sweep is one period away.
    write_cursors({{kReconcileUntil, until}, {kReconcileCursor, until}});
    return {};
  }
  if (*progress >= *sweep_until) {
    if (until - *sweep_until < sync_.reconcile_every) return {};
    sweep_until = until;
    progress = until - sync_.reconcile_span;
    write_cursors({{kReconcileUntil, *sweep_until}, {kReconcileCursor, *progress}});
    spdlog::info("shop {}: reconciliation sweep over the last {}", spec_.shop, format_duration(sync_.reconcile_span));
  }
  // Resumes an interrupted sweep where it stopped.
  return walk(*progress, *sweep_until, max, kReconcileCursor);
}

sdk::Result<void> ShopSync::run_pass() {
  sdk::Capabilities caps;
  try {
    caps = spec_.adapter->capabilities();
  } catch (const std::exception& e) {
    return sdk::fail(sdk::ErrorCode::internal, std::string("adapter threw: ") + e.what());
  }
  const Instant now = sleeper_->clock().now();
  const auto max = max_window(sync_, caps);
  const Instant until = settled_until(sync_, now);
  const auto cursor = read_cursor(kModifiedCursor);
  if (auto walked = walk(poll_start(sync_, cursor, now), until, max, kModifiedCursor); !walked) return walked;
  if (sleeper_->stopped()) return stopping();
  return reconcile(until, max);
}

void ShopSync::enter(SyncState state, const std::string& why) {
  {
    std::lock_guard lock(status_mutex_);
    status_.state = state;
  }
  // One line per change of health; idle <-> syncing happens every poll and is not news.
  if (state == SyncState::syncing || state == reported_) return;
  const SyncState before = reported_;
  reported_ = state;
  if (state == SyncState::idle) {
    spdlog::info("shop {}: sync ok again (was {})", spec_.shop, to_string(before));
  } else if (state == SyncState::stopped) {
    spdlog::info("shop {}: sync stopped", spec_.shop);
  } else {
    spdlog::warn("shop {}: sync {}: {}", spec_.shop, to_string(state), why);
  }
}

Instant ShopSync::step() {
  enter(SyncState::syncing, {});
  pages_answered_ = 0;
  sdk::Result<void> pass;
  try {
    pass = run_pass();
  } catch (const std::exception& e) {
    // The store or a workflow failed: nothing of the window was committed past the cursor.
    pass = sdk::fail(sdk::ErrorCode::internal, e.what());
  }
  const Instant now = sleeper_->clock().now();
  if (sleeper_->stopped()) return now;
  Instant next;
  const auto cursor = read_cursor(kModifiedCursor);
  if (cursor) {
    deps_.metrics.set(kLagMetric, {{"shop", spec_.shop}},
                      static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(now - *cursor).count()));
  }
  if (pass) {
    failures_ = 0;
    next = now + spec_.poll_interval;
    {
      std::lock_guard lock(status_mutex_);
      status_.last_success_at = now;
      status_.last_error.clear();
      status_.next_attempt_at = next;
    }
    enter(SyncState::idle, {});
  } else {
    const auto& error = pass.error();
    // The backoff doubles only while the platform answers nothing. A pass that got any page
    // back met scattered faults, not an outage: on a sale day with one request in five failing,
    // a window of three pages fails half its reads, and doubling on each would park the shop
    // for minutes. The request budget still caps how hard a retried window presses.
    if (pages_answered_ > 0) failures_ = 0;
    const double jitter01 = std::uniform_real_distribution<double>(0.0, 1.0)(jitter_);
    const RetryDecision decision = decide_retry(error, failures_, jitter01);
    // A throttle has its own wait and says the platform is up: it does not grow the backoff.
    if (error.code != sdk::ErrorCode::rate_limited) ++failures_;
    next = now + decision.delay;
    deps_.metrics.add(kErrorsMetric, {{"shop", spec_.shop}, {"code", std::string(sdk::to_string(error.code))}});
    {
      std::lock_guard lock(status_mutex_);
      status_.last_error = describe(error);
      status_.next_attempt_at = next;
    }
    enter(decision.state, describe(error) + "; next attempt in " + format_duration(decision.delay));
  }
  return next;
}

void ShopSync::run() {
  while (!sleeper_->stopped()) {
    const Instant next = step();
    sleeper_->nap_until(next);
  }
  {
    std::lock_guard lock(status_mutex_);
    status_.next_attempt_at.reset();
  }
  enter(SyncState::stopped, {});
}

ShopSyncStatus ShopSync::status() const {
  std::lock_guard lock(status_mutex_);
  ShopSyncStatus out = status_;
  if (spec_.http) out.requests_made = spec_.http->requests_made();
  return out;
}

}  // namespace erp::daemon::sync
