#pragma once
// One TOP trade (main order) with its sub-orders, kept in TOP's own vocabulary (PLATFORMS.md 2.3),
// plus a cache of its JSON, field by field, so reads only pick and concatenate fields.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "top/top_time.hpp"

namespace erp::sim::top {

/// A sub-order (`orders.order[]`).
struct TopOrder {
  std::int64_t oid = 0;
  std::string num_iid;
  std::string sku_id;
  std::string outer_iid;
  std::string outer_sku_id;
  std::string title;
  std::string sku_properties_name;
  std::int64_t num = 1;
  std::int64_t price_fen = 0;
  std::int64_t discount_fen = 0;
  std::string status = "WAIT_BUYER_PAY";
  std::string refund_status = "NO_REFUND";
  std::string refund_id;
  bool shipped = false;
  std::string logistics_company;
  std::string invoice_no;
  std::optional<Instant> consign_time;
  std::optional<Instant> end_time;
  /// Rule G2: the linked 1-yuan reservation orders (comma-separated tids); empty = field absent.
  std::string one_yuan_reservation_orders;
  std::int64_t tax_fen = 0;  ///< Tmall Global sub_order_tax_fee.
};

/// Tmall Global cross-border types (DOMAIN S6/S7); none for domestic trades.
enum class CrossBorder { none, bonded_import, direct_mail, consolidated_import };

struct TopTrade {
  std::int64_t tid = 0;
  std::string shop;
  std::string platform;  ///< taobao | tmall
  std::string status = "WAIT_BUYER_PAY";
  std::string type = "fixed";
  Instant created{};
  Instant modified{};
  std::optional<Instant> pay_time;
  std::optional<Instant> consign_time;
  std::optional<Instant> end_time;
  std::string buyer_open_uid;
  std::string buyer_message;
  std::int64_t post_fee_fen = 0;
  std::int64_t discount_fen = 0;
  std::string receiver_name;
  std::string receiver_mobile;
  std::string receiver_phone;
  std::string receiver_state;
  std::string receiver_city;
  std::string receiver_district;
  std::string receiver_town;
  std::string receiver_address;
  std::string receiver_zip;
  std::string oaid;
  bool has_memo = false;
  std::string seller_memo;
  int seller_flag = 0;
  CrossBorder cross_border = CrossBorder::none;
  bool ofp_hold = false;
  /// Step (presale) trades: step_trade_status / step_paid_fee; empty when not a step trade.
  std::string step_trade_status;
  std::int64_t step_paid_fen = 0;
  bool one_yuan = false;  ///< This trade is itself a 1-yuan reservation order (rule G1).
  std::vector<TopOrder> orders;

  /// Field name -> its JSON text, rebuilt by render() after every change.
  std::map<std::string, std::string, std::less<>> json_fields;
  /// The sub-orders as JSON objects, for `orders.<field>` selections.
  nlohmann::json orders_json = nlohmann::json::array();

  std::int64_t total_fee_fen() const;  ///< Sum of price * num.
  std::int64_t payment_fen() const;    ///< total_fee + post_fee - discount (+ tax for Tmall Global).
  /// Rebuilds the JSON cache; call after every change.
  void render();
  /// Recomputes the trade status from the lines (shipping, refunds) once the trade is paid.
  void derive_status();
};

/// The fields a caller asked for ("tid,status,orders" or "orders.oid"): top-level names and, for
/// the sub-orders, either everything ("orders") or only the listed `orders.<x>` names.
struct FieldSelection {
  std::vector<std::string> trade_fields;
  bool all_orders = false;
  std::vector<std::string> order_fields;
  bool empty() const { return trade_fields.empty() && !all_orders && order_fields.empty(); }
};

FieldSelection parse_fields(std::string_view fields);

/// Appends `{"field":value,...}` with only the selected fields the trade has.
void append_trade_json(std::string& out, const TopTrade& trade, const FieldSelection& selection);

std::string cross_border_name(CrossBorder kind);
std::optional<CrossBorder> cross_border_from_name(std::string_view name);

/// OAID-era masking of receiver data as TOP returns it: "张**", "*******5678", "****".
std::string mask_name(const std::string& name);
std::string mask_phone(const std::string& phone);
std::string mask_address(const std::string& address);

}  // namespace erp::sim::top
