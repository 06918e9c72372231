#include "integration/platform_calls.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <cstdio>

namespace erp::test {
namespace {

std::string hex(const unsigned char* data, unsigned length, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < length; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0x0f];
  }
  return out;
}

}  // namespace

std::string md5_hex(const std::string& text, bool upper) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_md5(), nullptr);
  return hex(digest, length, upper);
}

std::string hmac_sha256_hex(const std::string& key, const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
       text.size(), digest, &length);
  return hex(digest, length, false);
}

std::string form_encode(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

HttpReply top_post(const std::string& sim_url, const std::string& secret, std::map<std::string, std::string> params) {
  std::string joined;
  for (const auto& [k, v] : params) joined += k + v;
  params["sign"] = md5_hex(secret + joined + secret, true);
  std::string form;
  for (const auto& [k, v] : params) form += (form.empty() ? "" : "&") + k + "=" + form_encode(v);
  return http("POST", sim_url + "/router/rest", "", form, "application/x-www-form-urlencoded");
}

}  // namespace erp::test
