#pragma once
// Douyin shop (抖店) open-platform request signing, v2 (PLATFORMS.md §3.2): the canonical
// param_json and the md5 / hmac-sha256 signature over app_key, method, param_json, timestamp, v.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "erp/result.hpp"

namespace erp::plugins::douyin {

enum class SignMethod { md5, hmac_sha256 };

/// "md5" or "hmac-sha256" as the gateway spells them; nullopt for anything else.
std::optional<SignMethod> sign_method_from_string(std::string_view text) noexcept;

/// The `sign_method` query parameter value for a method.
std::string_view sign_method_name(SignMethod method) noexcept;

/// The business parameters as the gateway verifies them: object keys sorted at every depth (also
/// inside arrays, whose order is kept), compact, non-ASCII and '/' unescaped; null or absent is
/// "{}". The gateway checks the signature against the body it receives, so this exact string is
/// both what is signed and what is sent. invalid_input when a string is not UTF-8.
sdk::Result<std::string> canonical_param_json(const nlohmann::json& params);

/// What a v2 signature covers. `timestamp` is the same text as the query parameter (unix seconds).
struct SignedFields {
  std::string_view app_key;
  std::string_view method;  ///< Dotted, e.g. "order.searchList".
  std::string_view param_json;
  std::string_view timestamp;
};

/// secret + "app_key" k + "method" m + "param_json" p + "timestamp" t + "v" "2" + secret.
/// access_token and sign_method are not signed.
std::string string_to_sign(const SignedFields& fields, std::string_view app_secret);

/// Lower-case hex: MD5 of string_to_sign, or HMAC-SHA256 of it keyed by the app secret. Empty only
/// if OpenSSL itself failed (the caller reports an internal error).
std::string sign(const SignedFields& fields, std::string_view app_secret, SignMethod method);

}  // namespace erp::plugins::douyin
