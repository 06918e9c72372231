#include "config/issues.hpp"

#include <algorithm>

namespace erp::daemon::config {

std::string ConfigIssue::to_string() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (!key_path.empty()) out += key_path + ": ";
  out += message;
  return out;
}

namespace detail {

namespace {
constexpr std::size_t kMaxQuoted = 64;
}

void IssueSink::add(int line, std::string key_path, std::string message) {
  issues_.push_back(ConfigIssue{file_, line, std::move(key_path), std::move(message)});
}

std::vector<ConfigIssue> IssueSink::take() {
  std::stable_sort(issues_.begin(), issues_.end(),
                   [](const ConfigIssue& a, const ConfigIssue& b) { return a.line < b.line; });
  return std::move(issues_);
}

std::string printable(std::string_view text) {
  std::string out;
  const std::size_t n = std::min(text.size(), kMaxQuoted);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : text[i];
  }
  if (text.size() > kMaxQuoted) out += "...";
  return out;
}

std::string in_quotes(std::string_view text) { return "'" + printable(text) + "'"; }

}  // namespace detail
}  // namespace erp::daemon::config
