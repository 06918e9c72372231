#include "core/order_json.hpp"

#include "core/time_format.hpp"
#include "erp/warehouse.hpp"

namespace erp::daemon {
namespace {

using nlohmann::json;
using sdk::ErrorCode;
using sdk::fail;

json optional_instant(const std::optional<Instant>& t) { return t ? json(format_rfc3339(*t)) : json(nullptr); }

// Reads fields with one error message naming the field; throws only inside this file.
struct Reader {
  const json& j;
  std::string where;

  [[noreturn]] void bad(const std::string& field, const std::string& what) const {
    throw std::invalid_argument(where + field + ": " + what);
  }
  std::string str(const char* field, bool required = true) const {
    auto it = j.find(field);
    if (it == j.end() || it->is_null()) {
      if (required) bad(field, "missing");
      return {};
    }
    if (!it->is_string()) bad(field, "must be a string");
    return it->get<std::string>();
  }
  std::int64_t integer(const char* field, std::int64_t fallback, bool required = false) const {
    auto it = j.find(field);
    if (it == j.end() || it->is_null()) {
      if (required) bad(field, "missing");
      return fallback;
    }
    if (!it->is_number_integer()) bad(field, "must be an integer");
    return it->get<std::int64_t>();
  }
  std::optional<Instant> instant(const char* field, bool required = false) const {
    const std::string text = str(field, required);
    if (text.empty()) return std::nullopt;
    auto t = parse_rfc3339(text);
    if (!t) bad(field, "not an RFC 3339 time: " + text);
    return t;
  }
  template <class E>
  E enumerated(const char* field, std::optional<E> (*from)(std::string_view), E fallback) const {
    const std::string text = str(field, false);
    if (text.empty()) return fallback;
    auto v = from(text);
    if (!v) bad(field, "unknown value '" + text + "'");
    return *v;
  }
};

}  // namespace

json line_to_json(const sdk::OrderLine& line) {
  return json{{"line_id", line.line_id},
              {"item_id", line.item_id},
              {"sku", line.sku},
              {"outer_sku", line.outer_sku},
              {"title", line.title},
              {"quantity", line.quantity},
              {"price_fen", line.price.fen},
              {"paid_fen", line.paid.fen},
              {"status", sdk::to_string(line.status)},
              {"refund_status", sdk::to_string(line.refund_status)},
              {"shipped_at", optional_instant(line.shipped_at)},
              {"waybill", line.waybill},
              {"carrier", line.carrier}};
}

json added_line_to_json(const sdk::AddedLine& added) {
  json j = line_to_json(added.line);
  j["gift"] = true;
  j["rule"] = added.rule_id;
  j["fulfils"] = added.fulfils;
  return j;
}

json order_to_json(const sdk::Order& order, bool include_ciphertext) {
  json lines = json::array();
  for (const auto& line : order.lines) lines.push_back(line_to_json(line));
  json receiver{{"name", order.receiver.masked_name},
                {"phone", order.receiver.masked_phone},
                {"address", order.receiver.masked_address},
                {"province", order.receiver.province},
                {"city", order.receiver.city},
                {"district", order.receiver.district}};
  if (include_ciphertext) receiver["ciphertext"] = order.receiver.ciphertext;
  return json{{"platform", order.platform},
              {"shop", order.shop},
              {"order_id", order.order_id},
              {"status", sdk::to_string(order.status)},
              {"platform_status", order.platform_status},
              {"kind", sdk::to_string(order.kind)},
              {"cross_border", sdk::to_string(order.cross_border)},
              {"created_at", format_rfc3339(order.created_at)},
              {"paid_at", optional_instant(order.paid_at)},
              {"modified_at", format_rfc3339(order.modified_at)},
              {"total_fen", order.total.fen},
              {"lines", std::move(lines)},
              {"receiver", std::move(receiver)},
              {"buyer_ref", order.buyer_ref},
              {"memo", order.memo},
              {"memo_flag", order.memo_flag},
              {"ship_by", optional_instant(order.ship_by)},
              {"reservation_order_ids", order.reservation_order_ids},
              {"extras", order.extras}};
}

sdk::Result<sdk::Order> order_from_json(const json& j) {
  if (!j.is_object()) return fail(ErrorCode::invalid_input, "order: must be a JSON object");
  try {
    const Reader r{j, "order."};
    sdk::Order o;
    o.platform = r.str("platform");
    o.shop = r.str("shop");
    o.order_id = r.str("order_id");
    o.status = r.enumerated("status", sdk::order_status_from_string, sdk::OrderStatus::paid);
    o.platform_status = r.str("platform_status", false);
    o.kind = r.enumerated("kind", sdk::order_kind_from_string, sdk::OrderKind::normal);
    o.cross_border = r.enumerated("cross_border", sdk::cross_border_from_string, sdk::CrossBorderType::none);
    o.created_at = r.instant("created_at").value_or(Instant{});
    o.paid_at = r.instant("paid_at");
    o.modified_at = r.instant("modified_at").value_or(o.created_at);
    o.total.fen = r.integer("total_fen", 0);
    o.buyer_ref = r.str("buyer_ref", false);
    o.memo = r.str("memo", false);
    o.memo_flag = static_cast<int>(r.integer("memo_flag", 0));
    o.ship_by = r.instant("ship_by");
    if (auto it = j.find("lines"); it != j.end() && !it->is_null()) {
      if (!it->is_array()) r.bad("lines", "must be an array");
      for (std::size_t i = 0; i < it->size(); ++i) {
        const Reader lr{(*it)[i], "order.lines[" + std::to_string(i) + "]."};
        if (!lr.j.is_object()) r.bad("lines[" + std::to_string(i) + "]", "must be an object");
        sdk::OrderLine line;
        line.line_id = lr.str("line_id");
        line.item_id = lr.str("item_id", false);
        line.sku = lr.str("sku", false);
        line.outer_sku = lr.str("outer_sku", false);
        line.title = lr.str("title", false);
        line.quantity = lr.integer("quantity", 0, true);
        line.price.fen = lr.integer("price_fen", 0);
        line.paid.fen = lr.integer("paid_fen", 0);
        line.status = lr.enumerated("status", sdk::order_status_from_string, o.status);
        line.refund_status = lr.enumerated("refund_status", sdk::refund_status_from_string, sdk::RefundStatus::none);
        // Absent from orders stored before SDK ABI 4: read as not shipped yet.
        line.shipped_at = lr.instant("shipped_at");
        line.waybill = lr.str("waybill", false);
        line.carrier = lr.str("carrier", false);
        o.lines.push_back(std::move(line));
      }
    }
    if (auto it = j.find("receiver"); it != j.end() && it->is_object()) {
      const Reader rr{*it, "order.receiver."};
      o.receiver.ciphertext = rr.str("ciphertext", false);
      o.receiver.masked_name = rr.str("name", false);
      o.receiver.masked_phone = rr.str("phone", false);
      o.receiver.masked_address = rr.str("address", false);
      o.receiver.province = rr.str("province", false);
      o.receiver.city = rr.str("city", false);
      o.receiver.district = rr.str("district", false);
    }
    if (auto it = j.find("reservation_order_ids"); it != j.end() && !it->is_null()) {
      if (!it->is_array()) r.bad("reservation_order_ids", "must be an array");
      for (const auto& id : *it) {
        if (!id.is_string()) r.bad("reservation_order_ids", "must hold strings");
        o.reservation_order_ids.push_back(id.get<std::string>());
      }
    }
    if (auto it = j.find("extras"); it != j.end() && it->is_object()) {
      for (const auto& [k, v] : it->items()) {
        if (v.is_string()) o.extras[k] = v.get<std::string>();
      }
    }
    return o;
  } catch (const std::exception& e) {
    return fail(ErrorCode::invalid_input, e.what());
  }
}

}  // namespace erp::daemon
