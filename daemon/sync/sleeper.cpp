#include "sync/sleeper.hpp"

namespace erp::daemon::sync {

Sleeper::Sleeper(std::shared_ptr<const SyncClock> clock) : clock_(std::move(clock)) {}

bool Sleeper::sleep_until(Instant deadline) { return wait(deadline, false); }

bool Sleeper::nap_until(Instant deadline) { return wait(deadline, true); }

bool Sleeper::wait(Instant deadline, bool wakeable) {
  std::unique_lock lock(mutex_);
  const auto done = [&] { return stopped_ || (wakeable && woken_); };
  while (!done() && clock_->now() < deadline) clock_->wait_until(cv_, lock, deadline, done);
  if (wakeable) woken_ = false;
  return !stopped_;
}

void Sleeper::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Sleeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  cv_.notify_all();
}

void Sleeper::resume() {
  std::lock_guard lock(mutex_);
  stopped_ = false;
  woken_ = false;
}

bool Sleeper::stopped() const {
  std::lock_guard lock(mutex_);
  return stopped_;
}

}  // namespace erp::daemon::sync
