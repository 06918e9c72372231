#include "plugins/douyin/douyin_shipping.hpp"

#include <map>
#include <set>

#include "plugins/common/digest.hpp"
#include "plugins/common/json_fields.hpp"

namespace erp::plugins::douyin {
namespace {

using nlohmann::json;

std::int64_t number_of(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) return 0;
  if (it->is_number_integer() || it->is_number_unsigned()) return it->get<std::int64_t>();
  if (it->is_string()) {
    std::int64_t value = 0;
    for (const char c : it->get_ref<const std::string&>()) {
      if (c < '0' || c > '9') return 0;
      value = value * 10 + (c - '0');
    }
    return value;
  }
  return 0;
}

const json& list_of(const json& object, const char* key) {
  static const json kEmpty = json::array();
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : kEmpty;
}

/// Sku order ids each tracking number covers, from logistics_info[].product_info[].
std::map<std::string, std::set<std::string>> waybills_on(const json& detail) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& parcel : list_of(detail, "logistics_info")) {
    if (!parcel.is_object()) continue;
    const std::string waybill = parcel.contains("tracking_no") ? id_text(parcel["tracking_no"]) : "";
    if (waybill.empty()) continue;
    auto& lines = out[waybill];
    for (const auto& item : list_of(parcel, "product_info")) {
      if (item.is_object() && item.contains("shipped_order_id")) lines.insert(id_text(item["shipped_order_id"]));
    }
  }
  return out;
}

/// Douyin order_status codes of sku orders that still wait to ship: 105 paid, 2 to ship.
bool waits_to_ship(const json& sku) {
  const std::int64_t status = number_of(sku, "order_status");
  return status == 105 || status == 2;
}

}  // namespace

sdk::Result<void> check_shipment(const sdk::Shipment& shipment) {
  if (shipment.order_id.empty()) return sdk::fail(sdk::ErrorCode::invalid_input, "empty order id");
  if (shipment.idempotency_key.empty()) {
    return sdk::fail(sdk::ErrorCode::invalid_input, "a Douyin shipment needs an idempotency key (its request_id)");
  }
  if (shipment.packages.empty()) {
    return sdk::fail(sdk::ErrorCode::invalid_input, "a shipment needs at least one package");
  }
  for (const auto& package : shipment.packages) {
    if (package.waybill.empty() || package.carrier_code.empty()) {
      return sdk::fail(sdk::ErrorCode::invalid_input, "every package needs a waybill and a carrier_code");
    }
    if (package.line_ids.empty() && shipment.packages.size() > 1) {
      return sdk::fail(sdk::ErrorCode::invalid_input,
                       "with several packages each must name its lines (sku order ids)");
    }
  }
  return {};
}

std::string request_id_of(const sdk::Shipment& shipment) {
  return digest_hex(Digest::md5, shipment.idempotency_key, HexCase::lower);
}

std::vector<sdk::Package> pending_packages(const json& detail, const sdk::Shipment& shipment) {
  const auto on_order = waybills_on(detail);
  std::vector<sdk::Package> pending;
  for (const auto& package : shipment.packages) {
    const auto carried = on_order.find(package.waybill);
    bool there = carried != on_order.end();
    if (there && !package.line_ids.empty()) {
      for (const auto& line : package.line_ids) there = there && carried->second.count(line) > 0;
    } else if (there) {
      for (const auto& sku : list_of(detail, "sku_order_list")) {
        if (sku.is_object() && waits_to_ship(sku)) there = false;
      }
    }
    if (!there) pending.push_back(package);
  }
  return pending;
}

ShipCall ship_call(const json& detail, const sdk::Shipment& shipment, const std::vector<sdk::Package>& pending) {
  const std::string request_id = request_id_of(shipment);
  if (pending.size() == 1 && pending.front().line_ids.empty()) {
    return {"order.logisticsAdd",
            json{{"order_id", shipment.order_id},
                 {"company_code", pending.front().carrier_code},
                 {"logistics_code", pending.front().waybill},
                 {"request_id", request_id}}};
  }
  std::map<std::string, std::int64_t> quantity;
  for (const auto& sku : list_of(detail, "sku_order_list")) {
    if (sku.is_object() && sku.contains("order_id")) quantity[id_text(sku["order_id"])] = number_of(sku, "item_num");
  }
  json packs = json::array();
  for (const auto& package : pending) {
    json items = json::array();
    for (const auto& line : package.line_ids) {
      json item{{"shipped_order_id", line}};
      if (const auto it = quantity.find(line); it != quantity.end() && it->second > 0) item["shipped_num"] = it->second;
      items.push_back(std::move(item));
    }
    packs.push_back(json{{"company_code", package.carrier_code},
                         {"logistics_code", package.waybill},
                         {"shipped_order_info", std::move(items)}});
  }
  return {"order.logisticsAddMultiPack",
          json{{"order_id", shipment.order_id}, {"request_id", request_id}, {"pack_list", std::move(packs)}}};
}

}  // namespace erp::plugins::douyin
