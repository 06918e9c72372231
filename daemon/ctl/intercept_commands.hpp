#pragma once
// erpctl intercept request|status|cancel|unlock|list: the shipment intercept workflow (rules
// I1-I9, docs/intercept.md) over the API's intercept routes (docs/api.md#intercepts). main.cpp
// registers them in its command table and hands each what it parsed.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ctl/client.hpp"

namespace erp::daemon::ctl {

/// What an intercept command gets from erpctl's command runner.
struct InterceptArgs {
  const Client& client;
  const std::vector<std::string>& words;               ///< The positionals: ORDER, or none.
  const std::map<std::string, std::string>& options;  ///< --name value (flags hold "true").
  bool json = false;                                   ///< --json: print the API's answer as it is.
  std::string by;                                      ///< The operator: --by, the sudo login, the user.
  /// ORDER as "/v1/orders/{platform}/{shop}/{order_id}", resolved like every erpctl command.
  std::function<std::optional<std::string>(const std::string& ref, Failure& failure)> order_path;
};

/// POST .../intercepts: prints the outcome in one line; exit 1 when too late.
int intercept_request(const InterceptArgs& args);
/// GET .../intercepts: the order's intercepts, newest first.
int intercept_status(const InterceptArgs& args);
/// Cancels the order's open intercept (POST /v1/intercepts/{id}/cancel, rule I6).
int intercept_cancel(const InterceptArgs& args);
/// POST /v1/intercepts/unlock (rule I7).
int intercept_unlock(const InterceptArgs& args);
/// GET /v1/intercepts with the filters given.
int intercept_list(const InterceptArgs& args);

}  // namespace erp::daemon::ctl
