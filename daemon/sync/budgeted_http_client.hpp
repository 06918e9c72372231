#pragma once
// The HttpClient a shop's adapter gets: every request first takes a token from the shop's budget
// (`requests_per_minute`), so no adapter, paging loop or retry can exceed what the platform
// allows the app. When the budget is spent the request waits, and a stop ends the wait.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "erp/host.hpp"
#include "sync/sleeper.hpp"

namespace erp::daemon::sync {

/// A token bucket refilled continuously at `per_minute` tokens a minute, holding at most one
/// second's worth (at least one token) so an idle shop cannot burst a whole minute at once.
class RequestBudget {
 public:
  RequestBudget(int per_minute, Instant now);
  /// When a token is available at `now`, takes it and returns nullopt; otherwise the instant
  /// one will be.
  std::optional<Instant> try_take(Instant now);

 private:
  void refill(Instant now);

  double per_ms_;
  double capacity_;
  double tokens_;
  Instant refilled_at_;
};

class BudgetedHttpClient final : public sdk::HttpClient {
 public:
  BudgetedHttpClient(std::shared_ptr<sdk::HttpClient> inner, int per_minute, std::shared_ptr<Sleeper> sleeper);

  /// Waits for a token, then sends. A stop while waiting answers ErrorCode::transient
  /// ("stopping") without sending.
  sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest& request) noexcept override;

  std::int64_t requests_made() const noexcept { return requests_made_; }
  /// The shop's waits (its worker shares it, so stopping the shop ends both).
  const std::shared_ptr<Sleeper>& sleeper() const noexcept { return sleeper_; }

 private:
  std::shared_ptr<sdk::HttpClient> inner_;
  std::shared_ptr<Sleeper> sleeper_;
  std::mutex mutex_;
  RequestBudget budget_;
  std::atomic<std::int64_t> requests_made_{0};
};

}  // namespace erp::daemon::sync
