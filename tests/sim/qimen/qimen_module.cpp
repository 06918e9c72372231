// The Qimen module's shell: the factory, WMS registration, the clock hook, reset, and the
// GET /admin/state rendering through which tests see everything the WMS knows and was told.

#include "qimen/qimen_module.hpp"

#include "core/time_format.hpp"
#include "qimen/qimen_impl.hpp"

namespace erp::sim {

std::unique_ptr<PlatformModule> make_qimen_module(Context& context) {
  return std::make_unique<qimen::QimenModuleImpl>(context);
}

}  // namespace erp::sim

namespace erp::sim::qimen {
namespace {

using nlohmann::json;

json plain(const Tree& tree) { return json::parse(tree.dump(-1, ' ', false, Tree::error_handler_t::replace)); }

json settings_json(const Settings& s) {
  return {{"format", format_name(s.format)},
          {"json_style", s.json_style == JsonStyle::typed ? "typed" : "mechanical"},
          {"sign_method", sign_method_name(s.sign_method)},
          {"cancel_mode", s.async_cancel ? "async" : "sync"},
          {"cancel_after", s.cancel_after ? daemon::format_duration(*s.cancel_after) : "never"},
          {"auto_ship", s.auto_ship},
          {"auto_ship_after", daemon::format_duration(s.auto_ship_after)},
          {"carrier", s.carrier},
          {"warehouse_code", s.warehouse_code},
          {"owner_code", s.owner_code},
          {"timeout", daemon::format_duration(s.timeout)},
          {"retry_after", daemon::format_duration(s.retry_after)},
          {"confirm_retries", s.confirm_retries}};
}

json order_json(const DeliveryOrder& o) {
  json lines = json::array();
  json cancelled = json::array();
  for (const auto& l : o.lines) {
    lines.push_back({{"orderLineNo", l.line_no},
                     {"sourceOrderCode", l.source_order_code},
                     {"subSourceOrderCode", l.sub_source_order_code},
                     {"itemCode", l.item_code},
                     {"itemName", l.item_name},
                     {"ownerCode", l.owner_code},
                     {"planQty", l.plan_qty},
                     {"actualPrice", l.actual_price},
                     {"retailPrice", l.retail_price},
                     {"extendProps", plain(l.extend_props)},
                     {"remark", l.remark},
                     {"shipped_qty", l.shipped},
                     {"cancelled", l.cancelled}});
    if (l.cancelled) cancelled.push_back(l.line_no);
  }
  json parcels = json::array();
  for (const auto& p : o.parcels) {
    json items = json::array();
    for (const auto& i : p.items) items.push_back({{"orderLineNo", o.lines[i.line].line_no}, {"quantity", i.quantity}});
    parcels.push_back(
        {{"carrier", p.carrier}, {"waybill", p.waybill}, {"out_biz_code", p.out_biz_code}, {"items", items}});
  }
  json cancel = nullptr;
  if (o.pending_cancel) {
    json which = json::array();
    for (const std::size_t i : o.pending_cancel->lines) which.push_back(o.lines[i].line_no);
    cancel = {{"state", "pending"},
              {"lines", which},
              {"requested", daemon::format_cst(o.pending_cancel->requested)},
              {"decide_at",
               o.pending_cancel->decide_at ? json(daemon::format_cst(*o.pending_cancel->decide_at)) : json(nullptr)}};
  } else if (!o.cancel_result.empty()) {
    cancel = {{"state", o.cancel_result}};
  }
  return {{"code", o.code},
          {"wms_id", o.wms_id},
          {"status", o.status},
          {"order_type", o.order_type},
          {"warehouse_code", o.warehouse_code},
          {"source_platform_code", o.source_platform_code},
          {"logistics_code", o.logistics_code},
          {"shop_nick", o.shop_nick},
          {"created", daemon::format_cst(o.created)},
          {"create_calls", o.create_calls},
          {"cancel_calls", o.cancel_calls},
          {"confirms", o.confirms},
          {"lines", lines},
          {"cancelled_lines", cancelled},
          {"cancel", cancel},
          {"parcels", parcels},
          {"auto_ship_at", o.auto_ship_at ? json(daemon::format_cst(*o.auto_ship_at)) : json(nullptr)},
          {"delivery_order", plain(o.request)}};
}

json sent_json(const SentCall& c) {
  json history = json::array();
  for (const auto& a : c.history) {
    history.push_back({{"attempt", a.attempt}, {"http_status", a.http_status}, {"flag", a.flag}, {"error", a.error}});
  }
  return {
      {"seq", c.seq},          {"method", c.method},    {"order_code", c.order_code},  {"outBizCode", c.out_biz_code},
      {"status", c.status},    {"state", c.state},      {"attempts", c.attempts},      {"http_status", c.http_status},
      {"flag", c.answer.flag}, {"code", c.answer.code}, {"message", c.answer.message}, {"error", c.error},
      {"history", history}};
}

}  // namespace

QimenModuleImpl::QimenModuleImpl(Context& context)
    : context_(context),
      sender_([this](const OutboundCall& call, const AttemptResult& result) { record_attempt(call, result); }) {}

QimenModuleImpl::~QimenModuleImpl() = default;

void QimenModuleImpl::add_shop(const Shop& shop) {
  std::lock_guard lock(mutex_);
  // Registering a WMS again (a scenario replacing it) changes its credentials and push_url only:
  // its orders and settings stay, as Douyin shops keep theirs.
  auto found = wms_.find(shop.id);
  if (found == wms_.end()) {
    Wms wms;
    wms.shop = shop;
    wms_.emplace(shop.id, std::move(wms));
  } else {
    found->second.shop = shop;
  }
}

void QimenModuleImpl::on_clock(Instant now) {
  std::lock_guard lock(mutex_);
  run_due(now);
}

void QimenModuleImpl::generate(const Shop&, int, std::mt19937&) {
  // A WMS has no orders of its own: the ERP creates them.
}

bool QimenModuleImpl::wait_sent(std::chrono::milliseconds timeout) { return sender_.wait_idle(timeout); }

nlohmann::json QimenModuleImpl::state() const {
  std::lock_guard lock(mutex_);
  json all = json::object();
  std::size_t orders = 0;
  std::size_t sent = 0;
  for (const auto& [id, wms] : wms_) {
    json delivery_orders = json::object();
    for (const auto& [code, order] : wms.orders) delivery_orders[code] = order_json(order);
    json calls = json::array();
    for (const auto& c : wms.sent) calls.push_back(sent_json(c));
    json received = json::array();
    for (const auto& r : wms.received) {
      received.push_back({{"method", r.method},
                          {"order_code", r.order_code},
                          {"flag", r.flag},
                          {"code", r.code},
                          {"message", r.message},
                          {"fault", r.fault}});
    }
    all[id] = {{"customer_id", id},
               {"app_key", wms.shop.app_key},
               {"push_url", wms.shop.push_url},
               {"settings", settings_json(wms.settings)},
               {"delivery_orders", delivery_orders},
               {"calls", calls},
               {"received", received}};
    orders += wms.orders.size();
    sent += wms.sent.size();
  }
  return {{"wms", all}, {"delivery_orders", orders}, {"calls", sent}, {"queued", sender_.queued()}};
}

void QimenModuleImpl::reset() {
  std::lock_guard lock(mutex_);
  sender_.clear();
  next_due_.reset();
  // Settings came from events, which a reset forgets; credentials come back through add_shop.
  wms_.clear();
}

}  // namespace erp::sim::qimen
