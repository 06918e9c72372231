#pragma once
// One `intercept:` map of the config, read the same way under `workflows:` (the defaults every
// shop inherits) and under a shop (its overrides, plus `enabled`), and the merge of the two.

#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "config/map_reader.hpp"
#include "config/value_rules.hpp"

namespace erp::daemon::config::detail {

/// Douyin's seller memo (remark) limit in characters, the smallest of the builtin platforms
/// (TOP allows 300): one memo text serves every shop, so it must fit the strictest.
inline constexpr int kMaxInterceptMemoChars = 60;
/// Seller flags (TOP) and stars (Douyin) are 0..5.
inline constexpr int kMaxInterceptFlag = 5;

/// The keys one intercept map sets, each with its valid value; a key that is absent (or whose
/// value was wrong, and reported) stays empty, so a shop overrides exactly the keys it names.
struct InterceptSettings {
  std::optional<bool> enabled;  ///< Shops only.
  std::optional<std::string> memo;
  std::optional<int> flag;
  std::optional<InterceptLevel> level;
  std::optional<bool> on_refund_request;
  std::optional<UnlockSchedule> unlock;
};

/// Empty when `memo` may be written as a seller memo: at most kMaxInterceptMemoChars UTF-8
/// characters (code points), no control characters. Otherwise what is wrong ("must be ...").
std::string check_intercept_memo(std::string_view memo);

/// `unlock_at`: "off" (never), "next_day" (the default: end of the day after the request, China
/// time), an RFC 3339 time, or a China time "YYYY-MM-DD HH:MM" / "YYYY-MM-DD HH:MM:SS".
Parsed<UnlockSchedule> parse_unlock_at(std::string_view text);

/// `base` with every key `over` sets replaced; `enabled` resolved: the memo is non-empty and
/// `over` does not say enabled: false.
InterceptConfig merge_intercept(const InterceptConfig& base, const InterceptSettings& over);

/// workflows.intercept (absent or empty: nothing set): the defaults as written, enabled when the
/// memo is set. Bad values are reported and leave their key at its built-in default.
InterceptConfig read_intercept_defaults(const MapReader& workflows);

/// A shop's `intercept:` merged over `defaults`. A shop setting `enabled: true` with no memo
/// anywhere is reported: it could never intercept anything.
InterceptConfig read_shop_intercept(const MapReader& shop, const InterceptConfig& defaults);

}  // namespace erp::daemon::config::detail
