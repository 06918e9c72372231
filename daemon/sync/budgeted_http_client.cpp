#include "sync/budgeted_http_client.hpp"

#include <algorithm>
#include <cmath>

namespace erp::daemon::sync {

RequestBudget::RequestBudget(int per_minute, Instant now)
    : per_ms_(static_cast<double>(std::max(per_minute, 1)) / 60000.0),
      capacity_(std::max(1.0, static_cast<double>(std::max(per_minute, 1)) / 60.0)),
      tokens_(capacity_),
      refilled_at_(now) {}

void RequestBudget::refill(Instant now) {
  if (now <= refilled_at_) return;
  const auto elapsed = static_cast<double>((now - refilled_at_).count());
  tokens_ = std::min(capacity_, tokens_ + elapsed * per_ms_);
  refilled_at_ = now;
}

std::optional<Instant> RequestBudget::try_take(Instant now) {
  refill(now);
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return std::nullopt;
  }
  const auto wait_ms = static_cast<std::int64_t>(std::ceil((1.0 - tokens_) / per_ms_));
  return now + std::chrono::milliseconds{std::max<std::int64_t>(wait_ms, 1)};
}

BudgetedHttpClient::BudgetedHttpClient(std::shared_ptr<sdk::HttpClient> inner, int per_minute,
                                       std::shared_ptr<Sleeper> sleeper)
    : inner_(std::move(inner)), sleeper_(std::move(sleeper)), budget_(per_minute, sleeper_->clock().now()) {}

sdk::Result<sdk::HttpResponse> BudgetedHttpClient::send(const sdk::HttpRequest& request) noexcept {
  for (;;) {
    std::optional<Instant> ready_at;
    {
      std::lock_guard lock(mutex_);
      ready_at = budget_.try_take(sleeper_->clock().now());
    }
    if (!ready_at) break;
    if (!sleeper_->sleep_until(*ready_at)) return sdk::fail(sdk::ErrorCode::transient, "stopping: request not sent");
  }
  ++requests_made_;
  return inner_->send(request);
}

}  // namespace erp::daemon::sync
