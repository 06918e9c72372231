// PC8 writes: erpd's outbox retries a write whose outcome it did not learn, so a write must
// reach the platform once per call, and a repeat must be safe: a memo write is idempotent, a
// shipment already made is answered already_shipped (ErrorCode or receipt), never shipped twice.

#include "testkit/checks.hpp"

namespace erp::testkit {
namespace {

constexpr const char* kMemoText = "erp-plugin-check";
constexpr const char* kCarrier = "YUNDA";

bool shippable(const sdk::Order& order) {
  if (order.status != sdk::OrderStatus::paid) return false;
  for (const auto& line : order.lines) {
    if (line.status != sdk::OrderStatus::paid || line.refund_status != sdk::RefundStatus::none) return false;
  }
  return true;
}

/// "" when platform-sim counted `kind` once for the order, else `what` and the count.
std::string counted_once(CheckContext& context, const char* kind, const std::string& order_id,
                         const std::string& what) {
  auto counted = context.sim->count(kind, order_id);
  if (!counted) return "cannot read platform-sim's counters: " + counted.error().message;
  if (*counted == 1) return {};
  return what + " reached platform-sim " + std::to_string(*counted) + " times (" + kind + ")";
}

/// "" when the memo write and its repeat behave, else what went wrong.
std::string memo_problem(CheckContext& context, const std::string& order_id) {
  const sdk::MemoUpdate update{order_id, kMemoText, 1};
  auto first = context.adapter->write_memo(update);
  if (!first) return context.failure("write_memo(" + order_id + ")", first.error());
  if (auto problem = counted_once(context, "memo", order_id, "one write_memo"); !problem.empty()) return problem;
  auto again = context.adapter->write_memo(update);
  if (!again) return context.failure("repeating the same write_memo (it must be idempotent)", again.error());
  auto read_back = context.adapter->get_order(order_id);
  if (!read_back) return context.failure("get_order after write_memo", read_back.error());
  if (read_back->memo != kMemoText)
    return "the memo written does not read back in get_order (memo is \"" + read_back->memo + "\")";
  return {};
}

/// "" when the shipment and its repeat behave (or ship is unsupported: `supported` false).
std::string ship_problem(CheckContext& context, const std::string& order_id, bool& supported) {
  sdk::Shipment shipment;
  shipment.order_id = order_id;
  shipment.packages.push_back({"PC" + order_id, kCarrier, {}});
  shipment.idempotency_key = "erp-plugin-check-" + order_id;
  auto first = context.adapter->ship(shipment);
  if (!first && first.error().code == sdk::ErrorCode::unsupported) {
    supported = false;
    return {};
  }
  supported = true;
  if (!first) return context.failure("ship(" + order_id + ")", first.error());
  if (auto problem = counted_once(context, "ship.upload", order_id, "one ship()"); !problem.empty()) return problem;
  auto again = context.adapter->ship(shipment);
  if (!again) {
    context.remember(again.error());
    if (again.error().code != sdk::ErrorCode::already_shipped) {
      return "repeating a shipment should answer already_shipped or success, got " + describe(again.error());
    }
  }
  return counted_once(context, "ship.upload", order_id, "a shipment and its repeat");
}

}  // namespace

CheckResult check_writes(CheckContext& context) {
  if (context.listed.empty()) return skipped(kWritesCheck, "needs PC4's listing");
  std::vector<const sdk::Order*> candidates;
  for (const auto& order : context.listed) {
    if (shippable(order)) candidates.push_back(&order);
  }
  if (candidates.size() < 2) return skipped(kWritesCheck, "fewer than two paid orders without refunds were seeded");

  std::string done;
  if (context.capabilities.memo_write) {
    if (auto problem = memo_problem(context, candidates[0]->order_id); !problem.empty()) {
      return failed(kWritesCheck, problem);
    }
    done = "a memo write counted once, repeated safely, read back";
  }
  bool ships = false;
  if (auto problem = ship_problem(context, candidates[1]->order_id, ships); !problem.empty()) {
    return failed(kWritesCheck, problem);
  }
  if (ships) done += std::string(done.empty() ? "" : "; ") + "a shipment uploaded once, its repeat not uploaded";
  if (done.empty()) return skipped(kWritesCheck, "the adapter has neither memo writes nor shipments");
  return passed(kWritesCheck, done);
}

}  // namespace erp::testkit
