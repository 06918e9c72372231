#pragma once
// Dropship (rules D1-D11) as a platform's own factory channel offers it (Douyin's iop.* methods):
// the merchant side binds factories and assigns items to them, the factory side lists what was
// assigned to it and reports the waybill back. Platforms without such a channel (TOP) leave these
// unsupported; the daemon then keeps the whole dropship state itself and factories use its API.

#include <optional>
#include <string>
#include <vector>

#include "erp/model.hpp"

namespace erp::sdk {

/// A factory the platform shows as bound to the merchant's shop (rule D2).
struct FactoryBinding {
  std::string factory_shop_id;  ///< The factory's shop id on the platform.
  std::string name;
  Instant bound_at{};  ///< When the binding took effect: only orders created after it enter dropship (D3).
};

/// One item (sku order / line) to assign to a factory (rule D4).
struct DistributeItem {
  std::string order_id;
  std::string line_id;
};

struct DistributeRequest {
  std::string factory_shop_id;
  std::vector<DistributeItem> items;  ///< Many orders at once is one request (D4 batches).
};

/// Why the platform refused to assign, cancel or ship one dropship item.
enum class DropshipRefusal {
  none,              ///< Accepted.
  not_bound,         ///< The factory is not bound to the shop (D2).
  before_binding,    ///< The order was created before the binding took effect (D3).
  already_assigned,  ///< The item is assigned already.
  already_shipped,   ///< Shipped already, by either side (D7).
  buyer_cancelled,   ///< The buyer cancelled the item: shipping it is blocked (D8).
  not_found,         ///< No such order, item or dropship order.
  other,             ///< Any other refusal; `detail` says what.
};

/// The platform's answer for one item of a DistributeRequest, in request order.
struct DistributeResult {
  std::string order_id;
  std::string line_id;
  std::string distr_order_id;  ///< The platform's id of the assignment; empty when refused.
  DropshipRefusal refusal = DropshipRefusal::none;
  std::string detail;  ///< The platform's own words when refused.
};

/// An assignment's state as the factory side sees it.
enum class DropshipStatus { to_ship, shipped, unassigned };

/// One item assigned to the factory (Douyin iop.orderList / iop.orderInfo entry).
struct DropshipOrder {
  std::string distr_order_id;
  std::string merchant_shop_id;  ///< The platform shop that assigned it (Douyin user_id).
  std::string order_id;          ///< The merchant's order id; empty when the listing does not say.
  std::string line_id;           ///< The merchant's line (sku order) id; empty when not given.
  std::string sku;
  std::string outer_sku;
  std::string title;
  std::int64_t quantity = 0;
  DropshipStatus status = DropshipStatus::to_ship;
  bool buyer_cancelled = false;  ///< D8: the buyer cancelled; the item stays assigned but may not ship.
  std::string cancel_reason;
  Instant assigned_at{};
  Instant modified_at{};
  /// Ciphertext and region only (D10); decrypt_receivers() with order_id opens it for the factory.
  Receiver receiver;
  std::string waybill;  ///< Set once shipped.
  std::string carrier;
};

/// A factory's shipment of one dropship item, reported back to the platform (iop.waybillReturn).
struct DropshipShipment {
  std::string distr_order_id;
  std::string merchant_shop_id;
  std::string carrier_code;
  std::string waybill;
};

/// Outcome of DropshipShipment: accepted, or refused with the reason (D7 already shipped is a
/// refusal the caller must tell apart from a failure).
struct DropshipShipReceipt {
  DropshipRefusal refusal = DropshipRefusal::none;
  std::string detail;
};

}  // namespace erp::sdk
