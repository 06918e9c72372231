#pragma once
// The Qimen signature (WAREHOUSE-QIMEN.md §2) and the query string it covers. The system
// parameters travel in the URL; the business payload is the raw body; the sign covers both:
//
//   md5:  MD5(secret + k1 v1 k2 v2 ... + body + secret), 32 upper-case hex
//   hmac: HmacMD5(key = secret, k1 v1 k2 v2 ... + body), 32 upper-case hex
//
// over every parameter but `sign` whose name and value are both non-empty, names in byte order,
// values as sent before percent-encoding.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "erp/result.hpp"

namespace erp::plugins::qimen {

using Params = std::vector<std::pair<std::string, std::string>>;

/// md5 and hmac (HmacMD5) are the standard's; hmac-sha256 (newer SDKs) is verified on input only.
enum class SignMethod { md5, hmac, hmac_sha256 };

std::optional<SignMethod> sign_method_from_string(std::string_view text) noexcept;
std::string_view to_string(SignMethod method) noexcept;

/// The text the digest is taken over (for md5 with the secret at both ends).
std::string string_to_sign(const Params& params, std::string_view body, std::string_view secret, SignMethod method);

/// The sign, in upper-case hex.
std::string sign(const Params& params, std::string_view body, std::string_view secret, SignMethod method);

/// Whether `given` is the sign of params and body, hex compared case-insensitively.
bool verify(const Params& params, std::string_view body, std::string_view secret, SignMethod method,
            std::string_view given);

/// name=value&..., both percent-encoded (RFC 3986 unreserved kept), in the order given.
std::string build_query(const Params& params);

/// A raw query string split and decoded: %XX as the byte, '+' as a space. A '%' not followed by
/// two hex digits is kept as it is. Empty pieces ("a=1&&b=2") are skipped.
Params parse_query(std::string_view query);

}  // namespace erp::plugins::qimen
