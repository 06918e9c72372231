#include "outbox/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "core/time_format.hpp"
#include "outbox/backoff.hpp"

namespace erp::daemon::outbox {
namespace {

constexpr int kClaimBatch = 32;
// Even with nothing due, look again now and then: a retry may have been requested elsewhere.
constexpr std::chrono::milliseconds kIdlePoll{std::chrono::seconds{5}};

}  // namespace

Dispatcher::Dispatcher(boost::asio::io_context& io, store::Store& store, metrics::Registry& metrics)
    : store_(store), metrics_(metrics), strand_(boost::asio::make_strand(io)), timer_(strand_) {
  metrics_.describe("erpd_outbox_attempts_total", "counter",
                    "Outbox side-effect attempts by kind and result (done, retry, dead).");
}

void Dispatcher::configure(const config::OutboxConfig& policy, HandlerMap handlers) {
  std::lock_guard lock(config_mutex_);
  policy_ = policy;
  handlers_ = std::move(handlers);
}

void Dispatcher::start() {
  const int recovered = store_.recover_in_flight(now_utc());
  if (recovered > 0) {
    spdlog::warn("outbox: {} side effect(s) were in flight when the daemon last stopped; retrying them with "
                 "their idempotency keys",
                 recovered);
  }
  wake();
}

void Dispatcher::wake() {
  if (stopping_) return;
  boost::asio::post(strand_, [this] { drain(); });
}

void Dispatcher::arm_timer(std::chrono::milliseconds delay) {
  timer_.expires_after(delay);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) drain();
  });
}

void Dispatcher::drain() {
  if (stopping_) return;
  {
    std::lock_guard lock(busy_mutex_);
    busy_ = true;
  }
  try {
    for (;;) {
      if (stopping_) break;
      auto items = store_.claim_due(now_utc(), kClaimBatch);
      if (items.empty()) break;
      for (std::size_t i = 0; i < items.size(); ++i) {
        // Items claimed but not started stay in flight; the next start puts them back in the queue.
        if (stopping_) break;
        execute(items[i]);
      }
    }
  } catch (const std::exception& e) {
    spdlog::error("outbox: store error while dispatching: {}", e.what());
  }
  {
    std::lock_guard lock(busy_mutex_);
    busy_ = false;
  }
  idle_.notify_all();
  if (stopping_) return;
  auto delay = kIdlePoll;
  try {
    if (auto next = store_.next_outbox_due()) {
      const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*next - now_utc());
      delay = std::clamp(until, std::chrono::milliseconds{0}, kIdlePoll);
    }
  } catch (const std::exception& e) {
    spdlog::error("outbox: store error while scheduling: {}", e.what());
  }
  arm_timer(delay);
}

void Dispatcher::execute(const store::OutboxItem& item) {
  std::shared_ptr<Handler> handler;
  config::OutboxConfig policy;
  {
    std::lock_guard lock(config_mutex_);
    policy = policy_;
    if (auto it = handlers_.find(item.kind); it != handlers_.end()) handler = it->second;
  }
  sdk::Result<void> result = handler ? handler->execute(item)
                                     : sdk::Result<void>(sdk::fail(sdk::ErrorCode::config_error,
                                                                   "no handler for outbox kind '" + item.kind +
                                                                       "' (is its connector configured?)"));
  const auto now = now_utc();
  if (result.ok()) {
    store_.mark_done(item.id, now);
    metrics_.add("erpd_outbox_attempts_total", {{"kind", item.kind}, {"result", "done"}});
    spdlog::info("outbox: {} #{} done ({})", item.kind, item.id, item.idempotency_key);
    return;
  }
  const sdk::Error& error = result.error();
  const int attempts = item.attempts + 1;
  const std::string message = std::string(sdk::to_string(error.code)) + ": " + error.message;
  if (is_final_failure(policy, attempts, error)) {
    store_.mark_failed(item.id, message, std::nullopt, true, now);
    metrics_.add("erpd_outbox_attempts_total", {{"kind", item.kind}, {"result", "dead"}});
    spdlog::error("outbox: {} #{} gave up after {} attempt(s): {}; `erpctl outbox retry {}` tries again",
                  item.kind, item.id, attempts, message, item.id);
    return;
  }
  const auto delay = retry_delay(policy, attempts, error, std::uniform_real_distribution<double>(0, 1)(jitter_));
  store_.mark_failed(item.id, message, now + delay, false, now);
  metrics_.add("erpd_outbox_attempts_total", {{"kind", item.kind}, {"result", "retry"}});
  spdlog::warn("outbox: {} #{} attempt {} failed: {}; retrying in {}", item.kind, item.id, attempts, message,
               format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(delay)));
}

bool Dispatcher::stop(std::chrono::milliseconds deadline) {
  stopping_ = true;
  boost::asio::post(strand_, [this] { timer_.cancel(); });
  std::unique_lock lock(busy_mutex_);
  return idle_.wait_for(lock, deadline, [this] { return !busy_; });
}

}  // namespace erp::daemon::outbox
