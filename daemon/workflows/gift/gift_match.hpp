#pragma once
// What the gift workflow reads off an order, as pure functions over the normalized model and
// the shop's settings: is it a 1-yuan reservation order (G1), which merchant rule does a
// repurchase meet (G12).

#include <functional>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "erp/model.hpp"

namespace erp::daemon::workflows::gift {

/// G1: "sku" when every line's outer_sku or sku is one of the shop's reservation SKUs, "price"
/// when every line has the reservation unit price; nullopt otherwise (or with no lines).
std::optional<std::string> recognise_reservation(const sdk::Order& order, const config::GiftConfig& settings);

/// Units on the order's lines that are not refunded (a reservation's gift pieces, a rule's quantity).
std::int64_t live_pieces(const sdk::Order& order);

/// G12: the first rule `order` meets whose stock is not spent (`used` tells a rule's pieces given
/// so far), or nullptr. Meeting a rule: paid within its from/until, total at least min_amount,
/// live pieces at least min_quantity, and one line in its SKU set when it names one.
const config::GiftRule* match_rule(const sdk::Order& order, const config::GiftConfig& settings,
                                   const std::function<std::int64_t(const std::string& rule)>& used);

/// True when `line` is refunded (money back or on its way): it no longer counts or ships.
bool refunded(const sdk::OrderLine& line);

}  // namespace erp::daemon::workflows::gift
