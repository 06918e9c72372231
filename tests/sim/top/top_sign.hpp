#pragma once
// TOP request signing (PLATFORMS.md 1.3): every parameter except `sign` with a non-empty name and
// value, sorted by name in byte order, concatenated as name1value1name2value2..., digested with
// md5 (secret on both ends), HMAC-MD5 or HMAC-SHA256 (keyed by the secret), rendered as
// upper-case hex. The simulator verifies with this and tests sign with it.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace erp::sim::top {

enum class SignMethod { md5, hmac_md5, hmac_sha256 };

/// "md5", "hmac" (HMAC-MD5) or "hmac-sha256"; anything else is nullopt.
std::optional<SignMethod> sign_method_from_string(std::string_view text);

/// The string that gets digested: sorted name+value pairs, `sign` and empty entries left out.
/// A std::map already iterates in byte order of the names.
std::string string_to_sign(const std::map<std::string, std::string>& params);

/// The upper-case hex signature of `params` (the `sign` entry, if any, is ignored).
std::string sign(const std::map<std::string, std::string>& params, std::string_view secret, SignMethod method);

/// The upper-case hex signature of an already built string to sign: md5 with the secret on both
/// ends, or the HMAC keyed by the secret. Qimen signs TOP's string with the raw body appended.
std::string sign_text(std::string_view text, std::string_view secret, SignMethod method);

/// Upper-case hex of raw bytes.
std::string upper_hex(const unsigned char* data, std::size_t size);

}  // namespace erp::sim::top
