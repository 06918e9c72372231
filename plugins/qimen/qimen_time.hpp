#pragma once
// Qimen's times: "yyyy-MM-dd HH:mm:ss" in China time (UTC+8, no daylight saving), in the
// `timestamp` parameter and in every date field of a payload.

#include <optional>
#include <string>
#include <string_view>

#include "erp/model.hpp"

namespace erp::plugins::qimen {

/// "2026-11-11 08:00:00" for 2026-11-11T00:00:00Z; seconds are truncated.
std::string format_china_time(sdk::Instant at);

/// The instant of a China time "yyyy-MM-dd HH:mm:ss" ('T' also taken between date and time, a
/// missing time read as midnight); nullopt for anything else or an impossible date.
std::optional<sdk::Instant> parse_china_time(std::string_view text) noexcept;

}  // namespace erp::plugins::qimen
