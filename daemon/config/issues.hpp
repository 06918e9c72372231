#pragma once
// Collects config problems as they are found, so a user sees every mistake in one run of
// `erpd check-config` instead of fixing them one at a time.

#include <string>
#include <string_view>
#include <vector>

#include "config/loader.hpp"

namespace erp::daemon::config::detail {

class IssueSink {
 public:
  explicit IssueSink(std::string file) : file_(std::move(file)) {}

  /// `line` is 1-based, 0 when the problem has no line.
  void add(int line, std::string key_path, std::string message);
  bool empty() const noexcept { return issues_.empty(); }
  /// The issues in file order (stable, so problems on one line keep the order they were found).
  std::vector<ConfigIssue> take();

 private:
  std::string file_;
  std::vector<ConfigIssue> issues_;
};

/// User text (a key, an enum value) made safe to print: control bytes become '?' and long text is
/// cut, so a pasted binary blob cannot flood or corrupt a terminal or the journal. Never pass a
/// secret here.
std::string printable(std::string_view text);

/// printable(text) between single quotes, for messages.
std::string in_quotes(std::string_view text);

}  // namespace erp::daemon::config::detail
