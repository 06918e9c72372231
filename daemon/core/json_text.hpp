#pragma once
// Writing JSON text straight into a string, for the few hot paths where building an
// nlohmann::json document first costs more than the work around it (the stored order payload).
// The output is what nlohmann::json::dump() (compact, ensure_ascii=false) writes for the same
// values, so text written either way compares equal byte for byte.

#include <cstdint>
#include <string>
#include <string_view>

namespace erp::daemon {

/// Appends `text` as a quoted JSON string, escaped as dump() escapes it: `"` and `\`, the short
/// escapes \b \f \n \r \t, other control characters as \u00xx; everything else verbatim.
/// Returns false (with `out` partly written) when `text` is not valid UTF-8, which dump() refuses
/// with an exception; the caller decides what to do then.
[[nodiscard]] bool append_json_string(std::string& out, std::string_view text);

/// Appends a JSON integer.
void append_json_integer(std::string& out, std::int64_t value);

}  // namespace erp::daemon
