#include "plugins/qimen/qimen_sign.hpp"

#include <algorithm>

#include "plugins/common/digest.hpp"
#include "plugins/common/percent_encode.hpp"

namespace erp::plugins::qimen {
namespace {

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 && hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::optional<SignMethod> sign_method_from_string(std::string_view text) noexcept {
  if (text.size() > 16) return std::nullopt;
  std::string word;
  for (const char c : text) word += lower(c);
  if (word == "md5") return SignMethod::md5;
  if (word == "hmac" || word == "hmac-md5") return SignMethod::hmac;
  if (word == "hmac-sha256" || word == "hmac_sha256") return SignMethod::hmac_sha256;
  return std::nullopt;
}

std::string_view to_string(SignMethod method) noexcept {
  switch (method) {
    case SignMethod::md5:
      return "md5";
    case SignMethod::hmac:
      return "hmac";
    case SignMethod::hmac_sha256:
      return "hmac-sha256";
  }
  return "md5";
}

std::string string_to_sign(const Params& params, std::string_view body, std::string_view secret, SignMethod method) {
  std::vector<const std::pair<std::string, std::string>*> signed_params;
  for (const auto& param : params) {
    if (param.first.empty() || param.second.empty() || param.first == "sign") continue;
    signed_params.push_back(&param);
  }
  // Byte order of the names (Java's String ordering agrees for the ASCII names the standard uses).
  std::stable_sort(signed_params.begin(), signed_params.end(),
                   [](const auto* a, const auto* b) { return a->first < b->first; });
  std::string text;
  if (method == SignMethod::md5) text += secret;
  for (const auto* param : signed_params) {
    text += param->first;
    text += param->second;
  }
  text += body;
  if (method == SignMethod::md5) text += secret;
  return text;
}

std::string sign(const Params& params, std::string_view body, std::string_view secret, SignMethod method) {
  const std::string text = string_to_sign(params, body, secret, method);
  switch (method) {
    case SignMethod::md5:
      return digest_hex(Digest::md5, text, HexCase::upper);
    case SignMethod::hmac:
      return hmac_hex(Digest::md5, secret, text, HexCase::upper);
    case SignMethod::hmac_sha256:
      return hmac_hex(Digest::sha256, secret, text, HexCase::upper);
  }
  return {};
}

bool verify(const Params& params, std::string_view body, std::string_view secret, SignMethod method,
            std::string_view given) {
  const std::string expected = sign(params, body, secret, method);
  if (expected.empty() || given.size() != expected.size()) return false;
  // Every byte is compared, whatever the first difference, so timing tells nothing about the sign.
  unsigned difference = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    difference |= static_cast<unsigned>(static_cast<unsigned char>(lower(given[i])) ^
                                        static_cast<unsigned char>(lower(expected[i])));
  }
  return difference == 0;
}

std::string build_query(const Params& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += percent_encode(name);
    out += '=';
    out += percent_encode(value);
  }
  return out;
}

Params parse_query(std::string_view query) {
  Params out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(decode(piece), std::string());
    } else {
      out.emplace_back(decode(piece.substr(0, eq)), decode(piece.substr(eq + 1)));
    }
  }
  return out;
}

}  // namespace erp::plugins::qimen
