#include "top/top_sign.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace erp::sim::top {

std::optional<SignMethod> sign_method_from_string(std::string_view text) {
  if (text == "md5") return SignMethod::md5;
  if (text == "hmac") return SignMethod::hmac_md5;
  if (text == "hmac-sha256") return SignMethod::hmac_sha256;
  return std::nullopt;
}

std::string string_to_sign(const std::map<std::string, std::string>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (name.empty() || value.empty() || name == "sign") continue;
    out += name;
    out += value;
  }
  return out;
}

std::string upper_hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0x0F];
  }
  return out;
}

namespace {

std::string digest_md5(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out, &size, EVP_md5(), nullptr) != 1) {
    throw std::runtime_error("EVP_Digest(md5) failed");
  }
  return upper_hex(out, size);
}

std::string digest_hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // An empty key is legal for HMAC; OpenSSL only needs a non-null pointer.
  static const unsigned char kEmpty = 0;
  const void* key_data = key.empty() ? static_cast<const void*>(&kEmpty) : static_cast<const void*>(key.data());
  if (HMAC(md, key_data, static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           out, &size) == nullptr) {
    throw std::runtime_error("HMAC failed");
  }
  return upper_hex(out, size);
}

}  // namespace

std::string sign(const std::map<std::string, std::string>& params, std::string_view secret, SignMethod method) {
  return sign_text(string_to_sign(params), secret, method);
}

std::string sign_text(std::string_view text, std::string_view secret, SignMethod method) {
  switch (method) {
    case SignMethod::md5: {
      std::string wrapped;
      wrapped.reserve(text.size() + 2 * secret.size());
      wrapped.append(secret);
      wrapped.append(text);
      wrapped.append(secret);
      return digest_md5(wrapped);
    }
    case SignMethod::hmac_md5:
      return digest_hmac(EVP_md5(), secret, text);
    case SignMethod::hmac_sha256:
      return digest_hmac(EVP_sha256(), secret, text);
  }
  return {};
}

}  // namespace erp::sim::top
