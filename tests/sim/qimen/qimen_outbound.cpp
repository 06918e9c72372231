// What the warehouse does on its own and the calls that tell the ERP (WAREHOUSE-QIMEN.md §1, §3.2,
// §3.3): shipping parcels (deliveryorder.confirm with packages), settling asynchronous cancels
// (deliveryorder.confirm CANCELED / CANCELEDFAIL), progress steps (orderprocess.report) and stock
// movements (stockchange.report). Calls are signed like the ERP's calls to the WMS and carry the
// full method name, as callbacks to an ERP do.

#include <algorithm>
#include <cctype>
#include <map>

#include "core/time_format.hpp"
#include "qimen/qimen_impl.hpp"

namespace erp::sim::qimen {
namespace {

// Kept per WMS for GET /admin/state; older entries go first.
constexpr std::size_t kMaxSent = 10000;

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

/// A waybill number shaped like a carrier's: its letters, then digits unique in this simulator.
std::string waybill_for(const std::string& carrier, const std::string& seq) {
  std::string prefix;
  for (const char c : carrier) {
    if (prefix.size() < 2 && std::isalpha(static_cast<unsigned char>(c))) prefix += c;
  }
  return (prefix.empty() ? "WB" : prefix) + "88" + seq;
}

/// The order type confirms carry: the create's, JYCK (a normal sale) when it gave none.
std::string order_type_of(const DeliveryOrder& order) { return order.order_type.empty() ? "JYCK" : order.order_type; }

/// The warehouse that handled the order: the create's, or ours when the ERP let the WMS pick (OTHER).
std::string warehouse_of(const DeliveryOrder& order, const Settings& settings) {
  return order.warehouse_code.empty() || order.warehouse_code == "OTHER" ? settings.warehouse_code
                                                                         : order.warehouse_code;
}

Tree order_line_json(const Line& line, std::int64_t actual_qty) {
  Tree out = {{"orderLineNo", line.line_no},
              {"itemCode", line.item_code},
              {"planQty", line.plan_qty},
              {"actualQty", actual_qty}};
  // Optional fields the create did not carry are left out rather than sent empty.
  if (!line.sub_source_order_code.empty()) out["subSourceCode"] = line.sub_source_order_code;
  if (!line.source_order_code.empty()) out["orderSourceCode"] = line.source_order_code;
  return out;
}

}  // namespace

std::string QimenModuleImpl::next_seq() {
  std::string digits = std::to_string(++seq_);
  if (digits.size() < 8) digits.insert(0, 8 - digits.size(), '0');
  return digits;
}

std::string QimenModuleImpl::now_cst() const { return daemon::format_cst(context_.clock.now()); }

std::optional<std::string> QimenModuleImpl::ship(Wms& wms, const ShipRequest& request) {
  const auto found = wms.orders.find(request.code);
  if (found == wms.orders.end()) return "no delivery order '" + request.code + "' in WMS " + wms.shop.id;
  DeliveryOrder& order = found->second;
  if (order.all_cancelled()) return "delivery order " + request.code + " was cancelled; it does not ship";
  const Settings& settings = wms.settings;

  // Resolve what each parcel holds before changing anything: a refused ship ships nothing.
  std::vector<Parcel> parcels;
  std::map<std::size_t, std::int64_t> taking;  // line index -> pieces in this confirm
  if (request.parcels.empty()) {
    Parcel parcel;
    parcel.carrier = request.carrier.empty() ? settings.carrier : request.carrier;
    parcel.waybill = request.waybill;
    for (std::size_t i = 0; i < order.lines.size(); ++i) {
      if (order.lines[i].left() <= 0) continue;
      parcel.items.push_back({i, order.lines[i].left()});
      taking[i] = order.lines[i].left();
    }
    if (parcel.items.empty()) return "delivery order " + request.code + " has nothing left to ship";
    parcels.push_back(std::move(parcel));
  } else {
    for (std::size_t p = 0; p < request.parcels.size(); ++p) {
      const ParcelRequest& asked = request.parcels[p];
      Parcel parcel;
      parcel.carrier = asked.carrier.empty() ? settings.carrier : asked.carrier;
      parcel.waybill = asked.waybill;
      if (asked.lines.empty()) return "packages[" + std::to_string(p) + "]: no lines";
      for (const auto& [line_no, quantity] : asked.lines) {
        const auto line =
            std::find_if(order.lines.begin(), order.lines.end(), [&](const Line& l) { return l.line_no == line_no; });
        if (line == order.lines.end()) return "delivery order " + request.code + " has no line '" + line_no + "'";
        if (line->cancelled) return "line " + line_no + " of " + request.code + " was cancelled; it does not ship";
        const auto index = static_cast<std::size_t>(line - order.lines.begin());
        const std::int64_t left = line->left() - taking[index];
        const std::int64_t pieces = quantity.value_or(left);
        if (pieces <= 0) return "line " + line_no + " of " + request.code + " has nothing left to ship";
        if (pieces > left) {
          return "line " + line_no + " of " + request.code + ": " + std::to_string(pieces) + " asked, only " +
                 std::to_string(left) + " left to ship";
        }
        taking[index] += pieces;
        parcel.items.push_back({index, pieces});
      }
      parcels.push_back(std::move(parcel));
    }
  }

  const std::string out_biz_code = request.out_biz_code.empty() ? "OB" + next_seq() : request.out_biz_code;
  for (auto& parcel : parcels) {
    if (parcel.waybill.empty()) parcel.waybill = waybill_for(parcel.carrier, next_seq());
    parcel.out_biz_code = out_biz_code;
  }
  for (const auto& [index, pieces] : taking) order.lines[index].shipped += pieces;
  order.status = request.partial ? "PARTDELIVERED" : "DELIVERED";
  if (!request.partial) order.auto_ship_at.reset();
  ++order.confirms;

  Tree packages = Tree::array();
  for (const auto& parcel : parcels) {
    Tree package = {{"logisticsCode", parcel.carrier}, {"expressCode", parcel.waybill}};
    if (!request.omit_items) {
      Tree items = Tree::array();
      for (const auto& item : parcel.items) {
        items.push_back({{"itemCode", order.lines[item.line].item_code},
                         {"quantity", item.quantity},
                         {"orderLineNo", order.lines[item.line].line_no}});
      }
      package["items"] = {{"item", std::move(items)}};
    }
    packages.push_back(std::move(package));
  }
  // orderLines carries what this confirm ships: actualQty counts this confirm's pieces only
  // (increments, as the standard says of entryorder.confirm; it is silent for deliveries).
  Tree lines = Tree::array();
  for (const auto& [index, pieces] : taking) lines.push_back(order_line_json(order.lines[index], pieces));

  OutMessage message;
  message.method = kConfirm;
  message.order_code = order.code;
  message.out_biz_code = out_biz_code;
  message.status = order.status;
  message.counter = "qimen.confirm";
  message.repeat = request.repeat;
  message.retry = true;
  message.body = {{"deliveryOrder",
                   {{"deliveryOrderCode", order.code},
                    {"deliveryOrderId", order.wms_id},
                    {"warehouseCode", warehouse_of(order, settings)},
                    {"orderType", order_type_of(order)},
                    {"status", order.status},
                    {"outBizCode", out_biz_code},
                    {"confirmType", request.partial ? 1 : 0},
                    {"orderConfirmTime", now_cst()}}},
                  {"packages", {{"package", std::move(packages)}}},
                  {"orderLines", {{"orderLine", std::move(lines)}}}};
  for (auto& parcel : parcels) order.parcels.push_back(std::move(parcel));
  send(wms, message);

  // The warehouse was quicker than a cancel it had taken: that cancel has failed.
  if (order.pending_cancel) {
    const auto& pending = order.pending_cancel->lines;
    if (std::any_of(pending.begin(), pending.end(), [&](std::size_t i) { return taking.count(i) > 0; })) {
      decide_cancel(wms, order, false);
    }
  }
  return std::nullopt;
}

void QimenModuleImpl::decide_cancel(Wms& wms, DeliveryOrder& order, bool canceled) {
  if (!order.pending_cancel) return;
  const PendingCancel pending = *order.pending_cancel;
  order.pending_cancel.reset();
  if (canceled) {
    for (const std::size_t i : pending.lines) order.lines[i].cancelled = true;
    if (order.all_cancelled()) order.status = "CANCELED";
  }
  order.cancel_result = canceled ? "canceled" : "failed";
  ++order.confirms;

  const std::string out_biz_code = "OB" + next_seq();
  Tree lines = Tree::array();
  for (const std::size_t i : pending.lines) lines.push_back(order_line_json(order.lines[i], order.lines[i].shipped));
  OutMessage message;
  message.method = kConfirm;
  message.order_code = order.code;
  message.out_biz_code = out_biz_code;
  message.status = canceled ? "CANCELED" : "CANCELEDFAIL";
  message.counter = "qimen.confirm";
  message.retry = true;
  message.body = {{"deliveryOrder",
                   {{"deliveryOrderCode", order.code},
                    {"deliveryOrderId", order.wms_id},
                    {"warehouseCode", warehouse_of(order, wms.settings)},
                    {"orderType", order_type_of(order)},
                    {"status", message.status},
                    {"outBizCode", out_biz_code},
                    {"confirmType", 0},
                    {"orderConfirmTime", now_cst()}}},
                  {"orderLines", {{"orderLine", std::move(lines)}}}};
  send(wms, message);
}

std::optional<std::string> QimenModuleImpl::report_process(Wms& wms, const std::string& code, const std::string& status,
                                                           const std::string& info, int repeat) {
  const auto found = wms.orders.find(code);
  if (found == wms.orders.end()) return "no delivery order '" + code + "' in WMS " + wms.shop.id;
  const DeliveryOrder& order = found->second;
  OutMessage message;
  message.method = kProcess;
  message.order_code = code;
  message.status = status;
  message.counter = "qimen.process";
  message.repeat = repeat;
  message.body = {{"order",
                   {{"orderCode", code},
                    {"orderId", order.wms_id},
                    {"orderType", order_type_of(order)},
                    {"warehouseCode", warehouse_of(order, wms.settings)}}},
                  {"process", {{"processStatus", status}, {"operateTime", now_cst()}, {"operateInfo", info}}}};
  send(wms, message);
  return std::nullopt;
}

void QimenModuleImpl::report_stock(Wms& wms, const StockChange& change) {
  const std::string out_biz_code = change.out_biz_code.empty() ? "SC" + next_seq() : change.out_biz_code;
  OutMessage message;
  message.method = kStock;
  message.order_code = change.item_code;
  message.out_biz_code = out_biz_code;
  message.counter = "qimen.stock";
  message.repeat = change.repeat;
  Tree item = {{"ownerCode", change.owner_code.empty()
                                 ? (wms.settings.owner_code.empty() ? wms.shop.id : wms.settings.owner_code)
                                 : change.owner_code},
               {"warehouseCode", change.warehouse_code.empty() ? wms.settings.warehouse_code : change.warehouse_code},
               {"orderCode", change.order_code.empty() ? out_biz_code : change.order_code},
               {"orderType", change.order_type.empty() ? (change.quantity < 0 ? "QTCK" : "QTRK") : change.order_type},
               {"outBizCode", out_biz_code},
               {"itemCode", change.item_code},
               {"inventoryType", "ZP"},
               {"quantity", change.quantity},
               {"changeTime", now_cst()}};
  message.body = {{"items", {{"item", Tree::array({std::move(item)})}}}};
  send(wms, message);
}

void QimenModuleImpl::due_at(Instant t) {
  if (!next_due_ || t < *next_due_) next_due_ = t;
}

void QimenModuleImpl::run_due(Instant now) {
  if (!next_due_ || now < *next_due_) return;
  next_due_.reset();
  for (auto& [id, wms] : wms_) {
    for (auto& [code, order] : wms.orders) {
      // What stays in the future keeps its place in next_due_.
      const auto keep = [&] {
        if (order.auto_ship_at && *order.auto_ship_at > now) due_at(*order.auto_ship_at);
        if (order.pending_cancel && order.pending_cancel->decide_at && *order.pending_cancel->decide_at > now) {
          due_at(*order.pending_cancel->decide_at);
        }
      };
      const bool cancel_due =
          order.pending_cancel && order.pending_cancel->decide_at && *order.pending_cancel->decide_at <= now;
      const bool ship_due = order.auto_ship_at && *order.auto_ship_at <= now;
      if (!cancel_due && !ship_due) {
        keep();
        continue;
      }
      // Whichever came first on the clock happens first: a cancel decided before the auto-ship
      // stops it; an auto-ship before the decision makes the cancel fail.
      const bool cancel_first = cancel_due && (!ship_due || *order.pending_cancel->decide_at <= *order.auto_ship_at);
      auto decide = [&] {
        if (!order.pending_cancel) return;
        const auto& lines = order.pending_cancel->lines;
        const bool shipped =
            std::any_of(lines.begin(), lines.end(), [&](std::size_t i) { return order.lines[i].shipped > 0; });
        decide_cancel(wms, order, !shipped);
      };
      if (cancel_first) decide();
      if (order.auto_ship_at && *order.auto_ship_at <= now) {
        order.auto_ship_at.reset();
        ShipRequest request;
        request.code = code;
        // Nothing left (all cancelled meanwhile) just means there is nothing to ship.
        (void)ship(wms, request);
      }
      if (!cancel_first && cancel_due) decide();
      keep();
    }
  }
}

void QimenModuleImpl::send(Wms& wms, const OutMessage& message) {
  const Settings& settings = wms.settings;
  const std::string body = write_body(settings.format, message.body, "request", settings.json_style);
  Params params = {{"method", message.method},
                   {"timestamp", now_cst()},
                   {"format", format_name(settings.format)},
                   {"app_key", wms.shop.app_key},
                   {"v", "2.0"},
                   {"sign_method", sign_method_name(settings.sign_method)},
                   {"customerId", wms.shop.id}};
  params.emplace_back("sign", sign(params, body, wms.shop.app_secret, settings.sign_method));
  std::string url = wms.shop.push_url;
  char separator = url.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : params) {
    url += separator;
    url += percent_encode(name) + "=" + percent_encode(value);
    separator = '&';
  }
  for (int i = 0; i < std::max(1, message.repeat); ++i) {
    SentCall record;
    record.seq = ++call_seq_;
    record.method = message.method;
    record.order_code = message.order_code;
    record.out_biz_code = message.out_biz_code;
    record.status = message.status;
    if (wms.shop.push_url.empty()) {
      record.state = "not_sent";
      record.error = "the WMS has no push_url";
    } else {
      context_.counters.add(message.counter, wms.shop.id, message.order_code);
      OutboundCall call;
      call.wms_id = wms.shop.id;
      call.record = record.seq;
      call.url = url;
      call.content_type = content_type(settings.format);
      call.body = body;
      call.timeout = settings.timeout;
      call.retry_after = settings.retry_after;
      call.max_attempts = message.retry ? 1 + settings.confirm_retries : 1;
      sender_.enqueue(std::move(call));
    }
    wms.sent.push_back(std::move(record));
    while (wms.sent.size() > kMaxSent) wms.sent.pop_front();
  }
}

void QimenModuleImpl::record_attempt(const OutboundCall& call, const AttemptResult& result) {
  std::lock_guard lock(mutex_);
  const auto found = wms_.find(call.wms_id);
  if (found == wms_.end()) return;
  auto& sent = found->second.sent;
  const auto record = std::find_if(sent.rbegin(), sent.rend(), [&](const SentCall& c) { return c.seq == call.record; });
  if (record == sent.rend()) return;  // forgotten by a reset meanwhile
  record->attempts = result.attempt;
  record->http_status = result.http_status;
  record->history.push_back(
      {result.attempt, result.http_status, result.answer ? result.answer->flag : "", result.error});
  if (result.answer) {
    record->answer = *result.answer;
    record->error.clear();
    record->state = "answered";
  } else {
    record->error = result.error;
    record->state = result.last ? "no_answer" : "retrying";
  }
}

}  // namespace erp::sim::qimen
