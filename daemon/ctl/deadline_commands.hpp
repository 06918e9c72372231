#pragma once
// erpctl deadline show|report|track|after-sale: an order's ship-by and pickup clock (rules S1-S13,
// docs/deadlines.md) over the API's deadline routes. main.cpp registers them in its command table
// and hands each what it parsed.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ctl/client.hpp"
#include "ctl/dropship_commands.hpp"  // OrderRef

namespace erp::daemon::ctl {

/// What a deadline command gets from erpctl's command runner.
struct DeadlineArgs {
  const Client& client;
  const std::vector<std::string>& words;              ///< The positionals: ORDER.
  const std::map<std::string, std::string>& options;  ///< --name value (flags hold "true").
  bool json = false;                                  ///< --json: print the API's answer as it is.
  std::string by;                                     ///< The operator: --by, the sudo login, the user.
  /// ORDER (platform/shop/order_id, shop/order_id or a bare id) resolved like every erpctl command.
  std::function<std::optional<OrderRef>(const std::string& ref, Failure& failure)> resolve_order;
};

/// GET .../{order_id}/deadline: ship-by (China time) with its rule and holiday window, state,
/// reason, pickup due and picked up, first sorting centre, reports and tracking.
int deadline_show(const DeadlineArgs& args);
/// POST .../{order_id}/deadline/reports (S4): --kind, --waive or --move-to TIME, --note, --by.
int deadline_report(const DeadlineArgs& args);
/// POST .../{order_id}/tracking (S2, S3): --waybill, --kind, --at TIME, --source.
int deadline_track(const DeadlineArgs& args);
/// POST .../{order_id}/after-sale (S10): --line, --step, --at TIME (default now), --end.
int deadline_after_sale(const DeadlineArgs& args);

/// What people read, from the API's JSON (pure). `order` is "platform/shop/order_id".
/// GET .../deadline's answer in full.
std::string render_deadline(const nlohmann::json& answer);
/// The deadline object alone (the POST routes' answer), under the order's name.
std::string render_deadline_summary(const std::string& order, const nlohmann::json& deadline);
/// The after-sale timers (S10) as a table, or a line saying there are none.
std::string render_after_sale(const nlohmann::json& timers);

}  // namespace erp::daemon::ctl
