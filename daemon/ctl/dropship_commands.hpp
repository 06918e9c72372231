#pragma once
// erpctl dropship factories|bindings|bind|unbind|assign|unassign|lines|show|audit|reconcile: the
// dropship hub (rules D1-D11, docs/dropship.md) over the API's merchant dropship routes. main.cpp
// registers them in its command table and hands each what it parsed. Nothing here prints
// receiver data: these routes never carry it.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ctl/client.hpp"

namespace erp::daemon::ctl {

/// An order as erpctl resolved it: the stored order's platform, shop and id, not encoded.
struct OrderRef {
  std::string platform;
  std::string shop;
  std::string order_id;
};

/// "/v1/orders/{platform}/{shop}/{order_id}", each part escaped for the URL.
std::string order_path(const OrderRef& order);

/// What a dropship command gets from erpctl's command runner.
struct DropshipArgs {
  const Client& client;
  const std::vector<std::string>& words;              ///< The positionals, in order.
  const std::map<std::string, std::string>& options;  ///< --name value (flags hold "true").
  bool json = false;                                  ///< --json: print the API's answer as it is.
  /// ORDER (platform/shop/order_id, shop/order_id or a bare id) resolved like every erpctl command.
  std::function<std::optional<OrderRef>(const std::string& ref, Failure& failure)> resolve_order;
};

/// Most orders one POST /v1/dropship/assign carries; more are sent in several requests.
inline constexpr std::size_t kAssignBatch = 500;

/// One ORDER[:LINE[,LINE...]] argument of `dropship assign`: the order reference and the line
/// ids (empty: every line). nullopt when the lines after ':' are not a list of ids.
struct AssignTarget {
  std::string order;
  std::vector<std::string> lines;
};
std::optional<AssignTarget> parse_assign_target(const std::string& word);

/// GET /v1/dropship/factories: id, name, Douyin shop, own shop, notifies, bindings summary.
int dropship_factories(const DropshipArgs& args);
/// GET /v1/dropship/bindings with --shop, --factory, --state.
int dropship_bindings(const DropshipArgs& args);
/// POST /v1/dropship/bindings {"shop", "factory"} (D2): the binding, requested.
int dropship_bind(const DropshipArgs& args);
/// POST /v1/dropship/bindings/{id}/unbind (D2).
int dropship_unbind(const DropshipArgs& args);
/// POST /v1/dropship/assign (D3, D4): one row per result; exit 1 when anything was refused.
int dropship_assign(const DropshipArgs& args);
/// POST /v1/dropship/lines/{id}/unassign: the merchant takes a line back (refused once shipped).
int dropship_unassign(const DropshipArgs& args);
/// GET /v1/dropship/lines with --factory, --shop, --state, --order, every page.
int dropship_lines(const DropshipArgs& args);
/// GET .../{order_id}/dropship: the order's dropship lines, live and ended.
int dropship_show(const DropshipArgs& args);
/// GET /v1/dropship/audit with --factory (D10): who was handed which receiver, never the receiver.
int dropship_audit(const DropshipArgs& args);
/// POST /v1/dropship/reconcile (D11).
int dropship_reconcile(const DropshipArgs& args);

/// What people read, from the API's JSON (pure; the CLI tests check them through erpctl).
std::string render_dropship_factories(const nlohmann::json& factories);
std::string render_dropship_bindings(const nlohmann::json& bindings);
std::string render_dropship_lines(const nlohmann::json& lines);
std::string render_dropship_assign(const nlohmann::json& results);
std::string render_dropship_audit(const nlohmann::json& accesses);

}  // namespace erp::daemon::ctl
