#pragma once
// Money is integer fen (1/100 yuan) in an int64, never floating point (CONVENTIONS 11).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace erp::sdk {

/// An amount in fen. Platforms send decimal strings ("12.30"); parse them with parse_yuan().
struct Money {
  std::int64_t fen = 0;

  friend constexpr bool operator==(Money a, Money b) noexcept { return a.fen == b.fen; }
  friend constexpr bool operator!=(Money a, Money b) noexcept { return a.fen != b.fen; }
  friend constexpr bool operator<(Money a, Money b) noexcept { return a.fen < b.fen; }
  friend constexpr Money operator+(Money a, Money b) noexcept { return Money{a.fen + b.fen}; }
  friend constexpr Money operator-(Money a, Money b) noexcept { return Money{a.fen - b.fen}; }
};

/// Parses a yuan amount written as a decimal string ("12", "12.3", "12.30", "-0.01") into fen.
/// Returns nullopt for anything else: more than two decimals, exponents, spaces, overflow.
inline std::optional<Money> parse_yuan(std::string_view text) noexcept {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  std::size_t i = 0;
  if (text[0] == '-') {
    negative = true;
    i = 1;
  }
  constexpr std::int64_t kLimit = INT64_MAX / 100 - 100;
  std::int64_t whole = 0;
  std::size_t whole_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++whole_digits) {
    whole = whole * 10 + (text[i] - '0');
    if (whole > kLimit) return std::nullopt;
  }
  if (whole_digits == 0) return std::nullopt;
  std::int64_t cents = 0;
  if (i < text.size()) {
    if (text[i] != '.') return std::nullopt;
    ++i;
    std::size_t decimals = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++decimals) {
      if (decimals == 2) return std::nullopt;
      cents = cents * 10 + (text[i] - '0');
    }
    if (decimals == 0 || i != text.size()) return std::nullopt;
    if (decimals == 1) cents *= 10;
  }
  const std::int64_t fen = whole * 100 + cents;
  return Money{negative ? -fen : fen};
}

/// Formats fen as a yuan decimal string with two decimals ("12.30").
inline std::string format_yuan(Money money) {
  const bool negative = money.fen < 0;
  const std::uint64_t abs = negative ? 0 - static_cast<std::uint64_t>(money.fen) : static_cast<std::uint64_t>(money.fen);
  const auto cents = static_cast<unsigned>(abs % 100);
  // Appending (not inserting) keeps GCC 12's -Wrestrict false positive (bug 105329) away.
  std::string out = negative ? "-" : "";
  out += std::to_string(abs / 100);
  out += '.';
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return out;
}

}  // namespace erp::sdk
