#pragma once
// What `GET /v1/status` and `GET /v1/alerts` show about one shop's sync.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "erp/model.hpp"

namespace erp::daemon::sync {

using sdk::Instant;

enum class SyncState { idle, syncing, backoff, needs_reauth, config_error, stopped };

constexpr std::string_view to_string(SyncState state) noexcept {
  switch (state) {
    case SyncState::idle:
      return "idle";
    case SyncState::syncing:
      return "syncing";
    case SyncState::backoff:
      return "backoff";
    case SyncState::needs_reauth:
      return "needs_reauth";
    case SyncState::config_error:
      return "config_error";
    case SyncState::stopped:
      return "stopped";
  }
  return "stopped";
}

struct ShopSyncStatus {
  std::string platform;
  std::string shop;
  SyncState state = SyncState::idle;
  std::optional<Instant> cursor;  ///< Everything modified before this is stored.
  std::optional<Instant> last_success_at;
  std::string last_error;  ///< "code: message" of the last failure; empty after a success.
  std::optional<Instant> next_attempt_at;
  std::int64_t orders_synced = 0;  ///< Orders inserted or updated by this worker since it started.
  std::int64_t quarantined = 0;    ///< Payloads this worker put in quarantine since it started.
  std::int64_t requests_made = 0;  ///< HTTP requests the shop's adapter sent since it was created.
};

}  // namespace erp::daemon::sync
