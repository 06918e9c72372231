#include "plugins/common/china_time.hpp"

#include <chrono>
#include <cstdio>

namespace erp::plugins {
namespace {

constexpr std::chrono::hours kChinaOffset{8};

bool digits(std::string_view text, std::size_t at, std::size_t count, int& out) noexcept {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}

}  // namespace

std::string format_china_time(sdk::Instant instant) {
  using namespace std::chrono;
  const auto local = floor<seconds>(instant) + kChinaOffset;
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> tod{local - day};
  char buffer[64];  // roomy: GCC sizes each field by its type, not by the calendar
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02ld:%02ld:%02ld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(tod.hours().count()), static_cast<long>(tod.minutes().count()),
                static_cast<long>(tod.seconds().count()));
  return buffer;
}

std::optional<sdk::Instant> parse_china_time(std::string_view text) noexcept {
  using namespace std::chrono;
  if (text.size() != 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!digits(text, 0, 4, y) || !digits(text, 5, 2, mo) || !digits(text, 8, 2, d) || !digits(text, 11, 2, h) ||
      !digits(text, 14, 2, mi) || !digits(text, 17, 2, s)) {
    return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  const auto local = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s};
  return time_point_cast<milliseconds>(local - kChinaOffset);
}

}  // namespace erp::plugins
