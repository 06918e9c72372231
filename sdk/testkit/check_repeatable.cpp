// PC5 repeatable: erpd reads the same order many times (overlapping windows, reconciliation
// sweeps, refetches) and stores a new version whenever the mapping differs; a mapping that is not
// a function of the platform's data makes endless versions and events.

#include <map>

#include "testkit/checks.hpp"
#include "testkit/listing_walk.hpp"
#include "testkit/order_difference.hpp"

namespace erp::testkit {

CheckResult check_repeatable(CheckContext& context) {
  if (context.listed.empty()) return skipped(kRepeatableCheck, "needs PC4's listing");
  auto walk = walk_listing(*context.adapter, context.span_from, context.span_to, context.window_length());
  if (walk.error) {
    context.remember(*walk.error);
    return failed(kRepeatableCheck, "the second listing failed: " + describe(*walk.error));
  }
  std::map<std::string, const sdk::Order*> second;
  for (const auto& listed : walk.orders) second[listed.order.order_id] = &listed.order;
  for (const auto& first : context.listed) {
    const auto again = second.find(first.order_id);
    if (again == second.end()) return failed(kRepeatableCheck, "order " + first.order_id + " was not listed again");
    if (auto difference = order_difference(first, *again->second); !difference.empty()) {
      return failed(kRepeatableCheck, "order " + first.order_id + " mapped differently the second time: " + difference);
    }
  }
  if (second.size() != context.listed.size()) {
    return failed(kRepeatableCheck, "the second listing has " + std::to_string(second.size()) + " orders, the first " +
                                        std::to_string(context.listed.size()));
  }
  return passed(kRepeatableCheck, std::to_string(second.size()) + " orders mapped identically twice");
}

}  // namespace erp::testkit
