#pragma once
// Reads the holiday calendars (rule S5: the platforms' notices as data, not code): every
// config/calendars/*.yaml file is one notice, checked the way the config is (every problem as
// FILE:LINE: key: what is wrong), so an operator adds next year's window as a new file and
// `erpd check-config` tells them what is wrong with it.

#include <filesystem>
#include <string_view>
#include <vector>

#include "config/loader.hpp"
#include "deadline/calendar.hpp"

namespace erp::daemon::config {

struct LoadedCalendars {
  deadline::Calendar calendar;      ///< The notices without problems.
  std::vector<ConfigIssue> issues;  ///< Every problem found, file by file in name order.
};

/// One calendar file's text, named `file` in messages.
LoadedCalendars read_calendar_text(std::string_view text, const std::string& file);

/// Every *.yaml file of `dir`, in name order; two notices with the same id, or covering the same
/// paid time on one platform (which one would apply?), are problems too. A missing directory is
/// an empty calendar.
LoadedCalendars load_calendars(const std::filesystem::path& dir);

}  // namespace erp::daemon::config
