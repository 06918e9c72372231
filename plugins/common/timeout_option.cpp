#include "plugins/common/timeout_option.hpp"

namespace erp::plugins {

std::optional<std::chrono::milliseconds> parse_timeout(std::string_view text) noexcept {
  std::size_t digits = 0;
  long long value = 0;
  while (digits < text.size() && digits < 7 && text[digits] >= '0' && text[digits] <= '9') {
    value = value * 10 + (text[digits] - '0');
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  const std::string_view unit = text.substr(digits);
  long long ms = 0;
  if (unit == "ms") {
    ms = value;
  } else if (unit == "s") {
    ms = value * 1000;
  } else if (unit == "m") {
    ms = value * 60000;
  } else {
    return std::nullopt;
  }
  if (ms < 100 || ms > 300000) return std::nullopt;
  return std::chrono::milliseconds{ms};
}

}  // namespace erp::plugins
