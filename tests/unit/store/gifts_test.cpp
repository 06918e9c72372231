// 1-yuan reservation gifts as the store keeps them (rules G1-G13): reservations, their links to
// repurchase orders and merchant rule usage. The workflow's decisions are tested under workflows/.

#include <SQLiteCpp/SQLiteCpp.h>

#include "unit/store/store_fixture.hpp"

using namespace erp;
using namespace erp::test;
using daemon::store::GiftLink;
using daemon::store::GiftLinkState;
using daemon::store::GiftReservation;
using daemon::store::NewHold;
using daemon::store::OpenOptions;
using daemon::store::ReservationFilter;
using daemon::store::ReservationState;
using daemon::store::Store;

namespace {

/// Stores a paid order of `shop` and returns its key.
OrderKey stored(Store& store, const std::string& id, const std::string& shop = "tmall-flagship") {
  auto order = sample_order(id, shop);
  auto tx = store.begin();
  store.upsert_order(*tx, order, at("2026-11-10T16:00:30Z"));
  tx->commit();
  return key_of(order);
}

GiftReservation reservation(const OrderKey& key, const std::string& buyer, std::optional<Instant> paid_at,
                            const char* created = "2026-11-10T16:01:00Z") {
  GiftReservation r;
  r.key = key;
  r.buyer_ref = buyer;
  r.paid_at = paid_at;
  r.pieces = 1;
  r.state = ReservationState::waiting;
  r.recognised_by = "sku";
  r.created_at = at(created);
  r.updated_at = at(created);
  return r;
}

void put(Store& store, const GiftReservation& r) {
  auto tx = store.begin();
  store.put_reservation(*tx, r);
  tx->commit();
}

GiftLink link(const OrderKey& reservation, const OrderKey& main, const char* created = "2026-11-11T02:00:00Z") {
  GiftLink l;
  l.reservation = reservation;
  l.main = main;
  l.rule_id = "G2";
  l.source = "tag";
  l.pieces = 1;
  l.created_at = at(created);
  l.updated_at = at(created);
  l.detail = "linked by the repurchase's tag";
  return l;
}

std::int64_t add(Store& store, const GiftLink& l) {
  auto tx = store.begin();
  const auto id = store.add_gift_link(*tx, l);
  tx->commit();
  return id;
}

void update(Store& store, const GiftLink& l) {
  auto tx = store.begin();
  store.update_gift_link(*tx, l);
  tx->commit();
}

std::vector<std::string> ids_of(const std::vector<GiftReservation>& rs) {
  std::vector<std::string> out;
  for (const auto& r : rs) out.push_back(r.key.order_id);
  return out;
}

std::vector<std::int64_t> ids_of(const std::vector<GiftLink>& ls) {
  std::vector<std::int64_t> out;
  for (const auto& l : ls) out.push_back(l.id);
  return out;
}

}  // namespace

TEST_CASE("gift: a reservation round-trips and putting it again replaces it") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto key = stored(*store, "5001");
  CHECK_FALSE(store->get_reservation(key).has_value());

  auto r = reservation(key, "buyer-1", at("2026-11-10T16:00:09Z"));
  r.pieces = 3;  // G9: one shipment whatever the quantity
  {
    auto tx = store->begin();
    r.hold_id = store->add_hold(*tx, key, NewHold{"RESERVATION", "workflow:gift", "G1", "1-yuan reservation", {}},
                                at("2026-11-10T16:01:00Z"));
    store->put_reservation(*tx, r);
    tx->commit();
  }
  auto got = store->get_reservation(key);
  REQUIRE(got.has_value());
  CHECK(got->key == key);
  CHECK(got->buyer_ref == "buyer-1");
  CHECK(got->paid_at == at("2026-11-10T16:00:09Z"));
  CHECK(got->pieces == 3);
  CHECK(got->state == ReservationState::waiting);
  CHECK(got->hold_id == r.hold_id);
  CHECK(got->recognised_by == "sku");
  CHECK(got->created_at == at("2026-11-10T16:01:00Z"));
  CHECK(got->updated_at == at("2026-11-10T16:01:00Z"));
  CHECK_FALSE(got->ended_at.has_value());

  r.state = ReservationState::closed;
  r.hold_id.reset();
  r.updated_at = at("2026-11-12T08:00:00Z");
  r.ended_at = at("2026-11-12T08:00:00Z");
  put(*store, r);
  got = store->get_reservation(key);
  REQUIRE(got.has_value());
  CHECK(got->state == ReservationState::closed);
  CHECK_FALSE(got->hold_id.has_value());
  CHECK(got->updated_at == at("2026-11-12T08:00:00Z"));
  CHECK(got->ended_at == at("2026-11-12T08:00:00Z"));
  CHECK(got->created_at == at("2026-11-10T16:01:00Z"));
  CHECK(store->list_reservations({}).size() == 1);

  // A payment time unknown stays unknown.
  const auto unpaid = stored(*store, "5002");
  put(*store, reservation(unpaid, "buyer-1", std::nullopt));
  CHECK_FALSE(store->get_reservation(unpaid)->paid_at.has_value());

  auto tx = store->begin();
  CHECK_THROWS_AS(store->put_reservation(*tx, reservation({"tmall", "tmall-flagship", "9999"}, "buyer-1", {})),
                  std::out_of_range);
}

TEST_CASE("gift G3: a buyer's reservations come earliest paid first, unpaid last, in their shop and state only") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  put(*store, reservation(stored(*store, "6001"), "buyer-1", at("2026-11-10T10:00:00Z")));
  put(*store, reservation(stored(*store, "6003"), "buyer-1", at("2026-11-10T09:00:00Z")));
  put(*store, reservation(stored(*store, "6002"), "buyer-1", at("2026-11-10T09:00:00Z")));  // same second
  put(*store, reservation(stored(*store, "6004"), "buyer-1", std::nullopt));
  put(*store, reservation(stored(*store, "6005"), "buyer-1", at("2026-11-10T08:00:00Z")));
  // Not theirs to link: another shop, another buyer, another state.
  put(*store, reservation(stored(*store, "6006", "tmall-outlet"), "buyer-1", at("2026-11-10T07:00:00Z")));
  put(*store, reservation(stored(*store, "6007"), "buyer-2", at("2026-11-10T07:00:00Z")));
  auto linked = reservation(stored(*store, "6008"), "buyer-1", at("2026-11-10T07:00:00Z"));
  linked.state = ReservationState::linked;
  put(*store, linked);

  CHECK(ids_of(store->reservations_of_buyer("tmall", "tmall-flagship", "buyer-1", ReservationState::waiting)) ==
        std::vector<std::string>{"6005", "6002", "6003", "6001", "6004"});
  CHECK(ids_of(store->reservations_of_buyer("tmall", "tmall-flagship", "buyer-1", ReservationState::linked)) ==
        std::vector<std::string>{"6008"});
  CHECK(ids_of(store->reservations_of_buyer("tmall", "tmall-outlet", "buyer-1", ReservationState::waiting)) ==
        std::vector<std::string>{"6006"});
  CHECK(ids_of(store->reservations_of_buyer("tmall", "tmall-flagship", "buyer-2", ReservationState::waiting)) ==
        std::vector<std::string>{"6007"});
  CHECK(store->reservations_of_buyer("taobao", "tmall-flagship", "buyer-1", ReservationState::waiting).empty());
  CHECK(store->reservations_of_buyer("tmall", "tmall-flagship", "buyer-3", ReservationState::waiting).empty());
}

TEST_CASE("gift: the reservation listing is newest first and filters by state, platform and shop") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  put(*store, reservation(stored(*store, "7001"), "b", {}, "2026-11-10T16:01:00Z"));
  put(*store, reservation(stored(*store, "7002", "tmall-outlet"), "b", {}, "2026-11-10T16:03:00Z"));
  auto shipped = reservation(stored(*store, "7003"), "b", {}, "2026-11-10T16:02:00Z");
  shipped.state = ReservationState::shipped;
  put(*store, shipped);
  put(*store, reservation(stored(*store, "7004"), "b", {}, "2026-11-10T16:02:00Z"));  // same time: later row first

  CHECK(ids_of(store->list_reservations({})) == std::vector<std::string>{"7002", "7004", "7003", "7001"});
  CHECK(ids_of(store->list_reservations({{ReservationState::shipped}, "", "", 100})) ==
        std::vector<std::string>{"7003"});
  CHECK(ids_of(store->list_reservations({{ReservationState::shipped, ReservationState::waiting}, "", "", 100})) ==
        std::vector<std::string>{"7002", "7004", "7003", "7001"});
  CHECK(ids_of(store->list_reservations({{}, "tmall", "tmall-outlet", 100})) == std::vector<std::string>{"7002"});
  CHECK(store->list_reservations({{}, "taobao", "", 100}).empty());
  CHECK(ids_of(store->list_reservations({{}, "", "", 2})) == std::vector<std::string>{"7002", "7004"});
  CHECK(store->list_reservations({{}, "", "", 0}).size() == 1);  // clamped to 1
  CHECK(store->list_reservations({{}, "", "", -5}).size() == 1);
}

TEST_CASE("gift: a reservation has one link not dropped; a dropped link leaves room for the next (G7)") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto res = stored(*store, "8001");
  const auto main_a = stored(*store, "8101");
  const auto main_b = stored(*store, "8102");
  put(*store, reservation(res, "buyer-1", at("2026-11-10T16:00:09Z")));
  CHECK_FALSE(store->active_gift_link(res).has_value());

  auto first = link(res, main_b, "2026-11-11T02:00:00Z");
  first.id = 777;  // ignored
  first.id = add(*store, first);
  CHECK(first.id != 777);
  auto got = store->get_gift_link(first.id);
  REQUIRE(got.has_value());
  CHECK(got->reservation == res);
  CHECK(got->main == main_b);
  CHECK(got->state == GiftLinkState::linked);
  CHECK(got->rule_id == "G2");
  CHECK(got->source == "tag");
  CHECK(got->pieces == 1);
  CHECK(got->waybill.empty());
  CHECK_FALSE(got->main_shipped_at.has_value());
  CHECK_FALSE(got->waybill_tie);
  CHECK_FALSE(got->verify_by.has_value());
  CHECK_FALSE(got->outbox_id.has_value());
  CHECK(got->created_at == at("2026-11-11T02:00:00Z"));
  CHECK(got->detail == "linked by the repurchase's tag");
  CHECK(store->active_gift_link(res)->id == first.id);

  // A second active link for the same reservation is refused, and the refusal writes nothing.
  {
    auto tx = store->begin();
    CHECK_THROWS_AS(store->add_gift_link(*tx, link(res, main_a)), SQLite::Exception);
    tx->commit();
  }
  CHECK(store->gift_links_of_reservation(res).size() == 1);
  CHECK(store->gift_links_of_main(main_a, true).empty());

  // G7: an earlier repurchase takes the reservation: the old link is dropped, a new one added.
  first.state = GiftLinkState::dropped;
  first.updated_at = at("2026-11-11T03:00:00Z");
  first.ended_at = at("2026-11-11T03:00:00Z");
  first.detail = "moved to the earlier repurchase 8101";
  update(*store, first);
  CHECK_FALSE(store->active_gift_link(res).has_value());
  const auto second = add(*store, link(res, main_a, "2026-11-11T03:00:00Z"));
  CHECK(store->active_gift_link(res)->id == second);
  CHECK(ids_of(store->gift_links_of_reservation(res)) == std::vector<std::int64_t>{first.id, second});
  const auto dropped = store->get_gift_link(first.id);
  CHECK(dropped->state == GiftLinkState::dropped);
  CHECK(dropped->ended_at == at("2026-11-11T03:00:00Z"));
  CHECK(dropped->detail == "moved to the earlier repurchase 8101");

  // A dropped link cannot come back while another one stands.
  first.state = GiftLinkState::linked;
  {
    auto tx = store->begin();
    CHECK_THROWS_AS(store->update_gift_link(*tx, first), SQLite::Exception);
  }
  CHECK(store->get_gift_link(first.id)->state == GiftLinkState::dropped);

  auto tx = store->begin();
  CHECK_THROWS_AS(store->add_gift_link(*tx, link({"tmall", "tmall-flagship", "9999"}, main_a)), std::out_of_range);
  CHECK_THROWS_AS(store->add_gift_link(*tx, link(res, {"tmall", "tmall-flagship", "9999"})), std::out_of_range);
  auto unknown = link(res, main_a);
  unknown.id = 9999;
  CHECK_THROWS_AS(store->update_gift_link(*tx, unknown), std::out_of_range);
  CHECK_FALSE(store->get_gift_link(9999).has_value());
}

TEST_CASE("gift G5/G6/G10: a link's shipping facts round-trip; a main's links come oldest first, dropped on request") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto main = stored(*store, "9100");
  const auto other_main = stored(*store, "9200");
  const auto r1 = stored(*store, "9001");
  const auto r2 = stored(*store, "9002");
  const auto r3 = stored(*store, "9003");
  const auto l1 = add(*store, link(r1, main, "2026-11-11T02:00:00Z"));
  const auto l2 = add(*store, link(r2, main, "2026-11-11T02:00:01Z"));
  auto l3 = link(r3, main, "2026-11-11T02:00:02Z");
  l3.id = add(*store, l3);
  add(*store, link(stored(*store, "9004"), other_main));
  l3.state = GiftLinkState::dropped;
  update(*store, l3);

  CHECK(ids_of(store->gift_links_of_main(main, false)) == std::vector<std::int64_t>{l1, l2});
  CHECK(ids_of(store->gift_links_of_main(main, true)) == std::vector<std::int64_t>{l1, l2, l3.id});
  CHECK(store->gift_links_of_main({"tmall", "tmall-flagship", "nope"}, true).empty());
  CHECK(store->gift_links_of_reservation({"tmall", "tmall-flagship", "nope"}).empty());
  CHECK_FALSE(store->active_gift_link({"tmall", "tmall-flagship", "nope"}).has_value());

  // The main shipped in several sub-orders at the same time (G6): the smallest waybill won.
  auto shipped = *store->get_gift_link(l1);
  shipped.state = GiftLinkState::main_shipped;
  shipped.waybill = "SF1001";
  shipped.carrier_code = "SF";
  shipped.main_shipped_at = at("2026-11-12T09:00:00Z");
  shipped.waybill_tie = true;
  shipped.verify_by = at("2026-11-13T09:00:00Z");
  shipped.updated_at = at("2026-11-12T09:00:05Z");
  shipped.detail = "main shipped: SF1001 (smallest of 2 shipped at 09:00)";
  {
    auto tx = store->begin();
    shipped.outbox_id =
        store->enqueue(*tx, {"gift-ship:9001", "platform.ship", "tmall-flagship", r1, {}}, at("2026-11-12T09:00:05Z"));
    store->update_gift_link(*tx, shipped);
    tx->commit();
  }
  const auto got = store->get_gift_link(l1);
  REQUIRE(got.has_value());
  CHECK(got->state == GiftLinkState::main_shipped);
  CHECK(got->waybill == "SF1001");
  CHECK(got->carrier_code == "SF");
  CHECK(got->main_shipped_at == at("2026-11-12T09:00:00Z"));
  CHECK(got->waybill_tie);
  CHECK(got->verify_by == at("2026-11-13T09:00:00Z"));
  CHECK(got->outbox_id == shipped.outbox_id);
  CHECK(got->updated_at == at("2026-11-12T09:00:05Z"));
  CHECK(got->created_at == at("2026-11-11T02:00:00Z"));
  CHECK(got->detail == "main shipped: SF1001 (smallest of 2 shipped at 09:00)");
  // What the update does not change stays.
  CHECK(got->main == main);
  CHECK(got->rule_id == "G2");
  CHECK(got->pieces == 1);
}

TEST_CASE("gift G5: only links whose main shipped and whose verification time has come are due") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto main = stored(*store, "10100");
  auto make = [&](const std::string& id, GiftLinkState state, std::optional<Instant> verify_by) {
    auto l = link(stored(*store, id), main);
    l.id = add(*store, l);
    l.state = state;
    l.verify_by = verify_by;
    update(*store, l);
    return l.id;
  };
  const auto late = make("10002", GiftLinkState::main_shipped, at("2026-11-13T12:00:00Z"));
  const auto early = make("10001", GiftLinkState::main_shipped, at("2026-11-13T10:00:00Z"));
  make("10003", GiftLinkState::linked, at("2026-11-13T09:00:00Z"));
  make("10004", GiftLinkState::shipped, at("2026-11-13T08:00:00Z"));
  make("10005", GiftLinkState::dropped, at("2026-11-13T08:00:00Z"));
  make("10006", GiftLinkState::main_shipped, std::nullopt);  // merchant mode: nothing to verify

  CHECK(store->gift_links_due(at("2026-11-13T09:59:59Z")).empty());
  CHECK(ids_of(store->gift_links_due(at("2026-11-13T11:00:00Z"))) == std::vector<std::int64_t>{early});
  CHECK(ids_of(store->gift_links_due(at("2026-11-13T12:00:00Z"))) == std::vector<std::int64_t>{early, late});
  CHECK(ids_of(store->gift_links_due(at("2026-11-14T00:00:00Z"), 1)) == std::vector<std::int64_t>{early});

  auto verified = *store->get_gift_link(early);
  verified.state = GiftLinkState::shipped;
  update(*store, verified);
  CHECK(ids_of(store->gift_links_due(at("2026-11-14T00:00:00Z"))) == std::vector<std::int64_t>{late});
}

TEST_CASE("gift G12: a merchant rule's usage adds up, gives back, and never goes below nothing") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  CHECK(store->gift_rule_used("spend-2000") == 0);
  auto use = [&](const std::string& rule, std::int64_t pieces) {
    auto tx = store->begin();
    store->add_gift_rule_use(*tx, rule, pieces, at("2026-11-11T02:00:00Z"));
    tx->commit();
  };
  use("spend-2000", 3);
  use("spend-2000", 2);
  use("two-items", 1);
  CHECK(store->gift_rule_used("spend-2000") == 5);
  CHECK(store->gift_rule_used("two-items") == 1);
  use("spend-2000", -4);  // a dropped link gives its pieces back
  CHECK(store->gift_rule_used("spend-2000") == 1);
  use("spend-2000", -5);
  CHECK(store->gift_rule_used("spend-2000") == 0);
  use("never-used", -1);
  CHECK(store->gift_rule_used("never-used") == 0);
}

TEST_CASE("gift: reads inside a transaction see its writes; a rolled-back transaction leaves no row") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto res = stored(*store, "11001");
  const auto main = stored(*store, "11100");
  {
    auto tx = store->begin();
    store->put_reservation(*tx, reservation(res, "buyer-1", at("2026-11-10T16:00:09Z")));
    const auto id = store->add_gift_link(*tx, link(res, main));
    store->add_gift_rule_use(*tx, "spend-2000", 2, at("2026-11-11T02:00:00Z"));
    CHECK(store->get_reservation(res).has_value());
    CHECK(store->reservations_of_buyer("tmall", "tmall-flagship", "buyer-1", ReservationState::waiting).size() == 1);
    CHECK(store->active_gift_link(res)->id == id);
    CHECK(store->gift_links_of_main(main, false).size() == 1);
    CHECK(store->gift_rule_used("spend-2000") == 2);
    // No commit: the Tx rolls back as it goes.
  }
  CHECK_FALSE(store->get_reservation(res).has_value());
  CHECK(store->list_reservations({}).empty());
  CHECK_FALSE(store->active_gift_link(res).has_value());
  CHECK(store->gift_links_of_reservation(res).empty());
  CHECK(store->gift_rule_used("spend-2000") == 0);
  // Nothing half-written stands in the way of doing it again.
  const auto id = add(*store, link(res, main));
  CHECK(store->get_gift_link(id)->reservation == res);
}

TEST_CASE("a database of schema 5 gains the gift and alert tables and keeps its orders, holds and intercepts") {
  TempDir dir;
  const auto path = dir / "erpd.db";
  const auto order = sample_order("12001");
  const auto main_order = sample_order("12100");
  std::int64_t intercept_id = 0;
  {
    auto old = open_store(path, OpenOptions{5});
    REQUIRE(old->schema_version() == 5);
    auto tx = old->begin();
    old->upsert_order(*tx, order, at("2026-11-11T00:00:00Z"));
    old->upsert_order(*tx, main_order, at("2026-11-11T00:00:00Z"));
    old->add_hold(*tx, key_of(order), NewHold{"MANUAL", "operator:li", "", "kept across the upgrade", {}},
                  at("2026-11-11T00:00:01Z"));
    daemon::store::Intercept intercept;
    intercept.key = key_of(main_order);
    intercept.source = "api";
    intercept.requested_by = "operator:li";
    intercept.requested_at = at("2026-11-11T00:00:02Z");
    intercept.updated_at = at("2026-11-11T00:00:02Z");
    intercept_id = old->add_intercept(*tx, intercept);
    tx->commit();
    CHECK_FALSE(tx->db().tableExists("gift_links"));
  }
  auto store = open_store(path);
  CHECK(store->schema_version() == Store::latest_schema_version());
  CHECK(Store::latest_schema_version() >= 6);
  const auto kept = store->get_order(key_of(order));
  REQUIRE(kept.has_value());
  CHECK(same_order(kept->order, order));
  REQUIRE(kept->holds.size() == 1);
  CHECK(kept->holds[0].note == "kept across the upgrade");
  CHECK(store->get_intercept(intercept_id)->key == key_of(main_order));
  CHECK(store->events(key_of(order)).size() == 2);

  put(*store, reservation(key_of(order), "buyer-open-uid-1", order.paid_at));
  const auto id = add(*store, link(key_of(order), key_of(main_order)));
  CHECK(store->active_gift_link(key_of(order))->id == id);
  auto tx = store->begin();
  CHECK(store->raise_alert(*tx, {"gift.tag_late", key_of(main_order).to_string(), key_of(main_order), "G2", "late", {}},
                           at("2026-11-11T04:00:00Z")));
  tx->commit();
  CHECK(store->open_alerts().size() == 1);
}
