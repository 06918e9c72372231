#include "plugins/top/top_sign.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace erp::plugins::top {
namespace {

std::string upper_hex(const unsigned char* data, unsigned int size) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(std::size_t{size} * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += kDigits[(data[i] >> 4) & 0x0F];
    out += kDigits[data[i] & 0x0F];
  }
  return out;
}

std::string md5_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_md5(), nullptr) != 1) return {};
  return upper_hex(digest, size);
}

std::string hmac_hex(const EVP_MD* md, std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // OpenSSL wants a non-null key pointer even for an empty key.
  static const unsigned char kEmpty = 0;
  const void* key_data = key.empty() ? static_cast<const void*>(&kEmpty) : static_cast<const void*>(key.data());
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  if (HMAC(md, key_data, static_cast<int>(key.size()), bytes, data.size(), digest, &size) == nullptr) return {};
  return upper_hex(digest, size);
}

}  // namespace

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
      return md5_hex(wrapped);
    }
    case SignMethod::hmac_md5:
      return hmac_hex(EVP_md5(), secret, body);
    case SignMethod::hmac_sha256:
      return hmac_hex(EVP_sha256(), secret, body);
  }
  return {};
}

}  // namespace erp::plugins::top
