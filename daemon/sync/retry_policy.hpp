#pragma once
// What a failed sync pass means for the shop and when to try again. The plugin classified the
// error; this is the host's retry policy (DESIGN "The plugin boundary").

#include <chrono>
#include <string>

#include "erp/result.hpp"
#include "sync/sync_status.hpp"

namespace erp::daemon::sync {

struct RetryDecision {
  SyncState state = SyncState::backoff;
  std::chrono::milliseconds delay{0};
};

/// Transient failures back off from 1 s doubling to 5 min, with up to 20% jitter (`jitter01` in
/// [0,1)) so shops that failed together do not retry in lockstep. rate_limited waits exactly the
/// platform's ban (retry_after) when it says one. needs_reauth / auth_expired and config_error
/// need a person; they are retried every 5 min so the shop recovers by itself once fixed.
/// `failures_so_far` counts the consecutive failures before this one.
RetryDecision decide_retry(const sdk::Error& error, int failures_so_far, double jitter01);

}  // namespace erp::daemon::sync
