#include "plugins/common/page_size_option.hpp"

#include <string>

namespace erp::plugins {

std::int64_t page_size_option(const sdk::ConfigView& config, std::int64_t fallback) {
  const std::string text = config.get_or("page_size", "");
  if (text.empty()) return fallback;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9' || value > 1000) return -1;
    value = value * 10 + (c - '0');
  }
  return value >= 1 && value <= kMaxPageSize ? value : -1;
}

}  // namespace erp::plugins
