#pragma once
// Instants on the wire are RFC 3339 UTC; instants shown to a merchant are China Standard Time
// (UTC+8, no DST), the time every platform rule is stated in. Durations in config read "30s", "5m".

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "erp/model.hpp"

namespace erp::daemon {

using sdk::Instant;

/// Milliseconds since the Unix epoch, the form instants take in the database.
inline std::int64_t to_millis(Instant t) noexcept { return t.time_since_epoch().count(); }
inline Instant from_millis(std::int64_t ms) noexcept { return Instant{std::chrono::milliseconds{ms}}; }

/// The current time at millisecond precision.
Instant now_utc() noexcept;

/// "2026-11-11T02:00:03Z", or with ".250" milliseconds when they are not zero.
std::string format_rfc3339(Instant t);

/// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|+hh:mm|-hh:mm)"; a space may stand for the 'T'.
std::optional<Instant> parse_rfc3339(std::string_view text) noexcept;

/// "2026-11-11 10:00:03" in China Standard Time, for people.
std::string format_cst(Instant t);

/// Parses a platform-style local time "YYYY-MM-DD HH:MM:SS" written in China Standard Time.
std::optional<Instant> parse_cst(std::string_view text) noexcept;

/// A time as merchants write one on the command line, in config and in API bodies: RFC 3339, or
/// China time "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DD HH:MM" (also with a 'T') or "YYYY-MM-DD" (the
/// start of that day).
std::optional<Instant> parse_merchant_time(std::string_view text);

/// Parses "250ms", "30s", "5m", "4h", "2d" (one number, one unit).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) noexcept;

/// The shortest exact form: 90000ms -> "90s", 7200000ms -> "2h".
std::string format_duration(std::chrono::milliseconds d);

}  // namespace erp::daemon
