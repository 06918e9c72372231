#include "workflows/gift/gift_match.hpp"

#include <algorithm>

namespace erp::daemon::workflows::gift {
namespace {

bool in_set(const sdk::OrderLine& line, const std::vector<std::string>& skus) {
  const auto named = [&](const std::string& code) {
    return !code.empty() && std::find(skus.begin(), skus.end(), code) != skus.end();
  };
  return named(line.outer_sku) || named(line.sku);
}

}  // namespace

bool refunded(const sdk::OrderLine& line) {
  return line.refund_status == sdk::RefundStatus::refunded || line.status == sdk::OrderStatus::closed;
}

std::optional<std::string> recognise_reservation(const sdk::Order& order, const config::GiftConfig& settings) {
  if (order.lines.empty()) return std::nullopt;
  const auto all = [&](auto&& predicate) { return std::all_of(order.lines.begin(), order.lines.end(), predicate); };
  if (!settings.reservation_skus.empty() &&
      all([&](const sdk::OrderLine& line) { return in_set(line, settings.reservation_skus); })) {
    return std::string("sku");
  }
  if (settings.reservation_price_fen > 0 &&
      all([&](const sdk::OrderLine& line) { return line.price.fen == settings.reservation_price_fen; })) {
    return std::string("price");
  }
  return std::nullopt;
}

std::int64_t live_pieces(const sdk::Order& order) {
  std::int64_t pieces = 0;
  for (const auto& line : order.lines) {
    if (!refunded(line)) pieces += line.quantity;
  }
  return pieces;
}

const config::GiftRule* match_rule(const sdk::Order& order, const config::GiftConfig& settings,
                                   const std::function<std::int64_t(const std::string& rule)>& used) {
  for (const auto& rule : settings.rules) {
    if (rule.from && (!order.paid_at || *order.paid_at < *rule.from)) continue;
    if (rule.until && (!order.paid_at || *order.paid_at >= *rule.until)) continue;
    if (order.total.fen < rule.min_amount_fen) continue;
    if (live_pieces(order) < rule.min_quantity) continue;
    if (!rule.skus.empty() && std::none_of(order.lines.begin(), order.lines.end(), [&](const sdk::OrderLine& line) {
          return !refunded(line) && in_set(line, rule.skus);
        })) {
      continue;
    }
    if (rule.stock && used(rule.name) >= *rule.stock) continue;  // spent: the next rule may still give
    return &rule;
  }
  return nullptr;
}

}  // namespace erp::daemon::workflows::gift
