#pragma once
// Aligned text tables for people. Widths are terminal columns, not bytes: a Chinese character
// takes two columns, a combining mark none, so shop names and titles in Chinese line up.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace erp::daemon::ctl {

/// Terminal columns one code point takes: 0 (combining, zero-width), 1, or 2 (East Asian wide
/// and fullwidth, most emoji).
int codepoint_width(char32_t cp) noexcept;

/// Columns the UTF-8 text takes; a byte that is not valid UTF-8 counts as one column.
std::size_t display_width(std::string_view utf8) noexcept;

/// Cuts the text to at most `width` columns, ending in "…" when something was cut; never splits
/// a code point.
std::string truncate_to_width(std::string_view utf8, std::size_t width);

/// Control characters (a newline in a memo) become spaces, so one row stays one line.
std::string single_line(std::string_view text);

class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  /// Missing cells are empty; extra cells are dropped.
  void add_row(std::vector<std::string> cells);
  /// Caps a column's width; longer cells are truncated with "…".
  void set_max_width(std::size_t column, std::size_t width);
  bool empty() const noexcept { return rows_.empty(); }
  /// Header and rows, columns separated by two spaces, no trailing spaces.
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::size_t> max_width_;
};

}  // namespace erp::daemon::ctl
