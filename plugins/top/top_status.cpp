#include "plugins/top/top_status.hpp"

#include <array>
#include <utility>

namespace erp::plugins::top {

std::optional<sdk::OrderStatus> map_trade_status(std::string_view status) noexcept {
  using S = sdk::OrderStatus;
  static constexpr std::array<std::pair<std::string_view, S>, 14> kTable{{
      {"WAIT_BUYER_PAY", S::pending_payment},
      {"TRADE_NO_CREATE_PAY", S::pending_payment},
      {"PAY_PENDING", S::pending_payment},            // international card payment still confirming
      {"WAIT_PRE_AUTH_CONFIRM", S::pending_payment},  // 0-yuan contract, nothing paid yet
      {"WAIT_SELLER_SEND_GOODS", S::paid},
      {"PAID_FORBID_CONSIGN", S::paid},  // paid, shipping forbidden for now (flagged in extras)
      {"SELLER_CONSIGNED_PART", S::partially_shipped},
      {"WAIT_BUYER_CONFIRM_GOODS", S::shipped},
      {"TRADE_BUYER_SIGNED", S::shipped},  // COD: signed for, not yet settled
      {"TRADE_FINISHED", S::completed},
      {"TRADE_CLOSED", S::closed},
      {"TRADE_CLOSED_BY_TAOBAO", S::closed},
      // Filter aliases TOP accepts as `status` parameters; they never appear on a trade, but a
      // line status copied from an aggregate view would still mean the same thing.
      {"ALL_WAIT_PAY", S::pending_payment},
      {"ALL_CLOSED", S::closed},
  }};
  for (const auto& [name, value] : kTable) {
    if (name == status) return value;
  }
  return std::nullopt;
}

std::optional<sdk::RefundStatus> map_refund_status(std::string_view status) noexcept {
  using R = sdk::RefundStatus;
  if (status.empty() || status == "NO_REFUND") return R::none;
  if (status == "WAIT_SELLER_AGREE") return R::requested;
  if (status == "WAIT_BUYER_RETURN_GOODS" || status == "WAIT_SELLER_CONFIRM_GOODS" || status == "SELLER_REFUSE_BUYER")
    return R::in_progress;
  if (status == "SUCCESS") return R::refunded;
  if (status == "CLOSED") return R::closed;
  return std::nullopt;
}

}  // namespace erp::plugins::top
