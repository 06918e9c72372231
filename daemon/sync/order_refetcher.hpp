#pragma once
// Fetches single orders again on a workflow's request (a repurchase waiting for Tmall's
// reservation tag, a reservation order its tag names, rule G2) and files them through the
// pipeline like the sync does. Best effort: a failed fetch is logged and left to the shop's sync,
// which reads every order again in its windows and sweeps.
//
// One worker thread for all shops: requests are few (a handful a minute on a sale day) and each
// costs one call of the shop's request budget, which the adapter's HTTP client enforces.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "core/order_key.hpp"
#include "sync/push_fetcher.hpp"

namespace erp::daemon::sync {

class OrderRefetcher {
 public:
  /// Starts the worker thread.
  OrderRefetcher(PushDeps deps, std::shared_ptr<const SyncClock> clock, std::size_t max_queued = 10000);
  ~OrderRefetcher();
  OrderRefetcher(const OrderRefetcher&) = delete;
  OrderRefetcher& operator=(const OrderRefetcher&) = delete;

  /// Queues a fetch; false when the order already waits, the queue is full or the worker stopped.
  bool request(const OrderKey& key);
  /// Nothing waits and nothing is being fetched.
  bool idle() const;
  /// Stops the worker after the fetch in flight; what waits is dropped.
  void stop();

 private:
  void run();
  void fetch(const OrderKey& key);

  PushDeps deps_;
  std::shared_ptr<const SyncClock> clock_;
  const std::size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<OrderKey> queue_;
  std::set<std::string> waiting_;  ///< Keys in queue_, so one order waits once.
  bool busy_ = false;
  bool stopped_ = false;
  std::thread thread_;  ///< Last: started once everything above exists.
};

}  // namespace erp::daemon::sync
