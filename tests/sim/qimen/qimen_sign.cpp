#include "qimen/qimen_sign.hpp"

#include <cctype>
#include <map>

#include "top/top_sign.hpp"

namespace erp::sim::qimen {

std::optional<SignMethod> sign_method_from_string(std::string_view text) {
  if (text.empty() || text == "md5") return SignMethod::md5;
  if (text == "hmac") return SignMethod::hmac_md5;
  return std::nullopt;
}

std::string sign_method_name(SignMethod method) { return method == SignMethod::md5 ? "md5" : "hmac"; }

std::string sorted_pairs(const Params& params) {
  // TOP's string to sign: a std::map iterates in byte order of the names, the order Java's
  // Arrays.sort gives the ASCII names of Qimen's parameters.
  std::map<std::string, std::string> sorted;
  for (const auto& [name, value] : params) {
    if (!value.empty()) sorted.emplace(name, value);  // the first non-empty value of a repeated name
  }
  return top::string_to_sign(sorted);
}

std::string sign(const Params& params, std::string_view body, std::string_view secret, SignMethod method) {
  // Qimen signs exactly as TOP does, with the raw body after the parameters.
  std::string text = sorted_pairs(params);
  text.append(body);
  return top::sign_text(text, secret, method == SignMethod::md5 ? top::SignMethod::md5 : top::SignMethod::hmac_md5);
}

bool same_signature(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace erp::sim::qimen
