#include "sync/retry_policy.hpp"

#include <algorithm>

namespace erp::daemon::sync {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kFirstBackoff{1000};
constexpr milliseconds kMaxBackoff{std::chrono::minutes{5}};
constexpr milliseconds kOperatorRetry{std::chrono::minutes{5}};
// A throttle with no stated ban: wait a minute, the window TOP's per-minute quotas use.
constexpr milliseconds kDefaultRateLimitWait{std::chrono::minutes{1}};
constexpr double kJitterShare = 0.2;

milliseconds exponential(int failures_so_far, double jitter01) {
  milliseconds delay = kFirstBackoff;
  for (int i = 0; i < failures_so_far && delay < kMaxBackoff; ++i) delay *= 2;
  delay = std::min(delay, kMaxBackoff);
  const double cut = kJitterShare * std::clamp(jitter01, 0.0, 1.0) * static_cast<double>(delay.count());
  return delay - milliseconds{static_cast<std::int64_t>(cut)};
}

}  // namespace

RetryDecision decide_retry(const sdk::Error& error, int failures_so_far, double jitter01) {
  switch (error.code) {
    case sdk::ErrorCode::rate_limited:
      return {SyncState::backoff, error.retry_after ? milliseconds{*error.retry_after} : kDefaultRateLimitWait};
    case sdk::ErrorCode::needs_reauth:
    case sdk::ErrorCode::auth_expired:
      return {SyncState::needs_reauth, kOperatorRetry};
    case sdk::ErrorCode::config_error:
      return {SyncState::config_error, kOperatorRetry};
    default:
      return {SyncState::backoff, exponential(failures_so_far, jitter01)};
  }
}

}  // namespace erp::daemon::sync
