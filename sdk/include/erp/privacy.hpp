#pragma once
// Masking helpers for receiver data (rule D10): what a person may see of a name, phone or address.
// Work on UTF-8 code points so a Chinese name is masked by character, not by byte.

#include <string>
#include <string_view>
#include <vector>

namespace erp::sdk {

namespace detail {
/// Splits UTF-8 text into code points (each as its bytes). Invalid bytes count as one unit each.
inline std::vector<std::string_view> utf8_units(std::string_view text) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t len = 1;
    if (lead >= 0xF0) len = 4;
    else if (lead >= 0xE0) len = 3;
    else if (lead >= 0xC0) len = 2;
    if (i + len > text.size()) len = 1;
    out.push_back(text.substr(i, len));
    i += len;
  }
  return out;
}
}  // namespace detail

/// "张三丰" -> "张**", "Li" -> "L*". Empty stays empty.
inline std::string mask_name(std::string_view name) {
  const auto units = detail::utf8_units(name);
  if (units.empty()) return {};
  std::string out(units.front());
  out.append(units.size() > 1 ? units.size() - 1 : 1, '*');
  return out;
}

/// "13812345678" -> "138****5678"; anything shorter than 7 characters -> all stars.
inline std::string mask_phone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(phone.size() - 4));
}

/// Keeps the coarse region the platform already separates out and hides the street detail.
inline std::string mask_address(std::string_view province, std::string_view city, std::string_view district) {
  std::string out;
  out.append(province).append(city).append(district).append("****");
  return out;
}

}  // namespace erp::sdk
