#pragma once
// One TOP trade JSON object (fullinfo / increment.get shape, PLATFORMS.md §2.3) -> sdk::Order.
// Shared by the Taobao and Tmall plugins; Tmall fields (rules G2, G3, S6, S7) switch on with a flag.

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "erp/adapter.hpp"
#include "erp/model.hpp"

namespace erp::plugins::top {

struct MapOptions {
  bool tmall = false;    ///< Read one_yuan_reservation_orders and the Tmall Global type.
  std::string platform;  ///< Plugin name put into Order::platform ("taobao" / "tmall").
  std::string shop;      ///< Shop id from the daemon's config.
};

/// Either the order or the reason it cannot be mapped (the payload is the trade JSON). Never throws
/// for bad data; a malformed field rejects the trade with a reason naming the field.
using MappedTrade = std::variant<sdk::Order, sdk::Rejected>;

MappedTrade map_trade(const nlohmann::json& trade, const MapOptions& options);

}  // namespace erp::plugins::top
