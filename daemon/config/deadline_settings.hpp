#pragma once
// The deadline settings (rules S1, S5, S8): workflows.deadlines (where the holiday calendars are,
// the promised ship time, how early to warn) and a shop's `deadlines:` map (its own promised ship
// time, the holiday activities it joined). The calendars themselves are read by calendar_file.

#include <chrono>
#include <string_view>

#include "config/calendar_file.hpp"
#include "config/config.hpp"
#include "config/map_reader.hpp"

namespace erp::daemon::config::detail {

/// The calendars' directory when workflows.deadlines.calendars is not given: beside the config file.
inline constexpr std::string_view kDefaultCalendarsDir = "calendars";
/// S1: a promised ship time shorter than this is a typo (the platforms promise hours to days).
inline constexpr std::chrono::milliseconds kMinPromised{std::chrono::hours{1}};
/// The deadline sweep reads every open order's deadlines; faster would only load the database.
inline constexpr std::chrono::milliseconds kMinDeadlineSweepEvery{std::chrono::seconds{1}};

/// workflows.deadlines (absent or empty: the DeadlineConfig defaults, calendars in
/// <config dir>/calendars, which may be missing). Bad values and unknown keys are reported and
/// leave their key at its default; so is at_risk_before not less than promised (every order would
/// be at risk once paid). A `calendars` directory given explicitly must exist: when it does not,
/// or its value is wrong, that is reported and `calendars` comes back empty (nothing to load, and
/// the shops' activities are not checked against it).
DeadlineConfig read_deadlines(const MapReader& workflows, const ReadContext& context);

/// A shop's `deadlines:` map. `promised` (at least kMinPromised, and more than the defaults'
/// at_risk_before); `activities` (S8): calendar ids of `calendars`, each once, for the shop's
/// platform. `calendars` null: the directory was not loaded (its problem was reported), the ids
/// are not checked. An id naming a calendar file that had problems of its own (reported in that
/// file) is not blamed again. `platform` empty (missing or wrong, and reported): not checked.
ShopDeadlines read_shop_deadlines(const MapReader& shop, std::string_view platform, const DeadlineConfig& defaults,
                                  const LoadedCalendars* calendars);

}  // namespace erp::daemon::config::detail
