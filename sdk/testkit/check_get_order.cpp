// PC6 get_order: erpd fetches single orders after a push and before a shipment, and stores what
// comes back as the order's newest version; it must be the order the listing gave.

#include "testkit/checks.hpp"
#include "testkit/order_difference.hpp"

namespace erp::testkit {
namespace {

// Enough to meet every order kind the generators make, few enough to keep the run short.
constexpr std::size_t kOrdersFetched = 12;
// Numeric, since TOP and Douyin ids are numbers, and far beyond any id platform-sim hands out.
constexpr const char* kUnknownId = "990000000000000001";

}  // namespace

CheckResult check_get_order(CheckContext& context) {
  if (context.listed.empty()) return skipped(kGetOrderCheck, "needs PC4's listing");
  std::size_t fetched = 0;
  for (const auto& listed : context.listed) {
    if (fetched == kOrdersFetched) break;
    ++fetched;
    auto single = context.adapter->get_order(listed.order_id);
    if (!single) {
      context.remember(single.error());
      if (single.error().code == sdk::ErrorCode::unsupported) {
        return failed(kGetOrderCheck, "get_order is required (erpd fetches orders after pushes and before shipping)");
      }
      return failed(kGetOrderCheck, "get_order(" + listed.order_id + ") failed: " + describe(single.error()));
    }
    if (auto difference = order_difference(listed, *single); !difference.empty()) {
      return failed(kGetOrderCheck, "order " + listed.order_id + " differs from its listing: " + difference);
    }
  }
  auto unknown = context.adapter->get_order(kUnknownId);
  if (unknown) return failed(kGetOrderCheck, std::string("get_order of the unknown id ") + kUnknownId + " succeeded");
  context.remember(unknown.error());
  if (unknown.error().code != sdk::ErrorCode::not_found) {
    return failed(kGetOrderCheck,
                  std::string("get_order of an unknown id should be not_found, got ") + describe(unknown.error()));
  }
  return passed(kGetOrderCheck, std::to_string(fetched) + " orders equal their listing; an unknown id is not_found");
}

}  // namespace erp::testkit
