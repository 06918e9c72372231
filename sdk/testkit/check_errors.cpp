// PC7 errors: the code an adapter returns decides erpd's next step (retry with backoff, wait,
// refresh the token, alert), so each platform failure must map to its code. platform-sim fails
// every request with one fault kind at a time.

#include <algorithm>
#include <vector>

#include "testkit/checks.hpp"

namespace erp::testkit {
namespace {

// Long enough for a loaded machine to answer a normal request, short enough that five timed-out
// calls keep the run fast.
constexpr std::chrono::milliseconds kTimeoutCap{1500};

struct FaultCase {
  const char* fault;
  std::vector<sdk::ErrorCode> expected;
  const char* expected_text;
};

const std::vector<FaultCase>& fault_cases() {
  static const std::vector<FaultCase> cases = {
      {"server_error", {sdk::ErrorCode::transient}, "transient"},
      {"rate_limit", {sdk::ErrorCode::rate_limited}, "rate_limited"},
      {"expired_session", {sdk::ErrorCode::auth_expired, sdk::ErrorCode::needs_reauth}, "auth_expired or needs_reauth"},
      {"truncated", {sdk::ErrorCode::transient}, "transient"},
      {"timeout", {sdk::ErrorCode::transient}, "transient"},
  };
  return cases;
}

/// Puts the simulator and the HTTP cap back however the check ends.
class FaultScope {
 public:
  explicit FaultScope(CheckContext& context) : context_(context), cap_(context.http->cap()) {}
  ~FaultScope() {
    (void)context_.sim->clear_faults();
    context_.http->set_cap(cap_);
  }
  FaultScope(const FaultScope&) = delete;
  FaultScope& operator=(const FaultScope&) = delete;

 private:
  CheckContext& context_;
  std::chrono::milliseconds cap_;
};

/// "" when `result` is a failure with one of the expected codes, else what is wrong.
template <class T>
std::string misclassified(CheckContext& context, const FaultCase& fault, const char* call,
                          const sdk::Result<T>& result) {
  const std::string where = std::string(call) + " under " + fault.fault + ": ";
  if (result) return where + "answered success although every request failed (a partial or empty answer taken as data)";
  context.remember(result.error());
  if (is_throw(result.error())) return where + "threw: " + result.error().message;
  const auto& expected = fault.expected;
  if (std::find(expected.begin(), expected.end(), result.error().code) == expected.end()) {
    return where + "expected " + fault.expected_text + ", got " + describe(result.error());
  }
  return {};
}

}  // namespace

CheckResult check_errors(CheckContext& context) {
  if (context.listed.empty()) return skipped(kErrorsCheck, "needs PC4's listing");
  const sdk::ModifiedWindow window{context.span_to - context.window_length(), context.span_to};
  const std::string order_id = context.listed.front().order_id;
  {
    const auto normal_cap = context.http->cap();
    FaultScope scope(context);
    for (const auto& fault : fault_cases()) {
      if (auto set = context.sim->fail_every_request(fault.fault); !set) {
        return failed(kErrorsCheck, "cannot set the fault: " + set.error().message);
      }
      context.http->set_cap(std::string(fault.fault) == "timeout" ? kTimeoutCap : normal_cap);
      const auto page = context.adapter->list_modified(window, "");
      if (auto wrong = misclassified(context, fault, "list_modified", page); !wrong.empty()) {
        return failed(kErrorsCheck, wrong);
      }
      const auto order = context.adapter->get_order(order_id);
      if (auto wrong = misclassified(context, fault, "get_order", order); !wrong.empty()) {
        return failed(kErrorsCheck, wrong);
      }
    }
  }
  // erpd retries the same adapter once the platform is back: it must not stay broken.
  const auto again = context.adapter->list_modified(window, "");
  if (!again) {
    context.remember(again.error());
    return failed(kErrorsCheck, "after the faults ended, list_modified still failed: " + describe(again.error()));
  }
  return passed(kErrorsCheck,
                "server_error, truncated, timeout: transient; rate_limit: rate_limited; "
                "expired_session: auth_expired/needs_reauth; works again afterwards");
}

}  // namespace erp::testkit
