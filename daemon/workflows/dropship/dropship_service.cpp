#include "workflows/dropship/dropship_service.hpp"

#include <algorithm>
#include <set>

#include "core/posted_shipment.hpp"
#include "core/time_format.hpp"

namespace erp::daemon::workflows::dropship {
namespace {

using sdk::ErrorCode;
using sdk::fail;
using store::BindingState;
using store::DropshipLine;
using store::DropshipLineState;
using store::DropshipSide;
using json = nlohmann::json;

bool live(DropshipLineState state) {
  return state == DropshipLineState::assigning || state == DropshipLineState::assigned ||
         state == DropshipLineState::shipped;
}

bool line_shipped(const sdk::OrderLine& line) {
  return line.shipped_at.has_value() || line.status == sdk::OrderStatus::shipped ||
         line.status == sdk::OrderStatus::completed;
}

/// D8: the buyer cancelled this line (refunded before it shipped, or the order closed).
bool line_cancelled(const sdk::Order& order, const sdk::OrderLine& line) {
  return order.status == sdk::OrderStatus::closed || line.status == sdk::OrderStatus::closed ||
         line.refund_status == sdk::RefundStatus::refunded;
}

const sdk::OrderLine* find_line(const sdk::Order& order, const std::string& id) {
  for (const auto& line : order.lines)
    if (line.line_id == id) return &line;
  return nullptr;
}

json line_detail(const DropshipLine& line) {
  return json{{"dropship_line", line.id},   {"line_id", line.line_id},  {"factory", line.factory},
              {"state", std::string(store::to_string(line.state))}, {"distr_order_id", line.distr_order_id}};
}

}  // namespace

std::vector<std::string> factory_line_ids(store::Store& store, const OrderKey& key) {
  std::vector<std::string> out;
  for (const auto& l : store.dropship_lines_of(key))
    if (live(l.state)) out.push_back(l.line_id);
  return out;
}

DropshipService::DropshipService(store::Store& store, holds::ReleaseGate& gate, Hooks hooks)
    : store_(store), gate_(gate), hooks_(std::move(hooks)) {}

void DropshipService::apply(Settings settings) {
  std::lock_guard lock(mutex_);
  settings_ = std::move(settings);
}

Settings DropshipService::settings() const {
  std::lock_guard lock(mutex_);
  return settings_;
}

std::optional<config::FactoryConfig> DropshipService::factory(const std::string& id) const {
  std::lock_guard lock(mutex_);
  for (const auto& f : settings_.config.factories)
    if (f.id == id) return f;
  return std::nullopt;
}

std::optional<ShopFacts> DropshipService::shop(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto it = settings_.shops.find(id);
  if (it == settings_.shops.end()) return std::nullopt;
  return it->second;
}

// --- D3, D4 -------------------------------------------------------------------------------------

sdk::Result<std::vector<AssignOutcome>> DropshipService::assign(const OrderKey& key,
                                                                const std::vector<std::string>& line_ids,
                                                                const std::string& factory_id,
                                                                const std::string& source, Instant now) {
  auto binding = binding_in_force(key.shop, factory_id);
  if (!binding) return binding.error();
  const auto f = factory(factory_id);
  auto tx = store_.begin();
  const auto stored = store_.get_order(*tx, key);
  if (!stored) return fail(ErrorCode::not_found, "order " + key.to_string() + " not found");
  const sdk::Order& order = stored->order;
  if (order.created_at < *binding->bound_at)
    return fail(ErrorCode::conflict, "order " + order.order_id + " was created before binding " +
                                         std::to_string(binding->id) + " took effect (" +
                                         format_rfc3339(*binding->bound_at) +
                                         "); it keeps the normal flow (D3)");
  if (order.status != sdk::OrderStatus::paid && order.status != sdk::OrderStatus::partially_shipped)
    return fail(ErrorCode::conflict, "order " + order.order_id + " is " + std::string(sdk::to_string(order.status)) +
                                         "; only paid lines are assigned (D4)");
  std::vector<std::string> wanted = line_ids;
  if (wanted.empty())
    for (const auto& line : order.lines) wanted.push_back(line.line_id);

  std::vector<AssignOutcome> outcomes;
  std::vector<std::string> assignable;
  for (const auto& id : wanted) {
    AssignOutcome out;
    out.line_id = id;
    const auto* line = find_line(order, id);
    auto refuse = [&](std::string code, std::string message) {
      out.refusal = std::move(code);
      out.message = std::move(message);
    };
    if (!line) {
      refuse("not_found", "order " + order.order_id + " has no line '" + id + "'");
    } else if (auto existing = store_.live_dropship_line(key, id)) {
      refuse(existing->state == DropshipLineState::shipped ? "already_shipped" : "already_assigned",
             "line " + id + " is " + std::string(store::to_string(existing->state)) + " (factory " +
                 existing->factory + ", dropship line " + std::to_string(existing->id) + ")");
    } else if (line_shipped(*line)) {
      refuse("already_shipped", "line " + id + " has shipped (D7)");
    } else if (line_cancelled(order, *line)) {
      refuse("buyer_cancelled", "line " + id + " was cancelled by the buyer (D8)");
    } else if (line->refund_status == sdk::RefundStatus::requested ||
               line->refund_status == sdk::RefundStatus::in_progress) {
      refuse("refund_pending", "line " + id + " has a refund under way");
    } else {
      assignable.push_back(id);
    }
    outcomes.push_back(std::move(out));
  }
  const auto added = assign_lines(*tx, order, *binding, *f, assignable, source, now);
  for (auto& out : outcomes) {
    for (const auto& d : added) {
      if (d.line_id != out.line_id) continue;
      out.line = d;
      out.message = "assigned to factory " + factory_id + " (D4)";
    }
  }
  settle_and_evaluate(*tx, key, now);
  tx->commit();
  if (hooks_.wake_outbox) hooks_.wake_outbox();
  return outcomes;
}

sdk::Result<store::DropshipLine> DropshipService::unassign(std::int64_t id, Instant now) {
  auto tx = store_.begin();
  auto line = store_.get_dropship_line(id);
  if (!line || line->side != DropshipSide::merchant) return fail(ErrorCode::not_found, "no dropship line " + std::to_string(id));
  if (line->state == DropshipLineState::shipped)
    return fail(ErrorCode::already_shipped, "line " + line->line_id + " shipped already; it cannot be taken back (D7)");
  if (!live(line->state)) return *line;  // taken back before: nothing changes
  const bool on_platform = !line->distr_order_id.empty();
  line->state = DropshipLineState::unassigned;
  line->rule_id = "D4";
  line->ended_at = now;
  line->updated_at = now;
  line->detail = "taken back by the merchant";
  if (on_platform) {
    store::NewOutboxItem effect;
    effect.idempotency_key = std::string(kCancelKind) + ":" + line->distr_order_id;
    effect.kind = kCancelKind;
    effect.target = line->shop;
    effect.key = OrderKey{line->platform, line->shop, line->order_id};
    effect.payload = {{"distr_order_id", line->distr_order_id}, {"dropship_line", line->id}};
    line->outbox_id = store_.enqueue(*tx, effect, now);
  }
  store_.update_dropship_line(*tx, *line);
  record(*tx, *line, "dropship.unassigned", "D4", "line " + line->line_id + " taken back from factory " + line->factory, now);
  notify_factory(*tx, *line, "unassigned", now);
  const OrderKey key{line->platform, line->shop, line->order_id};
  settle_and_evaluate(*tx, key, now);
  tx->commit();
  if (hooks_.wake_outbox) hooks_.wake_outbox();
  return *line;
}

void DropshipService::distribution_answered(std::int64_t id, const sdk::DistributeResult& result, Instant now) {
  auto tx = store_.begin();
  auto line = store_.get_dropship_line(id);
  if (!line || line->state != DropshipLineState::assigning) return;
  line->updated_at = now;
  if (result.refusal == sdk::DropshipRefusal::none) {
    line->state = DropshipLineState::assigned;
    line->distr_order_id = result.distr_order_id;
    line->detail = "assigned on Douyin as dropship order " + result.distr_order_id;
    record(*tx, *line, "dropship.distributed", "D4", line->detail, now);
  } else if (result.refusal == sdk::DropshipRefusal::already_assigned) {
    // An earlier attempt whose answer was lost went through: the platform has it.
    line->state = DropshipLineState::assigned;
    line->detail = "assigned on Douyin by an earlier attempt (" + result.detail + ")";
    record(*tx, *line, "dropship.distributed", "D4", line->detail, now);
  } else {
    line->state = DropshipLineState::refused;
    line->ended_at = now;
    line->detail = "Douyin refused the assignment: " + std::string(result.detail.empty() ? "no reason given" : result.detail);
    const std::string rule = result.refusal == sdk::DropshipRefusal::before_binding ? "D3"
                             : result.refusal == sdk::DropshipRefusal::not_bound   ? "D2"
                                                                                    : "D4";
    line->rule_id = rule;
    record(*tx, *line, "dropship.refused", rule, line->detail, now);
  }
  store_.update_dropship_line(*tx, *line);
  const OrderKey key{line->platform, line->shop, line->order_id};
  settle_and_evaluate(*tx, key, now);
  tx->commit();
}

// --- D5-D8 --------------------------------------------------------------------------------------

sdk::Result<store::DropshipLine> DropshipService::factory_ship(std::int64_t id, const std::string& factory_id,
                                                               const std::string& carrier, const std::string& waybill,
                                                               Instant now) {
  const auto f = factory(factory_id);
  if (!f) return fail(ErrorCode::not_found, "no factory '" + factory_id + "'");
  auto tx = store_.begin();
  auto line = store_.get_dropship_line(id);
  // A token sees its own lines only: another factory's line is "not found", never "forbidden".
  const DropshipSide side = f->shop.empty() ? DropshipSide::merchant : DropshipSide::factory;
  if (!line || line->factory != factory_id || line->side != side)
    return fail(ErrorCode::not_found, "no dropship line " + std::to_string(id) + " of factory " + factory_id);
  if (line->state == DropshipLineState::shipped) {
    if (line->shipped_by == "factory" && line->waybill == waybill && line->carrier == carrier) return *line;  // a retry
    return fail(ErrorCode::already_shipped, "line " + std::to_string(id) + " was shipped already by the " +
                                                line->shipped_by + " (waybill " + line->waybill + "); nothing "
                                                "ships twice (D7)");
  }
  if (line->buyer_cancelled)
    return fail(ErrorCode::conflict, "buyer_cancelled: the buyer cancelled line " + std::to_string(id) +
                                         "; it must not ship (D8)");
  if (line->state != DropshipLineState::assigned)
    return fail(ErrorCode::conflict, "not_assigned: line " + std::to_string(id) + " is " +
                                         std::string(store::to_string(line->state)));
  store::NewOutboxItem effect;
  if (line->side == DropshipSide::merchant) {
    const OrderKey key{line->platform, line->shop, line->order_id};
    const auto stored = store_.get_order(*tx, key);
    if (!stored) return fail(ErrorCode::not_found, "order " + key.to_string() + " is not stored");
    const auto* platform_line = find_line(stored->order, line->line_id);
    if (!platform_line || line_cancelled(stored->order, *platform_line)) {
      buyer_cancelled(*tx, *line, "the platform shows the line cancelled", now);
      tx->commit();
      return fail(ErrorCode::conflict, "buyer_cancelled: the buyer cancelled line " + std::to_string(id) +
                                           "; it must not ship (D8)");
    }
    shipping::PostedShipment shipment;
    shipment.shipment_id = "dropship-" + std::to_string(line->id);
    shipment.packages.push_back(sdk::Package{waybill, carrier, {line->line_id}});
    effect.idempotency_key = shipping::shipment_key(key, shipment.shipment_id);
    effect.kind = shipping::kPlatformShipKind;
    effect.target = line->shop;
    effect.key = key;
    effect.payload = shipping::to_json(shipment);
  } else {
    // Per attempt (the previous item's id): a waybill the platform refused does not swallow the next one.
    effect.idempotency_key = std::string(kWaybillReturnKind) + ":" + line->shop + "/" + line->distr_order_id + "#" +
                             std::to_string(line->outbox_id.value_or(0));
    effect.kind = kWaybillReturnKind;
    effect.target = line->shop;
    effect.payload = {{"distr_order_id", line->distr_order_id},
                      {"merchant_shop_id", line->merchant_shop_id},
                      {"carrier", carrier},
                      {"waybill", waybill},
                      {"dropship_line", line->id}};
  }
  line->state = DropshipLineState::shipped;
  line->shipped_by = "factory";
  line->shipped_at = now;
  line->waybill = waybill;
  line->carrier = carrier;
  line->rule_id = "D5";
  line->updated_at = now;
  line->detail = "shipped by the factory; the waybill goes to the platform";
  line->outbox_id = store_.enqueue(*tx, effect, now);
  store_.update_dropship_line(*tx, *line);
  record(*tx, *line, "dropship.shipped", "D5",
         "factory " + factory_id + " shipped line " + line->line_id + ": " + carrier + " " + waybill, now);
  tx->commit();
  if (hooks_.wake_outbox) hooks_.wake_outbox();
  return *line;
}

void DropshipService::waybill_returned(std::int64_t id, const sdk::DropshipShipReceipt& receipt, Instant now) {
  if (receipt.refusal == sdk::DropshipRefusal::none) return;
  auto tx = store_.begin();
  auto line = store_.get_dropship_line(id);
  if (!line) return;
  line->updated_at = now;
  if (receipt.refusal == sdk::DropshipRefusal::already_shipped) {
    line->detail = "Douyin says it shipped already (D7): " + receipt.detail;
  } else if (receipt.refusal == sdk::DropshipRefusal::buyer_cancelled) {
    // The cancel reached the platform before our listing did: the shipment did not happen.
    line->state = DropshipLineState::assigned;
    line->shipped_at.reset();
    line->shipped_by.clear();
    line->buyer_cancelled = true;
    line->rule_id = "D8";
    line->detail = "Douyin refused the shipment: the buyer cancelled (D8)";
  } else {
    line->state = DropshipLineState::assigned;
    line->shipped_at.reset();
    line->shipped_by.clear();
    line->detail = "Douyin refused the shipment: " + receipt.detail;
  }
  store_.update_dropship_line(*tx, *line);
  tx->commit();
}

sdk::Result<void> DropshipService::settle_merchant_shipment(store::Tx& tx, const OrderKey& key,
                                                            const std::vector<std::string>& line_ids, Instant now) {
  const auto lines = store_.dropship_lines_of(key);
  bool any_live = false;
  for (const auto& l : lines) any_live = any_live || live(l.state);
  if (!any_live) return {};
  if (line_ids.empty()) {
    return fail(ErrorCode::conflict, "order " + key.order_id +
                                         " has lines assigned to factories, which ship on their own (D6): post the "
                                         "lines the warehouse ships");
  }
  for (const auto& id : line_ids) {
    for (const auto& l : lines) {
      if (l.line_id != id || !live(l.state)) continue;
      if (l.state == DropshipLineState::shipped)
        return fail(ErrorCode::conflict, "already_shipped: line " + id + " was shipped already by the " + l.shipped_by +
                                             " (waybill " + l.waybill + "); nothing ships twice (D7)");
    }
  }
  for (const auto& id : line_ids) {
    for (auto l : lines) {
      if (l.line_id != id || !live(l.state)) continue;
      l.state = DropshipLineState::shipped;
      l.shipped_by = "merchant";
      l.shipped_at = now;
      l.rule_id = "D7";
      l.updated_at = now;
      l.detail = "shipped by the merchant's warehouse; the factory must not ship it";
      store_.update_dropship_line(tx, l);
      record(tx, l, "dropship.shipped", "D7", "the merchant shipped line " + id + " itself; factory " + l.factory +
                                                  " may no longer ship it", now);
      notify_factory(tx, l, "shipped_by_merchant", now);
    }
  }
  return {};
}

// --- pipeline and reconciliation ----------------------------------------------------------------

void DropshipService::on_order_changed(store::Tx& tx, const store::StoredOrder& stored, Instant now) {
  {
    std::lock_guard lock(mutex_);
    if (settings_.config.factories.empty()) return;  // no dropship configured: nothing to look at
  }
  const sdk::Order& order = stored.order;
  const OrderKey key{order.platform, order.shop, order.order_id};
  for (auto& line : store_.dropship_lines_of(key)) {
    if (!live(line.state) || line.state == DropshipLineState::shipped) continue;
    const auto* platform_line = find_line(order, line.line_id);
    if (platform_line && line_shipped(*platform_line)) {
      line_shipped_on_platform(tx, line, *platform_line, now);
    } else if (!line.buyer_cancelled && (!platform_line || line_cancelled(order, *platform_line))) {
      buyer_cancelled(tx, line, "the platform shows the line cancelled or refunded", now);
    }
  }
  if (!stored.released) apply_rules(tx, stored, now);
  settle_hold(tx, key, now);
}

void DropshipService::line_shipped_on_platform(store::Tx& tx, DropshipLine line, const sdk::OrderLine& platform_line,
                                               Instant now) {
  line.state = DropshipLineState::shipped;
  line.shipped_by = "platform";
  line.shipped_at = platform_line.shipped_at.value_or(now);
  line.waybill = platform_line.waybill;
  line.carrier = platform_line.carrier;
  line.rule_id = "D7";
  line.updated_at = now;
  line.detail = "the platform shows it shipped";
  store_.update_dropship_line(tx, line);
  record(tx, line, "dropship.shipped", "D7", "the platform shows line " + line.line_id + " shipped", now);
}

void DropshipService::buyer_cancelled(store::Tx& tx, DropshipLine line, const std::string& why, Instant now) {
  line.buyer_cancelled = true;
  line.cancel_reason = why;
  line.rule_id = "D8";
  line.updated_at = now;
  line.detail = "the buyer cancelled; it stays assigned but must not ship (D8)";
  store_.update_dropship_line(tx, line);
  record(tx, line, "dropship.buyer_cancelled", "D8",
         "the buyer cancelled line " + line.line_id + "; factory " + line.factory + " is told not to ship it", now);
  notify_factory(tx, line, "buyer_cancelled", now);
  if (hooks_.wake_outbox) hooks_.wake_outbox();
}

void DropshipService::apply_rules(store::Tx& tx, const store::StoredOrder& stored, Instant now) {
  const auto current = settings();
  if (current.config.rules.empty()) return;
  const sdk::Order& order = stored.order;
  if (order.status != sdk::OrderStatus::paid && order.status != sdk::OrderStatus::partially_shipped) return;
  const auto facts = current.shops.find(order.shop);
  if (facts == current.shops.end() || facts->second.role != config::DropshipRole::merchant) return;
  const OrderKey key{order.platform, order.shop, order.order_id};
  // The first matching rule per line, grouped by factory: one assignment per factory.
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> by_factory;  // (factory, rule) -> lines
  for (const auto& line : order.lines) {
    if (line_shipped(line) || line_cancelled(order, line) || line.refund_status != sdk::RefundStatus::none) continue;
    for (const auto& rule : current.config.rules) {
      if (!rule.shops.empty() && std::find(rule.shops.begin(), rule.shops.end(), order.shop) == rule.shops.end())
        continue;
      const bool matches = std::find(rule.skus.begin(), rule.skus.end(), line.sku) != rule.skus.end() ||
                           (!line.outer_sku.empty() &&
                            std::find(rule.skus.begin(), rule.skus.end(), line.outer_sku) != rule.skus.end());
      if (!matches) continue;
      by_factory[{rule.factory, rule.name}].push_back(line.line_id);
      break;
    }
  }
  for (const auto& [target, lines] : by_factory) {
    const auto& [factory_id, rule_name] = target;
    const auto binding = store_.open_binding(order.platform, order.shop, factory_id);
    // D2/D3: no binding in force, or the order predates it: the order keeps the normal flow.
    if (!binding || binding->state != BindingState::bound || !binding->bound_at || order.created_at < *binding->bound_at)
      continue;
    const auto f = factory(factory_id);
    if (!f) continue;
    // A rule assigns a line once: one the merchant took back (or the platform refused) stays theirs.
    const auto history = store_.dropship_lines_of(key);
    std::vector<std::string> free_lines;
    for (const auto& id : lines)
      if (std::none_of(history.begin(), history.end(), [&](const DropshipLine& d) { return d.line_id == id; }))
        free_lines.push_back(id);
    assign_lines(tx, order, *binding, *f, free_lines, "rule:" + rule_name, now);
  }
}

void DropshipService::reconcile_factory_item(const std::string& shop_id, const sdk::DropshipOrder& item, Instant now) {
  const auto current = settings();
  const auto facts = current.shops.find(shop_id);
  if (facts == current.shops.end()) return;
  const auto f = std::find_if(current.config.factories.begin(), current.config.factories.end(),
                              [&](const config::FactoryConfig& c) { return c.shop == shop_id; });
  if (f == current.config.factories.end()) return;  // no factory of ours ships for this shop
  auto tx = store_.begin();
  auto existing = store_.dropship_line_by_distr(DropshipSide::factory, facts->second.platform, shop_id,
                                                item.distr_order_id);
  DropshipLine line = existing.value_or(DropshipLine{});
  const bool is_new = !existing;
  const bool was_cancelled = line.buyer_cancelled;
  if (is_new) {
    line.side = DropshipSide::factory;
    line.platform = facts->second.platform;
    line.shop = shop_id;
    line.factory = f->id;
    line.distr_order_id = item.distr_order_id;
    line.source = "platform";
    line.rule_id = "D5";
    line.assigned_at = now;
  }
  if (item.status == sdk::DropshipStatus::unassigned && line.state != DropshipLineState::unassigned &&
      line.state != DropshipLineState::shipped) {
    line.state = DropshipLineState::unassigned;
    line.ended_at = now;
    line.detail = "the merchant took it back on the platform";
  } else if (item.status == sdk::DropshipStatus::shipped && line.state != DropshipLineState::shipped) {
    line.state = DropshipLineState::shipped;
    line.shipped_by = "platform";
    line.shipped_at = item.modified_at;
    line.waybill = item.waybill;
    line.carrier = item.carrier;
    line.detail = "the platform shows it shipped (D7)";
  } else if (is_new) {
    line.state = item.status == sdk::DropshipStatus::to_ship ? DropshipLineState::assigned
                                                             : DropshipLineState::unassigned;
    line.detail = "assigned to this factory shop on the platform (D5)";
  }
  if (!item.order_id.empty()) line.order_id = item.order_id;
  if (!item.line_id.empty()) line.line_id = item.line_id;
  line.merchant_shop_id = item.merchant_shop_id;
  line.sku = item.sku;
  line.outer_sku = item.outer_sku;
  line.title = item.title;
  line.quantity = item.quantity;
  if (!item.receiver.ciphertext.empty()) line.receiver_cipher = item.receiver.ciphertext;
  line.province = item.receiver.province;
  line.city = item.receiver.city;
  line.district = item.receiver.district;
  // A cancellation is never undone: an older listing arriving late must not clear it (D8, D11).
  line.buyer_cancelled = was_cancelled || item.buyer_cancelled;
  if (!item.cancel_reason.empty()) line.cancel_reason = item.cancel_reason;
  line.updated_at = now;
  if (item.buyer_cancelled && !was_cancelled) {
    line.rule_id = "D8";
    line.detail = "the buyer cancelled; it stays assigned but must not ship (D8)";
  }
  if (is_new) {
    line.id = store_.add_dropship_line(*tx, line);
    notify_factory(*tx, line, "assigned", now);
  } else {
    store_.update_dropship_line(*tx, line);
  }
  if (item.buyer_cancelled && !was_cancelled) notify_factory(*tx, line, "buyer_cancelled", now);
  tx->commit();
  if (hooks_.wake_outbox) hooks_.wake_outbox();
}

// --- helpers ------------------------------------------------------------------------------------

std::vector<DropshipLine> DropshipService::assign_lines(store::Tx& tx, const sdk::Order& order,
                                                        const store::DropshipBinding& binding,
                                                        const config::FactoryConfig& f,
                                                        const std::vector<std::string>& line_ids,
                                                        const std::string& source, Instant now) {
  const OrderKey key{order.platform, order.shop, order.order_id};
  const auto facts = shop(order.shop);
  // Through the platform's own channel when the shop has one and the factory is on it (Douyin).
  const bool via_platform = facts && facts->channel && !f.douyin_shop_id.empty();
  std::vector<DropshipLine> added;
  json items = json::array();
  for (const auto& id : line_ids) {
    const auto* line = find_line(order, id);
    if (!line) continue;
    DropshipLine d;
    d.side = DropshipSide::merchant;
    d.platform = key.platform;
    d.shop = key.shop;
    d.order_id = key.order_id;
    d.line_id = id;
    d.factory = f.id;
    d.binding_id = binding.id;
    d.state = via_platform ? DropshipLineState::assigning : DropshipLineState::assigned;
    d.rule_id = "D4";
    d.source = source;
    d.quantity = line->quantity;
    d.sku = line->sku;
    d.outer_sku = line->outer_sku;
    d.title = line->title;
    d.assigned_at = now;
    d.updated_at = now;
    d.detail = via_platform ? "assigned; on its way to Douyin (iop.sellerDistribute)" : "assigned to the factory";
    d.id = store_.add_dropship_line(tx, d);
    record(tx, d, "dropship.assigned", "D4", "line " + id + " assigned to factory " + f.id + " (" + source + ")", now);
    if (via_platform) {
      items.push_back({{"order_id", order.order_id}, {"line_id", id}, {"dropship_line", d.id}});
    } else {
      notify_factory(tx, d, "assigned", now);
    }
    added.push_back(std::move(d));
  }
  if (!items.empty()) {
    std::string ids;
    for (const auto& d : added) ids += (ids.empty() ? "" : ",") + std::to_string(d.id);
    store::NewOutboxItem effect;
    effect.idempotency_key = std::string(kDistributeKind) + ":" + key.to_string() + "#" + ids;
    effect.kind = kDistributeKind;
    effect.target = key.shop;
    effect.key = key;
    effect.payload = {{"factory_shop_id", f.douyin_shop_id}, {"items", items}};
    const auto outbox_id = store_.enqueue(tx, effect, now);
    for (auto& d : added) {
      d.outbox_id = outbox_id;
      store_.update_dropship_line(tx, d);
    }
  }
  if (!added.empty() && hooks_.wake_outbox) hooks_.wake_outbox();
  return added;
}

void DropshipService::settle_hold(store::Tx& tx, const OrderKey& key, Instant now) {
  const auto stored = store_.get_order(tx, key);
  if (!stored) return;
  const sdk::Order& order = stored->order;
  std::set<std::string> factory_lines;
  bool factory_unshipped = false;
  for (const auto& l : store_.dropship_lines_of(key)) {
    if (!live(l.state)) continue;
    factory_lines.insert(l.line_id);
    factory_unshipped = factory_unshipped || l.state != DropshipLineState::shipped;
  }
  bool merchant_work = false;
  for (const auto& line : order.lines)
    if (!factory_lines.count(line.line_id) && !line_shipped(line) && !line_cancelled(order, line)) merchant_work = true;
  const bool shippable = order.status == sdk::OrderStatus::paid || order.status == sdk::OrderStatus::partially_shipped;
  const bool hold_wanted = shippable && !stored->released && factory_unshipped && !merchant_work;
  std::optional<store::Hold> held;
  for (const auto& h : stored->holds)
    if (h.reason_code == kHold) held = h;
  if (hold_wanted && !held) {
    store::NewHold hold;
    hold.reason_code = kHold;
    hold.owner = kOwner;
    hold.rule_id = "D4";
    hold.note = "every line left to ship is assigned to a factory: the merchant's warehouse has nothing to ship";
    store_.add_hold(tx, key, hold, now);
  } else if (!hold_wanted && held) {
    store_.release_hold(tx, held->id, kOwner,
                        merchant_work ? "lines are left for the merchant's warehouse (D4)"
                                      : "no factory line is left to ship (D4)",
                        now);
  }
}

void DropshipService::settle_and_evaluate(store::Tx& tx, const OrderKey& key, Instant now) {
  settle_hold(tx, key, now);
  gate_.evaluate(tx, key, now);
}

void DropshipService::notify_factory(store::Tx& tx, const DropshipLine& line, const std::string& event, Instant now) {
  const auto f = factory(line.factory);
  if (!f || f->notify_url.empty()) return;  // the factory polls its lines
  store::NewOutboxItem effect;
  effect.idempotency_key = std::string(kNotifyKind) + ":" + line.factory + "/" + std::to_string(line.id) + "#" + event;
  effect.kind = kNotifyKind;
  effect.target = "factory:" + line.factory;
  effect.payload = {{"event", event},
                    {"factory", line.factory},
                    {"line", line.id},
                    {"order_id", line.order_id},
                    {"line_id", line.line_id},
                    {"distr_order_id", line.distr_order_id},
                    {"buyer_cancelled", line.buyer_cancelled},
                    {"at", format_rfc3339(now)}};
  store_.enqueue(tx, effect, now);
}

void DropshipService::record(store::Tx& tx, const DropshipLine& line, const std::string& kind, const std::string& rule,
                             const std::string& reason, Instant now) {
  // Factory-side lines belong to orders of other shops the daemon does not store: no order log.
  if (line.side != DropshipSide::merchant) return;
  store::NewEvent event;
  event.kind = kind;
  event.rule_id = rule;
  event.actor = kOwner;
  event.reason = reason;
  event.detail = line_detail(line);
  store_.append_event(tx, OrderKey{line.platform, line.shop, line.order_id}, event, now);
}

}  // namespace erp::daemon::workflows::dropship
