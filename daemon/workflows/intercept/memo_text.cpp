#include "workflows/intercept/memo_text.hpp"

namespace erp::daemon::workflows::intercept {
namespace {

bool continuation_byte(char c) noexcept { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

/// The longest prefix of `text` with at most `max_chars` characters, cut on a character boundary.
std::string_view first_characters(std::string_view text, int max_chars) {
  int seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (continuation_byte(text[i])) continue;
    if (seen == max_chars) return text.substr(0, i);
    ++seen;
  }
  return text;
}

}  // namespace

bool has_intercept_text(std::string_view memo, std::string_view text) noexcept {
  return !text.empty() && memo.find(text) != std::string_view::npos;
}

std::string with_intercept_text(std::string_view memo, std::string_view text, int max_chars) {
  if (has_intercept_text(memo, text)) return std::string(memo);
  std::string out(text);
  if (!memo.empty()) out += " " + std::string(memo);
  if (max_chars > 0) out = std::string(first_characters(out, max_chars));
  return out;
}

std::string without_intercept_text(std::string_view memo, std::string_view text) {
  std::string out(memo);
  if (text.empty()) return out;
  for (auto at = out.find(text); at != std::string::npos; at = out.find(text, at)) {
    std::size_t length = text.size();
    if (at + length < out.size() && out[at + length] == ' ') {
      ++length;  // the space with_intercept_text put after it
    } else if (at > 0 && out[at - 1] == ' ') {
      --at;  // text written last, after the merchant's words
      ++length;
    }
    out.erase(at, length);
  }
  return out;
}

}  // namespace erp::daemon::workflows::intercept
