#include "sync/window_plan.hpp"

#include <algorithm>

namespace erp::daemon::sync {
namespace {

constexpr std::chrono::milliseconds kOneDay{std::chrono::hours{24}};
constexpr std::chrono::milliseconds kOneSecond{1000};

}  // namespace

std::chrono::milliseconds max_window(const config::SyncConfig& sync, const sdk::Capabilities& caps) {
  std::chrono::milliseconds out = std::min(sync.window, kOneDay);
  if (caps.max_window_seconds > 0)
    out = std::min(out, std::chrono::milliseconds{std::chrono::seconds{caps.max_window_seconds}});
  return std::max(out, kOneSecond);
}

Instant settled_until(const config::SyncConfig& sync, Instant now) { return now - sync.lag; }

Instant poll_start(const config::SyncConfig& sync, std::optional<Instant> cursor, Instant now) {
  return cursor ? *cursor - sync.overlap : now - sync.backfill;
}

std::optional<sdk::ModifiedWindow> next_window(Instant from, Instant until, std::chrono::milliseconds max) {
  if (from >= until) return std::nullopt;
  return sdk::ModifiedWindow{from, std::min(until, from + max)};
}

}  // namespace erp::daemon::sync
