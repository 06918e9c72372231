#include "sync/push_fetcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "core/time_format.hpp"

namespace erp::daemon::sync {
namespace {

std::string describe(const sdk::Error& error) { return std::string(sdk::to_string(error.code)) + ": " + error.message; }

}  // namespace

PushFetcher::PushFetcher(std::string platform, std::string shop, PushDeps deps, std::shared_ptr<const SyncClock> clock,
                         PushOptions options)
    : platform_(std::move(platform)),
      shop_(std::move(shop)),
      deps_(std::move(deps)),
      clock_(std::move(clock)),
      options_(options),
      thread_([this] { run(); }) {}

PushFetcher::~PushFetcher() { stop(); }

PushFetcher::Queued PushFetcher::enqueue(const std::string& order_id, const std::string& msg_id) {
  std::lock_guard lock(mutex_);
  if (stopped_) return Queued::refused;
  if (!msg_id.empty() && msg_ids_.count(msg_id) > 0) return Queued::duplicate;
  if (auto it = by_order_.find(order_id); it != by_order_.end()) {
    // Coalesced: one fetch reads the order's latest state for every message about it.
    if (!msg_id.empty()) it->second->msg_ids.push_back(msg_id);
    ++it->second->messages;
  } else {
    if (queue_.size() >= options_.max_queued) {
      if (!full_reported_) {
        full_reported_ = true;
        spdlog::warn(
            "shop {}: {} pushed orders wait to be fetched; further pushes are left to the shop's sync until "
            "the queue drains",
            shop_, queue_.size());
      }
      return Queued::refused;
    }
    Job job;
    job.order_id = order_id;
    if (!msg_id.empty()) job.msg_ids.push_back(msg_id);
    job.messages = 1;
    job.due = clock_->now();
    queue_.push_back(std::move(job));
    by_order_.emplace(order_id, std::prev(queue_.end()));
  }
  if (!msg_id.empty()) msg_ids_.insert(msg_id);
  woken_ = true;
  cv_.notify_one();
  return Queued::queued;
}

bool PushFetcher::holds(const std::string& msg_id) const {
  std::lock_guard lock(mutex_);
  return msg_ids_.count(msg_id) > 0;
}

bool PushFetcher::idle() const {
  std::lock_guard lock(mutex_);
  return queue_.empty() && in_flight_ == 0;
}

void PushFetcher::request_stop() {
  {
    std::lock_guard lock(mutex_);
    if (!stopped_) {
      stopped_ = true;
      dropped_ = queue_.size();
      queue_.clear();
      by_order_.clear();
    }
  }
  cv_.notify_all();
}

std::size_t PushFetcher::stop() {
  request_stop();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  std::lock_guard lock(mutex_);
  return dropped_;
}

void PushFetcher::run() {
  std::unique_lock lock(mutex_);
  while (!stopped_) {
    const Instant now = clock_->now();
    auto next = queue_.end();
    std::optional<Instant> earliest;
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
      if (it->due <= now) {
        next = it;
        break;
      }
      if (!earliest || it->due < *earliest) earliest = it->due;
    }
    if (next == queue_.end()) {
      woken_ = false;
      const auto ready = [this] { return stopped_ || woken_; };
      if (earliest) {
        clock_->wait_until(cv_, lock, *earliest, ready);
      } else {
        cv_.wait(lock, ready);
      }
      continue;
    }
    Job job = std::move(*next);
    by_order_.erase(job.order_id);
    queue_.erase(next);
    if (full_reported_ && queue_.size() < options_.max_queued / 2) full_reported_ = false;
    ++in_flight_;
    lock.unlock();
    Outcome outcome = Outcome::done;
    try {
      outcome = fetch(job);
    } catch (const std::exception& e) {
      // A failure in the bookkeeping itself (the store): the sync reads the order anyway.
      spdlog::error("shop {}: pushed order {}: {}", shop_, job.order_id, e.what());
    }
    lock.lock();
    --in_flight_;
    if (outcome == Outcome::retry && !stopped_) {
      if (auto it = by_order_.find(job.order_id); it != by_order_.end()) {
        // A newer message for the order arrived meanwhile: one fetch answers both.
        auto& waiting = *it->second;
        waiting.msg_ids.insert(waiting.msg_ids.end(), job.msg_ids.begin(), job.msg_ids.end());
        waiting.messages += job.messages;
        waiting.attempts = std::max(waiting.attempts, job.attempts);
      } else {
        queue_.push_back(std::move(job));
        by_order_.emplace(queue_.back().order_id, std::prev(queue_.end()));
      }
    } else {
      for (const auto& id : job.msg_ids) msg_ids_.erase(id);
    }
  }
}

PushFetcher::Outcome PushFetcher::fetch(Job& job) {
  auto adapter = deps_.adapters ? deps_.adapters(shop_) : nullptr;
  if (!adapter) {
    return retry_or_give_up(job, sdk::fail(sdk::ErrorCode::config_error,
                                           "the shop has no running adapter (removed, disabled or its plugin failed)"));
  }
  sdk::Result<sdk::Order> got = sdk::fail(sdk::ErrorCode::internal, "no answer");
  try {
    got = adapter->get_order(job.order_id);
  } catch (const std::exception& e) {
    got = sdk::fail(sdk::ErrorCode::internal, std::string("adapter threw: ") + e.what());
  }
  if (got) {
    sdk::Order& order = got.value();
    // The shop's adapter speaks for this shop only: whatever it filled in, the order is filed here.
    order.platform = platform_;
    order.shop = shop_;
    try {
      deps_.pipeline.ingest(order, clock_->now());
    } catch (const std::invalid_argument& e) {
      quarantine(job, std::string("not storable: ") + e.what());
      finish(job, "fetch_failed");
      return Outcome::done;
    } catch (const std::exception& e) {
      // The database or a workflow failed and rolled back: like a platform hiccup, try again.
      return retry_or_give_up(job, sdk::fail(sdk::ErrorCode::transient, std::string("storing failed: ") + e.what()));
    }
    spdlog::debug("shop {}: pushed order {} fetched ({} message(s))", shop_, job.order_id, job.messages);
    finish(job, "fetched");
    return Outcome::done;
  }
  const sdk::Error& error = got.error();
  switch (error.code) {
    case sdk::ErrorCode::not_found:
      // Not (or no longer) this shop's order: several shops may share a push path.
      spdlog::debug("shop {}: pushed order {} not found on the platform", shop_, job.order_id);
      finish(job, "fetched");
      return Outcome::done;
    case sdk::ErrorCode::invalid_input:
      // The adapter could not map the order: kept with the reason, like the sync's rejects.
      quarantine(job, "get_order: " + error.message);
      finish(job, "fetch_failed");
      return Outcome::done;
    default:
      return retry_or_give_up(job, error);
  }
}

PushFetcher::Outcome PushFetcher::retry_or_give_up(Job& job, const sdk::Error& error) {
  ++job.attempts;
  if (sdk::is_retryable(error.code) && job.attempts < options_.fetch_attempts) {
    std::chrono::milliseconds delay = options_.first_backoff;
    for (int i = 1; i < job.attempts && delay < options_.max_backoff; ++i) delay *= 2;
    if (error.code == sdk::ErrorCode::rate_limited && error.retry_after) {
      delay = std::max<std::chrono::milliseconds>(delay, *error.retry_after);
    }
    job.due = clock_->now() + std::min(delay, options_.max_backoff);
    return Outcome::retry;
  }
  // Not recorded: a repeat of these messages is fetched again, and the sync reads the order.
  spdlog::warn("shop {}: gave up fetching pushed order {} after {} attempt(s): {}; the shop's sync will read it", shop_,
               job.order_id, job.attempts, describe(error));
  count("fetch_failed", job.messages);
  return Outcome::done;
}

void PushFetcher::finish(const Job& job, const char* outcome) {
  const Instant now = clock_->now();
  for (const auto& id : job.msg_ids) deps_.store.record_push(platform_, shop_, id, now);
  count(outcome, job.messages);
}

void PushFetcher::quarantine(const Job& job, const std::string& reason) {
  {
    auto tx = deps_.store.begin();
    deps_.store.quarantine(*tx, store::QuarantineEntry{0, platform_, shop_, job.order_id, reason, {}, clock_->now()});
    tx->commit();
  }
  spdlog::warn("shop {}: payload quarantined (order {}): {}", shop_, job.order_id, reason);
}

void PushFetcher::count(const char* outcome, std::size_t messages) {
  deps_.metrics.add(kPushMetric, {{"shop", shop_}, {"outcome", outcome}}, static_cast<double>(messages));
}

}  // namespace erp::daemon::sync
