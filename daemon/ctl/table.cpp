#include "ctl/table.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace erp::daemon::ctl {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// Zero-width: combining marks, zero-width space/joiners, variation selectors.
constexpr std::array<Range, 9> kZeroWidth{{
    {0x0300, 0x036F},
    {0x0483, 0x0489},
    {0x0591, 0x05BD},
    {0x200B, 0x200F},
    {0x202A, 0x202E},
    {0x2060, 0x2064},
    {0x20D0, 0x20FF},
    {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F},
}};

// East Asian Wide (W) and Fullwidth (F) blocks, plus the emoji blocks terminals draw wide.
constexpr std::array<Range, 18> kWide{{
    {0x1100, 0x115F},    // Hangul Jamo initials
    {0x2E80, 0x303E},    // CJK radicals, Kangxi, CJK symbols and punctuation (、。「」)
    {0x3041, 0x33FF},    // Hiragana, Katakana, Bopomofo, Hangul compat, CJK compat
    {0x3400, 0x4DBF},    // CJK extension A
    {0x4E00, 0x9FFF},    // CJK unified ideographs
    {0xA000, 0xA4CF},    // Yi
    {0xA960, 0xA97F},    // Hangul Jamo extended A
    {0xAC00, 0xD7A3},    // Hangul syllables
    {0xF900, 0xFAFF},    // CJK compatibility ideographs
    {0xFE10, 0xFE19},    // vertical forms
    {0xFE30, 0xFE6F},    // CJK compatibility forms, small forms
    {0xFF00, 0xFF60},    // fullwidth forms (，！（）)
    {0xFFE0, 0xFFE6},    // fullwidth signs (￥)
    {0x1F300, 0x1F64F},  // pictographs, emoticons
    {0x1F680, 0x1F6FF},  // transport and map symbols
    {0x1F900, 0x1F9FF},  // supplemental symbols and pictographs
    {0x20000, 0x2FFFD},  // CJK extensions B..F
    {0x30000, 0x3FFFD},  // CJK extension G
}};

bool in(const auto& ranges, char32_t cp) {
  return std::any_of(ranges.begin(), ranges.end(), [cp](const Range& r) { return cp >= r.first && cp <= r.last; });
}

/// Decodes one code point at `pos`; returns its byte length (1 for an invalid byte, decoded as
/// U+FFFD so it still takes one column).
std::size_t decode(std::string_view s, std::size_t pos, char32_t& cp) noexcept {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  std::size_t len = 0;
  char32_t value = 0;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    value = b0 & 0x1Fu;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    value = b0 & 0x0Fu;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    value = b0 & 0x07u;
  } else {
    cp = 0xFFFD;
    return 1;
  }
  if (pos + len > s.size()) {
    cp = 0xFFFD;
    return 1;
  }
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80) {
      cp = 0xFFFD;
      return 1;
    }
    value = (value << 6) | (b & 0x3Fu);
  }
  cp = value;
  return len;
}

}  // namespace

int codepoint_width(char32_t cp) noexcept {
  if (cp == 0) return 0;
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
  if (in(kZeroWidth, cp)) return 0;
  if (in(kWide, cp)) return 2;
  return 1;
}

std::size_t display_width(std::string_view utf8) noexcept {
  std::size_t width = 0;
  for (std::size_t pos = 0; pos < utf8.size();) {
    char32_t cp = 0;
    pos += decode(utf8, pos, cp);
    width += static_cast<std::size_t>(codepoint_width(cp));
  }
  return width;
}

std::string truncate_to_width(std::string_view utf8, std::size_t width) {
  if (display_width(utf8) <= width) return std::string(utf8);
  if (width == 0) return {};
  const std::size_t room = width - 1;  // one column for the ellipsis
  std::size_t used = 0;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    char32_t cp = 0;
    const std::size_t len = decode(utf8, pos, cp);
    const auto w = static_cast<std::size_t>(codepoint_width(cp));
    if (used + w > room) break;
    used += w;
    pos += len;
  }
  return std::string(utf8.substr(0, pos)) + "…";
}

std::string single_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)), max_width_(headers_.size(), 0) {}

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (auto& cell : cells) cell = single_line(cell);
  rows_.push_back(std::move(cells));
}

void Table::set_max_width(std::size_t column, std::size_t width) {
  if (column < max_width_.size()) max_width_[column] = width;
}

std::string Table::render() const {
  const std::size_t n = headers_.size();
  std::vector<std::vector<std::string>> lines;
  lines.push_back(headers_);
  for (const auto& row : rows_) {
    std::vector<std::string> cells = row;
    for (std::size_t c = 0; c < n; ++c) {
      if (max_width_[c] > 0) cells[c] = truncate_to_width(cells[c], max_width_[c]);
    }
    lines.push_back(std::move(cells));
  }
  std::vector<std::size_t> widths(n, 0);
  for (const auto& line : lines) {
    for (std::size_t c = 0; c < n; ++c) widths[c] = std::max(widths[c], display_width(line[c]));
  }
  std::string out;
  for (const auto& line : lines) {
    std::string text;
    for (std::size_t c = 0; c < n; ++c) {
      text += line[c];
      if (c + 1 < n) text += std::string(widths[c] - display_width(line[c]) + 2, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  }
  return out;
}

}  // namespace erp::daemon::ctl
