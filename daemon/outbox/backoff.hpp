#pragma once
// When to try a failed side effect again.

#include <chrono>
#include <optional>

#include "config/config.hpp"
#include "erp/result.hpp"

namespace erp::daemon::outbox {

/// Exponential backoff from `backoff_initial`, doubling per attempt up to `backoff_max`, with up
/// to 20% jitter (`jitter01` in [0,1)) so a burst of failures does not retry in lockstep. A
/// `retry_after` from the other side (TOP's ban duration) wins when it is longer.
std::chrono::milliseconds retry_delay(const config::OutboxConfig& policy, int attempts_so_far,
                                      const sdk::Error& error, double jitter01);

/// Whether this failure ends the item: permanent errors at once, retryable ones after max_attempts.
bool is_final_failure(const config::OutboxConfig& policy, int attempts_so_far, const sdk::Error& error);

}  // namespace erp::daemon::outbox
