#pragma once
// A shop's `push_path`: where the platform delivers its pushes (rule D11) on the daemon's API.
// The router matches it exactly against the raw request path, without a bearer token, so it
// must never shadow one of the daemon's own routes.

#include <string>
#include <string_view>

namespace erp::daemon::config::detail {

/// Longest push path accepted.
inline constexpr std::size_t kMaxPushPathLength = 200;

/// Empty when `text` is a usable push path, else what is wrong ("must start with '/'"): it
/// starts with '/', has at most 200 characters, only unescaped URL-path characters (letters,
/// digits and - . _ ~ ! $ & ' ( ) * + , ; = : @ /), no empty, "." or ".." segment, and is not
/// /v1 or under /v1/, nor starts with /healthz or /metrics.
std::string check_push_path(std::string_view text);

/// "/push/<shop id>": the path of a shop that configures none.
std::string default_push_path(std::string_view shop_id);

/// "/warehouse/<connector>": where a connector plugin's warehouse calls in when
/// warehouse.inbound_path is not set. Checked like a push path: the same rules keep it off the
/// daemon's own routes.
std::string default_inbound_path(std::string_view connector);

}  // namespace erp::daemon::config::detail
