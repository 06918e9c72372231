#pragma once
// TOP request signing (PLATFORMS.md §1.3): md5, hmac (HMAC-MD5) and hmac-sha256 over the sorted
// name+value concatenation of every non-empty parameter except `sign`.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace erp::plugins::top {

enum class SignMethod { md5, hmac_md5, hmac_sha256 };

/// "md5", "hmac" or "hmac-sha256" as TOP spells them; nullopt for anything else.
std::optional<SignMethod> sign_method_from_string(std::string_view text) noexcept;

/// The `sign_method` parameter value for a method.
std::string_view sign_method_name(SignMethod method) noexcept;

/// name1value1name2value2... in byte order of the names, skipping `sign` and empty names or values.
std::string string_to_sign(const std::map<std::string, std::string>& params);

/// Upper-case hex signature; empty only if OpenSSL itself failed (the caller reports an internal error).
std::string sign(const std::map<std::string, std::string>& params, std::string_view secret, SignMethod method);

}  // namespace erp::plugins::top
