#pragma once
// The platforms' wall-clock times: `yyyy-MM-dd HH:mm:ss` in China Standard Time (GMT+8, no DST),
// as TOP (PLATFORMS.md §1.2) and the Qimen warehouse standard write them.

#include <optional>
#include <string>
#include <string_view>

#include "erp/model.hpp"

namespace erp::plugins {

/// Formats a UTC instant as GMT+8 `yyyy-MM-dd HH:mm:ss`, dropping milliseconds (floor).
std::string format_china_time(sdk::Instant instant);

/// Parses GMT+8 `yyyy-MM-dd HH:mm:ss` into a UTC instant; nullopt for any other shape or a bad date.
std::optional<sdk::Instant> parse_china_time(std::string_view text) noexcept;

}  // namespace erp::plugins
