// Dropship as the store keeps it (rules D1-D11): shop roles, bindings, lines assigned to factories
// from either side, and the receiver access audit. The service's decisions are tested under
// workflows/; here, what the rows hold and which rows the unique indexes refuse.

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <set>

#include "unit/store/store_fixture.hpp"

using namespace erp;
using namespace erp::test;
using daemon::store::BindingFilter;
using daemon::store::BindingState;
using daemon::store::DropshipBinding;
using daemon::store::DropshipLine;
using daemon::store::DropshipLineFilter;
using daemon::store::DropshipLineState;
using daemon::store::DropshipSide;
using daemon::store::OpenOptions;
using daemon::store::ReceiverAccess;
using daemon::store::Store;

namespace {

const OrderKey kOrder{"douyin", "dy-merchant", "6920001"};

DropshipBinding binding(const std::string& factory, const char* requested = "2026-11-20T08:00:00Z",
                        const std::string& shop = "dy-merchant") {
  DropshipBinding b;
  b.platform = "douyin";
  b.shop = shop;
  b.factory = factory;
  b.state = BindingState::requested;
  b.requested_at = at(requested);
  b.detail = "requested with the factory's shop id";
  return b;
}

std::int64_t add(Store& store, const DropshipBinding& b) {
  auto tx = store.begin();
  const auto id = store.add_binding(*tx, b);
  tx->commit();
  return id;
}

void update(Store& store, const DropshipBinding& b) {
  auto tx = store.begin();
  store.update_binding(*tx, b);
  tx->commit();
}

/// The merchant's assignment of one line of `order` to `factory`, still going through.
DropshipLine merchant_line(const OrderKey& order, const std::string& line_id, const std::string& factory = "f-hz",
                           std::int64_t binding_id = 1, const char* when = "2026-11-21T10:00:00Z") {
  DropshipLine l;
  l.side = DropshipSide::merchant;
  l.platform = order.platform;
  l.shop = order.shop;
  l.order_id = order.order_id;
  l.line_id = line_id;
  l.factory = factory;
  l.binding_id = binding_id;
  l.state = DropshipLineState::assigning;
  l.rule_id = "D4";
  l.source = "manual";
  l.assigned_at = at(when);
  l.updated_at = at(when);
  l.detail = "assigned by operator:li";
  return l;
}

/// An item a merchant assigned to the factory shop the daemon runs, as the platform listed it.
DropshipLine factory_line(const std::string& distr_order_id, const std::string& factory = "f-hz",
                          const std::string& shop = "dy-factory", const char* when = "2026-11-21T10:05:00Z") {
  DropshipLine l;
  l.side = DropshipSide::factory;
  l.platform = "douyin";
  l.shop = shop;
  l.factory = factory;
  l.state = DropshipLineState::assigned;
  l.rule_id = "D5";
  l.source = "platform";
  l.distr_order_id = distr_order_id;
  l.merchant_shop_id = "4463798";
  l.quantity = 1;
  l.receiver_cipher = "#dy#cipher#" + distr_order_id;
  l.assigned_at = at(when);
  l.updated_at = at(when);
  return l;
}

std::int64_t add(Store& store, const DropshipLine& l) {
  auto tx = store.begin();
  const auto id = store.add_dropship_line(*tx, l);
  tx->commit();
  return id;
}

void update(Store& store, const DropshipLine& l) {
  auto tx = store.begin();
  store.update_dropship_line(*tx, l);
  tx->commit();
}

std::int64_t log_access(Store& store, const std::string& factory, std::int64_t line, const char* outcome,
                        const char* when) {
  auto tx = store.begin();
  const auto id = store.log_receiver_access(
      *tx, ReceiverAccess{0, factory, line, "douyin", "dy-merchant", "6920001", outcome, at(when)});
  tx->commit();
  return id;
}

std::vector<std::int64_t> ids_of(const std::vector<DropshipLine>& lines) {
  std::vector<std::int64_t> out;
  for (const auto& l : lines) out.push_back(l.id);
  return out;
}

std::vector<std::int64_t> ids_of(const std::vector<DropshipBinding>& bindings) {
  std::vector<std::int64_t> out;
  for (const auto& b : bindings) out.push_back(b.id);
  return out;
}

std::vector<std::int64_t> ids_of(const std::vector<ReceiverAccess>& entries) {
  std::vector<std::int64_t> out;
  for (const auto& e : entries) out.push_back(e.id);
  return out;
}

}  // namespace

TEST_CASE("dropship: binding states, sides and line states have stable names that read back") {
  using daemon::store::binding_state_from_string;
  using daemon::store::dropship_line_state_from_string;
  using daemon::store::dropship_side_from_string;
  for (const auto state : {BindingState::requested, BindingState::bound, BindingState::unbound}) {
    CHECK(binding_state_from_string(daemon::store::to_string(state)) == state);
  }
  CHECK(daemon::store::to_string(BindingState::unbound) == "unbound");
  CHECK(daemon::store::to_string(DropshipSide::factory) == "factory");
  CHECK(dropship_side_from_string("merchant") == DropshipSide::merchant);
  CHECK(dropship_side_from_string("factory") == DropshipSide::factory);
  for (const auto state : {DropshipLineState::assigning, DropshipLineState::assigned, DropshipLineState::shipped,
                           DropshipLineState::unassigned, DropshipLineState::refused}) {
    CHECK(dropship_line_state_from_string(daemon::store::to_string(state)) == state);
  }
  CHECK(daemon::store::to_string(DropshipLineState::assigning) == "assigning");
  CHECK_FALSE(binding_state_from_string("Bound").has_value());
  CHECK_FALSE(dropship_side_from_string("").has_value());
  CHECK_FALSE(dropship_line_state_from_string("cancelled").has_value());
}

TEST_CASE("D1 dropship: a shop's role is kept per shop; only merchant or factory is accepted") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  CHECK_FALSE(store->dropship_role("douyin", "dy-merchant").has_value());
  {
    auto tx = store->begin();
    store->set_dropship_role(*tx, "douyin", "dy-merchant", "merchant", at("2026-11-20T07:00:00Z"));
    store->set_dropship_role(*tx, "douyin", "dy-factory", "factory", at("2026-11-20T07:00:00Z"));
    tx->commit();
  }
  CHECK(store->dropship_role("douyin", "dy-merchant") == "merchant");
  CHECK(store->dropship_role("douyin", "dy-factory") == "factory");
  CHECK_FALSE(store->dropship_role("tmall", "dy-merchant").has_value());
  // Changing it is the service's decision (D1 fixes it once there is a binding); the store rewrites it.
  {
    auto tx = store->begin();
    store->set_dropship_role(*tx, "douyin", "dy-merchant", "factory", at("2026-11-20T07:30:00Z"));
    tx->commit();
  }
  CHECK(store->dropship_role("douyin", "dy-merchant") == "factory");
  {
    auto tx = store->begin();
    CHECK_THROWS_AS(store->set_dropship_role(*tx, "douyin", "dy-merchant", "both", at("2026-11-20T08:00:00Z")),
                    SQLite::Exception);
  }
  CHECK(store->dropship_role("douyin", "dy-merchant") == "factory");
}

TEST_CASE("D1 dropship: has_any_binding stays true after unbinding; a factory shop with assigned items has one") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  CHECK_FALSE(store->has_any_binding("douyin", "dy-merchant"));
  auto b = binding("f-hz");
  b.id = add(*store, b);
  CHECK(store->has_any_binding("douyin", "dy-merchant"));
  CHECK_FALSE(store->has_any_binding("douyin", "dy-other"));
  CHECK_FALSE(store->has_any_binding("tmall", "dy-merchant"));

  b.state = BindingState::unbound;
  b.ended_at = at("2026-11-22T08:00:00Z");
  b.ended_by = "merchant";
  update(*store, b);
  CHECK_FALSE(store->open_binding("douyin", "dy-merchant", "f-hz").has_value());
  CHECK(store->has_any_binding("douyin", "dy-merchant"));

  // A factory shop receives its bindings on the platform; the items merchants assigned to it show it has one.
  CHECK_FALSE(store->has_any_binding("douyin", "dy-factory"));
  add(*store, factory_line("D-1"));
  CHECK(store->has_any_binding("douyin", "dy-factory"));
}

TEST_CASE(
    "D2 dropship: a second open binding of the same shop and factory is refused; after unbind a new one is allowed") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto first = binding("f-hz");
  first.id = add(*store, first);
  {
    auto tx = store->begin();
    CHECK_THROWS_AS(store->add_binding(*tx, binding("f-hz", "2026-11-20T09:00:00Z")), SQLite::Exception);
  }
  // Confirmed by the factory: still open, still one.
  first.state = BindingState::bound;
  first.bound_at = at("2026-11-20T10:00:00Z");
  update(*store, first);
  {
    auto tx = store->begin();
    CHECK_THROWS_AS(store->add_binding(*tx, binding("f-hz", "2026-11-20T11:00:00Z")), SQLite::Exception);
  }
  // Another factory, or the same factory with another shop, is a binding of its own.
  const auto other_factory = add(*store, binding("f-nb"));
  const auto other_shop = add(*store, binding("f-hz", "2026-11-20T08:00:00Z", "dy-outlet"));
  CHECK(store->open_binding("douyin", "dy-merchant", "f-hz")->id == first.id);
  CHECK(store->open_binding("douyin", "dy-merchant", "f-nb")->id == other_factory);
  CHECK(store->open_binding("douyin", "dy-outlet", "f-hz")->id == other_shop);

  first.state = BindingState::unbound;
  first.ended_at = at("2026-11-25T08:00:00Z");
  first.ended_by = "factory";
  update(*store, first);
  CHECK_FALSE(store->open_binding("douyin", "dy-merchant", "f-hz").has_value());
  const auto again = add(*store, binding("f-hz", "2026-11-26T08:00:00Z"));
  CHECK(again != first.id);
  CHECK(store->open_binding("douyin", "dy-merchant", "f-hz")->id == again);
  CHECK(store->get_binding(first.id)->state == BindingState::unbound);
}

TEST_CASE("D2/D3 dropship: a binding round-trips; update writes state, bound_at, ended_at, ended_by and detail only") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto b = binding("f-hz", "2026-11-20T08:00:00.125Z");
  b.id = add(*store, b);
  auto got = store->get_binding(b.id);
  REQUIRE(got.has_value());
  CHECK(got->id == b.id);
  CHECK(got->platform == "douyin");
  CHECK(got->shop == "dy-merchant");
  CHECK(got->factory == "f-hz");
  CHECK(got->state == BindingState::requested);
  CHECK(got->requested_at == at("2026-11-20T08:00:00.125Z"));
  CHECK_FALSE(got->bound_at.has_value());
  CHECK_FALSE(got->ended_at.has_value());
  CHECK(got->ended_by.empty());
  CHECK(got->detail == "requested with the factory's shop id");

  // D3: bound_at is when the binding took effect.
  auto changed = *got;
  changed.state = BindingState::unbound;
  changed.bound_at = at("2026-11-20T10:00:00.500Z");
  changed.ended_at = at("2026-11-24T18:30:00Z");
  changed.ended_by = "platform";
  changed.detail = "the platform shows no binding any more";
  // Fields update_binding does not write.
  changed.platform = "tmall";
  changed.shop = "elsewhere";
  changed.factory = "f-nb";
  changed.requested_at = at("2026-12-01T00:00:00Z");
  update(*store, changed);
  got = store->get_binding(b.id);
  REQUIRE(got.has_value());
  CHECK(got->state == BindingState::unbound);
  CHECK(got->bound_at == at("2026-11-20T10:00:00.500Z"));
  CHECK(got->ended_at == at("2026-11-24T18:30:00Z"));
  CHECK(got->ended_by == "platform");
  CHECK(got->detail == "the platform shows no binding any more");
  CHECK(got->platform == "douyin");
  CHECK(got->shop == "dy-merchant");
  CHECK(got->factory == "f-hz");
  CHECK(got->requested_at == at("2026-11-20T08:00:00.125Z"));

  // Optional times go back to unset.
  changed.bound_at.reset();
  changed.ended_at.reset();
  update(*store, changed);
  got = store->get_binding(b.id);
  CHECK_FALSE(got->bound_at.has_value());
  CHECK_FALSE(got->ended_at.has_value());

  CHECK_FALSE(store->get_binding(b.id + 100).has_value());
  auto missing = changed;
  missing.id = b.id + 100;
  auto tx = store->begin();
  CHECK_THROWS_AS(store->update_binding(*tx, missing), std::out_of_range);
}

TEST_CASE("dropship: list_bindings is newest first and filters by platform, shop, factory and state") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto a = add(*store, binding("f-hz", "2026-11-20T08:00:00Z"));
  auto b = binding("f-nb", "2026-11-20T09:00:00Z");
  b.id = add(*store, b);
  const auto c = add(*store, binding("f-hz", "2026-11-20T10:00:00Z", "dy-outlet"));
  b.state = BindingState::bound;
  b.bound_at = at("2026-11-20T09:30:00Z");
  update(*store, b);

  CHECK(ids_of(store->list_bindings({})) == std::vector<std::int64_t>{c, b.id, a});
  CHECK(ids_of(store->list_bindings({"douyin", "dy-merchant", "", {}, 200})) == std::vector<std::int64_t>{b.id, a});
  CHECK(ids_of(store->list_bindings({"", "", "f-hz", {}, 200})) == std::vector<std::int64_t>{c, a});
  CHECK(ids_of(store->list_bindings({"", "", "", {BindingState::bound}, 200})) == std::vector<std::int64_t>{b.id});
  CHECK(ids_of(store->list_bindings({"", "", "", {BindingState::requested, BindingState::unbound}, 200})) ==
        std::vector<std::int64_t>{c, a});
  CHECK(store->list_bindings({"tmall", "", "", {}, 200}).empty());
  CHECK(ids_of(store->list_bindings({"", "", "", {}, 2})) == std::vector<std::int64_t>{c, b.id});
  // The limit is clamped to 1..1000.
  CHECK(ids_of(store->list_bindings({"", "", "", {}, 0})) == std::vector<std::int64_t>{c});
  CHECK(ids_of(store->list_bindings({"", "", "", {}, -5})) == std::vector<std::int64_t>{c});
}

TEST_CASE("dropship: every field of a line round-trips, optionals set and unset, on both sides") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");

  // A merchant line with nothing optional set.
  const auto plain = merchant_line(kOrder, "6920001-1", "f-hz", 7, "2026-11-21T10:00:00.250Z");
  const auto plain_id = add(*store, plain);
  auto got = store->get_dropship_line(plain_id);
  REQUIRE(got.has_value());
  CHECK(got->id == plain_id);
  CHECK(got->side == DropshipSide::merchant);
  CHECK(got->platform == "douyin");
  CHECK(got->shop == "dy-merchant");
  CHECK(got->order_id == "6920001");
  CHECK(got->line_id == "6920001-1");
  CHECK(got->factory == "f-hz");
  CHECK(got->binding_id == 7);
  CHECK(got->state == DropshipLineState::assigning);
  CHECK(got->rule_id == "D4");
  CHECK(got->source == "manual");
  CHECK(got->distr_order_id.empty());
  CHECK_FALSE(got->buyer_cancelled);
  CHECK_FALSE(got->shipped_at.has_value());
  CHECK_FALSE(got->outbox_id.has_value());
  CHECK_FALSE(got->ended_at.has_value());
  CHECK(got->assigned_at == at("2026-11-21T10:00:00.250Z"));
  CHECK(got->updated_at == at("2026-11-21T10:00:00.250Z"));
  CHECK(got->detail == "assigned by operator:li");

  // A factory line with every field set.
  DropshipLine full;
  full.side = DropshipSide::factory;
  full.platform = "douyin";
  full.shop = "dy-factory";
  full.order_id = "6930042";
  full.line_id = "6930042-2";
  full.factory = "f-nb";
  full.binding_id = 0;
  full.state = DropshipLineState::shipped;
  full.rule_id = "D7";
  full.source = "platform";
  full.distr_order_id = "DO-881";
  full.merchant_shop_id = "4463798";
  full.sku = "sku-red-42";
  full.outer_sku = "OUT-RED-42";
  full.title = "红色 运动鞋 42";
  full.quantity = 3;
  full.receiver_cipher = "#dy#AbCdEf==#";
  full.province = "浙江省";
  full.city = "宁波市";
  full.district = "鄞州区";
  full.buyer_cancelled = true;
  full.cancel_reason = "买家申请取消";
  full.waybill = "YT900001";
  full.carrier = "yuantong";
  full.shipped_by = "factory";
  full.shipped_at = at("2026-11-22T15:00:00.750Z");
  full.assigned_at = at("2026-11-21T11:00:00Z");
  full.updated_at = at("2026-11-22T15:00:01Z");
  full.ended_at = at("2026-11-22T15:00:02Z");
  full.detail = "shipped by the factory";
  {
    auto tx = store->begin();
    full.outbox_id = store->enqueue(*tx, {"dropship-ship:DO-881", "platform.dropship_ship", "dy-factory", {}, {}},
                                    at("2026-11-22T15:00:00Z"));
    full.id = store->add_dropship_line(*tx, full);
    tx->commit();
  }
  got = store->get_dropship_line(full.id);
  REQUIRE(got.has_value());
  CHECK(got->side == DropshipSide::factory);
  CHECK(got->platform == "douyin");
  CHECK(got->shop == "dy-factory");
  CHECK(got->order_id == "6930042");
  CHECK(got->line_id == "6930042-2");
  CHECK(got->factory == "f-nb");
  CHECK(got->binding_id == 0);
  CHECK(got->state == DropshipLineState::shipped);
  CHECK(got->rule_id == "D7");
  CHECK(got->source == "platform");
  CHECK(got->distr_order_id == "DO-881");
  CHECK(got->merchant_shop_id == "4463798");
  CHECK(got->sku == "sku-red-42");
  CHECK(got->outer_sku == "OUT-RED-42");
  CHECK(got->title == "红色 运动鞋 42");
  CHECK(got->quantity == 3);
  CHECK(got->receiver_cipher == "#dy#AbCdEf==#");
  CHECK(got->province == "浙江省");
  CHECK(got->city == "宁波市");
  CHECK(got->district == "鄞州区");
  CHECK(got->buyer_cancelled);
  CHECK(got->cancel_reason == "买家申请取消");
  CHECK(got->waybill == "YT900001");
  CHECK(got->carrier == "yuantong");
  CHECK(got->shipped_by == "factory");
  CHECK(got->shipped_at == at("2026-11-22T15:00:00.750Z"));
  REQUIRE(got->outbox_id.has_value());
  CHECK(*got->outbox_id == *full.outbox_id);
  CHECK(got->assigned_at == at("2026-11-21T11:00:00Z"));
  CHECK(got->updated_at == at("2026-11-22T15:00:01Z"));
  CHECK(got->ended_at == at("2026-11-22T15:00:02Z"));
  CHECK(got->detail == "shipped by the factory");
  CHECK_FALSE(store->get_dropship_line(full.id + 100).has_value());

  // An outbox id must name an outbox item.
  {
    auto dangling = factory_line("DO-999");
    dangling.outbox_id = 4242;
    auto tx = store->begin();
    CHECK_THROWS_AS(store->add_dropship_line(*tx, dangling), SQLite::Exception);
  }
}

TEST_CASE("dropship: update_dropship_line writes every field but id, side, platform, shop and assigned_at") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto line = merchant_line(kOrder, "6920001-1", "f-hz", 7);
  line.id = add(*store, line);

  DropshipLine changed;
  changed.id = line.id;
  changed.side = DropshipSide::factory;              // Not written.
  changed.platform = "tmall";                        // Not written.
  changed.shop = "elsewhere";                        // Not written.
  changed.assigned_at = at("2030-01-01T00:00:00Z");  // Not written.
  changed.order_id = "6920009";
  changed.line_id = "6920009-3";
  changed.factory = "f-nb";
  changed.binding_id = 9;
  changed.state = DropshipLineState::shipped;
  changed.rule_id = "D7";
  changed.source = "rule:shoes";
  changed.distr_order_id = "DO-17";
  changed.merchant_shop_id = "m-1";
  changed.sku = "s";
  changed.outer_sku = "o";
  changed.title = "t";
  changed.quantity = 5;
  changed.receiver_cipher = "#c#";
  changed.province = "p";
  changed.city = "c";
  changed.district = "d";
  changed.buyer_cancelled = true;
  changed.cancel_reason = "r";
  changed.waybill = "SF1";
  changed.carrier = "shunfeng";
  changed.shipped_by = "merchant";
  changed.shipped_at = at("2026-11-23T09:00:00Z");
  changed.updated_at = at("2026-11-23T09:00:01Z");
  changed.ended_at = at("2026-11-23T09:00:02Z");
  changed.detail = "shipped by the merchant";
  {
    auto tx = store->begin();
    changed.outbox_id =
        store->enqueue(*tx, {"dropship-ship:17", "platform.ship", "dy-merchant", {}, {}}, at("2026-11-23T09:00:00Z"));
    store->update_dropship_line(*tx, changed);
    tx->commit();
  }
  auto got = store->get_dropship_line(line.id);
  REQUIRE(got.has_value());
  CHECK(got->side == DropshipSide::merchant);
  CHECK(got->platform == "douyin");
  CHECK(got->shop == "dy-merchant");
  CHECK(got->assigned_at == line.assigned_at);
  CHECK(got->order_id == "6920009");
  CHECK(got->line_id == "6920009-3");
  CHECK(got->factory == "f-nb");
  CHECK(got->binding_id == 9);
  CHECK(got->state == DropshipLineState::shipped);
  CHECK(got->rule_id == "D7");
  CHECK(got->source == "rule:shoes");
  CHECK(got->distr_order_id == "DO-17");
  CHECK(got->merchant_shop_id == "m-1");
  CHECK(got->sku == "s");
  CHECK(got->outer_sku == "o");
  CHECK(got->title == "t");
  CHECK(got->quantity == 5);
  CHECK(got->receiver_cipher == "#c#");
  CHECK(got->province == "p");
  CHECK(got->city == "c");
  CHECK(got->district == "d");
  CHECK(got->buyer_cancelled);
  CHECK(got->cancel_reason == "r");
  CHECK(got->waybill == "SF1");
  CHECK(got->carrier == "shunfeng");
  CHECK(got->shipped_by == "merchant");
  CHECK(got->shipped_at == at("2026-11-23T09:00:00Z"));
  CHECK(got->outbox_id == changed.outbox_id);
  CHECK(got->updated_at == at("2026-11-23T09:00:01Z"));
  CHECK(got->ended_at == at("2026-11-23T09:00:02Z"));
  CHECK(got->detail == "shipped by the merchant");

  // Optionals go back to unset.
  changed.shipped_at.reset();
  changed.outbox_id.reset();
  changed.ended_at.reset();
  update(*store, changed);
  got = store->get_dropship_line(line.id);
  CHECK_FALSE(got->shipped_at.has_value());
  CHECK_FALSE(got->outbox_id.has_value());
  CHECK_FALSE(got->ended_at.has_value());

  changed.id = line.id + 100;
  auto tx = store->begin();
  CHECK_THROWS_AS(store->update_dropship_line(*tx, changed), std::out_of_range);
}

TEST_CASE("D4 dropship: one live line per order line; an unassigned one can be assigned again") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto first = merchant_line(kOrder, "6920001-1", "f-hz");
  first.id = add(*store, first);
  CHECK(store->live_dropship_line(kOrder, "6920001-1")->id == first.id);
  CHECK_FALSE(store->live_dropship_line(kOrder, "6920001-2").has_value());
  CHECK_FALSE(store->live_dropship_line(OrderKey{"douyin", "dy-outlet", "6920001"}, "6920001-1").has_value());

  // Assigning: a second assignment of the line, to any factory, is refused.
  {
    auto tx = store->begin();
    CHECK_THROWS_AS(store->add_dropship_line(*tx, merchant_line(kOrder, "6920001-1", "f-nb")), SQLite::Exception);
  }
  first.state = DropshipLineState::assigned;
  update(*store, first);
  {
    auto tx = store->begin();
    CHECK_THROWS_AS(store->add_dropship_line(*tx, merchant_line(kOrder, "6920001-1", "f-hz")), SQLite::Exception);
  }
  // The other lines of the order are assigned on their own.
  const auto second_line = add(*store, merchant_line(kOrder, "6920001-2", "f-nb"));
  CHECK(store->live_dropship_line(kOrder, "6920001-2")->id == second_line);

  // Taken back: history stays, and the line can be assigned again.
  first.state = DropshipLineState::unassigned;
  first.ended_at = at("2026-11-21T12:00:00Z");
  update(*store, first);
  CHECK_FALSE(store->live_dropship_line(kOrder, "6920001-1").has_value());
  const auto again = add(*store, merchant_line(kOrder, "6920001-1", "f-nb", 2, "2026-11-21T13:00:00Z"));
  CHECK(store->live_dropship_line(kOrder, "6920001-1")->id == again);
  CHECK(store->live_dropship_line(kOrder, "6920001-1")->factory == "f-nb");

  // Refused by the platform ends the line too.
  auto refused = *store->get_dropship_line(again);
  refused.state = DropshipLineState::refused;
  update(*store, refused);
  CHECK_FALSE(store->live_dropship_line(kOrder, "6920001-1").has_value());
  const auto third = add(*store, merchant_line(kOrder, "6920001-1", "f-hz", 1, "2026-11-21T14:00:00Z"));
  CHECK(store->live_dropship_line(kOrder, "6920001-1")->id == third);

  // The factory side is not the merchant's order: items without a line id do not collide.
  auto f1 = factory_line("D-1");
  f1.order_id = "6920001";
  auto f2 = factory_line("D-2");
  f2.order_id = "6920001";
  add(*store, f1);
  add(*store, f2);
  CHECK(store->list_dropship_lines({DropshipSide::factory, "", "", "", "", {}, 0, 200}).size() == 2);
}

TEST_CASE("D6 dropship: an order's lines with different factories are kept apart, merchant side only, oldest first") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto hz = merchant_line(kOrder, "6920001-1", "f-hz", 1, "2026-11-21T10:00:00Z");
  hz.id = add(*store, hz);
  auto nb = merchant_line(kOrder, "6920001-2", "f-nb", 2, "2026-11-21T10:00:00Z");
  nb.id = add(*store, nb);
  // Another shop's order with the same id, and a factory-side item of the same order id.
  add(*store, merchant_line(OrderKey{"douyin", "dy-outlet", "6920001"}, "6920001-1"));
  auto seen_by_factory = factory_line("D-5", "f-hz", "dy-merchant");
  seen_by_factory.order_id = "6920001";
  add(*store, seen_by_factory);

  CHECK(ids_of(store->dropship_lines_of(kOrder)) == std::vector<std::int64_t>{hz.id, nb.id});

  // One factory ships its item; the other item stays assigned.
  hz.state = DropshipLineState::shipped;
  hz.waybill = "YT1";
  hz.shipped_by = "factory";
  hz.shipped_at = at("2026-11-22T09:00:00Z");
  update(*store, hz);
  const auto lines = store->dropship_lines_of(kOrder);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].state == DropshipLineState::shipped);
  CHECK(lines[0].waybill == "YT1");
  CHECK(lines[1].state == DropshipLineState::assigning);
  CHECK(lines[1].waybill.empty());
  CHECK_FALSE(lines[1].shipped_at.has_value());

  // Ended lines stay in the order's history.
  auto ended = lines[1];
  ended.state = DropshipLineState::unassigned;
  update(*store, ended);
  CHECK(store->dropship_lines_of(kOrder).size() == 2);
  CHECK(store->dropship_lines_of(OrderKey{"douyin", "dy-merchant", "missing"}).empty());
}

TEST_CASE("D7 dropship: a shipped line stays live, and a platform assignment id names one line per side and shop") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto line = merchant_line(kOrder, "6920001-1", "f-hz");
  line.distr_order_id = "DO-1";
  line.id = add(*store, line);
  line.state = DropshipLineState::shipped;
  line.shipped_by = "merchant";
  line.shipped_at = at("2026-11-22T09:00:00Z");
  update(*store, line);
  // Shipped once: it is still the order line's live line, so nobody can assign (and ship) it again.
  CHECK(store->live_dropship_line(kOrder, "6920001-1")->state == DropshipLineState::shipped);
  {
    auto tx = store->begin();
    CHECK_THROWS_AS(store->add_dropship_line(*tx, merchant_line(kOrder, "6920001-1", "f-nb")), SQLite::Exception);
  }
  // The factory's view of the same assignment is one row too: listing it twice cannot make two.
  const auto seen = add(*store, factory_line("DO-1", "f-hz", "dy-factory"));
  {
    auto tx = store->begin();
    CHECK_THROWS_AS(store->add_dropship_line(*tx, factory_line("DO-1", "f-hz", "dy-factory")), SQLite::Exception);
  }
  CHECK(store->dropship_line_by_distr(DropshipSide::merchant, "douyin", "dy-merchant", "DO-1")->id == line.id);
  CHECK(store->dropship_line_by_distr(DropshipSide::factory, "douyin", "dy-factory", "DO-1")->id == seen);
  // Another shop's id space is its own.
  const auto other_shop = add(*store, factory_line("DO-1", "f-nb", "dy-factory-2"));
  CHECK(store->dropship_line_by_distr(DropshipSide::factory, "douyin", "dy-factory-2", "DO-1")->id == other_shop);
  CHECK_FALSE(store->dropship_line_by_distr(DropshipSide::factory, "douyin", "dy-merchant", "DO-1").has_value());
  CHECK_FALSE(store->dropship_line_by_distr(DropshipSide::merchant, "douyin", "dy-factory", "DO-1").has_value());
  CHECK_FALSE(store->dropship_line_by_distr(DropshipSide::factory, "douyin", "dy-factory", "DO-2").has_value());
  // Lines without a platform id (no channel) are many, and the empty id names none of them.
  add(*store, merchant_line(kOrder, "6920001-2"));
  add(*store, merchant_line(kOrder, "6920001-3"));
  CHECK_FALSE(store->dropship_line_by_distr(DropshipSide::merchant, "douyin", "dy-merchant", "").has_value());
}

TEST_CASE("D8 dropship: a buyer's cancellation stays on the assigned line with its reason") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto line = factory_line("DO-8");
  line.id = add(*store, line);
  line.buyer_cancelled = true;
  line.cancel_reason = "buyer cancelled before shipping";
  line.updated_at = at("2026-11-21T11:00:00Z");
  update(*store, line);
  const auto assigned =
      store->list_dropship_lines({std::nullopt, "f-hz", "", "", "", {DropshipLineState::assigned}, 0, 200});
  REQUIRE(assigned.size() == 1);
  CHECK(assigned[0].id == line.id);
  CHECK(assigned[0].buyer_cancelled);
  CHECK(assigned[0].cancel_reason == "buyer cancelled before shipping");
  CHECK(
      store->list_dropship_lines({std::nullopt, "f-hz", "", "", "", {DropshipLineState::unassigned}, 0, 200}).empty());
}

TEST_CASE("D5 dropship: list_dropship_lines with factory set returns only that factory's lines (two factories)") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  std::vector<std::int64_t> hz;
  std::vector<std::int64_t> nb;
  for (int i = 0; i < 4; ++i) {
    hz.push_back(add(*store, factory_line("HZ-" + std::to_string(i), "f-hz")));
    nb.push_back(add(*store, factory_line("NB-" + std::to_string(i), "f-nb")));
  }
  hz.push_back(add(*store, merchant_line(kOrder, "6920001-1", "f-hz")));

  const auto mine = store->list_dropship_lines({std::nullopt, "f-hz", "", "", "", {}, 0, 200});
  CHECK(ids_of(mine) == hz);
  for (const auto& l : mine) CHECK(l.factory == "f-hz");
  CHECK(ids_of(store->list_dropship_lines({std::nullopt, "f-nb", "", "", "", {}, 0, 200})) == nb);
  CHECK(store->list_dropship_lines({std::nullopt, "f-unknown", "", "", "", {}, 0, 200}).empty());
  // With the side too (the factory API reads its factory shop's items).
  CHECK(ids_of(store->list_dropship_lines({DropshipSide::factory, "f-hz", "", "", "", {}, 0, 200})) ==
        std::vector<std::int64_t>(hz.begin(), hz.end() - 1));
  // Paging within one factory never shows another's lines.
  const auto page1 = store->list_dropship_lines({std::nullopt, "f-nb", "", "", "", {}, 0, 3});
  CHECK(ids_of(page1) == std::vector<std::int64_t>(nb.begin(), nb.begin() + 3));
  const auto page2 = store->list_dropship_lines({std::nullopt, "f-nb", "", "", "", {}, page1.back().id, 3});
  CHECK(ids_of(page2) == std::vector<std::int64_t>{nb[3]});
}

TEST_CASE("dropship: list_dropship_lines pages oldest first from after_id and filters by side, shop, order and state") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const OrderKey other{"douyin", "dy-merchant", "6920002"};
  const auto a = add(*store, merchant_line(kOrder, "6920001-1", "f-hz"));
  const auto b = add(*store, merchant_line(kOrder, "6920001-2", "f-nb"));
  const auto c = add(*store, merchant_line(other, "6920002-1", "f-hz"));
  const auto d = add(*store, factory_line("DO-1"));
  auto e_line = merchant_line(OrderKey{"douyin", "dy-outlet", "7000001"}, "7000001-1");
  e_line.state = DropshipLineState::assigned;
  const auto e = add(*store, e_line);

  CHECK(ids_of(store->list_dropship_lines({})) == std::vector<std::int64_t>{a, b, c, d, e});
  CHECK(ids_of(store->list_dropship_lines({std::nullopt, "", "", "", "", {}, b, 200})) ==
        std::vector<std::int64_t>{c, d, e});
  CHECK(store->list_dropship_lines({std::nullopt, "", "", "", "", {}, e, 200}).empty());
  CHECK(ids_of(store->list_dropship_lines({DropshipSide::merchant, "", "", "", "", {}, 0, 200})) ==
        std::vector<std::int64_t>{a, b, c, e});
  CHECK(ids_of(store->list_dropship_lines({DropshipSide::factory, "", "", "", "", {}, 0, 200})) ==
        std::vector<std::int64_t>{d});
  CHECK(ids_of(store->list_dropship_lines({std::nullopt, "", "douyin", "dy-merchant", "", {}, 0, 200})) ==
        std::vector<std::int64_t>{a, b, c});
  CHECK(ids_of(store->list_dropship_lines({std::nullopt, "", "", "", "6920001", {}, 0, 200})) ==
        std::vector<std::int64_t>{a, b});
  CHECK(ids_of(store->list_dropship_lines({std::nullopt, "", "", "", "", {DropshipLineState::assigned}, 0, 200})) ==
        std::vector<std::int64_t>{d, e});
  CHECK(ids_of(store->list_dropship_lines(
            {std::nullopt, "", "", "", "", {DropshipLineState::assigning, DropshipLineState::assigned}, c, 200})) ==
        std::vector<std::int64_t>{d, e});
  CHECK(store->list_dropship_lines({std::nullopt, "", "tmall", "", "", {}, 0, 200}).empty());
  CHECK(ids_of(store->list_dropship_lines(
            {std::nullopt, "f-hz", "douyin", "dy-merchant", "6920002", {DropshipLineState::assigning}, 0, 200})) ==
        std::vector<std::int64_t>{c});

  // Paging walks every line once.
  std::vector<std::int64_t> walked;
  std::int64_t after = 0;
  for (;;) {
    const auto page = store->list_dropship_lines({std::nullopt, "", "", "", "", {}, after, 2});
    if (page.empty()) break;
    CHECK(page.size() <= 2);
    for (const auto& l : page) walked.push_back(l.id);
    after = page.back().id;
  }
  CHECK(walked == std::vector<std::int64_t>{a, b, c, d, e});
}

TEST_CASE("dropship: the line listing's limit is clamped to 1..1000") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  {
    auto tx = store->begin();
    for (int i = 0; i < 1001; ++i) store->add_dropship_line(*tx, factory_line("DO-" + std::to_string(i)));
    tx->commit();
  }
  CHECK(store->list_dropship_lines({std::nullopt, "", "", "", "", {}, 0, 5000}).size() == 1000);
  CHECK(store->list_dropship_lines({std::nullopt, "", "", "", "", {}, 0, 0}).size() == 1);
  CHECK(store->list_dropship_lines({std::nullopt, "", "", "", "", {}, 0, -1}).size() == 1);
  CHECK(store->list_dropship_lines({std::nullopt, "", "", "", "", {}, 0, 7}).size() == 7);
}

TEST_CASE("D10 dropship: the access log holds no receiver data, newest first, per factory") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto a = log_access(*store, "f-hz", 11, "decrypted", "2026-11-22T08:00:00.100Z");
  const auto b = log_access(*store, "f-nb", 12, "not this factory's line", "2026-11-22T08:01:00Z");
  const auto c = log_access(*store, "f-hz", 13, "decrypted", "2026-11-22T08:02:00Z");

  CHECK(ids_of(store->receiver_accesses()) == std::vector<std::int64_t>{c, b, a});
  CHECK(ids_of(store->receiver_accesses("f-hz")) == std::vector<std::int64_t>{c, a});
  CHECK(ids_of(store->receiver_accesses("f-nb")) == std::vector<std::int64_t>{b});
  CHECK(store->receiver_accesses("f-unknown").empty());
  CHECK(ids_of(store->receiver_accesses("", 2)) == std::vector<std::int64_t>{c, b});
  CHECK(ids_of(store->receiver_accesses("f-hz", 0)) == std::vector<std::int64_t>{c});

  const auto entries = store->receiver_accesses("f-hz");
  REQUIRE(entries.size() == 2);
  const auto& first = entries[1];
  CHECK(first.id == a);
  CHECK(first.factory == "f-hz");
  CHECK(first.dropship_line == 11);
  CHECK(first.platform == "douyin");
  CHECK(first.shop == "dy-merchant");
  CHECK(first.order_id == "6920001");
  CHECK(first.outcome == "decrypted");
  CHECK(first.at == at("2026-11-22T08:00:00.100Z"));

  auto tx = store->begin();
  auto& db = tx->db();
  // The log's columns say who, which line and order, the outcome and when: no receiver data.
  std::set<std::string> columns;
  SQLite::Statement info(db, "PRAGMA table_info(receiver_access_log)");
  while (info.executeStep()) columns.insert(info.getColumn(1).getString());
  CHECK(columns ==
        std::set<std::string>{"id", "factory", "dropship_line", "platform", "shop", "order_id", "outcome", "at"});
  // An audit trail is not rewritten.
  CHECK_THROWS_AS(db.exec("UPDATE receiver_access_log SET outcome = 'nothing happened'"), SQLite::Exception);
  CHECK_THROWS_AS(db.exec("DELETE FROM receiver_access_log"), SQLite::Exception);
}

TEST_CASE("dropship: writes need an open transaction of this store; a rolled-back one leaves no row") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  {
    auto tx = store->begin();
    store->set_dropship_role(*tx, "douyin", "dy-merchant", "merchant", at("2026-11-20T07:00:00Z"));
    CHECK(store->add_binding(*tx, binding("f-hz")) > 0);
    const auto line = store->add_dropship_line(*tx, merchant_line(kOrder, "6920001-1"));
    store->log_receiver_access(*tx, ReceiverAccess{0, "f-hz", line, "douyin", "dy-merchant", "6920001", "decrypted",
                                                   at("2026-11-22T08:00:00Z")});
    // Reads inside the transaction see its writes.
    CHECK(store->open_binding("douyin", "dy-merchant", "f-hz").has_value());
    CHECK(store->live_dropship_line(kOrder, "6920001-1")->id == line);
    // Not committed: rolled back.
  }
  CHECK_FALSE(store->dropship_role("douyin", "dy-merchant").has_value());
  CHECK_FALSE(store->has_any_binding("douyin", "dy-merchant"));
  CHECK(store->list_bindings({}).empty());
  CHECK(store->list_dropship_lines({}).empty());
  CHECK(store->receiver_accesses().empty());

  auto done = store->begin();
  done->commit();
  CHECK_THROWS_AS(store->add_binding(*done, binding("f-hz")), std::logic_error);
  CHECK_THROWS_AS(store->add_dropship_line(*done, merchant_line(kOrder, "6920001-1")), std::logic_error);
  CHECK_THROWS_AS(store->log_receiver_access(*done, ReceiverAccess{}), std::logic_error);
  CHECK_THROWS_AS(store->set_dropship_role(*done, "douyin", "dy-merchant", "merchant", at("2026-11-20T07:00:00Z")),
                  std::logic_error);
}

TEST_CASE("dropship: the lookups walk their indexes, not the whole table") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto tx = store->begin();
  auto& db = tx->db();
  auto plan_of = [&](const std::string& sql) { return query_plan(db, sql); };
  // The statements as daemon/store/dropship_rows.cpp spells them: the partial indexes are used only
  // when a query repeats their WHERE terms. The live line uses the partial unique index.
  const auto live = plan_of(
      "SELECT id FROM dropship_lines WHERE platform = ?1 AND shop = ?2 AND order_id = ?3 AND line_id = ?4 "
      "AND side = 'merchant' AND (state = 'assigning' OR state = 'assigned' OR state = 'shipped')");
  CAPTURE(live);
  CHECK(live.find("dropship_lines_live") != std::string::npos);
  // A factory's page of lines comes from dropship_lines_of_factory in id order, without sorting.
  const auto factory = plan_of("SELECT id FROM dropship_lines WHERE id > ?1 AND factory = ?3 ORDER BY id LIMIT ?8");
  CAPTURE(factory);
  CHECK(factory.find("dropship_lines_of_factory") != std::string::npos);
  CHECK(factory.find("TEMP B-TREE") == std::string::npos);
  const auto distr = plan_of(
      "SELECT id FROM dropship_lines WHERE side = ?1 AND platform = ?2 AND shop = ?3 AND distr_order_id = ?4 "
      "AND distr_order_id <> ''");
  CAPTURE(distr);
  CHECK(distr.find("dropship_lines_by_distr") != std::string::npos);
}

TEST_CASE("a database of schema 6 gains the dropship tables and keeps its orders, reservations and alerts") {
  TempDir dir;
  const auto path = dir / "erpd.db";
  const auto order = sample_order("6920001", "dy-merchant", "douyin");
  {
    auto old = open_store(path, OpenOptions{6});
    REQUIRE(old->schema_version() == 6);
    auto tx = old->begin();
    old->upsert_order(*tx, order, at("2026-11-20T00:00:00Z"));
    daemon::store::GiftReservation r;
    r.key = key_of(order);
    r.buyer_ref = "buyer-open-uid-1";
    r.pieces = 1;
    r.recognised_by = "sku";
    r.created_at = at("2026-11-20T00:00:01Z");
    r.updated_at = at("2026-11-20T00:00:01Z");
    old->put_reservation(*tx, r);
    CHECK(old->raise_alert(*tx, {"gift.tag_late", "kept", key_of(order), "G2", "kept across the upgrade", {}},
                           at("2026-11-20T00:00:02Z")));
    tx->commit();
    CHECK_FALSE(tx->db().tableExists("dropship_lines"));
    CHECK_FALSE(tx->db().tableExists("dropship_bindings"));
  }
  auto store = open_store(path);
  CHECK(store->schema_version() == Store::latest_schema_version());
  CHECK(Store::latest_schema_version() >= 7);
  const auto kept = store->get_order(key_of(order));
  REQUIRE(kept.has_value());
  CHECK(same_order(kept->order, order));
  CHECK(store->get_reservation(key_of(order))->buyer_ref == "buyer-open-uid-1");
  REQUIRE(store->open_alerts().size() == 1);
  CHECK(store->open_alerts()[0].message == "kept across the upgrade");
  CHECK(store->events(key_of(order)).size() == 1);

  // The new tables work on the upgraded file.
  {
    auto tx = store->begin();
    store->set_dropship_role(*tx, "douyin", "dy-merchant", "merchant", at("2026-11-20T07:00:00Z"));
    tx->commit();
  }
  const auto b = add(*store, binding("f-hz"));
  const auto line = add(*store, merchant_line(key_of(order), order.lines[0].line_id, "f-hz", b));
  log_access(*store, "f-hz", line, "decrypted", "2026-11-22T08:00:00Z");
  CHECK(store->dropship_role("douyin", "dy-merchant") == "merchant");
  CHECK(store->open_binding("douyin", "dy-merchant", "f-hz")->id == b);
  CHECK(store->live_dropship_line(key_of(order), order.lines[0].line_id)->binding_id == b);
  CHECK(store->receiver_accesses("f-hz").size() == 1);
  {
    auto tx = store->begin();
    CHECK(tx->db().execAndGet("PRAGMA foreign_keys").getInt() == 1);
  }
  // Reopening changes nothing.
  store.reset();
  store = open_store(path);
  CHECK(store->schema_version() == Store::latest_schema_version());
  CHECK(store->dropship_lines_of(key_of(order)).size() == 1);
}
