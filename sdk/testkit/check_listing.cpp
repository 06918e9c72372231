// PC4 listing: what erpd's sync relies on to never miss nor invent an order.

#include <map>
#include <set>

#include "core/time_format.hpp"
#include "testkit/checks.hpp"
#include "testkit/listing_walk.hpp"

namespace erp::testkit {
namespace {

/// "" when the order is complete and consistent, else the first thing wrong with it.
std::string order_problem(const ListedOrder& listed, const std::string& platform, const std::string& shop) {
  const sdk::Order& order = listed.order;
  const std::string who = "order " + order.order_id + ": ";
  if (order.order_id.empty()) return "an order has no order_id";
  if (order.platform != platform) return who + "platform is \"" + order.platform + "\", not \"" + platform + "\"";
  if (order.shop != shop) return who + "shop is \"" + order.shop + "\", not the shop's id \"" + shop + "\"";
  if (order.modified_at < listed.window.from || order.modified_at >= listed.window.to) {
    return who + "modified_at " + daemon::format_rfc3339(order.modified_at) + " is outside the window [" +
           daemon::format_rfc3339(listed.window.from) + ", " + daemon::format_rfc3339(listed.window.to) +
           ") it was listed in";
  }
  if (order.total.fen < 0) return who + "total is negative";
  if (order.lines.empty()) return who + "has no lines";
  std::set<std::string> line_ids;
  for (const auto& line : order.lines) {
    if (line.line_id.empty()) return who + "a line has no line_id";
    if (!line_ids.insert(line.line_id).second) return who + "line " + line.line_id + " appears twice";
    if (line.quantity <= 0) return who + "line " + line.line_id + " has quantity " + std::to_string(line.quantity);
    if (line.price.fen < 0 || line.paid.fen < 0) return who + "line " + line.line_id + " has negative money";
  }
  return {};
}

}  // namespace

CheckResult check_listing(CheckContext& context) {
  auto walk = walk_listing(*context.adapter, context.span_from, context.span_to, context.window_length());
  if (walk.error) {
    context.remember(*walk.error);
    return failed(kListingCheck,
                  "list_modified failed after " + std::to_string(walk.pages) + " pages: " + describe(*walk.error));
  }
  if (!walk.paging_problem.empty()) return failed(kListingCheck, walk.paging_problem);
  if (!walk.rejected.empty()) {
    return failed(kListingCheck, std::to_string(walk.rejected.size()) + " seeded orders were rejected, the first (" +
                                     walk.rejected.front().order_id + ") because: " + walk.rejected.front().reason);
  }
  std::map<std::string, int> times_listed;
  for (const auto& listed : walk.orders) {
    if (auto problem = order_problem(listed, context.plugin->name(), context.shop.id); !problem.empty()) {
      return failed(kListingCheck, problem);
    }
    if (++times_listed[listed.order.order_id] == 2) {
      return failed(kListingCheck, "order " + listed.order.order_id + " was listed twice");
    }
  }
  if (static_cast<int>(walk.orders.size()) != context.seeded_orders) {
    return failed(kListingCheck, "listed " + std::to_string(walk.orders.size()) + " orders, platform-sim holds " +
                                     std::to_string(context.seeded_orders));
  }
  for (auto& listed : walk.orders) context.listed.push_back(std::move(listed.order));
  return passed(kListingCheck, std::to_string(context.listed.size()) + " orders, each once, in " +
                                   std::to_string(walk.windows) + " windows and " + std::to_string(walk.pages) +
                                   " pages");
}

}  // namespace erp::testkit
