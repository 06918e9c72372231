#include "top/top_time.hpp"

#include <cstdint>
#include <cstdio>

namespace erp::sim::top {

namespace {

constexpr auto kChinaOffset = std::chrono::hours(8);

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int number(std::string_view s) {
  int value = 0;
  for (char c : s) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

std::string format_china_time(Instant t) {
  const auto local = std::chrono::floor<std::chrono::seconds>(t) + kChinaOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{local - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buffer;
}

std::optional<Instant> parse_china_time(std::string_view text, bool allow_epoch_ms) {
  if (allow_epoch_ms && text.size() == 13 && all_digits(text)) {
    std::int64_t ms = 0;
    for (char c : text) ms = ms * 10 + (c - '0');
    return Instant{std::chrono::milliseconds{ms}};
  }
  // yyyy-MM-dd HH:mm:ss
  if (text.size() != 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const std::string_view y = text.substr(0, 4), mo = text.substr(5, 2), d = text.substr(8, 2), h = text.substr(11, 2),
                         mi = text.substr(14, 2), s = text.substr(17, 2);
  if (!all_digits(y) || !all_digits(mo) || !all_digits(d) || !all_digits(h) || !all_digits(mi) || !all_digits(s)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{number(y)},
                                        std::chrono::month{static_cast<unsigned>(number(mo))},
                                        std::chrono::day{static_cast<unsigned>(number(d))}};
  if (!ymd.ok() || number(h) > 23 || number(mi) > 59 || number(s) > 59) return std::nullopt;
  const auto local = std::chrono::sys_days{ymd} + std::chrono::hours{number(h)} + std::chrono::minutes{number(mi)} +
                     std::chrono::seconds{number(s)};
  return std::chrono::time_point_cast<std::chrono::milliseconds>(local - kChinaOffset);
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (all_digits(text)) {
    if (text.size() > 9) return std::nullopt;
    return std::chrono::seconds{number(text)};
  }
  std::int64_t total = 0;
  std::int64_t current = 0;
  bool have_digits = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      current = current * 10 + (c - '0');
      if (current > 100000000) return std::nullopt;
      have_digits = true;
      continue;
    }
    if (!have_digits) return std::nullopt;
    switch (c) {
      case 's':
        total += current;
        break;
      case 'm':
        total += current * 60;
        break;
      case 'h':
        total += current * 3600;
        break;
      case 'd':
        total += current * 86400;
        break;
      default:
        return std::nullopt;
    }
    current = 0;
    have_digits = false;
  }
  if (have_digits) return std::nullopt;  // "2h30": a trailing number without a unit
  return std::chrono::seconds{total};
}

}  // namespace erp::sim::top
