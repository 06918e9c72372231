#include "workflows/deadline/after_sale_clock.hpp"

#include <algorithm>
#include <iterator>

namespace erp::daemon::workflows::deadline {
namespace {

constexpr std::string_view kMerchantResponse = "merchant_response_shipped";
constexpr std::string_view kBuyerReturnInfo = "buyer_return_info";

bool line_shipped(const sdk::OrderLine& line) {
  return line.shipped_at || line.status == sdk::OrderStatus::shipped || line.status == sdk::OrderStatus::completed;
}

bool known_step(std::string_view step) {
  return std::find(std::begin(daemon::deadline::kAfterSaleSteps), std::end(daemon::deadline::kAfterSaleSteps), step) !=
         std::end(daemon::deadline::kAfterSaleSteps);
}

}  // namespace

bool merchant_owes(std::string_view step) { return step == kMerchantResponse || step == "merchant_confirm_return"; }

std::string after_sale_subject(const store::AfterSaleTimer& timer) {
  return timer.key.to_string() + "/" + timer.line_id + "/" + timer.step;
}

std::optional<store::AfterSaleTimer> AfterSaleClock::timer_for(const sdk::Order& order, const std::string& line_id,
                                                               const std::string& step, store::Instant at,
                                                               const daemon::deadline::Calendar& calendar) const {
  const auto* window = calendar.after_sale_window_for(order.platform, at);
  if (!window) return std::nullopt;
  const auto days = window->after_sale_days.find(step);
  if (days == window->after_sale_days.end()) return std::nullopt;
  store::AfterSaleTimer t;
  t.key = OrderKey{order.platform, order.shop, order.order_id};
  t.line_id = line_id;
  t.step = step;
  t.started_at = at;
  t.due_at = at + std::chrono::hours{24 * days->second};
  t.rule_id = "S10";
  t.window = window->id;
  t.merchant_owes = merchant_owes(step);
  return t;
}

void AfterSaleClock::on_order_changed(store::Tx& tx, const sdk::Order& order,
                                      const daemon::deadline::Calendar& calendar, store::Instant now) {
  const OrderKey key{order.platform, order.shop, order.order_id};
  // Most orders have no refund and no timer: this one read is all they cost.
  const auto running = store_.running_after_sale_timers(key);
  for (const auto& line : order.lines) {
    auto runs = [&](std::string_view step) {
      return std::any_of(running.begin(), running.end(), [&](const store::AfterSaleTimer& t) {
        return t.line_id == line.line_id && t.step == step;
      });
    };
    auto begin = [&](std::string_view step) {
      if (runs(step)) return;  // the same request, seen again
      if (auto t = timer_for(order, line.line_id, std::string(step), order.modified_at, calendar))
        store_.start_after_sale_timer(tx, *t);
    };
    auto stop = [&](std::string_view step) {
      if (runs(step)) end(tx, key, line.line_id, std::string(step), now);
    };
    switch (line.refund_status) {
      case sdk::RefundStatus::requested:
        // S10: refund, exchange or repair on a shipped line; an unshipped refund-only is unchanged.
        if (line_shipped(line)) begin(kMerchantResponse);
        break;
      case sdk::RefundStatus::in_progress:
        stop(kMerchantResponse);
        if (line_shipped(line)) begin(kBuyerReturnInfo);
        break;
      case sdk::RefundStatus::none:
      case sdk::RefundStatus::refunded:
      case sdk::RefundStatus::closed:
        for (const char* step : daemon::deadline::kAfterSaleSteps) stop(step);
        break;
    }
  }
}

sdk::Result<store::AfterSaleTimer> AfterSaleClock::start(store::Tx& tx, const sdk::Order& order,
                                                         const std::string& line_id, const std::string& step,
                                                         store::Instant at,
                                                         const daemon::deadline::Calendar& calendar) {
  if (!known_step(step)) {
    std::string steps;
    for (const char* s : daemon::deadline::kAfterSaleSteps) steps += (steps.empty() ? "" : ", ") + std::string(s);
    return sdk::fail(sdk::ErrorCode::invalid_input, "step: must be one of " + steps);
  }
  const bool has_line = std::any_of(order.lines.begin(), order.lines.end(),
                                    [&](const sdk::OrderLine& line) { return line.line_id == line_id; });
  if (!has_line) return sdk::fail(sdk::ErrorCode::invalid_input, "line_id: the order has no line " + line_id);
  auto t = timer_for(order, line_id, step, at, calendar);
  if (!t)
    return sdk::fail(sdk::ErrorCode::invalid_input,
                     "at: no holiday notice of " + order.platform + " gives " + step +
                         " a response time then (S10); outside the notices the platform's everyday timeouts apply");
  const std::int64_t id = store_.start_after_sale_timer(tx, *t);
  // A step already running keeps its first start: answer with the stored timer.
  for (auto& stored : store_.after_sale_timers(t->key))
    if (stored.id == id) return std::move(stored);
  t->id = id;
  return *t;
}

bool AfterSaleClock::end(store::Tx& tx, const OrderKey& key, const std::string& line_id, const std::string& step,
                         store::Instant now) {
  if (!store_.end_after_sale_timer(tx, key, line_id, step, now)) return false;
  store::AfterSaleTimer t;
  t.key = key;
  t.line_id = line_id;
  t.step = step;
  store_.clear_alert(tx, kAlertAfterSaleDue, after_sale_subject(t), now);
  return true;
}

}  // namespace erp::daemon::workflows::deadline
