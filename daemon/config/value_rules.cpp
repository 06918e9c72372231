#include "config/value_rules.hpp"

#include <charconv>

#include "core/time_format.hpp"

namespace erp::daemon::config::detail {

namespace {

constexpr std::size_t kMaxShopIdLength = 64;
// parse_duration multiplies days up to milliseconds in 64 bits; nine digits of days still fits
// with room to spare, and no sane interval needs more.
constexpr std::size_t kMaxDurationDigits = 9;
constexpr const char* kDurationHint = "write a whole number and a unit: 250ms, 30s, 5m, 4h or 2d";

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_alpha(char c) { return is_lower(c) || (c >= 'A' && c <= 'Z'); }

bool is_host_char(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_'; }

// Port text after a ':', already known to be present. Empty error means fine.
std::string check_port(std::string_view digits, int minimum, int& port) {
  if (digits.empty()) return "has ':' but no port after it";
  for (const char c : digits) {
    if (!is_digit(c)) return "has a port that is not a number";
  }
  if (digits.size() > 5) return "has a port out of range";
  std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (port < minimum || port > 65535) return minimum == 0 ? "port must be 0..65535" : "port must be 1..65535";
  return {};
}

// Splits "host", "host:port", "[v6]" or "[v6]:port". Empty error means fine.
std::string split_host_port(std::string_view authority, std::string_view& host, std::string_view& port,
                            bool& has_port) {
  has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return "has '[' without a closing ']'";
    host = authority.substr(1, close - 1);
    const std::string_view rest = authority.substr(close + 1);
    if (rest.empty()) return {};
    if (rest.front() != ':') return "has text after the ']' of its host";
    has_port = true;
    port = rest.substr(1);
    for (const char c : host) {
      if (!(is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.')) {
        return "has an invalid IPv6 address";
      }
    }
    if (host.empty()) return "has an empty host";
    return {};
  }
  const auto colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    has_port = true;
    port = authority.substr(colon + 1);
    host = authority.substr(0, colon);
  } else {
    host = authority;
  }
  if (host.empty()) return "has an empty host";
  for (const char c : host) {
    if (!is_host_char(c)) return "has a host with characters a host name cannot have";
  }
  return {};
}

}  // namespace

std::string check_shop_id(std::string_view text) {
  if (text.empty()) return "must not be empty";
  if (text.size() > kMaxShopIdLength) return "must be at most 64 characters";
  for (const char c : text) {
    if (!(is_alpha(c) || is_digit(c) || c == '_' || c == '-')) {
      return "must use only letters, digits, '_' and '-'";
    }
  }
  return {};
}

std::string check_plugin_name(std::string_view text) {
  if (text.empty()) return "must not be empty";
  for (const char c : text) {
    if (!(is_lower(c) || is_digit(c) || c == '_')) {
      return "must be a plugin name in lowercase letters, digits and '_' (like taobao, tmall, douyin)";
    }
  }
  return {};
}

std::string check_http_url(std::string_view text) {
  constexpr std::string_view kHttp = "http://";
  constexpr std::string_view kHttps = "https://";
  std::string_view rest;
  if (text.starts_with(kHttps)) {
    rest = text.substr(kHttps.size());
  } else if (text.starts_with(kHttp)) {
    rest = text.substr(kHttp.size());
  } else {
    return "must start with http:// or https://";
  }
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return "must not contain spaces or control characters";
  }
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    return "must not carry credentials (user@host); put them in the config's secret keys";
  }
  if (authority.empty()) return "has no host";
  std::string_view host;
  std::string_view port;
  bool has_port = false;
  if (std::string why = split_host_port(authority, host, port, has_port); !why.empty()) return why;
  if (has_port) {
    int number = 0;
    if (std::string why = check_port(port, 1, number); !why.empty()) return why;
  }
  return {};
}

Parsed<std::chrono::milliseconds> parse_config_duration(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && is_digit(text[digits])) ++digits;
  if (digits > kMaxDurationDigits) return Parsed<std::chrono::milliseconds>::fail("is too large");
  if (const auto d = parse_duration(text)) return Parsed<std::chrono::milliseconds>::ok(*d);
  return Parsed<std::chrono::milliseconds>::fail("is not a duration; " + std::string(kDurationHint));
}

Parsed<int> parse_whole_number(std::string_view text) {
  int value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc::result_out_of_range) return Parsed<int>::fail("is out of range");
  if (ec != std::errc{} || ptr != end) return Parsed<int>::fail("must be a whole number");
  return Parsed<int>::ok(value);
}

Parsed<ListenAddress> parse_listen(std::string_view text) {
  constexpr const char* kHint = " (write HOST:PORT, like 127.0.0.1:7878 or [::1]:7878)";
  std::string_view host;
  std::string_view port;
  bool has_port = false;
  if (std::string why = split_host_port(text, host, port, has_port); !why.empty()) {
    return Parsed<ListenAddress>::fail(why + kHint);
  }
  if (!has_port) return Parsed<ListenAddress>::fail(std::string("has no port") + kHint);
  int number = 0;
  if (std::string why = check_port(port, 0, number); !why.empty()) return Parsed<ListenAddress>::fail(why);
  return Parsed<ListenAddress>::ok(ListenAddress{std::string(host), static_cast<std::uint16_t>(number)});
}

}  // namespace erp::daemon::config::detail
