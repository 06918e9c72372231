#pragma once
// The WMS's calls to the ERP (deliveryorder.confirm, orderprocess.report, stockchange.report):
// one background thread POSTs them in the order they were made, so a confirm never overtakes the
// one before it, and reports what each attempt got. A call allowed several attempts is sent
// again, byte for byte, while the ERP gives no readable answer, as a real WMS retries.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "qimen/qimen_payload.hpp"

namespace erp::sim::qimen {

struct OutboundCall {
  std::string wms_id;
  std::uint64_t record = 0;  ///< The call's record in the module's state.
  std::string url;           ///< push_url with the signed query.
  std::string content_type;
  std::string body;
  std::chrono::milliseconds timeout{5000};
  std::chrono::milliseconds retry_after{1000};
  int max_attempts = 1;
};

struct AttemptResult {
  int attempt = 1;
  long http_status = 0;          ///< 0: no HTTP answer at all.
  std::optional<Answer> answer;  ///< nullopt: nothing readable as a Qimen answer.
  std::string error;             ///< Why there is no answer.
  bool last = true;              ///< No further attempt follows.
};

class Sender {
 public:
  /// Called from the sending thread after every attempt, without the sender's lock held.
  using Report = std::function<void(const OutboundCall&, const AttemptResult&)>;

  explicit Sender(Report report);
  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  void enqueue(OutboundCall call);
  /// Waits until nothing is queued or in flight; false on timeout.
  bool wait_idle(std::chrono::milliseconds timeout);
  /// Forgets queued calls and stops retrying the one in flight (reset).
  void clear();
  std::size_t queued() const;

 private:
  void run();
  AttemptResult post(const OutboundCall& call);
  /// Waits `delay` unless stopped or cleared meanwhile; true when the retry should go ahead.
  bool pause_before_retry(std::chrono::milliseconds delay, std::uint64_t generation);

  Report report_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<OutboundCall> queue_;
  bool busy_ = false;
  bool stop_ = false;
  std::uint64_t generation_ = 0;  ///< Bumped by clear(): an in-flight call of an older one is not retried.
  std::thread worker_;
};

}  // namespace erp::sim::qimen
