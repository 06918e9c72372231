#include "plugins/top/top_reservations.hpp"

#include <algorithm>
#include <string_view>

namespace erp::plugins::top {
namespace {

bool is_id(std::string_view token) {
  if (token.empty() || token.size() > 24) return false;
  return std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void add_unique(std::vector<std::string>& out, std::string id) {
  if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(std::move(id));
}

bool split_text(std::string_view text, std::vector<std::string>& out, int depth);

bool collect(const nlohmann::json& value, std::vector<std::string>& out, int depth) {
  if (depth > 2) return false;
  if (value.is_null()) return true;
  if (value.is_number_unsigned() || value.is_number_integer()) {
    const std::string text = value.dump();
    if (!is_id(text)) return false;  // negative ids are not ids
    add_unique(out, text);
    return true;
  }
  if (value.is_string()) return split_text(value.get_ref<const std::string&>(), out, depth);
  if (value.is_array()) {
    for (const auto& item : value) {
      if (!collect(item, out, depth + 1)) return false;
    }
    return true;
  }
  return false;  // floats, booleans, objects: not a shape TOP documents
}

bool split_text(std::string_view text, std::vector<std::string>& out, int depth) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '[') {
    auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded() || !parsed.is_array()) return false;
    return collect(parsed, out, depth + 1);
  }
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find_first_of(", ;\t\r\n", at);
    const std::string_view token = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (!token.empty()) {
      if (!is_id(token)) return false;
      add_unique(out, std::string(token));
    }
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return true;
}

}  // namespace

std::optional<std::vector<std::string>> parse_reservation_ids(const nlohmann::json& value) {
  std::vector<std::string> out;
  if (!collect(value, out, 0)) return std::nullopt;
  return out;
}

std::size_t merge_reservation_ids(std::vector<std::string>& into, const std::vector<std::string>& ids) {
  std::size_t dropped = 0;
  for (const auto& id : ids) {
    if (std::find(into.begin(), into.end(), id) != into.end()) continue;
    // G3: the platform links at most 12; more means a malformed payload, so keep the first 12 given
    // (the platform lists the earliest-paid first) and report the rest instead of growing without bound.
    if (into.size() >= kMaxReservationIds) {
      ++dropped;
      continue;
    }
    into.push_back(id);
  }
  return dropped;
}

}  // namespace erp::plugins::top
