#include "plugins/qimen/qimen_inbound.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>

#include "plugins/qimen/qimen_sign.hpp"
#include "plugins/qimen/qimen_text.hpp"
#include "plugins/qimen/qimen_time.hpp"

namespace erp::plugins::qimen {
namespace {

using sdk::ErrorCode;
using sdk::WarehouseEvent;
using sdk::WarehouseEventKind;

constexpr std::string_view kPrefix = "taobao.qimen.";
constexpr std::string_view kConfirm = "deliveryorder.confirm";
constexpr std::string_view kProcess = "orderprocess.report";
constexpr std::string_view kStock = "stockchange.report";

sdk::Error refuse(std::string_view method, const std::string& why) {
  return sdk::fail(ErrorCode::invalid_input, std::string(method) + ": " + why);
}

/// A whole number as Qimen writes quantities: "3", "-2", also "3.0" or "3.00" from a sender that
/// keeps quantities as decimals. nullopt for anything else or more than 15 digits.
std::optional<std::int64_t> whole_number(std::string_view text, bool allow_negative) noexcept {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (negative && !allow_negative) return std::nullopt;
  std::size_t i = 0;
  std::int64_t value = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (i == 15) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  if (i == 0) return std::nullopt;
  if (i < text.size()) {
    if (text[i] != '.' || i + 1 == text.size()) return std::nullopt;
    for (++i; i < text.size(); ++i) {
      if (text[i] != '0') return std::nullopt;
    }
  }
  return negative ? -value : value;
}

std::optional<sdk::Instant> first_time(const Node& node, std::string_view a, std::string_view b) {
  if (auto at = parse_china_time(node.value(a))) return at;
  return parse_china_time(node.value(b));
}

std::string joined(std::string a, const std::string& b) {
  if (a.empty()) return b;
  if (!b.empty()) a += "; " + b;
  return a;
}

/// A line of the confirm's orderLines, for items named by itemCode only.
struct ConfirmLine {
  std::string line_no;
  std::string item_code;
  std::optional<std::int64_t> room;  ///< What is left of its quantity for parcels; nullopt: unknown.
};

/// Puts `quantity` of `item_code` on the lines that carry it, filling each up to its confirmed
/// (else planned) quantity in order; what is left goes to the last. false when no line carries it.
bool place_by_item_code(std::vector<ConfirmLine>& lines, const std::string& item_code, std::int64_t quantity,
                        std::vector<sdk::ParcelItem>& items) {
  std::vector<ConfirmLine*> candidates;
  for (auto& line : lines) {
    if (line.item_code == item_code) candidates.push_back(&line);
  }
  if (candidates.empty()) return false;
  for (std::size_t i = 0; i < candidates.size() && quantity > 0; ++i) {
    ConfirmLine& line = *candidates[i];
    const bool last = i + 1 == candidates.size();
    std::int64_t take = quantity;
    if (!last && line.room) take = std::min(quantity, std::max<std::int64_t>(*line.room, 0));
    if (take == 0) continue;
    if (line.room) *line.room -= take;
    items.push_back(sdk::ParcelItem{line.line_no, take});
    quantity -= take;
  }
  return true;
}

/// Items of the same line added up, in first-seen order.
std::vector<sdk::ParcelItem> merged(const std::vector<sdk::ParcelItem>& items) {
  std::vector<sdk::ParcelItem> out;
  for (const auto& item : items) {
    auto same = std::find_if(out.begin(), out.end(), [&](const auto& o) { return o.line_id == item.line_id; });
    if (same == out.end()) {
      out.push_back(item);
    } else {
      same->quantity += item.quantity;
    }
  }
  return out;
}

std::vector<ConfirmLine> confirm_lines(const Node& root) {
  std::vector<ConfirmLine> out;
  for (const Node* line : list_items(root, "orderLines", "orderLine")) {
    ConfirmLine entry;
    entry.line_no = line->value("orderLineNo");
    entry.item_code = line->value("itemCode");
    if (entry.line_no.empty() || entry.item_code.empty()) continue;
    entry.room = whole_number(line->value("actualQty"), false);
    if (!entry.room) entry.room = whole_number(line->value("planQty"), false);
    out.push_back(std::move(entry));
  }
  return out;
}

sdk::Result<std::vector<sdk::ShippedParcel>> read_parcels(const Node& root, const Node& order,
                                                          const std::vector<const Node*>& packages, bool& unmatched) {
  std::vector<ConfirmLine> lines = confirm_lines(root);
  std::vector<sdk::ShippedParcel> out;
  for (std::size_t p = 0; p < packages.size(); ++p) {
    const Node& package = *packages[p];
    const std::string where = "packages.package[" + std::to_string(p + 1) + "]";
    sdk::ShippedParcel parcel;
    parcel.waybill = package.value("expressCode");
    if (parcel.waybill.empty()) return refuse(kConfirm, where + ".expressCode is missing");
    parcel.carrier_code = package.value("logisticsCode");
    if (parcel.carrier_code.empty()) parcel.carrier_code = order.value("logisticsCode");
    if (parcel.carrier_code.empty()) return refuse(kConfirm, where + ".logisticsCode is missing");
    std::vector<sdk::ParcelItem> items;
    bool matched = true;
    const auto contents = list_items(package, "items", "item");
    for (std::size_t i = 0; i < contents.size(); ++i) {
      const Node& item = *contents[i];
      const auto quantity = whole_number(item.value("quantity"), false);
      if (!quantity) {
        return refuse(kConfirm, where + ".items.item[" + std::to_string(i + 1) + "].quantity is not a whole number");
      }
      if (*quantity == 0) continue;
      const std::string line_no = item.value("orderLineNo");
      if (!line_no.empty()) {
        items.push_back(sdk::ParcelItem{line_no, *quantity});
      } else if (!place_by_item_code(lines, item.value("itemCode"), *quantity, items)) {
        matched = false;
      }
    }
    // A partial list would read as "only these"; none reads as "whatever has not shipped yet".
    if (matched) {
      parcel.items = merged(items);
    } else {
      unmatched = true;
    }
    out.push_back(std::move(parcel));
  }
  return out;
}

bool is_status(std::string_view status, std::string_view word) { return iequals(status, word); }

}  // namespace

Format call_format(const sdk::WarehouseCall& call) {
  for (const auto& [name, value] : parse_query(call.query)) {
    if (name != "format") continue;
    if (iequals(value, "xml")) return Format::xml;
    if (iequals(value, "json")) return Format::json;
    break;
  }
  return sniff_format(call.body).value_or(Format::xml);
}

sdk::Result<sdk::WarehouseMessages> read_delivery_confirm(const Node& root) {
  const Node* order = root.child("deliveryOrder");
  if (order == nullptr) return refuse(kConfirm, "deliveryOrder is missing");
  WarehouseEvent event;
  event.delivery_code = order->value("deliveryOrderCode");
  if (event.delivery_code.empty()) return refuse(kConfirm, "deliveryOrder.deliveryOrderCode is missing");
  event.status = order->value("status");
  event.message_id = order->value("outBizCode");
  event.final = order->value("confirmType") != "1";
  if (!event.final && event.message_id.empty()) {
    return refuse(kConfirm, "deliveryOrder.outBizCode is missing from a partial confirmation (confirmType 1)");
  }
  event.at = first_time(*order, "orderConfirmTime", "operateTime");

  if (is_status(event.status, "CANCELED") || is_status(event.status, "CANCELEDFAIL")) {
    event.kind = WarehouseEventKind::lock_outcome;
    event.locked = is_status(event.status, "CANCELED");
    event.note = event.locked ? "the warehouse cancelled the delivery" : "the warehouse could not cancel the delivery";
    return sdk::WarehouseMessages{{std::move(event)}};
  }

  auto packages = list_items(root, "packages", "package");
  if (packages.empty()) packages = list_items(*order, "packages", "package");
  // A confirm with no packages element but the waybill on the order itself (seen from some WMSs).
  Node single;
  if (packages.empty() && !order->value("expressCode").empty()) {
    single.name = "package";
    single.leaf("expressCode", order->value("expressCode"));
    single.leaf("logisticsCode", order->value("logisticsCode"));
    packages.push_back(&single);
  }
  if (!packages.empty()) {
    bool unmatched = false;
    auto parcels = read_parcels(root, *order, packages, unmatched);
    if (!parcels) return std::move(parcels).error();
    event.kind = WarehouseEventKind::shipped;
    event.parcels = std::move(parcels).value();
    if (unmatched) {
      event.note = "some parcel items name an itemCode no order line has: those parcels' contents not given";
    }
    return sdk::WarehouseMessages{{std::move(event)}};
  }
  if (event.status.empty()) return refuse(kConfirm, "deliveryOrder.status is missing");
  if (is_status(event.status, "DELIVERED") || is_status(event.status, "PARTDELIVERED")) {
    return refuse(kConfirm, "status " + excerpt(event.status, 20) + " names no package (packages.package.expressCode)");
  }
  event.kind = WarehouseEventKind::progress;
  event.note = order->value("remark");
  return sdk::WarehouseMessages{{std::move(event)}};
}

sdk::Result<sdk::WarehouseMessages> read_process_report(const Node& root) {
  const Node* order = root.child("order");
  if (order == nullptr) return refuse(kProcess, "order is missing");
  const Node* process = root.child("process");
  if (process == nullptr) return refuse(kProcess, "process is missing");
  WarehouseEvent event;
  event.delivery_code = order->value("orderCode");
  if (event.delivery_code.empty()) return refuse(kProcess, "order.orderCode is missing");
  event.status = process->value("processStatus");
  if (event.status.empty()) return refuse(kProcess, "process.processStatus is missing");
  event.at = parse_china_time(process->value("operateTime"));
  event.note = joined(process->value("operateInfo"), process->value("remark"));
  if (is_status(event.status, "CANCELED")) {
    event.kind = WarehouseEventKind::lock_outcome;
    event.locked = true;
  } else {
    // TMSCANCELED / TMSCANCELFAILED are the carrier's interception of a parcel that already left:
    // history, not the outcome of a lock (which asks the warehouse not to ship).
    event.kind = WarehouseEventKind::progress;
  }
  return sdk::WarehouseMessages{{std::move(event)}};
}

sdk::Result<sdk::WarehouseMessages> read_stock_change(const Node& root) {
  const auto items = list_items(root, "items", "item");
  if (items.empty()) return refuse(kStock, "items.item is missing");
  std::map<std::string, int> uses;
  for (const Node* item : items) ++uses[item->value("outBizCode")];
  std::map<std::string, int> seen;
  sdk::WarehouseMessages out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Node& item = *items[i];
    const std::string where = "items.item[" + std::to_string(i + 1) + "]";
    WarehouseEvent event;
    event.kind = WarehouseEventKind::stock_change;
    event.message_id = item.value("outBizCode");
    if (event.message_id.empty()) return refuse(kStock, where + ".outBizCode is missing");
    // One outBizCode on several items (some WMSs send one per report): each item keeps its own
    // id, stable when the same report comes again, so none is taken for a repeat of another.
    if (uses[event.message_id] > 1) event.message_id += "#" + std::to_string(++seen[event.message_id]);
    event.item_code = item.value("itemCode");
    if (event.item_code.empty()) return refuse(kStock, where + ".itemCode is missing");
    const auto quantity = whole_number(item.value("quantity"), true);
    if (!quantity) return refuse(kStock, where + ".quantity is not a whole number");
    event.quantity = *quantity;
    event.warehouse_code = item.value("warehouseCode");
    event.delivery_code = item.value("orderCode");
    event.at = parse_china_time(item.value("changeTime"));
    const std::string order_type = item.value("orderType");
    if (!order_type.empty()) event.note = "orderType " + order_type;
    out.events.push_back(std::move(event));
  }
  return out;
}

sdk::Result<sdk::WarehouseMessages> parse_qimen_call(const sdk::WarehouseCall& call, const QimenConfig& config) {
  const Params params = parse_query(call.query);
  for (std::size_t i = 0; i < params.size(); ++i) {
    for (std::size_t k = 0; k < i; ++k) {
      if (params[k].first == params[i].first) {
        return sdk::fail(ErrorCode::invalid_input, "the parameter " + excerpt(params[i].first, 40) + " is given twice");
      }
    }
  }
  const auto param = [&params](std::string_view name) -> std::string {
    for (const auto& [key, value] : params) {
      if (key == name) return value;
    }
    return {};
  };

  const std::string method = param("method");
  if (method.empty()) return sdk::fail(ErrorCode::invalid_input, "the call names no method");
  const std::string customer = param("customerId");
  if (!customer.empty() && customer != config.customer_id) {
    return sdk::fail(ErrorCode::config_error,
                     "the call is for customerId " + excerpt(customer, 40) + ", not this warehouse's customer_id");
  }
  const std::string given_sign = param("sign");
  if (given_sign.empty()) return sdk::fail(ErrorCode::invalid_input, "signature missing: the call has no sign");
  const std::string method_text = param("sign_method");
  const auto sign_method =
      method_text.empty() ? std::optional<SignMethod>(config.sign_method) : sign_method_from_string(method_text);
  if (!sign_method) {
    return sdk::fail(ErrorCode::invalid_input, "signature method " + excerpt(method_text, 20) + " is not supported");
  }
  if (!verify(params, call.body, config.app_secret, *sign_method, given_sign)) {
    return sdk::fail(ErrorCode::invalid_input, "signature mismatch: the sign does not cover this call");
  }

  if (!sniff_format(call.body)) {
    return sdk::fail(ErrorCode::invalid_input, call.body.find_first_not_of(" \t\r\n") == std::string::npos
                                                   ? "the body is empty"
                                                   : "the body is neither XML nor JSON");
  }
  auto root = read_body(call.body, call_format(call));
  if (!root) return std::move(root).error();

  std::string_view name = method;
  if (name.size() > kPrefix.size() && iequals(name.substr(0, kPrefix.size()), kPrefix)) {
    name.remove_prefix(kPrefix.size());
  }
  if (iequals(name, kConfirm)) return read_delivery_confirm(*root);
  if (iequals(name, kProcess)) return read_process_report(*root);
  if (iequals(name, kStock)) return read_stock_change(*root);
  return sdk::fail(ErrorCode::invalid_input, "the method " + excerpt(method, 60) + " is not taken by this connector");
}

}  // namespace erp::plugins::qimen
