#include "core/time_format.hpp"

#include <string>

#include <charconv>
#include <cstdio>

namespace erp::daemon {
namespace {

using namespace std::chrono;

constexpr auto kCstOffset = hours{8};

struct Fields {
  int year, month, day, hour, minute, second, millis;
};

Fields split(Instant t) {
  const auto day_start = floor<days>(t);
  const year_month_day ymd{sys_days{day_start.time_since_epoch()}};
  const auto in_day = t - day_start;
  const auto ms = in_day.count();
  return Fields{int(ymd.year()),
                static_cast<int>(unsigned(ymd.month())),
                static_cast<int>(unsigned(ymd.day())),
                static_cast<int>(ms / 3'600'000),
                static_cast<int>(ms / 60'000 % 60),
                static_cast<int>(ms / 1000 % 60),
                static_cast<int>(ms % 1000)};
}

bool read_int(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return std::from_chars(text.data() + pos, text.data() + pos + len, out).ec == std::errc{};
}

// Reads "YYYY-MM-DD?HH:MM:SS" with '?' being 'T' or ' '; returns the instant as if UTC.
std::optional<Instant> read_civil(std::string_view text) {
  int y, mo, d, h, mi, s;
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != ' ') ||
      text[13] != ':' || text[16] != ':')
    return std::nullopt;
  if (!read_int(text, 0, 4, y) || !read_int(text, 5, 2, mo) || !read_int(text, 8, 2, d) ||
      !read_int(text, 11, 2, h) || !read_int(text, 14, 2, mi) || !read_int(text, 17, 2, s))
    return std::nullopt;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return Instant{duration_cast<milliseconds>(sys_days{ymd}.time_since_epoch() + hours{h} + minutes{mi} +
                                             seconds{s})};
}

}  // namespace

Instant now_utc() noexcept { return time_point_cast<milliseconds>(system_clock::now()); }

std::string format_rfc3339(Instant t) {
  const Fields f = split(t);
  char buf[40];
  if (f.millis != 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", f.year, f.month, f.day, f.hour, f.minute,
                  f.second, f.millis);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", f.year, f.month, f.day, f.hour, f.minute,
                  f.second);
  }
  return buf;
}

std::optional<Instant> parse_rfc3339(std::string_view text) noexcept {
  auto civil = read_civil(text);
  if (!civil) return std::nullopt;
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    int millis = 0;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) {
        millis = millis * 10 + (text[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (pos == start) return std::nullopt;
    while (digits < 3) {
      millis *= 10;
      ++digits;
    }
    *civil += milliseconds{millis};
  }
  if (pos == text.size()) return std::nullopt;
  if (text[pos] == 'Z' || text[pos] == 'z') return pos + 1 == text.size() ? civil : std::nullopt;
  if ((text[pos] != '+' && text[pos] != '-') || pos + 6 != text.size() || text[pos + 3] != ':') return std::nullopt;
  int oh, om;
  if (!read_int(text, pos + 1, 2, oh) || !read_int(text, pos + 4, 2, om) || oh > 23 || om > 59) return std::nullopt;
  const auto offset = hours{oh} + minutes{om};
  return text[pos] == '+' ? *civil - offset : *civil + offset;
}

std::string format_cst(Instant t) {
  const Fields f = split(t + kCstOffset);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", f.year, f.month, f.day, f.hour, f.minute, f.second);
  return buf;
}

std::optional<Instant> parse_cst(std::string_view text) noexcept {
  if (text.size() != 19) return std::nullopt;
  auto civil = read_civil(text);
  if (!civil) return std::nullopt;
  return *civil - kCstOffset;
}

std::optional<Instant> parse_merchant_time(std::string_view text) {
  if (auto t = parse_rfc3339(text)) return t;
  std::string cst(text);
  if (cst.size() == 16 && cst[10] == 'T') cst[10] = ' ';
  if (cst.size() == 10) cst += " 00:00";
  if (cst.size() == 16) cst += ":00";
  return parse_cst(cst);
}

std::optional<milliseconds> parse_duration(std::string_view text) noexcept {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  // Nine digits keep even "999999999d" inside int64 milliseconds.
  if (digits == 0 || digits > 9) return std::nullopt;
  std::int64_t n = 0;
  std::from_chars(text.data(), text.data() + digits, n);
  const std::string_view unit = text.substr(digits);
  if (unit == "ms") return milliseconds{n};
  if (unit == "s") return seconds{n};
  if (unit == "m") return minutes{n};
  if (unit == "h") return hours{n};
  if (unit == "d") return hours{24 * n};
  return std::nullopt;
}

std::string format_duration(milliseconds d) {
  const auto ms = d.count();
  if (ms == 0) return "0s";
  if (ms % 86'400'000 == 0) return std::to_string(ms / 86'400'000) + "d";
  if (ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace erp::daemon
