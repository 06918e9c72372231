#include "plugins/common/digest.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace erp::plugins {
namespace {

std::string hex(const unsigned char* data, unsigned int size, HexCase hex_case) {
  const char* digits = hex_case == HexCase::upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  out.reserve(std::size_t{size} * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += digits[(data[i] >> 4) & 0x0F];
    out += digits[data[i] & 0x0F];
  }
  return out;
}

const EVP_MD* evp(Digest digest) { return digest == Digest::md5 ? EVP_md5() : EVP_sha256(); }

}  // namespace

std::string digest_hex(Digest digest, std::string_view data, HexCase hex_case) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out, &size, evp(digest), nullptr) != 1) return {};
  return hex(out, size, hex_case);
}

std::string hmac_hex(Digest digest, std::string_view key, std::string_view data, HexCase hex_case) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // OpenSSL wants a non-null key pointer even for an empty key.
  static const unsigned char kEmpty = 0;
  const void* key_data = key.empty() ? static_cast<const void*>(&kEmpty) : static_cast<const void*>(key.data());
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  if (HMAC(evp(digest), key_data, static_cast<int>(key.size()), bytes, data.size(), out, &size) == nullptr) return {};
  return hex(out, size, hex_case);
}

}  // namespace erp::plugins
