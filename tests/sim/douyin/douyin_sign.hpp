#pragma once
// Douyin shop (抖店) request signing as PLATFORMS.md §3.2 describes it: a canonical param JSON
// (object keys sorted at every depth, compact, non-ASCII and '/' unescaped, number literals kept
// as sent) wrapped as secret + "app_key"k + "method"m + "param_json"p + "timestamp"t + "v"v + secret,
// then HMAC-SHA256 (key = secret) or MD5, in lowercase hex. Push bodies are signed
// md5(app_key + body + app_secret) (§3.6).

#include <optional>
#include <string>
#include <string_view>

namespace erp::sim::douyin {

/// The canonical form of a param JSON text, or nullopt with `error` set when the text is not
/// JSON, not an object, nests deeper than 64 levels or holds invalid UTF-8. Empty or
/// all-whitespace input is "{}" (the SDKs send an absent param as "{}").
std::optional<std::string> canonical_param_json(std::string_view text, std::string* error = nullptr);

/// secret + "app_key" + app_key + "method" + method + "param_json" + param_json + "timestamp" +
/// timestamp + "v" + v + secret.
std::string sign_pattern(std::string_view app_secret, std::string_view app_key, std::string_view method,
                         std::string_view param_json, std::string_view timestamp, std::string_view v);

/// Lowercase hex signature for `sign_method` "hmac-sha256" or "md5"; nullopt for other methods.
std::optional<std::string> sign(std::string_view sign_method, std::string_view app_secret, std::string_view app_key,
                                std::string_view method, std::string_view param_json, std::string_view timestamp,
                                std::string_view v = "2");

/// The `event-sign` header of a push: lowercase hex md5(app_key + body + app_secret).
std::string event_sign(std::string_view app_key, std::string_view body, std::string_view app_secret);

std::string md5_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace erp::sim::douyin
