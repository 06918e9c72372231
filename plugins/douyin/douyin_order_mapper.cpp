#include "plugins/douyin/douyin_order_mapper.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <stdexcept>
#include <utility>
#include <vector>

#include "erp/money.hpp"
#include "erp/privacy.hpp"

namespace erp::plugins::douyin {
namespace {

using nlohmann::json;

/// Thrown only inside this file to abort one order; caught in map_shop_order and turned into a Rejected.
/// Reasons name fields and never carry receiver values.
struct BadField {
  std::string reason;
};

constexpr std::int64_t kMaxUnixSeconds = 32503680000;  // year 3000: anything later is not a Douyin time
constexpr std::size_t kMaxIdLength = 64;

const json* find(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

/// A non-negative integer written as digits ("105", "1617355413"); no sign, no spaces, no exponent.
std::optional<std::int64_t> digits_value(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

/// Douyin documents integers (codes, unix seconds, fen); older gateways and some SDKs send them as strings.
/// Fractions are refused: a "12.30" would be yuan, not fen.
std::optional<std::int64_t> integer_value(const json& value) {
  if (value.is_number_unsigned()) {
    if (value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(value.get<std::uint64_t>());
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_string()) return digits_value(value.get_ref<const std::string&>());
  return std::nullopt;
}

/// nullopt when missing, null or an empty string (an unset field in string-typed payloads).
std::optional<std::int64_t> optional_integer(const json& object, const char* key, const std::string& where) {
  const json* value = find(object, key);
  if (value == nullptr || (value->is_string() && value->get_ref<const std::string&>().empty())) return std::nullopt;
  auto parsed = integer_value(*value);
  if (!parsed) throw BadField{where + key + " is not an integer"};
  return parsed;
}

std::int64_t required_integer(const json& object, const char* key, const std::string& where) {
  auto value = optional_integer(object, key, where);
  if (!value) throw BadField{where + key + " is missing"};
  return *value;
}

/// Ids are strings in the docs (order ids) or int64 (product_id, sku_id); both become decimal text. Scenario
/// ids in platform-sim need not be digits, so any short non-empty string is an id.
std::optional<std::string> id_text(const json& value) {
  if (value.is_number_unsigned() || value.is_number_integer()) {
    if (value.is_number_integer() && !value.is_number_unsigned() && value.get<std::int64_t>() < 0) return std::nullopt;
    return value.dump();
  }
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text.empty() || text.size() > kMaxIdLength) return std::nullopt;
    for (const char c : text) {
      if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
    }
    return text;
  }
  return std::nullopt;
}

/// "" when missing, null or empty; throws when present but not an id.
std::string optional_id(const json& object, const char* key, const std::string& where) {
  const json* value = find(object, key);
  if (value == nullptr || (value->is_string() && value->get_ref<const std::string&>().empty())) return {};
  auto id = id_text(*value);
  if (!id) throw BadField{where + key + " is not an id"};
  return *id;
}

/// A plain text field; numbers and booleans are written out, objects and arrays are malformed.
std::string text(const json& object, const char* key, const std::string& where) {
  const json* value = find(object, key);
  if (value == nullptr) return {};
  if (value->is_string()) return value->get<std::string>();
  if (value->is_boolean()) return value->get<bool>() ? "true" : "false";
  if (value->is_number()) return value->dump();
  throw BadField{where + key + " is not text"};
}

/// A receiver field that must be a string; the message never shows the value (rule D10).
std::string receiver_string(const json& object, const char* key, const std::string& where) {
  const json* value = find(object, key);
  if (value == nullptr) return {};
  if (!value->is_string()) throw BadField{where + key + " is not a string"};
  return value->get<std::string>();
}

sdk::Instant instant_of(std::int64_t seconds) {
  return sdk::Instant{std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::seconds{seconds})};
}

/// Unix seconds (§3.4). Required fields must be a positive time.
sdk::Instant required_time(const json& object, const char* key) {
  const json* value = find(object, key);
  if (value == nullptr || (value->is_string() && value->get_ref<const std::string&>().empty()))
    throw BadField{std::string(key) + " is missing"};
  const auto seconds = integer_value(*value);
  if (!seconds) throw BadField{std::string(key) + " is not unix seconds"};
  if (*seconds <= 0 || *seconds > kMaxUnixSeconds) throw BadField{std::string(key) + " is out of range"};
  return instant_of(*seconds);
}

/// Unix seconds where 0 (Douyin's "not yet") and absence both mean none.
std::optional<sdk::Instant> optional_time(const json& object, const char* key, const std::string& where) {
  const auto seconds = optional_integer(object, key, where);
  if (!seconds || *seconds == 0) return std::nullopt;
  if (*seconds > kMaxUnixSeconds) throw BadField{where + key + " is out of range"};
  return instant_of(*seconds);
}

/// At most `max` bytes of `text`, cut on a UTF-8 character boundary (the result goes into extras,
/// which the order JSON carries).
std::string clip_utf8(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

/// A time that rejects nothing: unix seconds as optional_time reads them (absent, empty and 0 are none),
/// but a value that is no time leaves nullopt and its raw text (clipped) in `unreadable`.
std::optional<sdk::Instant> soft_time(const json& object, const char* key, std::string& unreadable) {
  const json* value = find(object, key);
  if (value == nullptr || (value->is_string() && value->get_ref<const std::string&>().empty())) return std::nullopt;
  const auto seconds = integer_value(*value);
  if (seconds && *seconds == 0) return std::nullopt;
  if (seconds && *seconds > 0 && *seconds <= kMaxUnixSeconds) return instant_of(*seconds);
  unreadable = clip_utf8(value->is_string() ? value->get<std::string>()
                                            : value->dump(-1, ' ', false, json::error_handler_t::replace),
                         40);
  return std::nullopt;
}

/// Douyin amounts are already integer fen (§3.4), as numbers or digit strings.
std::optional<sdk::Money> optional_fen(const json& object, const char* key, const std::string& where) {
  const json* value = find(object, key);
  if (value == nullptr || (value->is_string() && value->get_ref<const std::string&>().empty())) return std::nullopt;
  const auto fen = integer_value(*value);
  if (!fen) throw BadField{where + key + " is not an amount in fen"};
  if (*fen < 0) throw BadField{where + key + " is negative"};
  return sdk::Money{*fen};
}

/// The parent's status code: order_status, else the deprecated main_status (whose extra codes, e.g. 103
/// partly paid, are then unknown and reject the order).
struct StatusCode {
  std::int64_t code = 0;
  const char* field = "order_status";
};

std::optional<StatusCode> status_code(const json& object, const std::string& where) {
  if (auto code = optional_integer(object, "order_status", where)) return StatusCode{*code, "order_status"};
  if (auto code = optional_integer(object, "main_status", where)) return StatusCode{*code, "main_status"};
  return std::nullopt;
}

sdk::OrderStatus status_of(const StatusCode& code, const std::string& where) {
  const auto status = status_from_code(code.code);
  if (!status) throw BadField{where + code.field + " " + std::to_string(code.code) + " is unknown"};
  return *status;
}

/// after_sale_info of one sku order (§3.4; the sim renders 0, 6, 7, 12, 28 with refund_status 0/1/3).
sdk::RefundStatus refund_of(const json& sku, const std::string& where) {
  const json* info = find(sku, "after_sale_info");
  if (info == nullptr) return sdk::RefundStatus::none;
  if (!info->is_object()) throw BadField{where + "after_sale_info is not an object"};
  const std::string in = where + "after_sale_info.";
  const auto status = optional_integer(*info, "after_sale_status", in);
  if (status) {
    if (const auto known = refund_from_after_sale_status(*status)) return *known;
  }
  // No documented status: refund_status (1 to refund, 3 refunded, 4 failed) still says money went back;
  // otherwise any trace of an after-sale is a request the merchant has to look at.
  const auto refund_status = optional_integer(*info, "refund_status", in);
  if (refund_status && *refund_status == 3) return sdk::RefundStatus::refunded;
  const std::string aftersale_id = optional_id(*info, "aftersale_id", in);
  const bool exists = (status && *status != 0) || (refund_status && *refund_status != 0) ||
                      (!aftersale_id.empty() && aftersale_id != "0");
  return exists ? sdk::RefundStatus::requested : sdk::RefundStatus::none;
}

sdk::OrderLine map_line(const json& sku, std::size_t index, const StatusCode& parent_code) {
  std::string where = "sku_order_list[" + std::to_string(index) + "] ";
  if (!sku.is_object()) throw BadField{where + "is not an object"};
  sdk::OrderLine line;
  const json* id = find(sku, "order_id");
  if (id == nullptr) throw BadField{where + "has no order_id"};
  const auto line_id = id_text(*id);
  if (!line_id) throw BadField{where + "order_id is not an id"};
  line.line_id = *line_id;
  where = "sku order " + line.line_id + ": ";

  line.item_id = optional_id(sku, "product_id_str", where);
  if (line.item_id.empty()) line.item_id = optional_id(sku, "product_id", where);
  line.sku = optional_id(sku, "sku_id", where);
  line.outer_sku = text(sku, "out_sku_id", where);
  line.title = text(sku, "product_name", where);
  line.quantity = required_integer(sku, "item_num", where);
  if (line.quantity <= 0) throw BadField{where + "item_num is not positive"};
  const auto paid = optional_fen(sku, "pay_amount", where);
  if (!paid) throw BadField{where + "pay_amount is missing"};
  line.paid = *paid;
  // Unit price. sum_amount is "现价 x 件数" in the real response and in the sim, so it is read first. The two
  // disagree on origin_amount: the real docs and SKIT's sample make it the unit price (100 x 2 = sum 200),
  // platform-sim renders the line total; without sum_amount it is taken as the line total, then pay_amount.
  // Integer division: a total that does not divide evenly loses the remainder fen of the unit price only.
  auto line_total = optional_fen(sku, "sum_amount", where);
  if (!line_total) line_total = optional_fen(sku, "origin_amount", where);
  if (!line_total) line_total = line.paid;
  line.price = sdk::Money{line_total->fen / line.quantity};

  const auto own = status_code(sku, where);
  line.status = status_of(own.value_or(parent_code), where);
  line.refund_status = refund_of(sku, where);
  return line;
}

/// Order kind (rule S1). Sources: zsmhub/doudian-sdk order_searchList response (the official Go SDK's
/// structs) and SKIT's sample; where they are silent, the choices are these:
/// - virtual_goods: shop order_type 2 虚拟商品订单, 4 电子券 (poi 核销), 5 三方核销; nothing ships, so it wins.
/// - presale: a sku with pre_sale_type 1 全款预售 or 2 阶梯发货; sku (or the deprecated shop-level) trade_type
///   2 定金预售 or 102 (the gift sub-order of one); a non-empty order_phase_list (deposit phases). The
///   response has no presell_type (it is the searchList filter's name, same codes); it is still read, on the
///   shop order and on skus, non-zero meaning presale. order_type never marks presale (0/2/4/5 only).
/// - custom_made: trade_type 13 普通定制 (agreed ship time, S1).
/// platform-sim renders order_type 0 and trade_type 0 and none of the presale fields: its orders are normal.
sdk::OrderKind kind_of(const json& order, const std::vector<sdk::OrderLine>& lines) {
  const auto order_type = optional_integer(order, "order_type", "");
  if (order_type && (*order_type == 2 || *order_type == 4 || *order_type == 5)) return sdk::OrderKind::virtual_goods;
  bool presale = false;
  bool custom = false;
  const auto look = [&](const json& object, const std::string& where) {
    const auto presell = optional_integer(object, "presell_type", where);
    const auto pre_sale = optional_integer(object, "pre_sale_type", where);
    const auto trade = optional_integer(object, "trade_type", where);
    if ((presell && *presell != 0) || (pre_sale && *pre_sale != 0)) presale = true;
    if (trade && (*trade == 2 || *trade == 102)) presale = true;
    if (trade && *trade == 13) custom = true;
  };
  look(order, "");
  if (const json* skus = find(order, "sku_order_list"); skus != nullptr && skus->is_array()) {
    for (std::size_t i = 0; i < skus->size() && i < lines.size(); ++i)
      look((*skus)[i], "sku order " + lines[i].line_id + ": ");
  }
  if (const json* phases = find(order, "order_phase_list")) {
    if (!phases->is_array()) throw BadField{"order_phase_list is not a list"};
    if (!phases->empty()) presale = true;
  }
  if (presale) return sdk::OrderKind::presale;
  if (custom) return sdk::OrderKind::custom_made;
  return sdk::OrderKind::normal;
}

/// A region of post_addr: {name, id} on Douyin and in the sim; a bare string (the push's receiver_msg shape)
/// is read too. Province, city and district are coarse and not personal on their own.
std::string region(const json& address, const char* key) {
  const json* part = find(address, key);
  if (part == nullptr) return {};
  if (part->is_string()) return part->get<std::string>();
  if (part->is_object()) return receiver_string(*part, "name", std::string("post_addr.") + key + ".");
  throw BadField{std::string("post_addr.") + key + " is not a region"};
}

bool looks_masked(const std::string& value) { return value.find('*') != std::string::npos; }

/// Rule D10: only ciphertext and masked forms enter the model. The legacy plaintext post_receiver, post_tel
/// and post_addr.detail are never read.
sdk::Receiver map_receiver(const json& order) {
  sdk::Receiver receiver;
  ReceiverCiphers ciphers;
  ciphers.name = receiver_string(order, "encrypt_post_receiver", "");
  ciphers.phone = receiver_string(order, "encrypt_post_tel", "");
  if (const json* address = find(order, "post_addr")) {
    if (!address->is_object()) throw BadField{"post_addr is not an object"};
    ciphers.detail = receiver_string(*address, "encrypt_detail", "post_addr.");
    receiver.province = region(*address, "province");
    receiver.city = region(*address, "city");
    receiver.district = region(*address, "town");
  }
  if (!ciphers.name.empty() || !ciphers.phone.empty() || !ciphers.detail.empty())
    receiver.ciphertext = encode_receiver_ciphers(ciphers);
  // The platform masks these; one without a '*' is plaintext that slipped through and is masked here.
  const std::string name = receiver_string(order, "mask_post_receiver", "");
  receiver.masked_name = name.empty() || looks_masked(name) ? name : sdk::mask_name(name);
  const std::string phone = receiver_string(order, "mask_post_tel", "");
  receiver.masked_phone = phone.empty() || looks_masked(phone) ? phone : sdk::mask_phone(phone);
  if (!receiver.province.empty() || !receiver.city.empty() || !receiver.district.empty())
    receiver.masked_address = sdk::mask_address(receiver.province, receiver.city, receiver.district);
  return receiver;
}

sdk::Order map_or_throw(const json& item, const std::string& shop, const std::string& order_id) {
  sdk::Order order;
  order.platform = "douyin";
  order.shop = shop;
  order.order_id = order_id;

  const auto code = status_code(item, "");
  if (!code) throw BadField{"order_status is missing"};
  order.status = status_of(*code, "");
  order.platform_status = std::to_string(code->code);
  if (const json* main_status = find(item, "main_status")) {
    const auto value = integer_value(*main_status);
    if (!value) throw BadField{"main_status is not an integer"};
    order.extras["main_status"] = std::to_string(*value);
  }
  if (const std::string desc = text(item, "order_status_desc", ""); !desc.empty())
    order.extras["order_status_desc"] = desc;

  order.created_at = required_time(item, "create_time");
  order.modified_at = required_time(item, "update_time");
  order.paid_at = optional_time(item, "pay_time", "");

  auto total = optional_fen(item, "pay_amount", "");
  if (!total) total = optional_fen(item, "order_amount", "");
  if (!total) throw BadField{"pay_amount is missing"};
  order.total = *total;

  order.memo = text(item, "seller_words", "");
  if (const auto stars = optional_integer(item, "seller_remark_stars", "")) {
    if (*stars < 0 || *stars > 5) throw BadField{"seller_remark_stars is out of range 0-5"};
    order.memo_flag = static_cast<int>(*stars);
  }
  order.buyer_ref = text(item, "doudian_open_id", "");
  if (order.buyer_ref.empty()) order.buyer_ref = text(item, "open_id", "");
  order.receiver = map_receiver(item);

  const json* skus = find(item, "sku_order_list");
  if (skus == nullptr || !skus->is_array()) throw BadField{"sku_order_list is missing or not a list"};
  if (skus->empty()) throw BadField{"sku_order_list is empty"};
  std::optional<sdk::Instant> earliest_sku_ship_by;
  for (std::size_t i = 0; i < skus->size(); ++i) {
    const json& sku = (*skus)[i];
    order.lines.push_back(map_line(sku, i, *code));
    // The sku order's ship time (§3.4 ship_time; 0 until it ships). A value that is no time rejects
    // nothing: the line maps without it and the raw value is noted. Its waybill and carrier are left
    // empty: they sit only in the shop order's logistics_info[], whose members PLATFORMS.md does not name.
    std::string unreadable;
    order.lines.back().shipped_at = soft_time(sku, "ship_time", unreadable);
    if (!unreadable.empty()) order.extras["ship_time_unreadable." + order.lines.back().line_id] = unreadable;
    const auto ship_by = optional_time(sku, "exp_ship_time", "sku order " + order.lines.back().line_id + ": ");
    if (ship_by && (!earliest_sku_ship_by || *ship_by < *earliest_sku_ship_by)) earliest_sku_ship_by = ship_by;
  }
  // After the lines, so a malformed presale field on a sku is reported under its sku order id.
  order.kind = kind_of(item, order.lines);
  if (const auto type = optional_integer(item, "order_type", ""); type && *type != 0)
    order.extras["order_type"] = std::to_string(*type);
  // Rule S1: the platform's own promised ship time; the shop order's, else the earliest of its sku orders.
  order.ship_by = optional_time(item, "exp_ship_time", "");
  if (!order.ship_by) order.ship_by = earliest_sku_ship_by;
  return order;
}

/// Blanks the legacy plaintext receiver fields of one (shop or sku) order object.
void blank_plaintext(json& object) {
  if (!object.is_object()) return;
  const auto blank = [](json& holder, const char* key) {
    const auto it = holder.find(key);
    if (it != holder.end() && !it->is_null() && !(it->is_string() && it->get_ref<const std::string&>().empty()))
      *it = "";
  };
  blank(object, "post_receiver");
  blank(object, "post_tel");
  if (const auto address = object.find("post_addr"); address != object.end() && address->is_object())
    blank(*address, "detail");
  if (const auto id_info = object.find("user_id_info"); id_info != object.end() && id_info->is_object()) {
    blank(*id_info, "id_card_no");
    blank(*id_info, "id_card_name");
  }
}

/// The quarantined payload: the item as received, minus plaintext receiver data (rule D10: the store
/// keeps receiver data only encrypted, and quarantine rows are plain text).
std::string quarantine_payload(const json& item) {
  json copy = item;
  blank_plaintext(copy);
  if (const auto skus = copy.find("sku_order_list"); copy.is_object() && skus != copy.end() && skus->is_array()) {
    for (auto& sku : *skus) blank_plaintext(sku);
  }
  return copy.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::optional<sdk::OrderStatus> status_from_code(std::int64_t code) noexcept {
  using S = sdk::OrderStatus;
  switch (code) {
    case 1:
      return S::pending_payment;
    case 105:  // paid, not yet handed to the merchant
    case 2:    // 备货中, waiting to ship
      return S::paid;
    case 101:
      return S::partially_shipped;
    case 3:
      return S::shipped;
    case 4:
      return S::closed;
    case 5:
      return S::completed;
    default:
      return std::nullopt;
  }
}

std::optional<sdk::RefundStatus> refund_from_after_sale_status(std::int64_t code) noexcept {
  using R = sdk::RefundStatus;
  switch (code) {
    case 0:  // 售后初始化: nothing asked
      return R::none;
    case 6:  // 售后申请 / 待商家同意
      return R::requested;
    case 3:   // 换货待买家收货
    case 7:   // 售后退货中 / 待买家退货
    case 8:   // 待商家发货 (exchange)
    case 11:  // 售后已发货 / 待商家二次同意
    case 13:  // 换货商家发货
      return R::in_progress;
    case 12:  // 售后成功
    case 51:  // 取消成功: the sku order was cancelled and its money returned
    case 53:  // 逆向交易完成
      return R::refunded;
    case 14:  // 换货成功 / 换货用户收货: no money back, the line goes on
    case 27:  // 拒绝售后申请 (first refusal)
    case 28:  // 售后失败 (also: the buyer withdrew)
    case 29:  // 退货后拒绝退款 (second refusal)
      return R::closed;
    default:
      return std::nullopt;
  }
}

std::string encode_receiver_ciphers(const ReceiverCiphers& c) {
  json out = json::object();
  if (!c.name.empty()) out["name"] = c.name;
  if (!c.phone.empty()) out["phone"] = c.phone;
  if (!c.detail.empty()) out["detail"] = c.detail;
  return out.dump();
}

std::optional<ReceiverCiphers> decode_receiver_ciphers(std::string_view text) {
  const json parsed = json::parse(text.begin(), text.end(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  ReceiverCiphers out;
  for (const auto& [key, value] : parsed.items()) {
    if (!value.is_string()) return std::nullopt;
    if (key == "name") {
      out.name = value.get<std::string>();
    } else if (key == "phone") {
      out.phone = value.get<std::string>();
    } else if (key == "detail") {
      out.detail = value.get<std::string>();
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::variant<sdk::Order, sdk::Rejected> map_shop_order(const json& item, const std::string& shop) {
  sdk::Rejected rejected;
  try {
    if (!item.is_object()) {
      rejected.reason = "order is not an object";
    } else if (const json* id = find(item, "order_id");
               id == nullptr || (id->is_string() && id->get_ref<const std::string&>().empty())) {
      rejected.reason = "no order_id";
    } else if (auto order_id = id_text(*id); !order_id) {
      rejected.reason = "order_id is not an id";
    } else {
      rejected.order_id = *order_id;
      return map_or_throw(item, shop, *order_id);
    }
  } catch (const BadField& bad) {
    rejected.reason = bad.reason;
  } catch (const std::exception& error) {
    // nlohmann type errors and allocation failures: still one bad order, not a failed page. Their
    // messages name types and positions, not values.
    rejected.reason = std::string("unmappable order: ") + error.what();
  }
  try {
    rejected.payload = quarantine_payload(item);
  } catch (const std::exception&) {
    rejected.payload.clear();  // out of memory copying the item: the reason still says what was wrong
  }
  return rejected;
}

MappedList map_order_list(const json& data, const std::string& shop) {
  if (!data.is_object()) throw std::invalid_argument("order.searchList data is not an object");
  const auto number = [&](const char* key) -> std::optional<std::int64_t> {
    const auto it = data.find(key);
    if (it == data.end() || it->is_null()) return std::nullopt;
    auto value = integer_value(*it);
    if (!value) throw std::invalid_argument(std::string("order.searchList data.") + key + " is not an integer");
    return value;
  };
  MappedList out;
  const auto total = number("total");
  out.total = total.value_or(0);
  out.page = number("page").value_or(0);
  out.size = number("size").value_or(0);
  const auto list = data.find("shop_order_list");
  if (list == data.end() || list->is_null()) {
    if (total && *total == 0) return out;  // an empty page may leave the list out
    throw std::invalid_argument("order.searchList data has no shop_order_list");
  }
  if (!list->is_array()) throw std::invalid_argument("order.searchList data.shop_order_list is not an array");
  out.orders.reserve(list->size());
  for (const auto& item : *list) {
    auto mapped = map_shop_order(item, shop);
    if (auto* order = std::get_if<sdk::Order>(&mapped)) {
      out.orders.push_back(std::move(*order));
    } else {
      out.rejected.push_back(std::get<sdk::Rejected>(std::move(mapped)));
    }
  }
  return out;
}

}  // namespace erp::plugins::douyin
