#pragma once
// One shop's interruptible waits: the worker's poll/backoff sleep and the request budget's wait
// both end at once when the shop is stopped, and the poll sleep ends early on "sync now".

#include <condition_variable>
#include <memory>
#include <mutex>

#include "sync/sync_clock.hpp"

namespace erp::daemon::sync {

class Sleeper {
 public:
  explicit Sleeper(std::shared_ptr<const SyncClock> clock);

  const SyncClock& clock() const noexcept { return *clock_; }

  /// Waits until `deadline`. False when stopped (before or during the wait).
  bool sleep_until(Instant deadline);
  /// Like sleep_until, but also returns (true) early when wake() was called; clears the wake.
  bool nap_until(Instant deadline);

  void wake();
  void stop();
  /// Undoes stop() for a worker started again with the same client (only sync settings changed).
  void resume();
  bool stopped() const;

 private:
  bool wait(Instant deadline, bool wakeable);

  std::shared_ptr<const SyncClock> clock_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stopped_ = false;
  bool woken_ = false;
};

}  // namespace erp::daemon::sync
