#pragma once
// Percent-encoding for query strings and form bodies (RFC 3986 unreserved characters kept,
// everything else as %XX in upper-case hex, UTF-8 byte by byte).

#include <string>
#include <string_view>

namespace erp::plugins {

std::string percent_encode(std::string_view text);

}  // namespace erp::plugins
