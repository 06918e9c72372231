#pragma once
// A shop of any platform in platform-sim's scenario and in erpd's config, and the scenario events
// tests apply to it "now": new orders, platform-side shipments, memos and refunds. Order ids carry
// the shop's prefix, because the simulator's write counters are keyed by order id alone.

#include <string>

#include "integration/douyin_day.hpp"

namespace erp::test {

struct ScenarioShop {
  std::string platform;  ///< taobao | tmall | douyin
  std::string id;
  std::string prefix;  ///< Order ids start with it.

  bool douyin() const { return platform == "douyin"; }
  TopShop top() const { return TopShop{id, platform}; }
  DouyinShop dy() const { return DouyinShop{id}; }
  /// "platform/shop/order_id", as the API addresses the order.
  std::string key(const std::string& order) const { return platform + "/" + id + "/" + order; }

  /// Order number `n`: TOP a 15-digit tid, Douyin a 19-digit shop order id.
  std::string order_id(int n) const;
  /// Line k (from 1) of a multi-line order; a single-line TOP order's line id is its tid.
  std::string line_id(const std::string& order, int k) const;

  /// The scenario's `shops:` item (Douyin with `push_url` when given).
  std::string scenario_shop(const std::string& push_url = "") const;
  /// One event at the simulator's "now" for this shop.
  std::string event(const std::string& type, const std::string& keys) const;
  /// The event key naming the order (`tid` or `order_id`).
  std::string ref(const std::string& order) const;

  /// A paid order with `lines` lines (Douyin: sku orders, with an encrypted receiver), created now.
  std::string order_event(const std::string& order, int lines) const;
  /// Shipped on the platform side (Cainiao, the web console): every line.
  std::string ship_event(const std::string& order) const;
  /// The seller memo changed on the platform (empty text clears it); not counted as a write.
  std::string memo_event(const std::string& order, const std::string& text) const;
  /// A refund on one line (empty: TOP every line, Douyin the first); requested or completed.
  std::string refund_event(const std::string& order, const std::string& line, bool completed) const;
  /// The platform status of a paid order waiting for shipment.
  std::string waiting_status() const { return douyin() ? "2" : "WAIT_SELLER_SEND_GOODS"; }
};

}  // namespace erp::test
