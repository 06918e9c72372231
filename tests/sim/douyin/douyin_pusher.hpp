#pragma once
// Douyin webhook pushes (PLATFORMS.md §3.6, rule D11): one background thread POSTs each message as
// a JSON array [{tag, msg_id, data}] with the `event-sign` and `app-id` headers, and on request
// drops or duplicates a share of them, so adapters meet lost and repeated pushes in tests.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "sim/core/module.hpp"

namespace erp::sim::douyin {

struct PushJob {
  std::string url;
  std::string app_key;
  std::string app_secret;
  std::string shop_id;
  std::string order_id;  ///< For the "push" counter.
  std::string tag;
  std::string msg_id;
  std::string data;  ///< The message's data object, serialized (it travels as a JSON string).
};

class Pusher {
 public:
  explicit Pusher(Counters& counters);
  ~Pusher();
  Pusher(const Pusher&) = delete;
  Pusher& operator=(const Pusher&) = delete;

  /// Shares (0..1) of messages never sent and of messages sent twice.
  void set_faults(double drop, double duplicate);
  void enqueue(PushJob job);
  /// Waits until the queue is empty and nothing is in flight; false on timeout.
  bool wait_idle(std::chrono::milliseconds timeout);
  /// Forgets queued messages (reset).
  void clear();

  std::uint64_t sent() const;     ///< POSTs made (a duplicate counts twice).
  std::uint64_t dropped() const;  ///< Messages dropped on purpose or because the queue was full.
  std::uint64_t failed() const;   ///< POSTs that got no 2xx answer.

  /// The exact body a message is sent with.
  static std::string body_of(const PushJob& job);

 private:
  void run();
  bool post(const PushJob& job, const std::string& body);

  Counters& counters_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<PushJob> queue_;
  bool busy_ = false;
  bool stop_ = false;
  double drop_ = 0;
  double duplicate_ = 0;
  std::mt19937 rng_{20261123};
  std::uint64_t sent_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t failed_ = 0;
  std::thread worker_;
};

}  // namespace erp::sim::douyin
