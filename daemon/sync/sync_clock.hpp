#pragma once
// The clock the sync engine reads and waits on. Waiting goes through the clock, not through
// std::this_thread, so unit tests can run a manual clock: a wait there moves time forward at once
// and windows, backoff and the request budget are exact instead of wall-time guesses.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

#include "erp/host.hpp"

namespace erp::daemon::sync {

using sdk::Instant;

class SyncClock : public sdk::Clock {
 public:
  /// Blocks on `cv` (with `lock` held) until the clock reads `deadline` or `done()` is true.
  /// Spurious returns are allowed; callers re-check.
  virtual void wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, Instant deadline,
                          const std::function<bool()>& done) const = 0;
};

/// Wall-clock time; waits are condition-variable waits that a stop or wake cuts short.
class SystemSyncClock final : public SyncClock {
 public:
  Instant now() const noexcept override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }
  void wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, Instant deadline,
                  const std::function<bool()>& done) const override {
    cv.wait_until(lock, std::chrono::system_clock::time_point(deadline), done);
  }
};

}  // namespace erp::daemon::sync
