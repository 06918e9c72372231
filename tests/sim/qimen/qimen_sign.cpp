#include "qimen/qimen_sign.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <map>
#include <stdexcept>

namespace erp::sim::qimen {
namespace {

std::string upper_hex(const unsigned char* data, unsigned int size) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(std::size_t{size} * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0x0F];
  }
  return out;
}

std::string md5_hex(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out, &size, EVP_md5(), nullptr) != 1) {
    throw std::runtime_error("EVP_Digest(md5) failed");
  }
  return upper_hex(out, size);
}

std::string hmac_md5_hex(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // HMAC accepts an empty key, but OpenSSL wants a non-null pointer for it.
  static const unsigned char kEmpty = 0;
  const void* key_data = key.empty() ? static_cast<const void*>(&kEmpty) : static_cast<const void*>(key.data());
  if (HMAC(EVP_md5(), key_data, static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), out, &size) == nullptr) {
    throw std::runtime_error("HMAC(md5) failed");
  }
  return upper_hex(out, size);
}

}  // namespace

std::optional<SignMethod> sign_method_from_string(std::string_view text) {
  if (text.empty() || text == "md5") return SignMethod::md5;
  if (text == "hmac") return SignMethod::hmac_md5;
  return std::nullopt;
}

std::string sign_method_name(SignMethod method) { return method == SignMethod::md5 ? "md5" : "hmac"; }

std::string sorted_pairs(const Params& params) {
  // std::string's ordering compares as unsigned bytes, which is the byte order Java's
  // Arrays.sort gives ASCII names (every Qimen system parameter name is ASCII).
  std::map<std::string, std::string> sorted;
  for (const auto& [name, value] : params) {
    if (name.empty() || value.empty() || name == "sign") continue;
    sorted.emplace(name, value);  // emplace keeps the first value of a repeated name
  }
  std::string out;
  for (const auto& [name, value] : sorted) {
    out += name;
    out += value;
  }
  return out;
}

std::string sign(const Params& params, std::string_view body, std::string_view secret, SignMethod method) {
  std::string text = sorted_pairs(params);
  text.append(body);
  if (method == SignMethod::hmac_md5) return hmac_md5_hex(secret, text);
  std::string wrapped;
  wrapped.reserve(text.size() + 2 * secret.size());
  wrapped.append(secret);
  wrapped += text;
  wrapped.append(secret);
  return md5_hex(wrapped);
}

bool same_signature(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace erp::sim::qimen
