#pragma once
// Every refusal of a plugin file is one line, "plugin FILE: refused: REASON", so an operator reads
// the file and the cause in one place, whichever check failed.

#include <filesystem>
#include <string>
#include <string_view>

#include "erp/result.hpp"

namespace erp::daemon::plugin_host::detail {

/// "plugin FILE: refused: REASON"
inline std::string refusal_line(const std::filesystem::path& file, std::string_view reason) {
  std::string line = "plugin ";
  line += file.string();
  line += ": refused: ";
  line += reason;
  return line;
}

inline sdk::Error refuse(const std::filesystem::path& file, std::string_view reason,
                         sdk::ErrorCode code = sdk::ErrorCode::config_error) {
  return sdk::Error::make(code, refusal_line(file, reason));
}

/// Text that came out of a foreign file, made safe for a one-line message: control bytes and
/// non-ASCII become '?', so a corrupt manifest cannot break the line or the terminal.
inline std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out += (byte >= 0x20 && byte < 0x7f) ? c : '?';
  }
  return out;
}

}  // namespace erp::daemon::plugin_host::detail
