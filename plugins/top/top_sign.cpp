#include "plugins/top/top_sign.hpp"

#include "plugins/common/digest.hpp"

namespace erp::plugins::top {

std::optional<SignMethod> sign_method_from_string(std::string_view text) noexcept {
  if (text == "md5") return SignMethod::md5;
  if (text == "hmac") return SignMethod::hmac_md5;
  if (text == "hmac-sha256") return SignMethod::hmac_sha256;
  return std::nullopt;
}

std::string_view sign_method_name(SignMethod method) noexcept {
  switch (method) {
    case SignMethod::md5:
      return "md5";
    case SignMethod::hmac_md5:
      return "hmac";
    case SignMethod::hmac_sha256:
      return "hmac-sha256";
  }
  return "hmac-sha256";
}

std::string string_to_sign(const std::map<std::string, std::string>& params) {
  // std::map iterates in byte order of the names, which is the order TOP sorts in.
  std::string out;
  for (const auto& [name, value] : params) {
    if (name.empty() || value.empty() || name == "sign") continue;
    out += name;
    out += value;
  }
  return out;
}

std::string sign(const std::map<std::string, std::string>& params, std::string_view secret, SignMethod method) {
  const std::string body = string_to_sign(params);
  switch (method) {
    case SignMethod::md5: {
      // Only md5 wraps the secret around the text; the HMAC variants use it as the key.
      std::string wrapped;
      wrapped.reserve(body.size() + 2 * secret.size());
      wrapped.append(secret).append(body).append(secret);
      return digest_hex(Digest::md5, wrapped, HexCase::upper);
    }
    case SignMethod::hmac_md5:
      return hmac_hex(Digest::md5, secret, body, HexCase::upper);
    case SignMethod::hmac_sha256:
      return hmac_hex(Digest::sha256, secret, body, HexCase::upper);
  }
  return {};
}

}  // namespace erp::plugins::top
