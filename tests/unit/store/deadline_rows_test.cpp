// Order deadlines as the store keeps them (rules S1-S4): each order's ship-by and pickup clock, the
// ranges the sweep walks, the S4 reports and the parcel's tracking events. The rules that compute
// them are tested under deadline/ and workflows/; here, what the rows hold, what the walks return
// and in which order, and which rows the constraints refuse.

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <string>
#include <vector>

#include "unit/store/store_fixture.hpp"

using namespace erp;
using namespace erp::test;
using daemon::store::DeadlineCursor;
using daemon::store::DeadlineReport;
using daemon::store::DeadlineState;
using daemon::store::DropshipLine;
using daemon::store::DropshipLineState;
using daemon::store::DropshipSide;
using daemon::store::OpenOptions;
using daemon::store::OrderDeadline;
using daemon::store::Store;
using daemon::store::TrackingEvent;

namespace {

const OrderKey kUnknown{"tmall", "tmall-flagship", "9999"};

/// Stores sample orders with these ids and returns their keys, in the same order.
std::vector<OrderKey> store_orders(Store& store, const std::vector<std::string>& ids) {
  std::vector<OrderKey> keys;
  auto tx = store.begin();
  for (const auto& id : ids) {
    const auto order = sample_order(id);
    store.upsert_order(*tx, order, at("2026-11-11T00:00:00Z"));
    keys.push_back(key_of(order));
  }
  tx->commit();
  return keys;
}

OrderDeadline deadline(const OrderKey& key, DeadlineState state, std::optional<Instant> ship_by) {
  OrderDeadline d;
  d.key = key;
  d.ship_by = ship_by;
  d.rule_id = "S1";
  d.reason = "paid + 48 h";
  d.state = state;
  d.updated_at = at("2026-11-11T00:00:00Z");
  return d;
}

/// A shipped order whose pickup clock runs (S2).
OrderDeadline shipped(const OrderKey& key, std::optional<Instant> pickup_due,
                      std::optional<Instant> picked_up_at = std::nullopt) {
  auto d = deadline(key, DeadlineState::shipped, at("2026-11-12T16:00:00Z"));
  d.shipped_at = at("2026-11-11T10:00:00Z");
  d.pickup_due = pickup_due;
  d.pickup_rule = "S2";
  d.picked_up_at = picked_up_at;
  return d;
}

void put(Store& store, const OrderDeadline& d) {
  auto tx = store.begin();
  store.put_deadline(*tx, d);
  tx->commit();
}

std::vector<std::string> ids_of(const std::vector<OrderDeadline>& rows) {
  std::vector<std::string> out;
  for (const auto& d : rows) out.push_back(d.key.order_id);
  return out;
}

TrackingEvent event(const OrderKey& key, const std::string& waybill, const char* kind, const char* when,
                    const char* received = "2026-11-12T12:00:00Z") {
  TrackingEvent e;
  e.key = key;
  e.waybill = waybill;
  e.kind = kind;
  e.at = at(when);
  e.source = "carrier:zto";
  e.received_at = at(received);
  return e;
}

std::int64_t add(Store& store, const TrackingEvent& e) {
  auto tx = store.begin();
  const auto id = store.add_tracking_event(*tx, e);
  tx->commit();
  return id;
}

DeadlineReport report(const OrderKey& key, const char* kind, const char* action, std::optional<Instant> new_ship_by,
                      const char* created) {
  DeadlineReport r;
  r.key = key;
  r.kind = kind;
  r.action = action;
  r.new_ship_by = new_ship_by;
  r.note = std::string(kind) + " reported";
  r.by = "operator:li";
  r.created_at = at(created);
  return r;
}

std::int64_t add(Store& store, const DeadlineReport& r) {
  auto tx = store.begin();
  const auto id = store.add_deadline_report(*tx, r);
  tx->commit();
  return id;
}

std::int64_t count_of(const std::vector<std::pair<DeadlineState, std::int64_t>>& counts, DeadlineState state) {
  for (const auto& [s, n] : counts) {
    if (s == state) return n;
  }
  return -1;
}

}  // namespace

TEST_CASE("deadline states have stable names that read back") {
  using daemon::store::deadline_state_from_string;
  for (const auto state : {DeadlineState::open, DeadlineState::at_risk, DeadlineState::late, DeadlineState::shipped,
                           DeadlineState::exempt, DeadlineState::waived}) {
    CHECK(deadline_state_from_string(daemon::store::to_string(state)) == state);
  }
  CHECK(daemon::store::to_string(DeadlineState::at_risk) == "at_risk");
  CHECK(daemon::store::to_string(DeadlineState::waived) == "waived");
  CHECK_FALSE(deadline_state_from_string("At_risk").has_value());
  CHECK_FALSE(deadline_state_from_string("").has_value());
}

TEST_CASE("S1 put_deadline round-trips every field and replaces the order's previous one") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto keys = store_orders(*store, {"4100", "4101"});
  CHECK_FALSE(store->get_deadline(keys[0]).has_value());

  OrderDeadline d;
  d.key = keys[0];
  d.ship_by = at("2024-02-19T15:59:59Z");
  d.rule_id = "S7";
  d.window = "tmall-2024-spring-festival";
  d.reason = "paid in the 2024 Spring Festival window";
  d.state = DeadlineState::shipped;
  d.shipped_at = at("2024-02-18T02:00:00.125Z");
  d.pickup_due = at("2024-02-19T15:59:59Z");
  d.pickup_rule = "S11";
  d.picked_up_at = at("2024-02-18T09:30:00Z");
  d.first_hub_at = at("2024-02-18T20:00:00Z");
  d.last_tracking_at = at("2024-02-19T01:00:00Z");
  d.updated_at = at("2024-02-19T01:00:05Z");
  put(*store, d);
  put(*store, deadline(keys[1], DeadlineState::open, at("2026-11-12T16:00:00Z")));

  auto got = store->get_deadline(keys[0]);
  REQUIRE(got.has_value());
  CHECK(got->key == keys[0]);
  CHECK(got->ship_by == d.ship_by);
  CHECK(got->rule_id == "S7");
  CHECK(got->window == "tmall-2024-spring-festival");
  CHECK(got->reason == d.reason);
  CHECK(got->state == DeadlineState::shipped);
  CHECK(got->shipped_at == d.shipped_at);
  CHECK(got->pickup_due == d.pickup_due);
  CHECK(got->pickup_rule == "S11");
  CHECK(got->picked_up_at == d.picked_up_at);
  CHECK(got->first_hub_at == d.first_hub_at);
  CHECK(got->last_tracking_at == d.last_tracking_at);
  CHECK(got->updated_at == d.updated_at);

  // Putting it again replaces every field, the optional ones back to nothing too.
  auto again = deadline(keys[0], DeadlineState::waived, std::nullopt);
  again.rule_id = "S4";
  again.reason = "force majeure approved";
  again.updated_at = at("2024-02-20T00:00:00Z");
  put(*store, again);
  got = store->get_deadline(keys[0]);
  REQUIRE(got.has_value());
  CHECK(got->state == DeadlineState::waived);
  CHECK_FALSE(got->ship_by.has_value());
  CHECK(got->rule_id == "S4");
  CHECK(got->window.empty());
  CHECK(got->reason == "force majeure approved");
  CHECK_FALSE(got->shipped_at.has_value());
  CHECK_FALSE(got->pickup_due.has_value());
  CHECK(got->pickup_rule.empty());
  CHECK_FALSE(got->picked_up_at.has_value());
  CHECK_FALSE(got->first_hub_at.has_value());
  CHECK_FALSE(got->last_tracking_at.has_value());
  CHECK(got->updated_at == at("2024-02-20T00:00:00Z"));
  {
    auto tx = store->begin();
    CHECK(tx->db().execAndGet("SELECT COUNT(*) FROM order_deadlines").getInt() == 2);
  }
  // The other order's row is its own.
  const auto other = store->get_deadline(keys[1]);
  REQUIRE(other.has_value());
  CHECK(other->state == DeadlineState::open);
  CHECK(other->ship_by == at("2026-11-12T16:00:00Z"));

  // A rolled-back put leaves the stored row as it was.
  {
    auto tx = store->begin();
    store->put_deadline(*tx, deadline(keys[1], DeadlineState::late, at("2026-11-12T16:00:00Z")));
  }
  CHECK(store->get_deadline(keys[1])->state == DeadlineState::open);
}

TEST_CASE("S1 ship_by_due walks open and at-risk orders by ship-by, earliest first, up to the limit") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto keys = store_orders(*store, {"o-3", "r-1", "o-2", "l-0", "o-5", "o-none", "s-0", "o-2b", "w-0"});
  put(*store, deadline(keys[0], DeadlineState::open, at("2026-11-12T03:00:00Z")));
  put(*store, deadline(keys[1], DeadlineState::at_risk, at("2026-11-12T01:00:00Z")));
  put(*store, deadline(keys[2], DeadlineState::open, at("2026-11-12T02:00:00Z")));
  put(*store, deadline(keys[3], DeadlineState::late, at("2026-11-12T00:00:00Z")));
  put(*store, deadline(keys[4], DeadlineState::open, at("2026-11-12T05:00:00Z")));
  put(*store, deadline(keys[5], DeadlineState::open, std::nullopt));  // No ship-by (agreed time unknown).
  put(*store, shipped(keys[6], at("2026-11-12T00:00:00Z")));
  put(*store, deadline(keys[7], DeadlineState::open, at("2026-11-12T02:00:00Z")));  // Ties with o-2, stored later.
  put(*store, deadline(keys[8], DeadlineState::waived, at("2026-11-12T00:30:00Z")));

  const auto by = at("2026-11-12T04:00:00Z");
  using V = std::vector<std::string>;
  CHECK(ids_of(store->ship_by_due({DeadlineState::open, DeadlineState::at_risk}, by)) ==
        V{"r-1", "o-2", "o-2b", "o-3"});
  // The order of the states asked for does not matter.
  CHECK(ids_of(store->ship_by_due({DeadlineState::at_risk, DeadlineState::open}, by)) ==
        V{"r-1", "o-2", "o-2b", "o-3"});
  CHECK(ids_of(store->ship_by_due({DeadlineState::open, DeadlineState::at_risk}, by, 2)) == V{"r-1", "o-2"});
  CHECK(ids_of(store->ship_by_due({DeadlineState::open}, by)) == V{"o-2", "o-2b", "o-3"});
  CHECK(ids_of(store->ship_by_due({DeadlineState::open}, by, 1)) == V{"o-2"});
  CHECK(ids_of(store->ship_by_due({DeadlineState::at_risk}, by)) == V{"r-1"});
  // "At or before": a ship-by equal to `by` is due; one a millisecond later is not.
  CHECK(ids_of(store->ship_by_due({DeadlineState::open}, at("2026-11-12T05:00:00Z"))) ==
        V{"o-2", "o-2b", "o-3", "o-5"});
  CHECK(ids_of(store->ship_by_due({DeadlineState::open}, at("2026-11-12T04:59:59.999Z"))) == V{"o-2", "o-2b", "o-3"});
  // Other states are walked too (not indexed), alone or with the indexed ones.
  CHECK(ids_of(store->ship_by_due({DeadlineState::late}, by)) == V{"l-0"});
  CHECK(ids_of(store->ship_by_due({DeadlineState::late, DeadlineState::open}, by)) == V{"l-0", "o-2", "o-2b", "o-3"});
  // s-0 shipped with a ship-by after `by`: not due.
  CHECK(ids_of(store->ship_by_due({DeadlineState::waived, DeadlineState::at_risk, DeadlineState::shipped}, by)) ==
        V{"w-0", "r-1"});
  CHECK(ids_of(store->ship_by_due({DeadlineState::shipped}, at("2026-11-12T16:00:00Z"))) == V{"s-0"});
  CHECK(ids_of(store->ship_by_due({DeadlineState::late, DeadlineState::open}, by, 2)) == V{"l-0", "o-2"});
  // No state asked for, nothing is in one of them.
  CHECK(store->ship_by_due({}, by).empty());
  // Limits are clamped to 1..1000.
  CHECK(store->ship_by_due({DeadlineState::open, DeadlineState::at_risk}, by, 0).size() == 1);
  CHECK(store->ship_by_due({DeadlineState::open, DeadlineState::at_risk}, by, -5).size() == 1);
  CHECK(store->ship_by_due({DeadlineState::late, DeadlineState::open}, by, 0).size() == 1);
  CHECK(store->ship_by_due({DeadlineState::open, DeadlineState::at_risk}, by, 5000).size() == 4);

  // The rows carry the whole deadline, not only the key.
  const auto first = store->ship_by_due({DeadlineState::at_risk}, by);
  REQUIRE(first.size() == 1);
  CHECK(first[0].key == keys[1]);
  CHECK(first[0].state == DeadlineState::at_risk);
  CHECK(first[0].ship_by == at("2026-11-12T01:00:00Z"));
  CHECK(first[0].rule_id == "S1");

  // An order that moved on leaves the walk.
  put(*store, deadline(keys[1], DeadlineState::late, at("2026-11-12T01:00:00Z")));
  CHECK(ids_of(store->ship_by_due({DeadlineState::open, DeadlineState::at_risk}, by)) == V{"o-2", "o-2b", "o-3"});
}

TEST_CASE("S1/S2 the sweep's walks read their partial indexes in order, without sorting") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto tx = store->begin();
  auto& db = tx->db();
  auto plan_of = [&](const std::string& sql) { return query_plan(db, sql); };
  // The statements as daemon/store/deadline_rows.cpp spells them (without the join to orders).
  const auto one = plan_of(
      "SELECT d.order_row FROM order_deadlines d WHERE d.state = 'open' AND d.ship_by <= ?1 "
      "ORDER BY d.ship_by, d.order_row LIMIT ?2");
  CAPTURE(one);
  CHECK(one.find("order_deadlines_ship_by") != std::string::npos);
  CHECK(one.find("TEMP B-TREE") == std::string::npos);
  const auto both = plan_of(
      "SELECT d.ship_by, d.order_row FROM order_deadlines d WHERE d.state = 'open' AND d.ship_by <= ?1 UNION ALL "
      "SELECT d.ship_by, d.order_row FROM order_deadlines d WHERE d.state = 'at_risk' AND d.ship_by <= ?1 "
      "ORDER BY 1, 2 LIMIT ?2");
  CAPTURE(both);
  CHECK(both.find("MERGE") != std::string::npos);
  CHECK(both.find("order_deadlines_ship_by") != std::string::npos);
  CHECK(both.find("TEMP B-TREE") == std::string::npos);
  const auto pickups = plan_of(
      "SELECT d.order_row FROM order_deadlines d WHERE d.state = 'shipped' AND d.picked_up_at IS NULL "
      "AND d.pickup_due <= ?1 AND (d.pickup_due, d.order_row) > (?3, ?4) ORDER BY d.pickup_due, d.order_row LIMIT ?2");
  CAPTURE(pickups);
  CHECK(pickups.find("order_deadlines_pickup_due") != std::string::npos);
  CHECK(pickups.find("TEMP B-TREE") == std::string::npos);
  const auto quiet = plan_of(
      "SELECT d.order_row FROM order_deadlines d WHERE d.state = 'shipped' AND d.picked_up_at IS NOT NULL "
      "AND d.delivered_at IS NULL AND d.last_tracking_at <= ?1 AND (d.last_tracking_at, d.order_row) > (?3, ?4) "
      "ORDER BY d.last_tracking_at, d.order_row LIMIT ?2");
  CAPTURE(quiet);
  CHECK(quiet.find("order_deadlines_in_transit") != std::string::npos);
  CHECK(quiet.find("TEMP B-TREE") == std::string::npos);
}

TEST_CASE("S2 pickups_due lists shipped orders with no pickup scan by due time") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto keys = store_orders(*store, {"p-2", "p-1", "picked", "late", "p-later", "p-none", "p-1b"});
  put(*store, shipped(keys[0], at("2026-11-12T02:00:00Z")));
  put(*store, shipped(keys[1], at("2026-11-12T01:00:00Z")));
  put(*store, shipped(keys[2], at("2026-11-12T00:00:00Z"), at("2026-11-11T20:00:00Z")));  // Scanned in time.
  auto not_shipped = deadline(keys[3], DeadlineState::late, at("2026-11-11T00:00:00Z"));
  not_shipped.pickup_due = at("2026-11-12T00:00:00Z");  // Not shipped: no pickup clock runs.
  put(*store, not_shipped);
  put(*store, shipped(keys[4], at("2026-11-12T06:00:00Z")));
  put(*store, shipped(keys[5], std::nullopt));
  put(*store, shipped(keys[6], at("2026-11-12T01:00:00Z")));  // Ties with p-1, stored later.

  const auto by = at("2026-11-12T03:00:00Z");
  using V = std::vector<std::string>;
  CHECK(ids_of(store->pickups_due(by)) == V{"p-1", "p-1b", "p-2"});
  CHECK(ids_of(store->pickups_due(by, std::nullopt, 2)) == V{"p-1", "p-1b"});
  CHECK(ids_of(store->pickups_due(by, std::nullopt, 0)) == V{"p-1"});
  // Paged: the next page starts after the cursor, ties in store order.
  const auto first = store->pickups_due(by, std::nullopt, 1);
  REQUIRE(first.size() == 1);
  const DeadlineCursor cursor{*first[0].pickup_due, first[0].key};
  CHECK(ids_of(store->pickups_due(by, cursor, 1)) == V{"p-1b"});
  CHECK(ids_of(store->pickups_due(by, cursor, 5)) == V{"p-1b", "p-2"});
  CHECK(ids_of(store->pickups_due(at("2026-11-12T06:00:00Z"))) == V{"p-1", "p-1b", "p-2", "p-later"});
  CHECK(store->pickups_due(at("2026-11-12T00:59:59.999Z")).empty());

  const auto rows = store->pickups_due(by, std::nullopt, 1);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].pickup_due == at("2026-11-12T01:00:00Z"));
  CHECK(rows[0].pickup_rule == "S2");
  CHECK(rows[0].shipped_at == at("2026-11-11T10:00:00Z"));

  // The first pickup scan takes the order out.
  put(*store, shipped(keys[1], at("2026-11-12T01:00:00Z"), at("2026-11-12T00:30:00Z")));
  CHECK(ids_of(store->pickups_due(by)) == V{"p-1b", "p-2"});
}

TEST_CASE("S3 tracking events are stored once per (waybill, kind, at), oldest first") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto keys = store_orders(*store, {"t-1", "t-2"});
  const auto transit = add(*store, event(keys[0], "ZT100", "transit", "2026-11-12T08:00:00Z"));
  const auto pickup = add(*store, event(keys[0], "ZT100", "pickup", "2026-11-11T20:00:00Z"));
  const auto arrival = add(*store, event(keys[0], "ZT100", "hub_arrival", "2026-11-12T02:00:00Z"));
  CHECK(transit != pickup);
  CHECK(pickup != arrival);

  // The feed repeats itself: the same event is the first one, whatever source or receipt time.
  auto repeated = event(keys[0], "ZT100", "pickup", "2026-11-11T20:00:00Z", "2026-11-12T13:00:00Z");
  repeated.source = "platform";
  CHECK(add(*store, repeated) == pickup);
  // A different kind, time or waybill at the same moment is another event.
  const auto departure = add(*store, event(keys[0], "ZT100", "hub_departure", "2026-11-12T02:00:00Z"));
  const auto later_transit = add(*store, event(keys[0], "ZT100", "transit", "2026-11-12T08:00:00.001Z"));
  const auto second_parcel = add(*store, event(keys[0], "ZT200", "pickup", "2026-11-11T20:00:00Z"));
  CHECK(departure != arrival);
  CHECK(later_transit != transit);
  CHECK(second_parcel != pickup);
  // Another order's identical event is its own.
  const auto other = add(*store, event(keys[1], "ZT100", "pickup", "2026-11-11T20:00:00Z"));
  CHECK(other != pickup);

  const auto events = store->tracking_events(keys[0]);
  std::vector<std::int64_t> ids;
  for (const auto& e : events) ids.push_back(e.id);
  // Oldest `at` first; equal times in the order they were stored.
  CHECK(ids == std::vector<std::int64_t>{pickup, second_parcel, arrival, departure, transit, later_transit});
  REQUIRE(events.size() == 6);
  CHECK(events[0].key == keys[0]);
  CHECK(events[0].waybill == "ZT100");
  CHECK(events[0].kind == "pickup");
  CHECK(events[0].at == at("2026-11-11T20:00:00Z"));
  CHECK(events[0].source == "carrier:zto");  // The first one's, not the repeat's.
  CHECK(events[0].received_at == at("2026-11-12T12:00:00Z"));
  CHECK(events[1].waybill == "ZT200");
  CHECK(events[3].kind == "hub_departure");
  CHECK(events[5].at == at("2026-11-12T08:00:00.001Z"));

  const auto others = store->tracking_events(keys[1]);
  REQUIRE(others.size() == 1);
  CHECK(others[0].id == other);
  CHECK(others[0].key == keys[1]);

  // Only the five kinds are events.
  auto tx = store->begin();
  CHECK_THROWS_AS(store->add_tracking_event(*tx, event(keys[0], "ZT100", "signed", "2026-11-13T00:00:00Z")),
                  SQLite::Exception);
}

TEST_CASE("S4 deadline reports are kept in order and cannot be changed or deleted") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto keys = store_orders(*store, {"r-1", "r-2"});
  CHECK(store->deadline_reports(keys[0]).empty());
  const auto first =
      add(*store, report(keys[0], "buyer_delay", "move", at("2026-11-15T16:00:00Z"), "2026-11-12T09:00:00Z"));
  const auto other = add(*store, report(keys[1], "address", "waive", std::nullopt, "2026-11-12T09:30:00Z"));
  const auto second = add(*store, report(keys[0], "force_majeure", "waive", std::nullopt, "2026-11-12T10:00:00Z"));
  CHECK(first != second);
  CHECK(other != second);

  const auto reports = store->deadline_reports(keys[0]);
  REQUIRE(reports.size() == 2);
  CHECK(reports[0].id == first);
  CHECK(reports[0].key == keys[0]);
  CHECK(reports[0].kind == "buyer_delay");
  CHECK(reports[0].action == "move");
  CHECK(reports[0].new_ship_by == at("2026-11-15T16:00:00Z"));
  CHECK(reports[0].note == "buyer_delay reported");
  CHECK(reports[0].by == "operator:li");
  CHECK(reports[0].created_at == at("2026-11-12T09:00:00Z"));
  CHECK(reports[1].id == second);
  CHECK(reports[1].kind == "force_majeure");
  CHECK(reports[1].action == "waive");
  CHECK_FALSE(reports[1].new_ship_by.has_value());
  const auto others = store->deadline_reports(keys[1]);
  REQUIRE(others.size() == 1);
  CHECK(others[0].id == other);
  CHECK(others[0].kind == "address");

  {
    auto tx = store->begin();
    CHECK_THROWS_AS(tx->db().exec("UPDATE deadline_reports SET action = 'waive' WHERE id = " + std::to_string(first)),
                    SQLite::Exception);
    CHECK_THROWS_AS(tx->db().exec("DELETE FROM deadline_reports WHERE id = " + std::to_string(first)),
                    SQLite::Exception);
    // Only the rule's kinds and actions, and a move names its new ship-by.
    CHECK_THROWS_AS(
        store->add_deadline_report(*tx, report(keys[0], "weather", "waive", std::nullopt, "2026-11-12T11:00:00Z")),
        SQLite::Exception);
    CHECK_THROWS_AS(store->add_deadline_report(
                        *tx, report(keys[0], "address", "extend", at("2026-11-16T00:00:00Z"), "2026-11-12T11:00:00Z")),
                    SQLite::Exception);
    CHECK_THROWS_AS(
        store->add_deadline_report(*tx, report(keys[0], "address", "move", std::nullopt, "2026-11-12T11:00:00Z")),
        SQLite::Exception);
  }
  const auto after = store->deadline_reports(keys[0]);
  REQUIRE(after.size() == 2);
  CHECK(after[0].action == "move");
  CHECK(after[0].new_ship_by == at("2026-11-15T16:00:00Z"));
}

TEST_CASE("deadlines of an unknown order: writes throw std::out_of_range, reads find nothing") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto keys = store_orders(*store, {"k-1"});
  {
    auto tx = store->begin();
    CHECK_THROWS_AS(store->put_deadline(*tx, deadline(kUnknown, DeadlineState::open, at("2026-11-12T00:00:00Z"))),
                    std::out_of_range);
    CHECK_THROWS_AS(
        store->add_deadline_report(*tx, report(kUnknown, "address", "waive", std::nullopt, "2026-11-12T00:00:00Z")),
        std::out_of_range);
    CHECK_THROWS_AS(store->add_tracking_event(*tx, event(kUnknown, "ZT1", "pickup", "2026-11-12T00:00:00Z")),
                    std::out_of_range);
    tx->commit();
  }
  CHECK_FALSE(store->get_deadline(kUnknown).has_value());
  CHECK(store->deadline_reports(kUnknown).empty());
  CHECK(store->tracking_events(kUnknown).empty());
  // A stored order without a deadline yet has none.
  CHECK_FALSE(store->get_deadline(keys[0]).has_value());
  CHECK(store->tracking_events(keys[0]).empty());

  // A finished transaction takes no more writes.
  auto done = store->begin();
  done->commit();
  CHECK_THROWS_AS(store->put_deadline(*done, deadline(keys[0], DeadlineState::open, std::nullopt)), std::logic_error);
  CHECK_THROWS_AS(
      store->add_deadline_report(*done, report(keys[0], "address", "waive", std::nullopt, "2026-11-12T00:00:00Z")),
      std::logic_error);
  CHECK_THROWS_AS(store->add_tracking_event(*done, event(keys[0], "ZT1", "pickup", "2026-11-12T00:00:00Z")),
                  std::logic_error);
  CHECK_FALSE(store->get_deadline(keys[0]).has_value());
}

TEST_CASE("deadline_counts counts the orders in every state, zeros included, in the states' order") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const std::vector<DeadlineState> all{DeadlineState::open,    DeadlineState::at_risk, DeadlineState::late,
                                       DeadlineState::shipped, DeadlineState::exempt,  DeadlineState::waived};
  auto counts = store->deadline_counts();
  REQUIRE(counts.size() == all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(counts[i].first == all[i]);
    CHECK(counts[i].second == 0);
  }

  const auto keys = store_orders(*store, {"c-1", "c-2", "c-3", "c-4", "c-5", "c-6"});
  put(*store, deadline(keys[0], DeadlineState::open, at("2026-11-12T00:00:00Z")));
  put(*store, deadline(keys[1], DeadlineState::open, at("2026-11-12T01:00:00Z")));
  put(*store, deadline(keys[2], DeadlineState::open, std::nullopt));
  put(*store, deadline(keys[3], DeadlineState::late, at("2026-11-11T00:00:00Z")));
  put(*store, shipped(keys[4], at("2026-11-12T00:00:00Z")));
  put(*store, deadline(keys[5], DeadlineState::exempt, std::nullopt));
  counts = store->deadline_counts();
  REQUIRE(counts.size() == all.size());
  for (std::size_t i = 0; i < all.size(); ++i) CHECK(counts[i].first == all[i]);
  CHECK(count_of(counts, DeadlineState::open) == 3);
  CHECK(count_of(counts, DeadlineState::at_risk) == 0);
  CHECK(count_of(counts, DeadlineState::late) == 1);
  CHECK(count_of(counts, DeadlineState::shipped) == 1);
  CHECK(count_of(counts, DeadlineState::exempt) == 1);
  CHECK(count_of(counts, DeadlineState::waived) == 0);

  // A replaced row moves between states; it is counted once.
  put(*store, deadline(keys[0], DeadlineState::at_risk, at("2026-11-12T00:00:00Z")));
  counts = store->deadline_counts();
  CHECK(count_of(counts, DeadlineState::open) == 2);
  CHECK(count_of(counts, DeadlineState::at_risk) == 1);
}

TEST_CASE("migration from schema 7 keeps orders and dropship lines") {
  TempDir dir;
  const auto path = dir / "erpd.db";
  const auto order = sample_order("6920001", "dy-merchant", "douyin");
  std::int64_t line_id = 0;
  {
    auto old = open_store(path, OpenOptions{7});
    REQUIRE(old->schema_version() == 7);
    auto tx = old->begin();
    old->upsert_order(*tx, order, at("2026-11-20T00:00:00Z"));
    DropshipLine l;
    l.side = DropshipSide::merchant;
    l.platform = order.platform;
    l.shop = order.shop;
    l.order_id = order.order_id;
    l.line_id = order.lines[0].line_id;
    l.factory = "f-hz";
    l.binding_id = 1;
    l.state = DropshipLineState::assigned;
    l.rule_id = "D4";
    l.source = "manual";
    l.assigned_at = at("2026-11-21T10:00:00Z");
    l.updated_at = at("2026-11-21T10:00:00Z");
    line_id = old->add_dropship_line(*tx, l);
    tx->commit();
    CHECK_FALSE(tx->db().tableExists("order_deadlines"));
    CHECK_FALSE(tx->db().tableExists("deadline_reports"));
    CHECK_FALSE(tx->db().tableExists("tracking_events"));
  }
  auto store = open_store(path);
  CHECK(store->schema_version() == Store::latest_schema_version());
  CHECK(Store::latest_schema_version() >= 8);
  const auto kept = store->get_order(key_of(order));
  REQUIRE(kept.has_value());
  CHECK(same_order(kept->order, order));
  CHECK(store->events(key_of(order)).size() == 1);
  const auto line = store->get_dropship_line(line_id);
  REQUIRE(line.has_value());
  CHECK(line->state == DropshipLineState::assigned);
  CHECK(line->line_id == order.lines[0].line_id);
  CHECK(store->dropship_lines_of(key_of(order)).size() == 1);

  // The new tables work on the upgraded file, with foreign keys enforced again.
  put(*store, shipped(key_of(order), at("2026-11-22T10:00:00Z")));
  add(*store, event(key_of(order), "ZT1", "pickup", "2026-11-22T08:00:00Z"));
  add(*store, report(key_of(order), "address", "waive", std::nullopt, "2026-11-22T09:00:00Z"));
  CHECK(store->get_deadline(key_of(order))->state == DeadlineState::shipped);
  CHECK(store->pickups_due(at("2026-11-23T00:00:00Z")).size() == 1);
  CHECK(store->tracking_events(key_of(order)).size() == 1);
  CHECK(store->deadline_reports(key_of(order)).size() == 1);
  {
    auto tx = store->begin();
    CHECK(tx->db().execAndGet("PRAGMA foreign_keys").getInt() == 1);
    CHECK_THROWS_AS(tx->db().exec("INSERT INTO order_deadlines (order_row, rule_id, holiday_window, reason, state, "
                                  "pickup_rule, updated_at) VALUES (999999, 'S1', '', '', 'open', '', 0)"),
                    SQLite::Exception);
  }
  // Reopening changes nothing.
  store.reset();
  store = open_store(path);
  CHECK(store->schema_version() == Store::latest_schema_version());
  CHECK(store->get_deadline(key_of(order)).has_value());
  CHECK(store->dropship_lines_of(key_of(order)).size() == 1);
}
