#include "plugins/qimen/qimen_time.hpp"

#include <chrono>
#include <cstdio>

namespace erp::plugins::qimen {
namespace {

constexpr std::chrono::hours kChinaOffset{8};

/// The number `count` digits long at `text[at]`, or -1.
int digits(std::string_view text, std::size_t at, std::size_t count) noexcept {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::string format_china_time(sdk::Instant at) {
  using namespace std::chrono;
  const auto local = floor<seconds>(at) + kChinaOffset;
  const auto day = floor<days>(local);
  const year_month_day date{day};
  const hh_mm_ss time{local - day};
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u %02d:%02d:%02d", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return out;
}

std::optional<sdk::Instant> parse_china_time(std::string_view text) noexcept {
  using namespace std::chrono;
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  if (text.size() != 10 && text.size() != 19) return std::nullopt;
  const int y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  if (y < 0 || mo < 0 || d < 0 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int h = 0, mi = 0, s = 0;
  if (text.size() == 19) {
    if (text[10] != ' ' && text[10] != 'T') return std::nullopt;
    if (text[13] != ':' || text[16] != ':') return std::nullopt;
    h = digits(text, 11, 2);
    mi = digits(text, 14, 2);
    s = digits(text, 17, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return std::nullopt;
  }
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  const auto local = sys_days{date} + hours{h} + minutes{mi} + seconds{s};
  return sdk::Instant{duration_cast<milliseconds>((local - kChinaOffset).time_since_epoch())};
}

}  // namespace erp::plugins::qimen
