#pragma once
// Facts about the normalized order status that several daemon parts decide on.

#include "erp/model.hpp"

namespace erp::daemon {

/// Shipped, completed or closed: the order can no longer go to the warehouse or be held. Its SQL
/// twin is ERP_STORE_OPEN_ORDER (store/order_row.hpp), the orders_open index's predicate.
constexpr bool is_finished(sdk::OrderStatus status) noexcept {
  return status == sdk::OrderStatus::shipped || status == sdk::OrderStatus::completed ||
         status == sdk::OrderStatus::closed;
}

}  // namespace erp::daemon
