#pragma once
// TOP trade / sub-order status and refund_status vocabularies (PLATFORMS.md §2.3) -> the SDK model.

#include <optional>
#include <string_view>

#include "erp/model.hpp"

namespace erp::plugins::top {

/// Every documented trade status; nullopt for an unknown one (the trade is then rejected, not guessed).
std::optional<sdk::OrderStatus> map_trade_status(std::string_view status) noexcept;

/// Line refund_status; NO_REFUND and empty mean none. nullopt for an unknown value.
std::optional<sdk::RefundStatus> map_refund_status(std::string_view status) noexcept;

}  // namespace erp::plugins::top
