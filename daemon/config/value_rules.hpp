#pragma once
// The rules a single config value must satisfy, as pure functions over text: no YAML, no I/O,
// so each rule is tested directly and reads the same wherever it is applied.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace erp::daemon::config::detail {

/// A parsed value, or what is wrong with the text (a message fragment such as "must be ...").
template <class T>
struct Parsed {
  std::optional<T> value;
  std::string error;

  static Parsed ok(T v) { return Parsed{std::move(v), {}}; }
  static Parsed fail(std::string why) { return Parsed{std::nullopt, std::move(why)}; }
};

/// Shop ids appear in API paths and database keys: [A-Za-z0-9_-]{1,64}.
std::string check_shop_id(std::string_view text);

/// Plugin names become file names: [a-z0-9_]+.
std::string check_plugin_name(std::string_view text);

/// An http:// or https:// URL with a host. The message never repeats the URL: a webhook URL may
/// carry a token in its query.
std::string check_http_url(std::string_view text);

/// "250ms", "30s", "5m", "4h", "2d".
Parsed<std::chrono::milliseconds> parse_config_duration(std::string_view text);

/// A whole decimal number that fits in an int.
Parsed<int> parse_whole_number(std::string_view text);

struct ListenAddress {
  std::string host;  ///< Without the brackets of an IPv6 literal, ready for address parsing.
  std::uint16_t port = 0;
};

/// "HOST:PORT" with port 0..65535; IPv6 hosts in brackets ("[::1]:7878").
Parsed<ListenAddress> parse_listen(std::string_view text);

}  // namespace erp::daemon::config::detail
