#pragma once
// The gift lines a repurchase (main) order carries to the warehouse (rule G4): one line per
// unrefunded line of each reservation order linked to it, at no charge, naming the reservation
// orders it fulfils. The warehouse delivery and the API's order JSON both show these.

#include <vector>

#include "erp/warehouse.hpp"
#include "store/store.hpp"

namespace erp::daemon::workflows::gift {

/// The prefix of a gift line's id: "gift:<reservation order id>:<its line id>".
inline constexpr const char* kGiftLinePrefix = "gift:";
inline constexpr const char* kGiftLineRule = "G4";

/// Empty for an order with no linked reservation (dropped links do not count).
std::vector<sdk::AddedLine> gift_lines(store::Store& store, const OrderKey& main);

}  // namespace erp::daemon::workflows::gift
