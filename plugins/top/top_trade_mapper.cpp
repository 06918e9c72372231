#include "plugins/top/top_trade_mapper.hpp"

#include <optional>
#include <string_view>

#include "erp/money.hpp"
#include "erp/privacy.hpp"
#include "plugins/top/top_reservations.hpp"
#include "plugins/top/top_status.hpp"
#include "plugins/top/top_time.hpp"

namespace erp::plugins::top {
namespace {

using nlohmann::json;

/// Thrown only inside this file to abort one trade; caught in map_trade and turned into a Rejected.
struct BadField {
  std::string reason;
};

const json* find(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

/// TOP ids are Numbers in the docs and strings in many samples; both become decimal strings.
std::optional<std::string> id_text(const json& value) {
  if (value.is_number_unsigned() || value.is_number_integer()) {
    std::string text = value.dump();
    if (!text.empty() && text.front() == '-') return std::nullopt;
    return text;
  }
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text.empty() || text.size() > 32) return std::nullopt;
    for (const char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    return text;
  }
  return std::nullopt;
}

std::string text(const json& object, const char* key) {
  const json* value = find(object, key);
  if (value == nullptr) return {};
  if (value->is_string()) return value->get<std::string>();
  if (value->is_boolean()) return value->get<bool>() ? "true" : "false";
  if (value->is_number()) return value->dump();
  throw BadField{std::string("field ") + key + " is not a scalar"};
}

std::string required_id(const json& object, const char* key, const std::string& where) {
  const json* value = find(object, key);
  if (value == nullptr) throw BadField{where + key + " is missing"};
  auto id = id_text(*value);
  if (!id) throw BadField{where + key + " is not an id"};
  return *id;
}

std::optional<std::string> optional_id(const json& object, const char* key, const std::string& where) {
  const json* value = find(object, key);
  if (value == nullptr) return std::nullopt;
  if (value->is_string() && value->get_ref<const std::string&>().empty()) return std::nullopt;
  auto id = id_text(*value);
  if (!id) throw BadField{where + key + " is not an id"};
  return id;
}

sdk::Money money(const json& object, const char* key, const std::string& where) {
  const json* value = find(object, key);
  if (value == nullptr) throw BadField{where + key + " is missing"};
  // Money is a decimal yuan string (§2.3); a JSON number would already have gone through a double.
  if (!value->is_string()) throw BadField{where + key + " is not a decimal yuan string"};
  const auto& raw = value->get_ref<const std::string&>();
  auto parsed = sdk::parse_yuan(raw);
  if (!parsed) throw BadField{where + key + " is not a yuan amount: \"" + raw.substr(0, 32) + "\""};
  return *parsed;
}

sdk::Instant time_field(const json& object, const char* key) {
  const json* value = find(object, key);
  if (value == nullptr) throw BadField{std::string(key) + " is missing"};
  if (!value->is_string()) throw BadField{std::string(key) + " is not a time string"};
  auto parsed = parse_china_time(value->get_ref<const std::string&>());
  if (!parsed) throw BadField{std::string(key) + " is not yyyy-MM-dd HH:mm:ss"};
  return *parsed;
}

std::optional<sdk::Instant> optional_time(const json& object, const char* key) {
  const json* value = find(object, key);
  if (value == nullptr || (value->is_string() && value->get_ref<const std::string&>().empty())) return std::nullopt;
  return time_field(object, key);
}

/// An optional time that rejects nothing: nullopt when absent, empty or not `yyyy-MM-dd HH:mm:ss`.
std::optional<sdk::Instant> soft_time(const json& object, const char* key) {
  const json* value = find(object, key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return parse_china_time(value->get_ref<const std::string&>());
}

/// At most `max` bytes of `text`, cut before a UTF-8 continuation byte so the result stays valid
/// UTF-8 (it goes into the order JSON through extras).
std::string clip_utf8(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

/// The raw value of a time field soft_time could not read, or nullopt when there is none or it read.
std::optional<std::string> unreadable_time(const json& object, const char* key) {
  const json* value = find(object, key);
  if (value == nullptr) return std::nullopt;
  if (value->is_string()) {
    const auto& raw = value->get_ref<const std::string&>();
    if (raw.empty() || parse_china_time(raw)) return std::nullopt;
    return clip_utf8(raw, 40);
  }
  return clip_utf8(value->dump(-1, ' ', false, json::error_handler_t::replace), 40);
}

std::int64_t integer(const json& object, const char* key, const std::string& where) {
  const json* value = find(object, key);
  if (value == nullptr) throw BadField{where + key + " is missing"};
  if (value->is_number_integer() || value->is_number_unsigned()) {
    if (value->is_number_unsigned() && value->get<std::uint64_t>() > INT64_MAX)
      throw BadField{where + key + " is too large"};
    return value->get<std::int64_t>();
  }
  if (value->is_string()) {
    const auto& raw = value->get_ref<const std::string&>();
    if (!raw.empty() && raw.size() <= 12 && raw.find_first_not_of("0123456789") == std::string::npos) {
      return std::stoll(raw);
    }
  }
  throw BadField{where + key + " is not an integer"};
}

bool truthy(const json& object, const char* key) {
  const json* value = find(object, key);
  if (value == nullptr) return false;
  if (value->is_boolean()) return value->get<bool>();
  if (value->is_string()) return value->get_ref<const std::string&>() == "true";
  if (value->is_number_integer()) return value->get<long long>() != 0;
  return false;
}

/// Rules D10 / CONVENTIONS: only masked receiver data enters the model. TOP already masks (the OAID
/// way); a value with no '*' in it is plaintext from somewhere and is masked here.
bool masked(const std::string& value) { return value.find('*') != std::string::npos; }

sdk::Receiver map_receiver(const json& trade) {
  sdk::Receiver receiver;
  receiver.province = text(trade, "receiver_state");
  receiver.city = text(trade, "receiver_city");
  receiver.district = text(trade, "receiver_district");
  receiver.ciphertext = text(trade, "oaid");
  const std::string name = text(trade, "receiver_name");
  receiver.masked_name = name.empty() || masked(name) ? name : sdk::mask_name(name);
  std::string phone = text(trade, "receiver_mobile");
  if (phone.empty()) phone = text(trade, "receiver_phone");
  receiver.masked_phone = phone.empty() || masked(phone) ? phone : sdk::mask_phone(phone);
  const std::string address = text(trade, "receiver_address");
  receiver.masked_address = address.empty() || masked(address)
                                ? address
                                : sdk::mask_address(receiver.province, receiver.city, receiver.district);
  return receiver;
}

sdk::OrderLine map_line(const json& line, std::size_t index) {
  const std::string where = "orders.order[" + std::to_string(index) + "].";
  if (!line.is_object()) throw BadField{where + " is not an object"};
  sdk::OrderLine out;
  out.line_id = required_id(line, "oid", where);
  out.item_id = optional_id(line, "num_iid", where).value_or("");
  out.sku = text(line, "sku_id");
  out.outer_sku = text(line, "outer_sku_id");
  // An item without sku variants has only the item-level merchant code; that is what the warehouse knows.
  if (out.outer_sku.empty()) out.outer_sku = text(line, "outer_iid");
  out.title = text(line, "title");
  out.quantity = integer(line, "num", where);
  out.price = money(line, "price", where);
  out.paid = money(line, "payment", where);
  const std::string status = text(line, "status");
  if (!status.empty()) {
    const auto mapped = map_trade_status(status);
    if (!mapped) throw BadField{where + "status is unknown: \"" + status.substr(0, 40) + "\""};
    out.status = *mapped;
  }
  const std::string refund = text(line, "refund_status");
  const auto refund_mapped = map_refund_status(refund);
  if (!refund_mapped) throw BadField{where + "refund_status is unknown: \"" + refund.substr(0, 40) + "\""};
  out.refund_status = *refund_mapped;
  // Rules G5-G8 pick the reservation's waybill from these. A consign_time that is not TOP's time
  // format rejects nothing: shipped_at stays empty and map_or_throw notes the raw value in extras.
  out.shipped_at = soft_time(line, "consign_time");
  out.waybill = text(line, "invoice_no");
  out.carrier = text(line, "logistics_company");
  return out;
}

/// Rules S6, S7: the Tmall Global type decides the holiday ship-by window.
sdk::CrossBorderType cross_border_type(const json& trade, sdk::Order& order) {
  if (const json* attr = find(trade, "trade_attr")) {
    json parsed = attr->is_string() ? json::parse(attr->get_ref<const std::string&>(), nullptr, false) : *attr;
    // trade_attr is a general-purpose field; text that is not JSON says nothing about cross-border.
    if (!parsed.is_discarded() && parsed.is_object()) {
      if (const json* kind = find(parsed, "tmallGlobalType")) {
        const std::string name = kind->is_string() ? kind->get<std::string>() : kind->dump();
        if (name == "bonded_import") return sdk::CrossBorderType::bonded_import;
        if (name == "direct_mail") return sdk::CrossBorderType::direct_mail;
        if (name == "consolidated_import") return sdk::CrossBorderType::consolidated_import;
        if (name == "none" || name.empty()) return sdk::CrossBorderType::none;
        throw BadField{"trade_attr.tmallGlobalType is unknown: \"" + name.substr(0, 40) + "\""};
      }
    }
  }
  if (text(trade, "type") == "tmall_i18n") {
    if (truthy(trade, "cross_bonded_declare")) return sdk::CrossBorderType::bonded_import;
    // Direct mail and consolidated import cannot be told apart from documented fields (PLATFORMS.md
    // names none); leave the type open and say so, rather than pick the wrong S6/S7 deadline.
    order.extras["cross_border_type_unknown"] = "true";
  }
  return sdk::CrossBorderType::none;
}

sdk::Order map_or_throw(const json& trade, const MapOptions& options) {
  if (!trade.is_object()) throw BadField{"trade is not an object"};
  sdk::Order order;
  order.platform = options.platform;
  order.shop = options.shop;
  order.order_id = required_id(trade, "tid", "");

  order.platform_status = text(trade, "status");
  if (order.platform_status.empty()) throw BadField{"status is missing"};
  const auto status = map_trade_status(order.platform_status);
  if (!status) throw BadField{"status is unknown: \"" + order.platform_status.substr(0, 40) + "\""};
  order.status = *status;
  if (order.platform_status == "PAID_FORBID_CONSIGN") order.extras["ship_forbidden"] = "true";

  order.created_at = time_field(trade, "created");
  order.modified_at = time_field(trade, "modified");
  order.paid_at = optional_time(trade, "pay_time");
  order.total = money(trade, "payment", "");
  order.memo = text(trade, "seller_memo");
  if (find(trade, "seller_flag") != nullptr) {
    const auto flag = integer(trade, "seller_flag", "");
    if (flag < 0 || flag > 99) throw BadField{"seller_flag is out of range"};
    order.memo_flag = static_cast<int>(flag);
  }
  order.buyer_ref = text(trade, "buyer_open_uid");
  order.receiver = map_receiver(trade);

  const std::string type = text(trade, "type");
  const std::string step = text(trade, "step_trade_status");
  // Rule S1: presale / step-payment trades ship at the agreed time, not paid time + 48 h.
  if (type == "step" || !step.empty()) order.kind = sdk::OrderKind::presale;
  if (!type.empty()) order.extras["type"] = type;
  if (!step.empty()) order.extras["step_trade_status"] = step;
  if (find(trade, "ofp_hold") != nullptr) order.extras["ofp_hold"] = truthy(trade, "ofp_hold") ? "true" : "false";
  if (find(trade, "is_sh_ship") != nullptr) order.extras["is_sh_ship"] = truthy(trade, "is_sh_ship") ? "true" : "false";

  const json* orders = find(trade, "orders");
  const json* list = orders != nullptr ? find(*orders, "order") : nullptr;
  if (list == nullptr || !list->is_array()) throw BadField{"orders.order is missing or not a list"};
  if (list->empty()) throw BadField{"orders.order is empty"};
  std::size_t dropped = 0;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& line = (*list)[i];
    order.lines.push_back(map_line(line, i));
    // A soft problem: the line maps without its ship time, and the raw value stays visible.
    if (auto raw = unreadable_time(line, "consign_time"))
      order.extras["consign_time_unreadable." + order.lines.back().line_id] = std::move(*raw);
    if (!options.tmall) continue;
    // Rule G2: the tag sits on the main item's sub-order; collect from every line to be safe.
    if (const json* raw = find(line, "one_yuan_reservation_orders")) {
      const auto ids = parse_reservation_ids(*raw);
      if (!ids) {
        throw BadField{"orders.order[" + std::to_string(i) + "].one_yuan_reservation_orders is not a list of ids"};
      }
      dropped += merge_reservation_ids(order.reservation_order_ids, *ids);
      order.extras["one_yuan_reservation_orders." + order.lines.back().line_id] =
          raw->is_string() ? raw->get<std::string>() : raw->dump();
    }
  }
  // Rule G3: at most 12 linked; record that the payload carried more instead of silently dropping.
  if (dropped > 0) order.extras["reservation_ids_dropped"] = std::to_string(dropped);
  if (options.tmall) order.cross_border = cross_border_type(trade, order);
  return order;
}

}  // namespace

MappedTrade map_trade(const json& trade, const MapOptions& options) {
  sdk::Rejected rejected;
  if (const json* tid = find(trade, "tid")) rejected.order_id = id_text(*tid).value_or("");
  try {
    return map_or_throw(trade, options);
  } catch (const BadField& bad) {
    rejected.reason = bad.reason;
  } catch (const std::exception& error) {
    // nlohmann type errors and allocation failures: still one bad trade, not a failed page.
    rejected.reason = std::string("unmappable trade: ") + error.what();
  }
  rejected.payload = trade.dump(-1, ' ', false, json::error_handler_t::replace);
  return rejected;
}

}  // namespace erp::plugins::top
