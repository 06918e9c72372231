#pragma once
// One contract check's outcome, and the stable ids of the checks (docs/plugin-authoring.md lists
// what each one proves, what a failure means and how to fix it). Ids never change meaning: scripts
// and the tests of erp-plugin-check itself match on them.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace erp::testkit {

/// Declared in the order of kStatusNames.
enum class CheckStatus { pass, fail, skip };

inline constexpr std::string_view kStatusNames[] = {"PASS", "FAIL", "SKIP"};

/// "PASS", "FAIL" or "SKIP", as printed.
constexpr std::string_view to_string(CheckStatus status) noexcept {
  return kStatusNames[static_cast<std::size_t>(status)];
}

struct CheckInfo {
  const char* id;
  const char* name;
};

inline constexpr CheckInfo kLoadCheck{"PC1", "load"};
inline constexpr CheckInfo kConfigCheck{"PC2", "config"};
inline constexpr CheckInfo kCapabilitiesCheck{"PC3", "capabilities"};
inline constexpr CheckInfo kListingCheck{"PC4", "listing"};
inline constexpr CheckInfo kRepeatableCheck{"PC5", "repeatable"};
inline constexpr CheckInfo kGetOrderCheck{"PC6", "get_order"};
inline constexpr CheckInfo kErrorsCheck{"PC7", "errors"};
inline constexpr CheckInfo kWritesCheck{"PC8", "writes"};
inline constexpr CheckInfo kPrivacyCheck{"PC9", "privacy"};

/// Every check, in the order they run.
inline constexpr CheckInfo kAllChecks[] = {kLoadCheck,    kConfigCheck,     kCapabilitiesCheck,
                                           kListingCheck, kRepeatableCheck, kGetOrderCheck,
                                           kErrorsCheck,  kWritesCheck,     kPrivacyCheck};

struct CheckResult {
  std::string id;
  std::string name;
  CheckStatus status = CheckStatus::fail;
  std::string reason;  ///< For people: what was seen. Never a secret or receiver data.
};

inline CheckResult check_outcome(const CheckInfo& check, CheckStatus status, std::string reason) {
  return CheckResult{check.id, check.name, status, std::move(reason)};
}
inline CheckResult passed(const CheckInfo& check, std::string reason) {
  return check_outcome(check, CheckStatus::pass, std::move(reason));
}
inline CheckResult failed(const CheckInfo& check, std::string reason) {
  return check_outcome(check, CheckStatus::fail, std::move(reason));
}
inline CheckResult skipped(const CheckInfo& check, std::string reason) {
  return check_outcome(check, CheckStatus::skip, std::move(reason));
}

}  // namespace erp::testkit
