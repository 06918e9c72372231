#pragma once
// Executes outbox items: each side effect at least once with a stable idempotency key, which the
// handlers use to make the effect happen exactly once on the other side. Retries with backoff;
// after the configured attempts (or at once for a permanent error) an item goes dead, to be
// listed and retried by `erpctl outbox`.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>

#include "config/config.hpp"
#include "metrics/metrics.hpp"
#include "outbox/handler.hpp"
#include "store/store.hpp"

namespace erp::daemon::outbox {

class Dispatcher {
 public:
  Dispatcher(boost::asio::io_context& io, store::Store& store, metrics::Registry& metrics);

  /// Sets the retry policy and the handlers; safe to call again on reload.
  void configure(const config::OutboxConfig& policy, HandlerMap handlers);

  /// Puts items a crash left in flight back in the queue and starts working.
  void start();

  /// Looks for due work now (after an enqueue or a retry request).
  void wake();

  /// Stops taking new items and waits up to `deadline` for the one in flight to finish.
  /// Returns false when it did not finish in time (it will be retried after restart).
  bool stop(std::chrono::milliseconds deadline);

 private:
  void arm_timer(std::chrono::milliseconds delay);
  void drain();
  void execute(const store::OutboxItem& item);

  store::Store& store_;
  metrics::Registry& metrics_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;

  std::mutex config_mutex_;
  config::OutboxConfig policy_;
  HandlerMap handlers_;
  std::mt19937 jitter_{std::random_device{}()};

  std::atomic<bool> stopping_{false};
  std::mutex busy_mutex_;
  std::condition_variable idle_;
  bool busy_ = false;
};

}  // namespace erp::daemon::outbox
