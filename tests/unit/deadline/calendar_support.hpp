#pragma once
// The calendars as shipped in config/calendars/, and China-time literals, for the deadline tests.

#include <doctest/doctest.h>

#include <string>

#include "config/calendar_file.hpp"
#include "core/time_format.hpp"

namespace erp::test {

/// "2024-02-19 23:59:59" (Asia/Shanghai) as an Instant.
inline sdk::Instant cst(const std::string& text) {
  const auto at = daemon::parse_cst(text);
  REQUIRE_MESSAGE(at.has_value(), text);
  return *at;
}

/// config/calendars/ of the source tree, read as erpd reads it; fails the test on any problem.
inline daemon::deadline::Calendar shipped_calendars() {
  auto loaded = daemon::config::load_calendars(std::string(ERP_SOURCE_DIR) + "/config/calendars");
  for (const auto& issue : loaded.issues) FAIL_CHECK(issue.to_string());
  REQUIRE(loaded.issues.empty());
  return loaded.calendar;
}

}  // namespace erp::test
