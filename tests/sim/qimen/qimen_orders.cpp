// What the WMS does with the ERP's calls (WAREHOUSE-QIMEN.md §1, §3.1): deliveryorder.create
// stores a delivery order once per deliveryOrderCode (the WMS dedups on it), order.cancel stops
// a delivery, or part of it by platform sub-order, before it ships. Refusal codes are the WMS's
// own (the standard defines none for "already shipped"), so the ERP must not depend on them.

#include <algorithm>
#include <set>

#include "core/time_format.hpp"
#include "qimen/qimen_impl.hpp"

namespace erp::sim::qimen {
namespace {

// Required per TOP-meta (§3.1); the brief of this simulator names the same set.
constexpr const char* kOrderFields[] = {"deliveryOrderCode",  "orderType",  "warehouseCode",
                                        "sourcePlatformCode", "createTime", "placeOrderTime",
                                        "operateTime",        "shopNick",   "logisticsCode"};
constexpr const char* kLineFields[] = {"itemCode", "planQty", "ownerCode", "actualPrice"};
constexpr const char* kTimeFields[] = {"createTime", "placeOrderTime", "operateTime"};

bool positive_count(const std::string& s) {
  return !s.empty() && s.size() <= 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         std::stoll(s) > 0;
}

/// Yuan as the standard writes money: digits with an optional decimal part ("12.50", "0").
bool yuan(const std::string& s) {
  const auto dot = s.find('.');
  const std::string whole = s.substr(0, dot);
  const std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  auto digits = [](const std::string& d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  return !whole.empty() && digits(whole) && digits(frac) && (dot == std::string::npos || !frac.empty());
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

/// Every required field that is missing, named by its path ("orderLines.orderLine[2].planQty").
std::vector<std::string> missing_fields(const Tree& body) {
  std::vector<std::string> missing;
  const Tree* order = child(body, "deliveryOrder");
  if (order == nullptr || !order->is_object()) {
    missing.emplace_back("deliveryOrder");
  } else {
    for (const char* field : kOrderFields) {
      if (text(*order, field).empty()) missing.push_back(std::string("deliveryOrder.") + field);
    }
    const Tree* receiver = child(*order, "receiverInfo");
    if (receiver == nullptr || !receiver->is_object() || receiver->empty()) {
      missing.emplace_back("deliveryOrder.receiverInfo");
    }
  }
  const auto lines = list(body, "orderLines", "orderLine");
  if (lines.empty()) missing.emplace_back("orderLines.orderLine");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string at = "orderLines.orderLine[" + std::to_string(i + 1) + "].";
    for (const char* field : kLineFields) {
      if (text(*lines[i], field).empty()) missing.push_back(at + field);
    }
  }
  return missing;
}

/// The first value that is present but malformed, or nullopt.
std::optional<std::string> invalid_value(const Tree& body) {
  const Tree& order = *child(body, "deliveryOrder");
  for (const char* field : kTimeFields) {
    const std::string value = text(order, field);
    if (value.size() != 19 || !daemon::parse_cst(value)) {
      return std::string("deliveryOrder.") + field + ": '" + value + "' is not yyyy-MM-dd HH:mm:ss";
    }
  }
  const auto lines = list(body, "orderLines", "orderLine");
  std::set<std::string> line_numbers;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string at = "orderLines.orderLine[" + std::to_string(i + 1) + "].";
    if (!positive_count(text(*lines[i], "planQty"))) {
      return at + "planQty: '" + text(*lines[i], "planQty") + "' is not a positive whole number";
    }
    if (!yuan(text(*lines[i], "actualPrice"))) {
      return at + "actualPrice: '" + text(*lines[i], "actualPrice") + "' is not an amount in yuan";
    }
    const std::string line_no = text(*lines[i], "orderLineNo");
    if (!line_no.empty() && !line_numbers.insert(line_no).second) {
      return at + "orderLineNo: '" + line_no + "' is used by another line";
    }
  }
  return std::nullopt;
}

Line read_line(const Tree& node, std::size_t index) {
  Line line;
  line.line_no = text(node, "orderLineNo");
  // A WMS numbers lines the ERP left unnumbered, so confirms can still name them.
  if (line.line_no.empty()) line.line_no = std::to_string(index + 1);
  line.source_order_code = text(node, "sourceOrderCode");
  line.sub_source_order_code = text(node, "subSourceOrderCode");
  line.item_code = text(node, "itemCode");
  line.item_name = text(node, "itemName");
  line.owner_code = text(node, "ownerCode");
  line.plan_qty = std::stoll(text(node, "planQty"));
  line.actual_price = text(node, "actualPrice");
  line.retail_price = text(node, "retailPrice");
  if (const Tree* props = child(node, "extendProps"); props != nullptr && props->is_object()) {
    line.extend_props = *props;
  }
  line.remark = text(node, "remark");
  return line;
}

}  // namespace

Reply QimenModuleImpl::create(Wms& wms, const Tree& body) {
  if (const auto missing = missing_fields(body); !missing.empty()) {
    return failure("missing-parameter",
                   "missing required field" + std::string(missing.size() > 1 ? "s" : "") + ": " + join(missing));
  }
  if (const auto invalid = invalid_value(body)) return failure("invalid-parameter", *invalid);

  const Tree& request = *child(body, "deliveryOrder");
  const std::string code = text(request, "deliveryOrderCode");
  auto existing = wms.orders.find(code);
  if (existing != wms.orders.end()) {
    // The same code again is the ERP retrying: the first delivery order stands, unchanged.
    DeliveryOrder& order = existing->second;
    ++order.create_calls;
    Reply reply;
    reply.message = "delivery order " + code + " already exists";
    reply.extra = {{"createTime", daemon::format_cst(order.created)},
                   {"deliveryOrderId", order.wms_id},
                   {"warehouseCode", order.warehouse_code},
                   {"logisticsCode", order.logistics_code}};
    return reply;
  }

  DeliveryOrder order;
  order.code = code;
  order.wms_id = "WMS" + next_seq();
  order.order_type = text(request, "orderType");
  order.warehouse_code = text(request, "warehouseCode");
  order.source_platform_code = text(request, "sourcePlatformCode");
  order.logistics_code = text(request, "logisticsCode");
  order.shop_nick = text(request, "shopNick");
  order.created = context_.clock.now();
  order.request = request;
  const auto lines = list(body, "orderLines", "orderLine");
  for (std::size_t i = 0; i < lines.size(); ++i) order.lines.push_back(read_line(*lines[i], i));
  if (wms.settings.auto_ship) {
    order.auto_ship_at = order.created + wms.settings.auto_ship_after;
    due_at(*order.auto_ship_at);
  }

  Reply reply;
  reply.extra = {{"createTime", daemon::format_cst(order.created)},
                 {"deliveryOrderId", order.wms_id},
                 {"warehouseCode", order.warehouse_code},
                 {"logisticsCode", order.logistics_code}};
  wms.orders.emplace(code, std::move(order));
  context_.counters.add("qimen.create", wms.shop.id, code);
  return reply;
}

Reply QimenModuleImpl::cancel(Wms& wms, const Tree& body) {
  const std::string code = text(body, "orderCode");
  if (code.empty()) return failure("missing-parameter", "missing required field: orderCode");
  const auto it = wms.orders.find(code);
  if (it == wms.orders.end()) return failure("ORDER_NOT_FOUND", "no delivery order " + code + " in this warehouse");
  DeliveryOrder& order = it->second;
  ++order.cancel_calls;
  if (const std::string id = text(body, "orderId"); !id.empty() && id != order.wms_id) {
    return failure("invalid-parameter",
                   "orderId '" + id + "' is not the WMS id of " + code + " (" + order.wms_id + ")");
  }

  // The lines to stop: those of the named platform sub-orders, else the whole delivery.
  std::vector<std::size_t> target;
  const auto subs = list(body, "subSourceOrders", "subSourceOrder");
  for (const Tree* sub : subs) {
    const std::string sub_code = text(*sub, "subSourceOrderCode");
    if (sub_code.empty()) {
      return failure("missing-parameter", "missing required field: subSourceOrders.subSourceOrder.subSourceOrderCode");
    }
    bool found = false;
    for (std::size_t i = 0; i < order.lines.size(); ++i) {
      if (order.lines[i].sub_source_order_code != sub_code) continue;
      found = true;
      if (std::find(target.begin(), target.end(), i) == target.end()) target.push_back(i);
    }
    if (!found) return failure("LINE_NOT_FOUND", "delivery order " + code + " has no line of sub-order " + sub_code);
  }
  if (subs.empty()) {
    for (std::size_t i = 0; i < order.lines.size(); ++i) target.push_back(i);
  }

  const bool done = std::all_of(target.begin(), target.end(), [&](std::size_t i) { return order.lines[i].cancelled; });
  Reply reply;
  if (done) {
    // Cancelling what is cancelled already changes nothing, so it succeeds again.
    reply.message = "already cancelled";
  } else if (wms.settings.async_cancel) {
    if (order.pending_cancel) {
      reply.message = "a cancel of " + code + " is already in progress";
    } else {
      const Instant now = context_.clock.now();
      PendingCancel pending{target, now, std::nullopt};
      if (wms.settings.cancel_after) {
        pending.decide_at = now + *wms.settings.cancel_after;
        due_at(*pending.decide_at);
      }
      order.pending_cancel = std::move(pending);
      reply.message = "cancel request taken; the outcome follows as deliveryorder.confirm";
    }
  } else {
    for (const std::size_t i : target) {
      if (order.lines[i].shipped > 0) {
        std::string waybills;
        for (const auto& parcel : order.parcels) waybills += (waybills.empty() ? "" : ", ") + parcel.waybill;
        return failure("ORDER_SHIPPED", "delivery order " + code + " has already shipped (waybill " + waybills +
                                            "); it can no longer be cancelled");
      }
    }
    for (const std::size_t i : target) order.lines[i].cancelled = true;
    if (order.all_cancelled()) order.status = "CANCELED";
    order.cancel_result = "canceled";
    reply.message = "cancelled";
  }
  context_.counters.add("qimen.cancel", wms.shop.id, code);
  return reply;
}

}  // namespace erp::sim::qimen
