#include "core/time_format.hpp"

#include <doctest/doctest.h>

using namespace erp::daemon;
using namespace std::chrono_literals;

TEST_CASE("instants on the wire are RFC 3339 UTC and read back exactly") {
  const auto t = *parse_rfc3339("2026-11-11T00:00:03Z");
  CHECK(format_rfc3339(t) == "2026-11-11T00:00:03Z");
  CHECK(format_rfc3339(t + 250ms) == "2026-11-11T00:00:03.250Z");
  CHECK(parse_rfc3339("2026-11-11T08:00:03+08:00") == t);
  CHECK(parse_rfc3339("2026-11-11 00:00:03.250Z") == t + 250ms);
}

TEST_CASE("malformed times are refused") {
  for (const char* bad : {"", "2026-11-11", "2026-11-11T00:00:03", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                          "2026-11-11T24:00:00Z", "2026-11-11T00:00:00+8", "2026-11-11T00:00:00Zjunk"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_rfc3339(bad).has_value());
  }
}

TEST_CASE("platform local times are China Standard Time, 8 hours ahead of UTC") {
  const auto t = *parse_cst("2024-02-19 23:59:59");
  CHECK(format_rfc3339(t) == "2024-02-19T15:59:59Z");
  CHECK(format_cst(t) == "2024-02-19 23:59:59");
  CHECK_FALSE(parse_cst("2024-02-19 23:59").has_value());
}

TEST_CASE("config durations read as one number and one unit") {
  CHECK(parse_duration("250ms") == 250ms);
  CHECK(parse_duration("30s") == 30s);
  CHECK(parse_duration("5m") == 5min);
  CHECK(parse_duration("4h") == 4h);
  CHECK(parse_duration("2d") == 48h);
  CHECK(parse_duration("999999999d").has_value());
  for (const char* bad : {"", "s", "30", "30 s", "1.5h", "-5m", "5w", "9999999999d"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_duration(bad).has_value());
  }
  CHECK(format_duration(90s) == "90s");
  CHECK(format_duration(2h) == "2h");
  CHECK(format_duration(1500ms) == "1500ms");
}

TEST_CASE("a time as merchants write it: RFC 3339, or China time to the second, the minute or the day") {
  const auto midnight = parse_rfc3339("2026-11-11T16:00:00Z");
  REQUIRE(midnight.has_value());
  CHECK(parse_merchant_time("2026-11-12T00:00:00+08:00") == midnight);
  CHECK(parse_merchant_time("2026-11-12 00:00:00") == midnight);
  CHECK(parse_merchant_time("2026-11-12 00:00") == midnight);
  CHECK(parse_merchant_time("2026-11-12T00:00") == midnight);
  CHECK(parse_merchant_time("2026-11-12") == midnight);
  CHECK_FALSE(parse_merchant_time("tomorrow").has_value());
  CHECK_FALSE(parse_merchant_time("2026-11-12 24:00").has_value());
}
