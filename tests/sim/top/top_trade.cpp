#include "top/top_trade.hpp"

#include <algorithm>
#include <limits>

#include "erp/money.hpp"

namespace erp::sim::top {

namespace {

using nlohmann::json;

std::string yuan(std::int64_t fen) { return sdk::format_yuan(sdk::Money{fen}); }

/// TOP ids are Numbers; an id a scenario wrote with other characters stays a string.
json id_json(const std::string& id) {
  if (id.empty() || id.size() > 19) return id;
  std::int64_t value = 0;
  for (char c : id) {
    if (c < '0' || c > '9') return id;
    const int digit = c - '0';
    if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10) return id;
    value = value * 10 + digit;
  }
  return value;
}

/// Length of the UTF-8 sequence that starts with `lead` (1 for stray continuation bytes).
std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

/// The first `count` code points of `text`.
std::string utf8_prefix(const std::string& text, std::size_t count) {
  std::size_t i = 0;
  for (std::size_t n = 0; n < count && i < text.size(); ++n) {
    i += utf8_length(static_cast<unsigned char>(text[i]));
  }
  return text.substr(0, std::min(i, text.size()));
}

bool is_active(const TopOrder& order) { return order.refund_status != "SUCCESS"; }

bool paid_state(const std::string& status) {
  return status == "WAIT_SELLER_SEND_GOODS" || status == "SELLER_CONSIGNED_PART" ||
         status == "WAIT_BUYER_CONFIRM_GOODS" || status == "PAID_FORBID_CONSIGN";
}

/// Scenario and caller text may hold bytes that are not UTF-8; TOP's answer must still be JSON.
std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

void put(std::map<std::string, std::string, std::less<>>& fields, const std::string& name, const json& value) {
  fields[name] = dump(value);
}

}  // namespace

std::string mask_name(const std::string& name) {
  if (name.empty()) return name;
  return utf8_prefix(name, 1) + "**";
}

std::string mask_phone(const std::string& phone) {
  if (phone.size() <= 4) return phone.empty() ? phone : std::string(phone.size(), '*');
  return std::string(phone.size() - 4, '*') + phone.substr(phone.size() - 4);
}

std::string mask_address(const std::string& address) {
  if (address.empty()) return address;
  return utf8_prefix(address, 3) + "****";
}

std::string cross_border_name(CrossBorder kind) {
  switch (kind) {
    case CrossBorder::none:
      return "none";
    case CrossBorder::bonded_import:
      return "bonded_import";
    case CrossBorder::direct_mail:
      return "direct_mail";
    case CrossBorder::consolidated_import:
      return "consolidated_import";
  }
  return "none";
}

std::optional<CrossBorder> cross_border_from_name(std::string_view name) {
  if (name == "none" || name.empty()) return CrossBorder::none;
  if (name == "bonded_import" || name == "bonded") return CrossBorder::bonded_import;
  if (name == "direct_mail") return CrossBorder::direct_mail;
  if (name == "consolidated_import" || name == "consolidated") return CrossBorder::consolidated_import;
  return std::nullopt;
}

std::int64_t TopTrade::total_fee_fen() const {
  std::int64_t sum = 0;
  for (const auto& order : orders) sum += order.price_fen * order.num;
  return sum;
}

std::int64_t TopTrade::payment_fen() const {
  std::int64_t tax = 0;
  for (const auto& order : orders) tax += order.tax_fen;
  return total_fee_fen() + post_fee_fen - discount_fen + tax;
}

void TopTrade::derive_status() {
  if (!paid_state(status)) return;
  std::size_t active = 0, shipped = 0;
  for (const auto& order : orders) {
    if (!is_active(order)) continue;
    ++active;
    if (order.shipped) ++shipped;
  }
  if (active == 0) {
    status = "TRADE_CLOSED";
    if (!end_time) end_time = modified;
  } else if (shipped == active) {
    status = "WAIT_BUYER_CONFIRM_GOODS";
  } else if (shipped > 0) {
    status = "SELLER_CONSIGNED_PART";
  } else if (status != "PAID_FORBID_CONSIGN") {
    status = "WAIT_SELLER_SEND_GOODS";
  }
  for (auto& order : orders) {
    if (!is_active(order)) {
      order.status = "TRADE_CLOSED";
      if (!order.end_time) order.end_time = modified;
    } else if (order.shipped) {
      order.status = "WAIT_BUYER_CONFIRM_GOODS";
    } else {
      order.status = status == "PAID_FORBID_CONSIGN" ? status : "WAIT_SELLER_SEND_GOODS";
    }
  }
}

void TopTrade::render() {
  json_fields.clear();
  const std::int64_t payment = payment_fen();
  put(json_fields, "tid", tid);
  put(json_fields, "status", status);
  put(json_fields, "type", type);
  put(json_fields, "created", format_china_time(created));
  put(json_fields, "modified", format_china_time(modified));
  if (pay_time) put(json_fields, "pay_time", format_china_time(*pay_time));
  if (consign_time) put(json_fields, "consign_time", format_china_time(*consign_time));
  if (end_time) put(json_fields, "end_time", format_china_time(*end_time));
  put(json_fields, "seller_nick", shop);
  put(json_fields, "buyer_open_uid", buyer_open_uid);
  put(json_fields, "payment", yuan(payment));
  put(json_fields, "total_fee", yuan(total_fee_fen()));
  put(json_fields, "post_fee", yuan(post_fee_fen));
  put(json_fields, "discount_fee", yuan(discount_fen));
  put(json_fields, "adjust_fee", "0.00");
  std::int64_t num = 0;
  for (const auto& order : orders) num += order.num;
  put(json_fields, "num", num);
  if (!orders.empty()) {
    put(json_fields, "num_iid", id_json(orders.front().num_iid));
    put(json_fields, "title", orders.front().title);
    put(json_fields, "price", yuan(orders.front().price_fen));
  }
  // Receiver data in the OAID era comes out masked; `oaid` is added by append_trade_json only
  // when the caller asked for the five fields PLATFORMS.md 2.3 names.
  put(json_fields, "receiver_name", mask_name(receiver_name));
  put(json_fields, "receiver_mobile", mask_phone(receiver_mobile));
  if (!receiver_phone.empty()) put(json_fields, "receiver_phone", mask_phone(receiver_phone));
  put(json_fields, "receiver_state", receiver_state);
  put(json_fields, "receiver_city", receiver_city);
  put(json_fields, "receiver_district", receiver_district);
  if (!receiver_town.empty()) put(json_fields, "receiver_town", receiver_town);
  put(json_fields, "receiver_address", mask_address(receiver_address));
  put(json_fields, "receiver_zip", receiver_zip);
  put(json_fields, "receiver_country", "");
  put(json_fields, "oaid", oaid);
  if (has_memo) put(json_fields, "seller_memo", seller_memo);
  put(json_fields, "seller_flag", seller_flag);
  if (!buyer_message.empty()) put(json_fields, "buyer_message", buyer_message);
  put(json_fields, "is_part_consign", status == "SELLER_CONSIGNED_PART");
  put(json_fields, "is_sh_ship", false);
  if (!step_trade_status.empty()) {
    put(json_fields, "step_trade_status", step_trade_status);
    put(json_fields, "step_paid_fee", yuan(step_paid_fen));
  }
  if (cross_border != CrossBorder::none) {
    std::int64_t tax = 0;
    for (const auto& order : orders) tax += order.tax_fen;
    put(json_fields, "cross_bonded_declare", cross_border == CrossBorder::bonded_import);
    put(json_fields, "order_tax_fee", yuan(tax));
    put(json_fields, "order_tax_promotion_fee", "0.00");
    put(json_fields, "ofp_hold", ofp_hold);
    // PLATFORMS.md names no field that tells bonded import from direct mail or consolidated
    // import; the simulator states it in trade_attr (a documented JSON-text field) and says so in
    // its README.
    put(json_fields, "trade_attr", dump(json{{"tmallGlobalType", cross_border_name(cross_border)}}));
  }

  orders_json = json::array();
  const bool single = orders.size() == 1;
  for (const auto& order : orders) {
    const std::int64_t line_payment =
        single ? payment : order.price_fen * order.num - order.discount_fen + order.tax_fen;
    json o = {{"oid", order.oid},
              {"num_iid", id_json(order.num_iid)},
              {"sku_id", order.sku_id},
              {"outer_iid", order.outer_iid},
              {"outer_sku_id", order.outer_sku_id},
              {"title", order.title},
              {"sku_properties_name", order.sku_properties_name},
              {"num", order.num},
              {"price", yuan(order.price_fen)},
              {"total_fee", yuan(order.price_fen * order.num)},
              {"payment", yuan(line_payment)},
              {"divide_order_fee", yuan(line_payment)},
              {"discount_fee", yuan(order.discount_fen)},
              {"adjust_fee", "0.00"},
              {"status", order.status},
              {"refund_status", order.refund_status},
              {"shipping_type", "express"}};
    if (!order.refund_id.empty()) o["refund_id"] = id_json(order.refund_id);
    if (order.consign_time) o["consign_time"] = format_china_time(*order.consign_time);
    if (order.end_time) o["end_time"] = format_china_time(*order.end_time);
    if (!order.logistics_company.empty()) o["logistics_company"] = order.logistics_company;
    if (!order.invoice_no.empty()) o["invoice_no"] = order.invoice_no;
    if (!order.one_yuan_reservation_orders.empty())
      o["one_yuan_reservation_orders"] = order.one_yuan_reservation_orders;
    if (cross_border != CrossBorder::none) {
      o["sub_order_tax_fee"] = yuan(order.tax_fen);
      o["sub_order_tax_rate"] = "0.091";
    }
    orders_json.push_back(std::move(o));
  }
  json_fields["orders"] = dump(json{{"order", orders_json}});
}

FieldSelection parse_fields(std::string_view fields) {
  FieldSelection selection;
  std::size_t start = 0;
  while (start <= fields.size()) {
    std::size_t end = fields.find(',', start);
    if (end == std::string_view::npos) end = fields.size();
    std::string_view name = fields.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name == "orders") {
      selection.all_orders = true;
    } else if (name.size() > 7 && name.substr(0, 7) == "orders.") {
      selection.order_fields.emplace_back(name.substr(7));
    } else if (!name.empty() && name != "oaid") {
      selection.trade_fields.emplace_back(name);
    }
    start = end + 1;
  }
  auto dedupe = [](std::vector<std::string>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  };
  dedupe(selection.trade_fields);
  dedupe(selection.order_fields);
  return selection;
}

void append_trade_json(std::string& out, const TopTrade& trade, const FieldSelection& selection) {
  out += '{';
  bool first = true;
  auto emit = [&](std::string_view name, const std::string& value) {
    if (!first) out += ',';
    first = false;
    out += '"';
    out += name;
    out += "\":";
    out += value;
  };
  for (const auto& name : selection.trade_fields) {
    if (name == "orders") continue;
    const auto it = trade.json_fields.find(name);
    if (it != trade.json_fields.end()) emit(name, it->second);
  }
  // PLATFORMS.md 2.3: oaid only when fields has receiver_name, receiver_address, created,
  // receiver_mobile and receiver_phone.
  static const char* const kOaidNeeds[] = {"created", "receiver_address", "receiver_mobile", "receiver_name",
                                           "receiver_phone"};
  bool oaid = !trade.oaid.empty();
  for (const char* need : kOaidNeeds) {
    if (!std::binary_search(selection.trade_fields.begin(), selection.trade_fields.end(), std::string(need))) {
      oaid = false;
    }
  }
  if (oaid) emit("oaid", trade.json_fields.at("oaid"));
  if (selection.all_orders) {
    emit("orders", trade.json_fields.at("orders"));
  } else if (!selection.order_fields.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& order : trade.orders_json) {
      nlohmann::json picked = nlohmann::json::object();
      for (const auto& name : selection.order_fields) {
        const auto it = order.find(name);
        if (it != order.end()) picked[name] = *it;
      }
      list.push_back(std::move(picked));
    }
    emit("orders", dump(nlohmann::json{{"order", list}}));
  }
  out += '}';
}

}  // namespace erp::sim::top
