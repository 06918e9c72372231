#pragma once
// Where the next modified-time window starts and ends: small pure functions, so the rules that
// keep sync from skipping an order are tested without threads or a platform.

#include <chrono>
#include <optional>

#include "config/config.hpp"
#include "erp/adapter.hpp"

namespace erp::daemon::sync {

using sdk::Instant;

/// The longest window one list_modified call may ask for: the configured window, the adapter's
/// own limit and one day, whichever is least (never below one second).
std::chrono::milliseconds max_window(const config::SyncConfig& sync, const sdk::Capabilities& caps);

/// Windows never end after now - lag: updates the platform commits late (its listings lag its
/// writes) would otherwise fall behind a cursor that already moved past them.
Instant settled_until(const config::SyncConfig& sync, Instant now);

/// Where an incremental poll starts: `overlap` before the stored cursor, or `backfill` before
/// now on the first start.
Instant poll_start(const config::SyncConfig& sync, std::optional<Instant> cursor, Instant now);

/// The next window from `from`, or nullopt when nothing before `until` is left to read.
std::optional<sdk::ModifiedWindow> next_window(Instant from, Instant until, std::chrono::milliseconds max);

}  // namespace erp::daemon::sync
