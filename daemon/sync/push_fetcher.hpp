#pragma once
// One shop's fetches of pushed orders (rule D11). A push says only which order changed; this
// worker fetches the order at once through the shop's adapter and files it through the same
// pipeline as the sync, then records the push's message ids so a push delivered twice is not
// fetched twice. Messages about one order that wait together are fetched once.
//
// One worker thread per shop that takes pushes, like the sync engine's: get_order blocks for the
// platform's answer (up to the HTTP timeout, or while the shop's request budget is spent), so a
// shared worker would let one slow or throttled shop hold every other shop's pushes back.
// Nothing here must be complete: the platform does not send a push again, so whatever is
// dropped or given up (a full queue, a stop, a fetch that keeps failing) is read by the shop's
// sync, which keeps polling and sweeping every shop.

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "erp/adapter.hpp"
#include "metrics/metrics.hpp"
#include "store/store.hpp"
#include "sync/sync_clock.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::daemon::sync {

/// Push messages by shop and outcome: accepted (taken over), duplicate (seen before), refused
/// (the push failed verification), fetched (the order was fetched and filed), fetch_failed.
inline constexpr const char* kPushMetric = "erp_push_messages_total";

/// The running adapter of a shop, or null when the shop is unknown, disabled or failed.
using AdapterLookup = std::function<std::shared_ptr<sdk::PlatformAdapter>(const std::string& shop)>;

struct PushDeps {
  store::Store& store;
  workflows::OrderPipeline& pipeline;
  metrics::Registry& metrics;
  /// Looked up at each use, so a reloaded shop's new adapter is the one asked.
  AdapterLookup adapters;
};

struct PushOptions {
  int fetch_attempts = 4;                         ///< Tries of one fetch (rate limited, transient) before giving up.
  std::chrono::milliseconds first_backoff{1000};  ///< Wait before the first retry; doubles each time.
  std::chrono::milliseconds max_backoff{30000};   ///< Longest wait, also for a platform's stated ban.
  std::size_t max_queued = 10000;                 ///< Orders waiting per shop; pushes beyond it are left to the sync.
  std::chrono::milliseconds keep_ids{std::chrono::hours{24 * 7}};  ///< How long message ids are remembered.
  std::chrono::milliseconds prune_every{std::chrono::hours{1}};    ///< How often old ids are forgotten.
};

class PushFetcher {
 public:
  enum class Queued {
    queued,     ///< Taken over: it will be fetched.
    duplicate,  ///< This message id already waits or is being fetched.
    refused,    ///< Not taken: the queue is full or the fetcher stopped.
  };

  /// Starts the worker thread.
  PushFetcher(std::string platform, std::string shop, PushDeps deps, std::shared_ptr<const SyncClock> clock,
              PushOptions options);
  ~PushFetcher();
  PushFetcher(const PushFetcher&) = delete;
  PushFetcher& operator=(const PushFetcher&) = delete;

  const std::string& platform() const noexcept { return platform_; }
  const std::string& shop() const noexcept { return shop_; }

  /// Queues a fetch of `order_id` for message `msg_id` (may be empty: then it is not deduped or
  /// recorded). A message for an order that already waits joins that fetch.
  Queued enqueue(const std::string& order_id, const std::string& msg_id);
  /// True when this message id waits or is being fetched.
  bool holds(const std::string& msg_id) const;
  /// Nothing waits and nothing is being fetched.
  bool idle() const;
  /// Tells the worker to stop after the fetch in flight, without waiting for it.
  void request_stop();
  /// Stops the worker and waits for it: the fetch in flight ends first (bounded by its HTTP
  /// timeout), what waits is dropped. Returns how many orders were dropped.
  std::size_t stop();

 private:
  struct Job {
    std::string order_id;
    std::vector<std::string> msg_ids;  ///< Non-empty ids only.
    std::size_t messages = 0;          ///< Every message this fetch answers, with or without an id.
    int attempts = 0;
    Instant due{};
  };
  enum class Outcome { done, retry };

  void run();
  Outcome fetch(Job& job);
  Outcome retry_or_give_up(Job& job, const sdk::Error& error);
  void finish(const Job& job, const char* outcome);
  void quarantine(const Job& job, const std::string& reason);
  void count(const char* outcome, std::size_t messages);

  const std::string platform_;
  const std::string shop_;
  PushDeps deps_;
  std::shared_ptr<const SyncClock> clock_;
  PushOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::list<Job> queue_;  ///< In arrival order; a retried fetch goes to the back with a later due.
  std::unordered_map<std::string, std::list<Job>::iterator> by_order_;
  std::set<std::string> msg_ids_;  ///< Ids of messages waiting or in flight.
  std::size_t in_flight_ = 0;
  bool stopped_ = false;
  bool woken_ = false;
  bool full_reported_ = false;
  std::size_t dropped_ = 0;  ///< What the stop dropped.
  std::thread thread_;       ///< Last: started once everything above exists.
};

}  // namespace erp::daemon::sync
