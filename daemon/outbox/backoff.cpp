#include "outbox/backoff.hpp"

#include <algorithm>

namespace erp::daemon::outbox {

std::chrono::milliseconds retry_delay(const config::OutboxConfig& policy, int attempts_so_far,
                                      const sdk::Error& error, double jitter01) {
  using std::chrono::milliseconds;
  const int doublings = std::clamp(attempts_so_far - 1, 0, 30);
  const auto initial = std::max<milliseconds::rep>(policy.backoff_initial.count(), 1);
  const auto cap = std::max<milliseconds::rep>(policy.backoff_max.count(), initial);
  milliseconds::rep delay = initial;
  for (int i = 0; i < doublings && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  delay += static_cast<milliseconds::rep>(static_cast<double>(delay) * 0.2 * std::clamp(jitter01, 0.0, 1.0));
  milliseconds result{delay};
  if (error.retry_after) result = std::max<milliseconds>(result, *error.retry_after);
  return result;
}

bool is_final_failure(const config::OutboxConfig& policy, int attempts_so_far, const sdk::Error& error) {
  return !error.retryable || attempts_so_far >= policy.max_attempts;
}

}  // namespace erp::daemon::outbox
