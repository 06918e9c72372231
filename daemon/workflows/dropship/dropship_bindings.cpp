// The dropship hub's identities and bindings (rules D1, D2): who is a merchant or a factory, and
// which factory a merchant's shop may hand lines to. The rest of DropshipService is in
// dropship_service.cpp.

#include <algorithm>
#include <set>

#include "workflows/dropship/dropship_service.hpp"

namespace erp::daemon::workflows::dropship {
namespace {

using sdk::ErrorCode;
using sdk::fail;
using store::BindingState;
using store::DropshipLineState;
using store::DropshipSide;

std::string role_name(config::DropshipRole role) {
  return role == config::DropshipRole::factory ? "factory" : "merchant";
}

}  // namespace

// --- D1 -----------------------------------------------------------------------------------------

std::vector<std::string> DropshipService::settle_roles(Instant now) {
  std::vector<std::string> conflicts;
  const auto current = settings();
  auto tx = store_.begin();
  for (const auto& [id, facts] : current.shops) {
    const std::string wanted = role_name(facts.role);
    const auto stored = store_.dropship_role(facts.platform, id);
    if (stored == wanted) continue;
    if (stored && store_.has_any_binding(facts.platform, id)) {
      conflicts.push_back("shop " + id + " is a dropship " + *stored + " with bindings; its dropship.role cannot become " +
                          wanted + " (rule D1: the identity is fixed once a binding was requested or received)");
      continue;
    }
    store_.set_dropship_role(*tx, facts.platform, id, wanted, now);
  }
  tx->commit();
  return conflicts;
}

// --- D2 -----------------------------------------------------------------------------------------

sdk::Result<store::DropshipBinding> DropshipService::request_binding(const std::string& shop_id,
                                                                     const std::string& factory_id, Instant now) {
  const auto facts = shop(shop_id);
  if (!facts) return fail(ErrorCode::not_found, "no shop '" + shop_id + "' in the config");
  const auto f = factory(factory_id);
  if (!f) return fail(ErrorCode::not_found, "no factory '" + factory_id + "' under workflows.dropship.factories");
  if (facts->role != config::DropshipRole::merchant)
    return fail(ErrorCode::conflict, "shop " + shop_id + " is a dropship factory; only a merchant binds factories (D1)");
  auto tx = store_.begin();
  if (auto open = store_.open_binding(facts->platform, shop_id, factory_id))
    return fail(ErrorCode::conflict, "shop " + shop_id + " already has binding " + std::to_string(open->id) +
                                         " with factory " + factory_id + " (" +
                                         std::string(store::to_string(open->state)) + ")");
  store::DropshipBinding b;
  b.platform = facts->platform;
  b.shop = shop_id;
  b.factory = factory_id;
  b.state = BindingState::requested;
  b.requested_at = now;
  const bool on_platform = facts->channel && !f->douyin_shop_id.empty();
  b.detail = on_platform ? "requested; the factory confirms on Douyin, and the daemon sees the binding at its next "
                           "reconciliation (D2, D11)"
                         : "requested; the factory confirms it through the factory API (D2)";
  b.id = store_.add_binding(*tx, b);
  tx->commit();
  return b;
}

sdk::Result<store::DropshipBinding> DropshipService::confirm_binding(std::int64_t id, const std::string& factory_id,
                                                                     Instant now) {
  auto tx = store_.begin();
  auto b = store_.get_binding(id);
  if (!b || b->factory != factory_id) return fail(ErrorCode::not_found, "no binding " + std::to_string(id) + " of yours");
  if (b->state == BindingState::bound) return *b;  // confirming twice changes nothing
  if (b->state != BindingState::requested)
    return fail(ErrorCode::conflict, "binding " + std::to_string(id) + " was ended; the merchant must ask again");
  const auto facts = shop(b->shop);
  const auto f = factory(factory_id);
  if (facts && f && facts->channel && !f->douyin_shop_id.empty())
    return fail(ErrorCode::conflict, "binding " + std::to_string(id) +
                                         " is a Douyin binding: confirm it on Douyin (the daemon reads it from there)");
  b->state = BindingState::bound;
  b->bound_at = now;
  b->detail = "confirmed by the factory; orders created from now on may be assigned (D2, D3)";
  store_.update_binding(*tx, *b);
  tx->commit();
  return *b;
}

sdk::Result<store::DropshipBinding> DropshipService::end_binding(std::int64_t id, const std::string& by,
                                                                 const std::string& factory_id, Instant now) {
  auto tx = store_.begin();
  auto b = store_.get_binding(id);
  if (!b || (!factory_id.empty() && b->factory != factory_id))
    return fail(ErrorCode::not_found, "no binding " + std::to_string(id) + (factory_id.empty() ? "" : " of yours"));
  if (b->state == BindingState::unbound) return *b;
  b->state = BindingState::unbound;
  b->ended_at = now;
  b->ended_by = by;
  b->detail = "unbound by the " + by + " (D2)";
  store_.update_binding(*tx, *b);
  // Lines not shipped yet go back to the merchant: nobody else may ship them now.
  store::DropshipLineFilter filter;
  filter.side = DropshipSide::merchant;
  filter.factory = b->factory;
  filter.platform = b->platform;
  filter.shop = b->shop;
  filter.states = {DropshipLineState::assigning, DropshipLineState::assigned};
  filter.limit = 1000;
  std::set<OrderKey> touched;
  for (auto line : store_.list_dropship_lines(filter)) {
    if (line.binding_id != b->id) continue;
    line.state = DropshipLineState::unassigned;
    line.rule_id = "D2";
    line.ended_at = now;
    line.updated_at = now;
    line.detail = "the binding ended before it shipped; the merchant ships it";
    store_.update_dropship_line(*tx, line);
    record(*tx, line, "dropship.unassigned", "D2", line.detail, now);
    notify_factory(*tx, line, "unassigned", now);
    touched.insert(OrderKey{line.platform, line.shop, line.order_id});
  }
  for (const auto& key : touched) settle_and_evaluate(*tx, key, now);
  tx->commit();
  return *b;
}

void DropshipService::reconcile_platform_bindings(const std::string& shop_id,
                                                  const std::vector<sdk::FactoryBinding>& bound, Instant now) {
  const auto current = settings();
  const auto facts = shop(shop_id);
  if (!facts) return;
  std::vector<std::int64_t> ended;
  auto tx = store_.begin();
  for (const auto& f : current.config.factories) {
    if (f.douyin_shop_id.empty()) continue;
    const auto seen = std::find_if(bound.begin(), bound.end(),
                                   [&](const sdk::FactoryBinding& b) { return b.factory_shop_id == f.douyin_shop_id; });
    auto open = store_.open_binding(facts->platform, shop_id, f.id);
    if (seen != bound.end()) {
      if (open && open->state == BindingState::bound) continue;
      if (open) {
        open->state = BindingState::bound;
        open->bound_at = seen->bound_at;
        open->detail = "bound on Douyin (D2), seen by reconciliation (D11)";
        store_.update_binding(*tx, *open);
      } else {
        store::DropshipBinding b;
        b.platform = facts->platform;
        b.shop = shop_id;
        b.factory = f.id;
        b.state = BindingState::bound;
        b.requested_at = seen->bound_at;
        b.bound_at = seen->bound_at;
        b.detail = "bound on Douyin (D2), seen by reconciliation (D11)";
        store_.add_binding(*tx, b);
      }
    } else if (open && open->state == BindingState::bound) {
      ended.push_back(open->id);  // the platform no longer lists it: unbound there, by either side
    }
  }
  tx->commit();
  for (const auto id : ended) {
    if (auto unbound = end_binding(id, "platform", "", now); !unbound) continue;  // gone meanwhile: nothing to end
  }
}

sdk::Result<store::DropshipBinding> DropshipService::binding_in_force(const std::string& shop_id,
                                                                      const std::string& factory_id) {
  const auto facts = shop(shop_id);
  if (!facts) return fail(ErrorCode::not_found, "no shop '" + shop_id + "' in the config");
  if (!factory(factory_id)) return fail(ErrorCode::not_found, "no factory '" + factory_id + "' in the config");
  const auto b = store_.open_binding(facts->platform, shop_id, factory_id);
  if (!b || b->state != BindingState::bound || !b->bound_at)
    return fail(ErrorCode::conflict, "shop " + shop_id + " has no binding in force with factory " + factory_id +
                                         (b ? " (binding " + std::to_string(b->id) + " is still requested)" : "") +
                                         " (D2)");
  return *b;
}

}  // namespace erp::daemon::workflows::dropship
