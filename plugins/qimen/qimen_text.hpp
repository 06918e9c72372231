#pragma once
// Small text helpers the Qimen connector shares: case-insensitive ASCII words and quoting what a
// WMS sent inside an error message or a log line.

#include <cstddef>
#include <string>
#include <string_view>

namespace erp::plugins::qimen {

/// ASCII letters compared without case ("DELIVERED" == "delivered").
bool iequals(std::string_view a, std::string_view b) noexcept;

/// ASCII upper case; other bytes unchanged.
std::string upper(std::string_view text);

/// At most `max_bytes` of `text`, cut at a UTF-8 character boundary (with "..." when cut), control
/// characters as spaces: safe to put in a message about what the other side sent.
std::string excerpt(std::string_view text, std::size_t max_bytes = 200);

}  // namespace erp::plugins::qimen
