#pragma once
// The identity of an order across the daemon: (platform, shop, order id).

#include <string>
#include <tuple>

namespace erp::daemon {

struct OrderKey {
  std::string platform;
  std::string shop;
  std::string order_id;

  /// "platform/shop/order_id", the form erpctl accepts and logs print.
  std::string to_string() const { return platform + "/" + shop + "/" + order_id; }

  friend bool operator==(const OrderKey& a, const OrderKey& b) {
    return std::tie(a.platform, a.shop, a.order_id) == std::tie(b.platform, b.shop, b.order_id);
  }
  friend bool operator<(const OrderKey& a, const OrderKey& b) {
    return std::tie(a.platform, a.shop, a.order_id) < std::tie(b.platform, b.shop, b.order_id);
  }
};

}  // namespace erp::daemon
