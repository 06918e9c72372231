#pragma once
// Getting the config text in: reading the file with a size cap and checking it is UTF-8 before
// the YAML parser sees it, so a wrong file gets one plain sentence instead of parser noise.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace erp::daemon::config::detail {

struct SourceText {
  std::optional<std::string> text;
  std::string error;  ///< Set when `text` is not.
};

SourceText read_source(const std::filesystem::path& file);

/// 1-based line of the first byte that is not valid UTF-8, or 0 when the text is valid.
int first_invalid_utf8_line(std::string_view text);

}  // namespace erp::daemon::config::detail
