#include "plugins/douyin/douyin_dropship.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <stdexcept>
#include <utility>

#include "erp/privacy.hpp"
#include "plugins/common/json_fields.hpp"
#include "plugins/douyin/douyin_order_mapper.hpp"

namespace erp::plugins::douyin {
namespace {

using nlohmann::json;
using sdk::DropshipRefusal;

constexpr std::string_view kBusinessFailed = "isv.business-failed:";

/// Thrown inside this file to abort one entry; the reason names fields, never values (rule D10).
struct BadField {
  std::string reason;
};

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

const json* find(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

/// An integer written as a JSON number or as digits; nullopt when absent or empty.
std::optional<std::int64_t> integer(const json& object, const char* key) {
  const std::string text = text_field(object, key);
  if (text.empty()) {
    const json* value = find(object, key);
    if (value != nullptr && !(value->is_string())) throw BadField{std::string(key) + " is not an integer"};
    return std::nullopt;
  }
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) throw BadField{std::string(key) + " is not an integer"};
  return value;
}

/// Unix seconds; 0 and absence are the epoch (unknown).
sdk::Instant seconds_field(const json& object, const char* key) {
  const auto seconds = integer(object, key);
  if (!seconds) return sdk::Instant{};
  if (*seconds < 0) throw BadField{std::string(key) + " is not unix seconds"};
  return sdk::Instant{std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::seconds{*seconds})};
}

/// An id as text ("" when absent); objects, arrays and booleans are malformed.
std::string id_field(const json& object, const char* key) {
  const json* value = find(object, key);
  if (value == nullptr) return {};
  const std::string id = id_text(*value);
  if (id.empty() && !(value->is_string())) throw BadField{std::string(key) + " is not an id"};
  return id;
}

/// A plain text field; numbers are written out.
std::string text(const json& object, const char* key) {
  const json* value = find(object, key);
  if (value == nullptr) return {};
  if (value->is_string() || value->is_number()) return text_field(object, key);
  throw BadField{std::string(key) + " is not text"};
}

/// A receiver field: a string or nothing; the reason never shows the value.
std::string receiver_string(const json& object, const char* key, const std::string& where = {}) {
  const json* value = find(object, key);
  if (value == nullptr) return {};
  if (!value->is_string()) throw BadField{where + key + " is not a string"};
  return value->get<std::string>();
}

/// A region as a bare string (iop.orderList) or as {name, id} (order.* post_addr).
std::string region(const json& object, const char* key) {
  const json* part = find(object, key);
  if (part == nullptr) return {};
  if (part->is_string()) return part->get<std::string>();
  if (part->is_object()) return receiver_string(*part, "name", std::string(key) + ".");
  throw BadField{std::string(key) + " is not a region"};
}

bool flag(const json& object, const char* key) {
  const json* value = find(object, key);
  if (value == nullptr) return false;
  if (value->is_boolean()) return value->get<bool>();
  if (value->is_number_integer()) return value->get<std::int64_t>() != 0;
  if (value->is_string())
    return value->get_ref<const std::string&>() == "true" || value->get_ref<const std::string&>() == "1";
  throw BadField{std::string(key) + " is not a flag"};
}

bool looks_masked(const std::string& value) { return value.find('*') != std::string::npos; }

/// Rule D10: ciphertexts and masks only. Plaintext fields (post_receiver, post_tel, detail) are never read.
sdk::Receiver map_receiver(const json& item) {
  sdk::Receiver receiver;
  ReceiverCiphers ciphers;
  ciphers.name = receiver_string(item, "encrypt_post_receiver");
  ciphers.phone = receiver_string(item, "encrypt_post_tel");
  ciphers.detail = receiver_string(item, "encrypt_detail");
  receiver.province = region(item, "province");
  receiver.city = region(item, "city");
  receiver.district = region(item, "district");
  if (receiver.district.empty()) receiver.district = region(item, "town");
  if (const json* address = find(item, "post_addr")) {  // the order.* shape, should iop answer with it
    if (!address->is_object()) throw BadField{"post_addr is not an object"};
    if (ciphers.detail.empty()) ciphers.detail = receiver_string(*address, "encrypt_detail", "post_addr.");
    if (receiver.province.empty()) receiver.province = region(*address, "province");
    if (receiver.city.empty()) receiver.city = region(*address, "city");
    if (receiver.district.empty()) receiver.district = region(*address, "town");
  }
  if (!ciphers.name.empty() || !ciphers.phone.empty() || !ciphers.detail.empty())
    receiver.ciphertext = encode_receiver_ciphers(ciphers);
  const std::string name = receiver_string(item, "mask_post_receiver");
  receiver.masked_name = name.empty() || looks_masked(name) ? name : sdk::mask_name(name);
  const std::string phone = receiver_string(item, "mask_post_tel");
  receiver.masked_phone = phone.empty() || looks_masked(phone) ? phone : sdk::mask_phone(phone);
  if (!receiver.province.empty() || !receiver.city.empty() || !receiver.district.empty())
    receiver.masked_address = sdk::mask_address(receiver.province, receiver.city, receiver.district);
  return receiver;
}

sdk::DropshipOrder map_or_throw(const json& item, const std::string& distr_order_id) {
  sdk::DropshipOrder out;
  out.distr_order_id = distr_order_id;
  out.merchant_shop_id = id_field(item, "user_id");
  out.order_id = id_field(item, "shop_order_id");
  out.line_id = id_field(item, "sku_order_id");
  out.sku = id_field(item, "sku_id");
  out.outer_sku = text(item, "out_sku_id");
  out.title = text(item, "product_name");
  out.quantity = integer(item, "product_count").value_or(0);
  const auto status = integer(item, "distr_status");
  if (!status) throw BadField{"distr_status is missing"};
  switch (*status) {
    case 1:
      out.status = sdk::DropshipStatus::to_ship;
      break;
    case 2:
      out.status = sdk::DropshipStatus::shipped;
      break;
    case 3:
      out.status = sdk::DropshipStatus::unassigned;
      break;
    default:
      throw BadField{"distr_status " + std::to_string(*status) + " is not known"};
  }
  // Rule D8: the item stays assigned; the factory must not ship it. item_status 4 is the sku
  // order's own "cancelled" (platform-sim's addition; Douyin's list shows the cancel reason).
  out.buyer_cancelled = flag(item, "buyer_cancelled") || integer(item, "item_status").value_or(0) == 4;
  out.cancel_reason = text(item, "distr_cancel_reason");
  out.assigned_at = seconds_field(item, "distr_time");
  out.modified_at = seconds_field(item, "update_time");
  if (out.modified_at == sdk::Instant{}) out.modified_at = out.assigned_at;
  out.receiver = map_receiver(item);
  out.waybill = text(item, "track_no");
  out.carrier = text(item, "company_code");
  return out;
}

/// The entry as received minus plaintext receiver fields: quarantine rows are plain text (D10).
std::string quarantine_payload(const json& item) {
  json copy = item;
  if (copy.is_object()) {
    for (const char* key : {"post_receiver", "post_tel", "detail", "receiver_name", "receiver_tel", "receiver_phone"}) {
      if (const auto it = copy.find(key); it != copy.end() && it->is_string()) *it = "";
    }
    if (const auto address = copy.find("post_addr"); address != copy.end() && address->is_object()) {
      if (const auto it = address->find("detail"); it != address->end() && it->is_string()) *it = "";
    }
  }
  return copy.dump(-1, ' ', false, json::error_handler_t::replace);
}

const json* list_in(const json& data, const char* key, const char* method) {
  if (!data.is_object()) throw std::invalid_argument(std::string(method) + " data is not an object");
  const json* list = find(data, key);
  if (list == nullptr) return nullptr;
  if (!list->is_array()) throw std::invalid_argument(std::string(method) + " data." + key + " is not an array");
  return list;
}

std::int64_t total_in(const json& data, const char* method) {
  try {
    return integer(data, "total").value_or(0);
  } catch (const BadField&) {
    throw std::invalid_argument(std::string(method) + " data.total is not an integer");
  }
}

std::string refusal_detail(const DouyinError& refusal) {
  std::string out = "Douyin code " + std::to_string(refusal.code);
  if (!refusal.sub_code.empty()) out += " (" + refusal.sub_code + ")";
  if (!refusal.sub_msg.empty()) out += ": " + refusal.sub_msg;
  return out;
}

}  // namespace

std::string business_number(std::string_view sub_code) {
  if (sub_code.substr(0, kBusinessFailed.size()) != kBusinessFailed) return {};
  return std::string(sub_code.substr(kBusinessFailed.size()));
}

DropshipRefusal dropship_refusal(std::string_view number, std::string_view words) {
  if (number == "20005") return DropshipRefusal::already_shipped;
  if (number == "20014" || number == "20012") return DropshipRefusal::buyer_cancelled;
  if (number == "41001") return DropshipRefusal::not_bound;
  if (number == "41004") return DropshipRefusal::before_binding;
  if (number == "10016" || number == "41002") return DropshipRefusal::not_found;
  // Any other number (41003 wrong state, 20011 after-sale pending, 20013 unpaid ...): the words decide.
  if (contains(words, "早于绑定")) return DropshipRefusal::before_binding;
  if (contains(words, "未绑定") || contains(words, "未与本店绑定")) return DropshipRefusal::not_bound;
  if (contains(words, "已分配")) return DropshipRefusal::already_assigned;
  if (contains(words, "已发货")) return DropshipRefusal::already_shipped;
  // "已取消分配": the merchant took the assignment back, which is no buyer cancellation.
  if (contains(words, "取消分配")) return DropshipRefusal::other;
  if (contains(words, "已取消")) return DropshipRefusal::buyer_cancelled;
  if (contains(words, "不存在")) return DropshipRefusal::not_found;
  return DropshipRefusal::other;
}

// --- merchant side -------------------------------------------------------------------------------

SupplierPage map_supplier_list(const json& data) {
  SupplierPage out;
  const json* list = list_in(data, "supplier_list", "iop.sellerSupplierList");
  out.total = total_in(data, "iop.sellerSupplierList");
  if (list == nullptr) return out;
  out.listed = list->size();
  for (const auto& entry : *list) {
    if (!entry.is_object()) throw std::invalid_argument("iop.sellerSupplierList supplier_list holds a non-object");
    try {
      // Status 1 is a binding in force (the only one platform-sim shows); Douyin does not document
      // the others, so an entry with another status is not taken as bound.
      if (const auto status = integer(entry, "status"); status && *status != 1) continue;
      sdk::FactoryBinding binding;
      binding.factory_shop_id = id_field(entry, "supplier_id");
      if (binding.factory_shop_id.empty()) binding.factory_shop_id = id_field(entry, "supplier_shop_id");
      if (binding.factory_shop_id.empty()) continue;
      binding.name = text(entry, "supplier_name");
      if (binding.name.empty()) binding.name = binding.factory_shop_id;
      binding.bound_at = seconds_field(entry, "bind_time");
      out.factories.push_back(std::move(binding));
    } catch (const BadField& bad) {
      throw std::invalid_argument("iop.sellerSupplierList: " + bad.reason);
    }
  }
  return out;
}

sdk::Result<void> check_distribute(const sdk::DistributeRequest& request) {
  if (request.factory_shop_id.empty()) return sdk::fail(sdk::ErrorCode::invalid_input, "no factory shop id");
  for (const auto& item : request.items) {
    if (item.order_id.empty()) return sdk::fail(sdk::ErrorCode::invalid_input, "an item has no order id");
    if (item.line_id.empty()) {
      return sdk::fail(sdk::ErrorCode::invalid_input,
                       "order " + item.order_id + ": Douyin assigns per sku order; the item needs its line id");
    }
  }
  return {};
}

std::vector<json> distribute_calls(const sdk::DistributeRequest& request) {
  // Orders in the order they first appear, each with its sku order ids.
  std::vector<std::pair<std::string, std::vector<std::string>>> orders;
  std::map<std::string, std::size_t> index;
  for (const auto& item : request.items) {
    const auto [at, added] = index.emplace(item.order_id, orders.size());
    if (added) orders.emplace_back(item.order_id, std::vector<std::string>{});
    auto& lines = orders[at->second].second;
    if (std::find(lines.begin(), lines.end(), item.line_id) == lines.end()) lines.push_back(item.line_id);
  }
  std::vector<json> calls;
  for (std::size_t start = 0; start < orders.size(); start += kMaxDistributeOrders) {
    json list = json::array();
    for (std::size_t i = start; i < orders.size() && i < start + kMaxDistributeOrders; ++i) {
      list.push_back(json{{"order_id", orders[i].first}, {"sku_order_ids", orders[i].second}});
    }
    calls.push_back(json{{"supplier_shop_id", request.factory_shop_id}, {"distribute_order_list", std::move(list)}});
  }
  return calls;
}

std::vector<sdk::DistributeResult> map_distribute_results(const std::vector<sdk::DistributeItem>& items,
                                                          const json& data) {
  struct Answer {
    std::string distr_order_id;
    bool success = false;
    std::string words;
    std::string number;
  };
  std::map<std::pair<std::string, std::string>, Answer> answers;  // (order id, sku order id or "")
  const json* list = data.is_object() ? find(data, "result_list") : nullptr;
  if (list != nullptr && list->is_array()) {
    for (const auto& entry : *list) {
      if (!entry.is_object()) continue;
      Answer answer;
      try {
        answer.distr_order_id = id_field(entry, "distr_order_id");
        answer.words = text(entry, "err_msg");
        if (const auto code = integer(entry, "err_code"); code && *code != 0) answer.number = std::to_string(*code);
        answer.success = find(entry, "success") != nullptr ? flag(entry, "success") : !answer.distr_order_id.empty();
        answers.emplace(std::make_pair(id_field(entry, "order_id"), id_field(entry, "sku_order_id")),
                        std::move(answer));
      } catch (const BadField&) {
        continue;  // an entry that cannot be read leaves its items without an answer: refused as other
      }
    }
  }
  std::vector<sdk::DistributeResult> out;
  out.reserve(items.size());
  for (const auto& item : items) {
    sdk::DistributeResult result;
    result.order_id = item.order_id;
    result.line_id = item.line_id;
    auto it = answers.find({item.order_id, item.line_id});
    if (it == answers.end()) it = answers.find({item.order_id, ""});  // the whole order was refused
    if (it == answers.end()) {
      result.refusal = DropshipRefusal::other;
      result.detail = "Douyin's answer has no result for this item";
    } else if (it->second.success && !it->second.distr_order_id.empty()) {
      result.distr_order_id = it->second.distr_order_id;
    } else {
      result.refusal = dropship_refusal(it->second.number, it->second.words);
      result.detail = it->second.words.empty() ? "refused without a reason" : it->second.words;
    }
    out.push_back(std::move(result));
  }
  return out;
}

std::vector<sdk::DistributeResult> refuse_all(const std::vector<sdk::DistributeItem>& items, DropshipRefusal refusal,
                                              const std::string& detail) {
  std::vector<sdk::DistributeResult> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(sdk::DistributeResult{item.order_id, item.line_id, "", refusal, detail});
  return out;
}

std::optional<std::vector<sdk::DistributeResult>> distribute_refusal(const std::vector<sdk::DistributeItem>& items,
                                                                     const DouyinError& refusal) {
  const bool has_results = refusal.data.is_object() && refusal.data.contains("result_list") &&
                           refusal.data["result_list"].is_array() && !refusal.data["result_list"].empty();
  // 10001 isv.business-part-failed: some assigned, some refused; 50002 ...:41003 with every item refused.
  if (has_results && (refusal.code == 10001 || refusal.code == 50001 || refusal.code == 50002))
    return map_distribute_results(items, refusal.data);
  if (business_number(refusal.sub_code) == "41001")
    return refuse_all(items, DropshipRefusal::not_bound, refusal_detail(refusal));
  return std::nullopt;
}

// --- factory side --------------------------------------------------------------------------------

json order_list_params(std::int64_t from_s, std::int64_t to_s, std::int64_t page, std::int64_t size) {
  return json{{"start_update_time", from_s}, {"end_update_time", to_s}, {"page", page}, {"size", size}};
}

std::variant<sdk::DropshipOrder, sdk::Rejected> map_dropship_order(const json& item) {
  sdk::Rejected rejected;
  try {
    if (!item.is_object()) {
      rejected.reason = "dropship order is not an object";
    } else {
      const std::string id = id_field(item, "distr_order_id");
      if (id.empty()) {
        rejected.reason = "no distr_order_id";
      } else {
        rejected.order_id = id;
        return map_or_throw(item, id);
      }
    }
  } catch (const BadField& bad) {
    rejected.reason = bad.reason;
  } catch (const std::exception& error) {
    rejected.reason = std::string("unmappable dropship order: ") + error.what();
  }
  try {
    rejected.payload = quarantine_payload(item);
  } catch (const std::exception&) {
    rejected.payload.clear();
  }
  return rejected;
}

DropshipList map_dropship_list(const json& data) {
  DropshipList out;
  const json* list = list_in(data, "order_list", "iop.orderList");
  out.total = total_in(data, "iop.orderList");
  if (list == nullptr) {
    if (out.total == 0) return out;
    throw std::invalid_argument("iop.orderList data has no order_list");
  }
  for (const auto& item : *list) {
    auto mapped = map_dropship_order(item);
    if (auto* order = std::get_if<sdk::DropshipOrder>(&mapped)) {
      out.orders.push_back(std::move(*order));
    } else {
      out.rejected.push_back(std::get<sdk::Rejected>(std::move(mapped)));
    }
  }
  return out;
}

json waybill_return_params(const sdk::DropshipShipment& shipment) {
  json params{{"distr_order_id", shipment.distr_order_id},
              {"company_code", shipment.carrier_code},
              {"track_no", shipment.waybill}};
  if (!shipment.merchant_shop_id.empty()) params["user_id"] = shipment.merchant_shop_id;
  return params;
}

std::optional<sdk::DropshipShipReceipt> waybill_refusal(const DouyinError& refusal) {
  if (refusal.code != 50001 && refusal.code != 50002) return std::nullopt;
  sdk::DropshipShipReceipt receipt;
  receipt.refusal = dropship_refusal(business_number(refusal.sub_code), refusal.sub_msg);
  receipt.detail = refusal_detail(refusal);
  return receipt;
}

}  // namespace erp::plugins::douyin
