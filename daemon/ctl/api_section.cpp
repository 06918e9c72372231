#include "ctl/api_section.hpp"

#include <array>

namespace erp::daemon::ctl {
namespace {

/// The key of a top-level mapping line ("api:" or "api: {...}"), empty for any other line.
std::string_view top_level_key(std::string_view line) {
  if (line.empty() || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == '-') return {};
  if (line.starts_with("---") || line.starts_with("...")) return {};
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return {};
  std::string_view key = line.substr(0, colon);
  while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
  if (key.size() >= 2 && (key.front() == '"' || key.front() == '\'') && key.back() == key.front()) {
    key = key.substr(1, key.size() - 2);
  }
  return key;
}

}  // namespace

std::string api_blocks_only(std::string_view yaml) {
  static constexpr std::array<std::string_view, 3> kKept{"database", "plugins", "api"};
  std::string out;
  bool keep = false;
  while (!yaml.empty()) {
    const auto end = yaml.find('\n');
    std::string_view line = yaml.substr(0, end);
    if (const auto key = top_level_key(line); !key.empty()) {
      keep = false;
      for (const auto kept : kKept) keep |= key == kept;
    } else if (line.starts_with("---") || line.starts_with("...")) {
      keep = false;
    }
    if (keep) out += line;
    if (end == std::string_view::npos) break;
    out += '\n';
    yaml.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace erp::daemon::ctl
