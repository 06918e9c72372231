#pragma once
// erpctl gift list|show and erpctl alerts clear: the 1-yuan reservation gift workflow (rules
// G1-G13) over the API's gift routes and the workflow's alerts (docs/api.md#gifts). main.cpp
// registers them in its command table and hands each what it parsed.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ctl/client.hpp"

namespace erp::daemon::ctl {

/// What a gift command gets from erpctl's command runner.
struct GiftArgs {
  const Client& client;
  const std::vector<std::string>& words;              ///< The positionals: ORDER, KIND SUBJECT, or none.
  const std::map<std::string, std::string>& options;  ///< --name value (flags hold "true").
  bool json = false;                                  ///< --json: print the API's answer as it is.
  std::string by;                                     ///< The operator: --by, the sudo login, the user.
  /// ORDER as "/v1/orders/{platform}/{shop}/{order_id}", resolved like every erpctl command.
  std::function<std::optional<std::string>(const std::string& ref, Failure& failure)> order_path;
};

/// GET /v1/gifts with the filters given: the reservation orders, newest first.
int gift_list(const GiftArgs& args);
/// GET .../gift: the order's gift role, links and gift lines.
int gift_show(const GiftArgs& args);
/// POST /v1/alerts/clear: a person saw to the alert KIND SUBJECT.
int alerts_clear(const GiftArgs& args);

}  // namespace erp::daemon::ctl
