#pragma once
// The normalized order model every platform adapter maps into and every workflow reads.
// Instants are UTC; money is integer fen; platform ids are strings (CONVENTIONS 11).

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "erp/money.hpp"

namespace erp::sdk {

/// A UTC instant with millisecond precision.
using Instant = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

/// The normalized lifecycle of an order or of one line. Names are fixed by the public order JSON.
enum class OrderStatus { pending_payment, paid, partially_shipped, shipped, completed, closed };

/// Where a refund on a line (or order) stands, whatever the platform calls it.
enum class RefundStatus {
  none,         ///< No refund was ever requested.
  requested,    ///< The buyer asked; the merchant has not answered.
  in_progress,  ///< Agreed or under way (waiting for the return parcel, arbitration ...).
  refunded,     ///< Money went back to the buyer.
  closed,       ///< The request was withdrawn or refused; the line goes on normally.
};

/// Special order kinds that change deadlines and release rules (rules S1, G1).
enum class OrderKind {
  normal,
  presale,     ///< Presale / step payment: ships at the agreed time (S1).
  custom_made, ///< Agreed ship time (S1).
  virtual_goods ///< Nothing to ship; out of scope for all S rules.
};

/// Tmall Global cross-border types (rules S6, S7).
enum class CrossBorderType { none, bonded_import, direct_mail, consolidated_import };

/// The buyer's delivery address. Plaintext never enters the model: the platform's (or the host's)
/// ciphertext travels as an opaque string, and only a masked form is shown to people (rule D10).
struct Receiver {
  std::string ciphertext;      ///< Opaque; decrypted only by the party that ships.
  std::string masked_name;     ///< e.g. "张*"
  std::string masked_phone;    ///< e.g. "138****5678"
  std::string masked_address;  ///< e.g. "浙江省杭州市西湖区****"
  std::string province;        ///< Coarse region, not personal on its own; used by deadline rules.
  std::string city;
  std::string district;
};

/// One line item (TOP "order"/oid, Douyin sku order).
struct OrderLine {
  std::string line_id;
  std::string item_id;
  std::string sku;            ///< Platform sku id.
  std::string outer_sku;      ///< Merchant's own code for the sku (what the warehouse knows).
  std::string title;
  std::int64_t quantity = 0;
  Money price;                ///< Unit price.
  Money paid;                 ///< What the buyer paid for the whole line.
  OrderStatus status = OrderStatus::paid;
  RefundStatus refund_status = RefundStatus::none;
  /// When the platform recorded this line shipped and with which parcel (TOP consign_time,
  /// invoice_no, logistics_company): the facts rules G5-G8 pick a waybill from. Empty until then.
  std::optional<Instant> shipped_at;
  std::string waybill;
  std::string carrier;  ///< The carrier as the platform names it (a code or a company name).
};

/// One order as the platform last described it.
struct Order {
  std::string platform;  ///< Plugin name: "taobao", "tmall", "douyin", ...
  std::string shop;      ///< Shop id from the daemon's config.
  std::string order_id;  ///< Platform order id (TOP tid, Douyin order_id).
  OrderStatus status = OrderStatus::paid;
  std::string platform_status;  ///< The platform's own status string, verbatim.
  OrderKind kind = OrderKind::normal;
  CrossBorderType cross_border = CrossBorderType::none;
  Instant created_at{};
  std::optional<Instant> paid_at;
  /// The platform's last-modified time; an update with an older value never overwrites a newer one.
  Instant modified_at{};
  Money total;  ///< What the buyer paid for the order.
  std::vector<OrderLine> lines;
  Receiver receiver;
  std::string buyer_ref;  ///< Opaque, stable buyer id (open uid); not a name.
  std::string memo;       ///< Seller memo.
  int memo_flag = 0;      ///< Seller flag / star, 0 = none.
  std::optional<Instant> ship_by;  ///< The platform's own ship-by time, when it gives one.
  std::vector<std::string> reservation_order_ids;  ///< Tmall one_yuan_reservation_orders (rule G2).
  std::map<std::string, std::string> extras;  ///< Platform facts with no field of their own yet.
};

/// One parcel of a shipment. Empty `line_ids` means every line of the order.
struct Package {
  std::string waybill;
  std::string carrier_code;
  std::vector<std::string> line_ids;
};

/// A waybill upload request. The idempotency key is stable across retries of the same shipment.
struct Shipment {
  std::string order_id;
  std::vector<Package> packages;
  std::string idempotency_key;
};

/// A seller memo write (rule I3).
struct MemoUpdate {
  std::string order_id;
  std::string memo;
  int flag = 0;
};

}  // namespace erp::sdk

// Stable lower-case names (to_string / *_from_string) used in JSON, the database and logs.
#include "erp/detail/model_names.hpp"
