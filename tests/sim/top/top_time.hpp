#pragma once
// TOP writes every time as "yyyy-MM-dd HH:mm:ss" in China time (GMT+8, no DST), PLATFORMS.md 1.2.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "erp/model.hpp"

namespace erp::sim::top {

using Instant = sdk::Instant;

/// "2016-01-01 12:00:00" for the instant, seen in China time.
std::string format_china_time(Instant t);

/// Parses "yyyy-MM-dd HH:mm:ss" (China time). With `allow_epoch_ms`, an all-digit value of 13
/// digits is taken as epoch milliseconds, as the Python SDK sends it (PLATFORMS.md 1.2).
std::optional<Instant> parse_china_time(std::string_view text, bool allow_epoch_ms = false);

/// Scenario durations: a number of seconds ("90"), or "45s", "30m", "3h", "1d" and sums such as "2h30m".
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

}  // namespace erp::sim::top
