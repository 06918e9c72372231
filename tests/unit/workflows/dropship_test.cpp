// The dropship hub's decisions (rules D1-D11) on a real store, through the order pipeline as the
// sync files orders: roles, bindings, per-line assignment, the DROPSHIP hold, shipments by either
// side, buyer cancellations and the factory side's reconciliation. Outbox rows stand for the
// platform calls and factory notifications (their handlers are tested where they live).

#include <algorithm>

#include "core/posted_shipment.hpp"
#include "holds/release_gate.hpp"
#include "unit/store/store_fixture.hpp"
#include "workflows/dropship/dropship_service.hpp"
#include "workflows/dropship/dropship_workflow.hpp"
#include "workflows/order_pipeline.hpp"
#include "workflows/release_delay.hpp"

using namespace erp;
using namespace erp::test;
using namespace std::chrono_literals;
using daemon::config::DropshipRole;
using daemon::config::DropshipRule;
using daemon::config::FactoryConfig;
using daemon::holds::HoldService;
using daemon::holds::ReleaseGate;
using daemon::store::BindingState;
using daemon::store::DropshipLine;
using daemon::store::DropshipLineState;
using daemon::store::DropshipSide;
using daemon::store::Store;
using daemon::workflows::OrderPipeline;
using daemon::workflows::ReleaseDelay;
namespace dropship = daemon::workflows::dropship;
namespace shipping = daemon::shipping;

namespace {

// sample_order() is created at 16:00:01Z and paid at 16:00:09.250Z.
const Instant kCreated = *daemon::parse_rfc3339("2026-11-10T16:00:01Z");
const Instant kPaid = *daemon::parse_rfc3339("2026-11-10T16:00:09.250Z");
const Instant kBound = kCreated - 1h;  // a binding in force before the sample orders were created
const Instant kNow = kPaid + 1min;

constexpr const char* kShop = "tmall-flagship";     // a merchant on TOP: the daemon keeps the dropship state
constexpr const char* kDouyinShop = "dy-1";         // a merchant on Douyin: its platform channel
constexpr const char* kFactoryShop = "dy-factory";  // a factory's own Douyin shop the daemon runs

FactoryConfig factory(const std::string& id, const std::string& notify_url = "", const std::string& douyin = "",
                      const std::string& shop = "") {
  FactoryConfig f;
  f.id = id;
  f.name = "工厂 " + id;
  f.token_file = "/tmp/" + id + ".token";
  f.douyin_shop_id = douyin;
  f.shop = shop;
  f.notify_url = notify_url;
  return f;
}

struct Fixture {
  TempDir dir;
  std::unique_ptr<Store> store = open_store(dir / "erpd.db");
  std::vector<std::string> released;  ///< Orders the gate handed to the warehouse, in order.
  ReleaseGate gate{*store, [this](daemon::store::Tx&, const daemon::store::StoredOrder& o, Instant) {
                     released.push_back(o.order.order_id);
                   }};
  OrderPipeline pipeline{*store, gate};
  HoldService holds{*store, gate};
  std::shared_ptr<ReleaseDelay> delay = std::make_shared<ReleaseDelay>(*store);
  int wakes = 0;
  dropship::DropshipService service{*store, gate, dropship::Hooks{[this] { ++wakes; }}};
  dropship::Settings settings;

  /// fac-a notifies, fac-b polls, fac-dy is on Douyin (shop id 7001), fac-self ships for the
  /// factory shop dy-factory. Fresh orders wait 30 minutes (workflows.release_delay), so they
  /// are unreleased while the tests assign.
  Fixture() {
    settings.config.factories = {factory("fac-a", "https://a.example/notify"), factory("fac-b"),
                                 factory("fac-dy", "", "7001"),
                                 factory("fac-self", "https://self.example/notify", "", kFactoryShop)};
    settings.shops[kShop] = dropship::ShopFacts{"tmall", DropshipRole::merchant, false};
    settings.shops[kDouyinShop] = dropship::ShopFacts{"douyin", DropshipRole::merchant, true};
    settings.shops[kFactoryShop] = dropship::ShopFacts{"douyin", DropshipRole::factory, true};
    service.apply(settings);
    delay->set_delay(30min);
    pipeline.add(delay);
    pipeline.add(std::make_shared<dropship::DropshipWorkflow>(service));
  }

  void reapply() { service.apply(settings); }
  void ingest(const sdk::Order& order, Instant now = kNow) { pipeline.ingest(order, now); }
  daemon::store::StoredOrder stored(const OrderKey& key) { return *store->get_order(key); }

  /// A binding of `shop` with `factory` requested and confirmed at `when` (the daemon's own kind).
  daemon::store::DropshipBinding bind(const std::string& factory_id, Instant when = kBound,
                                      const std::string& shop = kShop) {
    auto requested = service.request_binding(shop, factory_id, when);
    REQUIRE_MESSAGE(requested.ok(), requested.error().message);
    auto confirmed = service.confirm_binding(requested->id, factory_id, when);
    REQUIRE_MESSAGE(confirmed.ok(), confirmed.error().message);
    return *confirmed;
  }

  /// Assigns and expects every named line assigned.
  std::vector<DropshipLine> assign(const OrderKey& key, const std::vector<std::string>& lines,
                                   const std::string& factory_id, Instant now = kNow) {
    auto outcomes = service.assign(key, lines, factory_id, "manual", now);
    REQUIRE_MESSAGE(outcomes.ok(), outcomes.error().message);
    std::vector<DropshipLine> out;
    for (const auto& o : *outcomes) {
      REQUIRE_MESSAGE(o.line.has_value(), std::string(o.line_id + ": " + o.refusal + " " + o.message));
      out.push_back(*o.line);
    }
    return out;
  }

  DropshipLine line(std::int64_t id) {
    auto l = store->get_dropship_line(id);
    REQUIRE(l.has_value());
    return *l;
  }

  std::vector<daemon::store::OutboxItem> outbox(const std::string& kind) {
    std::vector<daemon::store::OutboxItem> out;
    for (const auto& item : store->list_outbox(std::nullopt, 1000))
      if (item.kind == kind) out.push_back(item);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });  // oldest first
    return out;
  }
  /// factory.notify items of this factory line and event.
  std::vector<daemon::store::OutboxItem> notices(std::int64_t line_id, const std::string& event) {
    std::vector<daemon::store::OutboxItem> out;
    for (const auto& item : outbox(dropship::kNotifyKind))
      if (item.payload.value("line", std::int64_t{0}) == line_id && item.payload.value("event", "") == event)
        out.push_back(item);
    return out;
  }

  std::size_t events(const OrderKey& key, const std::string& kind, const std::string& rule) {
    const auto all = store->events(key);
    return static_cast<std::size_t>(std::count_if(
        all.begin(), all.end(), [&](const auto& e) { return e.kind == kind && (rule.empty() || e.rule_id == rule); }));
  }

  std::vector<DropshipLine> factory_side_lines() {
    daemon::store::DropshipLineFilter filter;
    filter.side = DropshipSide::factory;
    return store->list_dropship_lines(filter);
  }
};

sdk::Order newer(sdk::Order order, std::chrono::milliseconds later = 1min) {
  order.modified_at += later;
  return order;
}

/// The platform's version of `order` after line `index` shipped with `waybill`.
sdk::Order shipped_line(sdk::Order order, std::size_t index, const std::string& waybill) {
  order.lines[index].shipped_at = kNow + 5min;
  order.lines[index].waybill = waybill;
  order.lines[index].carrier = "ZTO";
  order.lines[index].status = sdk::OrderStatus::shipped;
  order.status = sdk::OrderStatus::partially_shipped;
  order.modified_at = kNow + 6min;
  return order;
}

/// The platform's version of `order` after the buyer was refunded line `index` before it shipped.
sdk::Order refunded_line(sdk::Order order, std::size_t index) {
  order.lines[index].refund_status = sdk::RefundStatus::refunded;
  order.lines[index].status = sdk::OrderStatus::closed;
  order.modified_at = kNow + 3min;
  return order;
}

bool held_by(const daemon::store::StoredOrder& order, const std::string& reason) {
  return std::any_of(order.holds.begin(), order.holds.end(), [&](const auto& h) { return h.reason_code == reason; });
}

sdk::DropshipOrder item(const std::string& distr, sdk::DropshipStatus status = sdk::DropshipStatus::to_ship) {
  sdk::DropshipOrder i;
  i.distr_order_id = distr;
  i.merchant_shop_id = "merchant-555";
  i.order_id = "M-" + distr;
  i.line_id = "M-" + distr + "-1";
  i.sku = "sku-9";
  i.outer_sku = "OUT-9";
  i.title = "保温杯";
  i.quantity = 2;
  i.status = status;
  i.assigned_at = kNow;
  i.modified_at = kNow;
  i.receiver.ciphertext = "#CIPHER#" + distr;
  i.receiver.province = "浙江省";
  i.receiver.city = "杭州市";
  i.receiver.district = "西湖区";
  return i;
}

}  // namespace

TEST_CASE("D1 a shop's role cannot change once it has a binding") {
  Fixture f;
  CHECK(f.service.settle_roles(kNow).empty());
  CHECK(f.store->dropship_role("tmall", kShop) == std::optional<std::string>("merchant"));
  CHECK(f.store->dropship_role("douyin", kFactoryShop) == std::optional<std::string>("factory"));

  // Before any binding the identity follows the config, both ways.
  f.settings.shops[kShop].role = DropshipRole::factory;
  f.reapply();
  CHECK(f.service.settle_roles(kNow).empty());
  CHECK(f.store->dropship_role("tmall", kShop) == std::optional<std::string>("factory"));
  // ... and a factory does not bind factories.
  const auto as_factory = f.service.request_binding(kShop, "fac-a", kNow);
  REQUIRE_FALSE(as_factory.ok());
  CHECK(as_factory.error().code == sdk::ErrorCode::conflict);
  CHECK(f.store->list_bindings({}).empty());

  f.settings.shops[kShop].role = DropshipRole::merchant;
  f.reapply();
  CHECK(f.service.settle_roles(kNow).empty());
  CHECK(f.store->dropship_role("tmall", kShop) == std::optional<std::string>("merchant"));

  // Once a binding was requested the identity is fixed, even after the binding ended.
  const auto requested = f.service.request_binding(kShop, "fac-a", kNow);
  REQUIRE(requested.ok());
  REQUIRE(f.service.end_binding(requested->id, "merchant", "", kNow + 1min).ok());
  f.settings.shops[kShop].role = DropshipRole::factory;
  f.reapply();
  const auto conflicts = f.service.settle_roles(kNow + 2min);
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0].find(kShop) != std::string::npos);
  CHECK(conflicts[0].find("D1") != std::string::npos);
  CHECK(f.store->dropship_role("tmall", kShop) == std::optional<std::string>("merchant"));
  // The other shops are settled all the same.
  CHECK(f.store->dropship_role("douyin", kDouyinShop) == std::optional<std::string>("merchant"));
}

TEST_CASE(
    "D2 a binding is requested by the merchant, confirmed by the factory, ended by either side; a Douyin "
    "binding is confirmed only by reconciliation") {
  Fixture f;
  const auto requested = f.service.request_binding(kShop, "fac-a", kNow);
  REQUIRE(requested.ok());
  CHECK(requested->state == BindingState::requested);
  CHECK_FALSE(requested->bound_at.has_value());
  CHECK(requested->platform == "tmall");

  // Asking twice, an unknown shop or factory, are refused.
  const auto twice = f.service.request_binding(kShop, "fac-a", kNow);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code == sdk::ErrorCode::conflict);
  CHECK(f.service.request_binding("no-shop", "fac-a", kNow).error().code == sdk::ErrorCode::not_found);
  CHECK(f.service.request_binding(kShop, "no-factory", kNow).error().code == sdk::ErrorCode::not_found);

  // A requested binding is not in force: nothing can be assigned under it.
  f.ingest(sample_order("O-1"));
  const auto early = f.service.assign(key_of(sample_order("O-1")), {}, "fac-a", "manual", kNow);
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().code == sdk::ErrorCode::conflict);

  // Only the factory asked confirms it.
  const auto other = f.service.confirm_binding(requested->id, "fac-b", kNow);
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().code == sdk::ErrorCode::not_found);
  const auto confirmed = f.service.confirm_binding(requested->id, "fac-a", kNow + 1min);
  REQUIRE(confirmed.ok());
  CHECK(confirmed->state == BindingState::bound);
  CHECK(confirmed->bound_at == std::optional<Instant>(kNow + 1min));
  // Confirming again changes nothing (the time it took effect stays).
  const auto again = f.service.confirm_binding(requested->id, "fac-a", kNow + 5min);
  REQUIRE(again.ok());
  CHECK(again->bound_at == std::optional<Instant>(kNow + 1min));

  // The factory ends it (not another factory); then it cannot be confirmed again.
  CHECK(f.service.end_binding(requested->id, "factory", "fac-b", kNow + 6min).error().code ==
        sdk::ErrorCode::not_found);
  CHECK(f.store->get_binding(requested->id)->state == BindingState::bound);
  const auto ended = f.service.end_binding(requested->id, "factory", "fac-a", kNow + 7min);
  REQUIRE(ended.ok());
  CHECK(ended->state == BindingState::unbound);
  CHECK(ended->ended_by == "factory");
  CHECK_FALSE(f.store->open_binding("tmall", kShop, "fac-a").has_value());
  CHECK(f.service.confirm_binding(requested->id, "fac-a", kNow + 8min).error().code == sdk::ErrorCode::conflict);

  // The merchant asks again and ends that one itself.
  const auto second = f.service.request_binding(kShop, "fac-a", kNow + 9min);
  REQUIRE(second.ok());
  CHECK(second->id != requested->id);
  REQUIRE(f.service.confirm_binding(second->id, "fac-a", kNow + 9min).ok());
  const auto by_merchant = f.service.end_binding(second->id, "merchant", "", kNow + 10min);
  REQUIRE(by_merchant.ok());
  CHECK(by_merchant->ended_by == "merchant");

  // Douyin: the factory confirms on the platform, never through the daemon.
  const auto dy = f.service.request_binding(kDouyinShop, "fac-dy", kNow);
  REQUIRE(dy.ok());
  CHECK(dy->platform == "douyin");
  const auto refused = f.service.confirm_binding(dy->id, "fac-dy", kNow);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == sdk::ErrorCode::conflict);
  CHECK(f.store->get_binding(dy->id)->state == BindingState::requested);

  const Instant on_douyin = kNow + 2min;
  f.service.reconcile_platform_bindings(kDouyinShop, {sdk::FactoryBinding{"9999", "someone else", kNow}}, kNow + 3min);
  CHECK(f.store->get_binding(dy->id)->state == BindingState::requested);
  f.service.reconcile_platform_bindings(kDouyinShop, {sdk::FactoryBinding{"7001", "工厂", on_douyin}}, kNow + 3min);
  auto seen = f.store->get_binding(dy->id);
  CHECK(seen->state == BindingState::bound);
  CHECK(seen->bound_at == std::optional<Instant>(on_douyin));

  // Gone from the platform's list: unbound there.
  f.service.reconcile_platform_bindings(kDouyinShop, {}, kNow + 4min);
  seen = f.store->get_binding(dy->id);
  CHECK(seen->state == BindingState::unbound);
  CHECK(seen->ended_by == "platform");

  // Bound on Douyin without asking through the daemon: reconciliation records it as bound.
  f.service.reconcile_platform_bindings(kDouyinShop, {sdk::FactoryBinding{"7001", "工厂", kNow + 5min}}, kNow + 6min);
  const auto fresh = f.store->open_binding("douyin", kDouyinShop, "fac-dy");
  REQUIRE(fresh.has_value());
  CHECK(fresh->id != dy->id);
  CHECK(fresh->state == BindingState::bound);
  CHECK(fresh->bound_at == std::optional<Instant>(kNow + 5min));
}

TEST_CASE("D2 ending a binding takes its unshipped lines back and tells the factory; a shipped line stays") {
  Fixture f;
  const auto binding = f.bind("fac-a");
  const auto order = sample_order("O-2");
  const auto key = key_of(order);
  f.ingest(order);
  const auto lines = f.assign(key, {"O-2-1", "O-2-2"}, "fac-a");
  REQUIRE(f.service.factory_ship(lines[0].id, "fac-a", "SF", "SF0001", kNow + 1min).ok());

  REQUIRE(f.service.end_binding(binding.id, "merchant", "", kNow + 2min).ok());
  CHECK(f.line(lines[0].id).state == DropshipLineState::shipped);
  const auto back = f.line(lines[1].id);
  CHECK(back.state == DropshipLineState::unassigned);
  CHECK(back.rule_id == "D2");
  CHECK(f.notices(lines[1].id, "unassigned").size() == 1);
  CHECK(f.notices(lines[0].id, "unassigned").empty());
  CHECK(f.events(key, "dropship.unassigned", "D2") == 1);
  CHECK_FALSE(f.store->live_dropship_line(key, "O-2-2").has_value());
}

TEST_CASE("D3 an order created before the binding took effect is refused and keeps the normal flow") {
  Fixture f;
  f.settings.config.rules = {DropshipRule{"all", {"OUT-1", "OUT-2", "OUT-3"}, "fac-a", {}}};
  f.reapply();
  f.bind("fac-a", kCreated + 1s);  // in force one second after the order was created

  const auto old_order = sample_order("OLD-1");
  f.ingest(old_order);
  CHECK(f.store->dropship_lines_of(key_of(old_order)).empty());  // the rule passed it by
  const auto refused = f.service.assign(key_of(old_order), {"OLD-1-1"}, "fac-a", "manual", kNow);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == sdk::ErrorCode::conflict);
  CHECK(refused.error().message.find("D3") != std::string::npos);
  CHECK(f.store->dropship_lines_of(key_of(old_order)).empty());
  CHECK(f.events(key_of(old_order), "dropship.assigned", "") == 0);
  CHECK_FALSE(held_by(f.stored(key_of(old_order)), dropship::kHold));
  CHECK(dropship::factory_line_ids(*f.store, key_of(old_order)).empty());

  // An order created after it enters dropship through the same rule.
  auto fresh = sample_order("NEW-1");
  fresh.created_at = kCreated + 2s;
  f.ingest(fresh);
  CHECK(f.store->dropship_lines_of(key_of(fresh)).size() == 3);
}

TEST_CASE("D4 lines are assigned one by one: refusals per line (unknown line, already assigned, refund under way)") {
  Fixture f;
  f.bind("fac-a");
  f.bind("fac-b");
  auto order = sample_order("O-4");
  order.lines[2].refund_status = sdk::RefundStatus::requested;
  const auto key = key_of(order);
  f.ingest(order);

  const auto first = f.service.assign(key, {"O-4-1", "nope", "O-4-3"}, "fac-a", "manual", kNow);
  REQUIRE(first.ok());
  REQUIRE(first->size() == 3);
  REQUIRE((*first)[0].line.has_value());
  CHECK((*first)[0].refusal.empty());
  CHECK((*first)[0].line->state == DropshipLineState::assigned);
  CHECK((*first)[0].line->factory == "fac-a");
  CHECK((*first)[0].line->source == "manual");
  CHECK((*first)[1].line_id == "nope");
  CHECK_FALSE((*first)[1].line.has_value());
  CHECK((*first)[1].refusal == "not_found");
  CHECK_FALSE((*first)[2].line.has_value());
  CHECK((*first)[2].refusal == "refund_pending");

  // The same line again (to either factory) is refused; the free one is assigned.
  const auto second = f.service.assign(key, {"O-4-1", "O-4-2"}, "fac-b", "manual", kNow);
  REQUIRE(second.ok());
  REQUIRE(second->size() == 2);
  CHECK((*second)[0].refusal == "already_assigned");
  CHECK_FALSE((*second)[0].line.has_value());
  REQUIRE((*second)[1].line.has_value());
  CHECK((*second)[1].line->factory == "fac-b");

  CHECK(f.store->live_dropship_line(key, "O-4-1")->factory == "fac-a");
  CHECK_FALSE(f.store->live_dropship_line(key, "O-4-3").has_value());
  CHECK(f.events(key, "dropship.assigned", "D4") == 2);
  // fac-a is told of its line; fac-b polls.
  CHECK(f.notices((*first)[0].line->id, "assigned").size() == 1);
  CHECK(f.outbox(dropship::kNotifyKind).size() == 1);
  CHECK(f.outbox(dropship::kDistributeKind).empty());  // no platform channel on TOP

  // Whole-request refusals: unknown order, no binding in force, an order not paid.
  CHECK(f.service.assign(key_of(sample_order("missing")), {}, "fac-a", "manual", kNow).error().code ==
        sdk::ErrorCode::not_found);
  CHECK(f.service.assign(key, {}, "fac-dy", "manual", kNow).error().code == sdk::ErrorCode::conflict);
  auto closed = sample_order("O-5");
  closed.status = sdk::OrderStatus::closed;
  f.ingest(closed);
  const auto not_paid = f.service.assign(key_of(closed), {}, "fac-a", "manual", kNow);
  REQUIRE_FALSE(not_paid.ok());
  CHECK(not_paid.error().code == sdk::ErrorCode::conflict);
  CHECK(f.store->dropship_lines_of(key_of(closed)).empty());
}

TEST_CASE("D4 automatic rules assign matching lines of a paid, unreleased order to a bound factory") {
  Fixture f;
  f.settings.config.rules = {DropshipRule{"cups", {"OUT-2"}, "fac-a", {}},
                             DropshipRule{"elsewhere", {"sku-3"}, "fac-b", {"another-shop"}}};
  f.reapply();
  f.bind("fac-a");
  f.bind("fac-b");

  // Not paid yet: nothing; paid: the matching line only, by its outer sku.
  auto order = sample_order("R-1");
  order.status = sdk::OrderStatus::pending_payment;
  order.paid_at.reset();
  const auto key = key_of(order);
  f.ingest(order);
  CHECK(f.store->dropship_lines_of(key).empty());
  auto paid = sample_order("R-1");
  paid.modified_at += 1min;
  f.ingest(paid);
  const auto lines = f.store->dropship_lines_of(key);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].line_id == "R-1-2");
  CHECK(lines[0].factory == "fac-a");
  CHECK(lines[0].source == "rule:cups");
  CHECK(lines[0].state == DropshipLineState::assigned);
  CHECK(f.events(key, "dropship.assigned", "D4") == 1);
  // A later version changes nothing that is assigned already.
  f.ingest(newer(paid));
  CHECK(f.store->dropship_lines_of(key).size() == 1);
  // The merchant takes the line back: a rule assigns a line once, so a later version keeps it theirs.
  REQUIRE(f.service.unassign(lines[0].id, kNow).ok());
  f.ingest(newer(paid, 90s));
  CHECK_FALSE(f.store->live_dropship_line(key, "R-1-2").has_value());
  CHECK(f.store->dropship_lines_of(key).size() == 1);

  // A rule for other shops does not apply; unbound factory: the order keeps the normal flow.
  CHECK_FALSE(f.store->live_dropship_line(key, "R-1-3").has_value());
  f.settings.config.rules.push_back(DropshipRule{"scarves", {"OUT-1"}, "fac-dy", {}});
  f.reapply();
  f.ingest(newer(paid, 2min));
  CHECK_FALSE(f.store->live_dropship_line(key, "R-1-1").has_value());

  // A released order is the warehouse's: a new rule does not reach it.
  f.delay->set_delay(0ms);
  auto late = sample_order("R-2");
  late.lines.resize(1);  // OUT-1 only: no rule matches yet
  f.ingest(late, kPaid + 2h);
  REQUIRE(f.stored(key_of(late)).released);
  f.settings.config.rules.insert(f.settings.config.rules.begin(), DropshipRule{"now-scarves", {"OUT-1"}, "fac-a", {}});
  f.reapply();
  f.ingest(newer(late), kPaid + 3h);
  CHECK(f.store->dropship_lines_of(key_of(late)).empty());
}

TEST_CASE("D4 every unshipped line assigned: DROPSHIP hold; unassigning lifts it") {
  Fixture f;
  f.delay->set_delay(0ms);  // no other hold: what the DROPSHIP hold does shows in the release
  f.settings.config.rules = {DropshipRule{"everything", {"OUT-1", "OUT-2", "OUT-3"}, "fac-a", {}}};
  f.reapply();
  f.bind("fac-a");

  const auto order = sample_order("H-1");
  const auto key = key_of(order);
  f.ingest(order);
  auto stored = f.stored(key);
  CHECK(held_by(stored, dropship::kHold));
  CHECK_FALSE(stored.released);
  CHECK(f.released.empty());
  CHECK(dropship::factory_line_ids(*f.store, key) == std::vector<std::string>{"H-1-1", "H-1-2", "H-1-3"});

  // The merchant takes one line back: its warehouse has work again, the order goes to it.
  const auto line = f.store->live_dropship_line(key, "H-1-2");
  REQUIRE(line.has_value());
  const auto back = f.service.unassign(line->id, kNow + 1min);
  REQUIRE(back.ok());
  CHECK(back->state == DropshipLineState::unassigned);
  stored = f.stored(key);
  CHECK_FALSE(held_by(stored, dropship::kHold));
  CHECK(stored.released);
  CHECK(f.released == std::vector<std::string>{"H-1"});
  CHECK(f.events(key, "dropship.unassigned", "D4") == 1);
  CHECK(f.notices(line->id, "unassigned").size() == 1);
  CHECK(dropship::factory_line_ids(*f.store, key) == std::vector<std::string>{"H-1-1", "H-1-3"});
  // Taking it back twice changes nothing.
  CHECK(f.service.unassign(line->id, kNow + 2min).ok());
  CHECK(f.events(key, "dropship.unassigned", "D4") == 1);
  CHECK(f.service.unassign(999999, kNow).error().code == sdk::ErrorCode::not_found);

  // Lines the buyer was refunded are no work for the warehouse: the others assigned is enough.
  f.settings.config.rules.clear();
  f.reapply();
  f.delay->set_delay(30min);
  auto partly = refunded_line(sample_order("H-2"), 2);
  const auto key2 = key_of(partly);
  f.ingest(partly);
  f.assign(key2, {"H-2-1"}, "fac-a");
  CHECK_FALSE(held_by(f.stored(key2), dropship::kHold));  // H-2-2 is left for the warehouse
  f.assign(key2, {"H-2-2"}, "fac-a");
  CHECK(held_by(f.stored(key2), dropship::kHold));
}

TEST_CASE(
    "D4 through the platform channel: one dropship.distribute outbox item, lines assigning until the answer; "
    "distribution_answered assigns or refuses") {
  Fixture f;
  f.service.reconcile_platform_bindings(kDouyinShop, {sdk::FactoryBinding{"7001", "工厂", kBound}}, kNow);
  const auto order = sample_order("D-1", kDouyinShop, "douyin");
  const auto key = key_of(order);
  f.ingest(order);
  const int wakes_before = f.wakes;

  const auto lines = f.assign(key, {"D-1-1", "D-1-2"}, "fac-dy");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].state == DropshipLineState::assigning);
  CHECK(lines[1].state == DropshipLineState::assigning);
  CHECK(f.wakes > wakes_before);
  const auto distribute = f.outbox(dropship::kDistributeKind);
  REQUIRE(distribute.size() == 1);
  CHECK(distribute[0].target == kDouyinShop);
  CHECK(distribute[0].key == std::optional<OrderKey>(key));
  CHECK(distribute[0].payload["factory_shop_id"] == "7001");
  REQUIRE(distribute[0].payload["items"].size() == 2);
  CHECK(distribute[0].payload["items"][0]["line_id"] == "D-1-1");
  CHECK(distribute[0].payload["items"][1]["line_id"] == "D-1-2");
  CHECK(distribute[0].payload["items"][1]["dropship_line"] == lines[1].id);
  CHECK(f.line(lines[0].id).outbox_id == std::optional<std::int64_t>(distribute[0].id));

  // While on its way the line is taken: not assignable again, not shippable yet.
  const auto again = f.service.assign(key, {"D-1-1"}, "fac-dy", "manual", kNow);
  REQUIRE(again.ok());
  CHECK((*again)[0].refusal == "already_assigned");
  const auto early = f.service.factory_ship(lines[0].id, "fac-dy", "SF", "SF1", kNow);
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().message.starts_with("not_assigned: "));
  CHECK(f.outbox(shipping::kPlatformShipKind).empty());

  // Douyin accepts the first, refuses the second (created before the binding, D3).
  f.service.distribution_answered(lines[0].id, sdk::DistributeResult{"D-1", "D-1-1", "DO-77", {}, ""}, kNow + 1min);
  f.service.distribution_answered(
      lines[1].id, sdk::DistributeResult{"D-1", "D-1-2", "", sdk::DropshipRefusal::before_binding, "too old"},
      kNow + 1min);
  const auto accepted = f.line(lines[0].id);
  CHECK(accepted.state == DropshipLineState::assigned);
  CHECK(accepted.distr_order_id == "DO-77");
  const auto refused = f.line(lines[1].id);
  CHECK(refused.state == DropshipLineState::refused);
  CHECK(refused.rule_id == "D3");
  CHECK(refused.detail.find("too old") != std::string::npos);
  CHECK(f.events(key, "dropship.distributed", "D4") == 1);
  CHECK(f.events(key, "dropship.refused", "D3") == 1);
  CHECK_FALSE(f.store->live_dropship_line(key, "D-1-2").has_value());  // the warehouse ships it

  // A late duplicate answer does not move a line that is no longer on its way.
  f.service.distribution_answered(
      lines[0].id, sdk::DistributeResult{"D-1", "D-1-1", "", sdk::DropshipRefusal::other, "x"}, kNow + 2min);
  CHECK(f.line(lines[0].id).state == DropshipLineState::assigned);

  // Taking the accepted line back cancels it on Douyin.
  REQUIRE(f.service.unassign(lines[0].id, kNow + 3min).ok());
  const auto cancel = f.outbox(dropship::kCancelKind);
  REQUIRE(cancel.size() == 1);
  CHECK(cancel[0].payload["distr_order_id"] == "DO-77");
  CHECK(cancel[0].target == kDouyinShop);
}

TEST_CASE(
    "D5 factory_ship enqueues one platform.ship upload for the merchant; a retry with the same waybill is "
    "answered, not shipped again") {
  Fixture f;
  f.bind("fac-a");
  const auto order = sample_order("S-1");
  const auto key = key_of(order);
  f.ingest(order);
  const auto line = f.assign(key, {"S-1-2"}, "fac-a")[0];

  // Only the line's own factory ships it.
  CHECK(f.service.factory_ship(line.id, "fac-b", "SF", "SF9", kNow).error().code == sdk::ErrorCode::not_found);
  CHECK(f.service.factory_ship(line.id, "nobody", "SF", "SF9", kNow).error().code == sdk::ErrorCode::not_found);
  CHECK(f.service.factory_ship(line.id, "fac-self", "SF", "SF9", kNow).error().code == sdk::ErrorCode::not_found);
  CHECK(f.outbox(shipping::kPlatformShipKind).empty());

  const int wakes_before = f.wakes;
  const auto shipped = f.service.factory_ship(line.id, "fac-a", "SF", "SF1234567", kNow + 1min);
  REQUIRE(shipped.ok());
  CHECK(shipped->state == DropshipLineState::shipped);
  CHECK(shipped->shipped_by == "factory");
  CHECK(shipped->waybill == "SF1234567");
  CHECK(f.wakes > wakes_before);
  auto uploads = f.outbox(shipping::kPlatformShipKind);
  REQUIRE(uploads.size() == 1);
  const std::string shipment_id = "dropship-" + std::to_string(line.id);
  CHECK(uploads[0].idempotency_key == shipping::shipment_key(key, shipment_id));
  CHECK(uploads[0].target == kShop);
  CHECK(uploads[0].key == std::optional<OrderKey>(key));
  CHECK(uploads[0].payload["shipment_id"] == shipment_id);
  REQUIRE(uploads[0].payload["packages"].size() == 1);
  CHECK(uploads[0].payload["packages"][0]["waybill"] == "SF1234567");
  CHECK(uploads[0].payload["packages"][0]["carrier"] == "SF");
  CHECK(uploads[0].payload["packages"][0]["lines"] == nlohmann::json::array({"S-1-2"}));
  CHECK(f.line(line.id).outbox_id == std::optional<std::int64_t>(uploads[0].id));
  CHECK(f.events(key, "dropship.shipped", "D5") == 1);

  // The same shipment posted again (a lost answer): the same line, nothing new.
  const auto retry = f.service.factory_ship(line.id, "fac-a", "SF", "SF1234567", kNow + 2min);
  REQUIRE(retry.ok());
  CHECK(retry->id == line.id);
  CHECK(retry->waybill == "SF1234567");
  CHECK(f.outbox(shipping::kPlatformShipKind).size() == 1);
  CHECK(f.events(key, "dropship.shipped", "D5") == 1);
  // Another waybill for it is a second shipment: refused.
  const auto other = f.service.factory_ship(line.id, "fac-a", "SF", "SF7654321", kNow + 3min);
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().code == sdk::ErrorCode::already_shipped);
  CHECK(f.line(line.id).waybill == "SF1234567");
}

TEST_CASE("D6 lines of one order assigned to two factories ship independently") {
  Fixture f;
  f.bind("fac-a");
  f.bind("fac-b");
  const auto order = sample_order("T-1");
  const auto key = key_of(order);
  f.ingest(order);
  const auto a = f.assign(key, {"T-1-1"}, "fac-a")[0];
  const auto b = f.assign(key, {"T-1-2"}, "fac-b")[0];
  // T-1-3 stays with the merchant's warehouse: no DROPSHIP hold.
  CHECK_FALSE(held_by(f.stored(key), dropship::kHold));
  CHECK(dropship::factory_line_ids(*f.store, key) == std::vector<std::string>{"T-1-1", "T-1-2"});

  // Neither factory reaches the other's line.
  CHECK(f.service.factory_ship(b.id, "fac-a", "SF", "SF1", kNow).error().code == sdk::ErrorCode::not_found);
  REQUIRE(f.service.factory_ship(a.id, "fac-a", "SF", "SF1", kNow + 1min).ok());
  CHECK(f.line(a.id).state == DropshipLineState::shipped);
  CHECK(f.line(b.id).state == DropshipLineState::assigned);  // not marked shipped by fac-a's parcel

  REQUIRE(f.service.factory_ship(b.id, "fac-b", "YTO", "YT2", kNow + 2min).ok());
  const auto uploads = f.outbox(shipping::kPlatformShipKind);
  REQUIRE(uploads.size() == 2);
  CHECK(uploads[0].payload["shipment_id"] == "dropship-" + std::to_string(a.id));
  CHECK(uploads[0].payload["packages"][0]["lines"] == nlohmann::json::array({"T-1-1"}));
  CHECK(uploads[1].payload["shipment_id"] == "dropship-" + std::to_string(b.id));
  CHECK(uploads[1].payload["packages"][0]["lines"] == nlohmann::json::array({"T-1-2"}));
  CHECK(uploads[1].payload["packages"][0]["waybill"] == "YT2");

  // The warehouse ships its own line next to them.
  auto tx = f.store->begin();
  CHECK(f.service.settle_merchant_shipment(*tx, key, {"T-1-3"}, kNow + 3min).ok());
  tx->commit();
  CHECK_FALSE(f.store->live_dropship_line(key, "T-1-3").has_value());
}

TEST_CASE(
    "D7 the second shipment of a line is refused already_shipped, whoever ships first (factory, merchant's "
    "warehouse via settle_merchant_shipment, platform)") {
  Fixture f;
  f.bind("fac-a");
  const auto order = sample_order("W-1");
  const auto key = key_of(order);
  f.ingest(order);
  const auto lines = f.assign(key, {"W-1-1", "W-1-2", "W-1-3"}, "fac-a");

  SUBCASE("the factory first") {
    REQUIRE(f.service.factory_ship(lines[0].id, "fac-a", "SF", "SF1", kNow + 1min).ok());
    auto tx = f.store->begin();
    const auto second = f.service.settle_merchant_shipment(*tx, key, {"W-1-1"}, kNow + 2min);
    tx->commit();
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == sdk::ErrorCode::conflict);
    CHECK(second.error().message.starts_with("already_shipped: "));
    const auto l = f.line(lines[0].id);
    CHECK(l.shipped_by == "factory");
    CHECK(l.waybill == "SF1");
  }
  SUBCASE("the merchant's warehouse first") {
    {
      auto tx = f.store->begin();
      REQUIRE(f.service.settle_merchant_shipment(*tx, key, {"W-1-2"}, kNow + 1min).ok());
      tx->commit();
    }
    const auto l = f.line(lines[1].id);
    CHECK(l.state == DropshipLineState::shipped);
    CHECK(l.shipped_by == "merchant");
    CHECK(f.events(key, "dropship.shipped", "D7") == 1);
    CHECK(f.notices(lines[1].id, "shipped_by_merchant").size() == 1);
    const auto second = f.service.factory_ship(lines[1].id, "fac-a", "SF", "SF2", kNow + 2min);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == sdk::ErrorCode::already_shipped);
    CHECK(f.outbox(shipping::kPlatformShipKind).empty());
    CHECK(f.line(lines[1].id).shipped_by == "merchant");
    // The warehouse posting it once more is refused too.
    auto tx = f.store->begin();
    const auto again = f.service.settle_merchant_shipment(*tx, key, {"W-1-2"}, kNow + 3min);
    tx->commit();
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().message.starts_with("already_shipped: "));
  }
  SUBCASE("the platform first") {
    f.ingest(shipped_line(order, 2, "ZTO333"));
    const auto l = f.line(lines[2].id);
    CHECK(l.state == DropshipLineState::shipped);
    CHECK(l.shipped_by == "platform");
    CHECK(l.waybill == "ZTO333");
    CHECK(f.events(key, "dropship.shipped", "D7") == 1);
    const auto second = f.service.factory_ship(lines[2].id, "fac-a", "SF", "SF3", kNow + 7min);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == sdk::ErrorCode::already_shipped);
    CHECK(f.outbox(shipping::kPlatformShipKind).empty());
    // A shipped line cannot be taken back either.
    CHECK(f.service.unassign(lines[2].id, kNow + 8min).error().code == sdk::ErrorCode::already_shipped);
  }
}

TEST_CASE("D7 a whole-order warehouse shipment of an order with factory lines is refused") {
  Fixture f;
  f.bind("fac-a");
  const auto order = sample_order("W-2");
  const auto plain = sample_order("W-3");
  f.ingest(order);
  f.ingest(plain);
  const auto line = f.assign(key_of(order), {"W-2-1"}, "fac-a")[0];

  auto tx = f.store->begin();
  const auto whole = f.service.settle_merchant_shipment(*tx, key_of(order), {}, kNow + 1min);
  const auto other = f.service.settle_merchant_shipment(*tx, key_of(plain), {}, kNow + 1min);
  tx->commit();
  REQUIRE_FALSE(whole.ok());
  CHECK(whole.error().code == sdk::ErrorCode::conflict);
  CHECK(whole.error().message.find("D6") != std::string::npos);
  CHECK(f.line(line.id).state == DropshipLineState::assigned);  // nothing was marked shipped
  CHECK(other.ok());                                            // an order without factory lines ships as a whole
}

TEST_CASE("D8 a buyer cancellation blocks the factory's shipment and enqueues factory.notify at once") {
  Fixture f;
  f.bind("fac-a");
  f.bind("fac-b");
  const auto order = sample_order("C-1");
  const auto key = key_of(order);
  f.ingest(order);
  const auto a = f.assign(key, {"C-1-1", "C-1-2"}, "fac-a");
  const auto b = f.assign(key, {"C-1-3"}, "fac-b")[0];

  const int wakes_before = f.wakes;
  const auto cancelled = refunded_line(order, 0);
  f.ingest(cancelled);
  const auto l = f.line(a[0].id);
  CHECK(l.buyer_cancelled);
  CHECK(l.state == DropshipLineState::assigned);  // not unassigned automatically
  CHECK(l.rule_id == "D8");
  CHECK(f.wakes > wakes_before);
  const auto told = f.notices(a[0].id, "buyer_cancelled");
  REQUIRE(told.size() == 1);
  CHECK(told[0].target == "factory:fac-a");
  CHECK(told[0].payload["line_id"] == "C-1-1");
  CHECK(told[0].payload["buyer_cancelled"] == true);
  CHECK(f.events(key, "dropship.buyer_cancelled", "D8") == 1);
  CHECK_FALSE(f.line(a[1].id).buyer_cancelled);

  const auto blocked = f.service.factory_ship(a[0].id, "fac-a", "SF", "SF1", kNow + 4min);
  REQUIRE_FALSE(blocked.ok());
  CHECK(blocked.error().code == sdk::ErrorCode::conflict);
  CHECK(blocked.error().message.starts_with("buyer_cancelled: "));
  CHECK(f.line(a[0].id).state == DropshipLineState::assigned);
  CHECK(f.outbox(shipping::kPlatformShipKind).empty());
  // The other line of the same factory still ships.
  CHECK(f.service.factory_ship(a[1].id, "fac-a", "SF", "SF2", kNow + 5min).ok());

  // Later versions do not tell the factory twice.
  f.ingest(newer(cancelled));
  CHECK(f.notices(a[0].id, "buyer_cancelled").size() == 1);
  CHECK(f.events(key, "dropship.buyer_cancelled", "D8") == 1);

  // A cancellation the pipeline has not shown the line yet: the factory's shipment finds it.
  {
    auto tx = f.store->begin();
    f.store->upsert_order(*tx, newer(refunded_line(cancelled, 2), 10min), kNow + 10min);
    tx->commit();
  }
  CHECK_FALSE(f.line(b.id).buyer_cancelled);
  const auto found = f.service.factory_ship(b.id, "fac-b", "YTO", "YT1", kNow + 11min);
  REQUIRE_FALSE(found.ok());
  CHECK(found.error().message.starts_with("buyer_cancelled: "));
  CHECK(f.line(b.id).buyer_cancelled);  // recorded although the shipment was refused
  CHECK(f.events(key, "dropship.buyer_cancelled", "D8") == 2);
  CHECK(f.notices(b.id, "buyer_cancelled").empty());  // fac-b has no notify_url: it polls
  CHECK(f.outbox(shipping::kPlatformShipKind).size() == 1);
}

TEST_CASE("D11 reconcile_factory_item creates, updates and cancels factory-side lines idempotently") {
  Fixture f;
  const auto listed = item("DO-9");
  f.service.reconcile_factory_item(kFactoryShop, listed, kNow);
  f.service.reconcile_factory_item(kFactoryShop, listed, kNow + 1min);  // listed again: the same line
  auto lines = f.factory_side_lines();
  REQUIRE(lines.size() == 1);
  const auto id = lines[0].id;
  CHECK(lines[0].factory == "fac-self");
  CHECK(lines[0].shop == kFactoryShop);
  CHECK(lines[0].state == DropshipLineState::assigned);
  CHECK(lines[0].distr_order_id == "DO-9");
  CHECK(lines[0].order_id == "M-DO-9");
  CHECK(lines[0].merchant_shop_id == "merchant-555");
  CHECK(lines[0].receiver_cipher == "#CIPHER#DO-9");
  CHECK(lines[0].quantity == 2);
  CHECK(f.notices(id, "assigned").size() == 1);

  // The buyer cancels: recorded once, told once, and the shipment is blocked.
  auto cancelled = listed;
  cancelled.buyer_cancelled = true;
  cancelled.cancel_reason = "买家取消";
  f.service.reconcile_factory_item(kFactoryShop, cancelled, kNow + 2min);
  f.service.reconcile_factory_item(kFactoryShop, cancelled, kNow + 3min);
  REQUIRE(f.factory_side_lines().size() == 1);
  const auto l = f.line(id);
  CHECK(l.buyer_cancelled);
  CHECK(l.cancel_reason == "买家取消");
  CHECK(l.rule_id == "D8");
  CHECK(l.state == DropshipLineState::assigned);
  CHECK(f.notices(id, "buyer_cancelled").size() == 1);
  // An older listing arriving late (D11) does not undo the cancellation.
  f.service.reconcile_factory_item(kFactoryShop, listed, kNow + 3min + 30s);
  CHECK(f.line(id).buyer_cancelled);
  CHECK(f.line(id).cancel_reason == "买家取消");
  CHECK(f.service.factory_ship(id, "fac-self", "SF", "SF1", kNow + 4min)
            .error()
            .message.starts_with("buyer_cancelled: "));
  CHECK(f.outbox(dropship::kWaybillReturnKind).empty());

  // A line to ship: the factory's waybill goes back to the platform; the listing showing it
  // shipped afterwards changes nothing.
  f.service.reconcile_factory_item(kFactoryShop, item("DO-10"), kNow);
  const auto to_ship = *f.store->dropship_line_by_distr(DropshipSide::factory, "douyin", kFactoryShop, "DO-10");
  CHECK(f.service.factory_ship(to_ship.id, "fac-a", "SF", "SF2", kNow).error().code == sdk::ErrorCode::not_found);
  REQUIRE(f.service.factory_ship(to_ship.id, "fac-self", "SF", "SF2", kNow + 1min).ok());
  const auto returns = f.outbox(dropship::kWaybillReturnKind);
  REQUIRE(returns.size() == 1);
  CHECK(returns[0].target == kFactoryShop);
  CHECK(returns[0].payload["distr_order_id"] == "DO-10");
  CHECK(returns[0].payload["merchant_shop_id"] == "merchant-555");
  CHECK(returns[0].payload["waybill"] == "SF2");
  auto shipped_listing = item("DO-10", sdk::DropshipStatus::shipped);
  shipped_listing.waybill = "SF2";
  shipped_listing.carrier = "SF";
  f.service.reconcile_factory_item(kFactoryShop, shipped_listing, kNow + 5min);
  CHECK(f.line(to_ship.id).shipped_by == "factory");

  // Taken back on the platform: unassigned, and no longer shippable.
  f.service.reconcile_factory_item(kFactoryShop, item("DO-11"), kNow);
  f.service.reconcile_factory_item(kFactoryShop, item("DO-11", sdk::DropshipStatus::unassigned), kNow + 1min);
  const auto taken = *f.store->dropship_line_by_distr(DropshipSide::factory, "douyin", kFactoryShop, "DO-11");
  CHECK(taken.state == DropshipLineState::unassigned);
  CHECK(f.service.factory_ship(taken.id, "fac-self", "SF", "SF3", kNow + 2min)
            .error()
            .message.starts_with("not_assigned: "));

  // First seen shipped (by the platform): recorded as such.
  f.service.reconcile_factory_item(kFactoryShop, item("DO-12", sdk::DropshipStatus::shipped), kNow);
  const auto seen_shipped = *f.store->dropship_line_by_distr(DropshipSide::factory, "douyin", kFactoryShop, "DO-12");
  CHECK(seen_shipped.state == DropshipLineState::shipped);
  CHECK(seen_shipped.shipped_by == "platform");

  // A shop no factory of ours ships for: nothing.
  f.service.reconcile_factory_item(kShop, item("DO-13"), kNow);
  CHECK(f.factory_side_lines().size() == 4);
  // No merchant-side lines were made of any of it.
  CHECK(f.store->list_dropship_lines({}).size() == 4);
}

TEST_CASE("D5 a factory's waybill refused by the platform can be shipped again with a corrected one") {
  Fixture f;
  f.service.reconcile_factory_item(kFactoryShop, item("DO-20"), kNow);
  const auto line = *f.store->dropship_line_by_distr(DropshipSide::factory, "douyin", kFactoryShop, "DO-20");
  REQUIRE(f.service.factory_ship(line.id, "fac-self", "SF", "BAD-1", kNow + 1min).ok());
  f.service.waybill_returned(line.id, sdk::DropshipShipReceipt{sdk::DropshipRefusal::other, "unknown waybill"},
                             kNow + 2min);
  auto back = f.line(line.id);
  CHECK(back.state == DropshipLineState::assigned);
  CHECK(back.detail.find("unknown waybill") != std::string::npos);

  REQUIRE(f.service.factory_ship(line.id, "fac-self", "SF", "SF-GOOD", kNow + 3min).ok());
  const auto returns = f.outbox(dropship::kWaybillReturnKind);
  REQUIRE(returns.size() == 2);
  CHECK(returns[1].payload["waybill"] == "SF-GOOD");
  CHECK(f.line(line.id).outbox_id == std::optional<std::int64_t>(returns[1].id));

  // "Already shipped" from the platform keeps the line shipped; "buyer cancelled" blocks it (D8).
  f.service.waybill_returned(line.id, sdk::DropshipShipReceipt{sdk::DropshipRefusal::already_shipped, "shipped"},
                             kNow + 4min);
  CHECK(f.line(line.id).state == DropshipLineState::shipped);
  f.service.waybill_returned(line.id, sdk::DropshipShipReceipt{sdk::DropshipRefusal::buyer_cancelled, "cancelled"},
                             kNow + 5min);
  back = f.line(line.id);
  CHECK(back.state == DropshipLineState::assigned);
  CHECK(back.buyer_cancelled);
  CHECK(f.service.factory_ship(line.id, "fac-self", "SF", "SF-GOOD", kNow + 6min)
            .error()
            .message.starts_with("buyer_cancelled: "));
}
