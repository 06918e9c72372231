#pragma once
// The store's lock: recursive, and handed to waiting threads in the order they asked (a ticket
// lock). std::recursive_mutex lets the thread that just unlocked take it straight back, so a
// sync storing a page of orders one transaction after another could keep an API request waiting
// for the whole page (bench/README.md "Intercept decision latency": p99 13 ms at 500 requests/s).

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace erp::daemon::store {

class FairRecursiveMutex {
 public:
  void lock() {
    const auto me = std::this_thread::get_id();
    std::unique_lock guard(state_);
    if (owner_ == me) {
      ++depth_;
      return;
    }
    const std::uint64_t ticket = next_ticket_++;
    turn_.wait(guard, [&] { return serving_ == ticket; });
    owner_ = me;
    depth_ = 1;
  }

  bool try_lock() {
    const auto me = std::this_thread::get_id();
    std::lock_guard guard(state_);
    if (owner_ == me) {
      ++depth_;
      return true;
    }
    if (serving_ != next_ticket_) return false;  // held, or others are queued before us
    ++next_ticket_;
    owner_ = me;
    depth_ = 1;
    return true;
  }

  void unlock() {
    std::lock_guard guard(state_);
    if (--depth_ > 0) return;
    owner_ = std::thread::id{};
    ++serving_;
    turn_.notify_all();  // the next ticket's holder proceeds; the others wait again
  }

 private:
  std::mutex state_;
  std::condition_variable turn_;
  std::uint64_t next_ticket_ = 0;  ///< The ticket the next thread to ask gets.
  std::uint64_t serving_ = 0;      ///< The ticket whose holder may have the lock.
  std::thread::id owner_;
  int depth_ = 0;
};

}  // namespace erp::daemon::store
