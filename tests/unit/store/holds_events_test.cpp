// Hold rows and the event log as the store keeps them (policy is tested under holds/).

#include "unit/store/store_fixture.hpp"

using namespace erp;
using namespace erp::test;
using daemon::store::NewHold;
using daemon::store::Store;

namespace {

sdk::Order stored_order(Store& store, const std::string& id) {
  auto order = sample_order(id);
  auto tx = store.begin();
  store.upsert_order(*tx, order, at("2026-11-10T16:00:30Z"));
  tx->commit();
  return order;
}

}  // namespace

TEST_CASE("an order carries several holds; released ones stay as history") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto key = key_of(stored_order(*store, "4001"));
  auto tx = store->begin();
  const auto gift = store->add_hold(*tx, key,
                                    NewHold{"TAG_WINDOW", "workflow:gift", "G2",
                                            "tag may arrive until 4 h after payment", at("2026-11-10T20:00:09Z")},
                                    at("2026-11-10T16:00:31Z"));
  const auto manual =
      store->add_hold(*tx, key, NewHold{"MANUAL", "operator:wang", "", "buyer called", {}}, at("2026-11-10T16:10:00Z"));
  CHECK(store->active_holds(*tx, key).size() == 2);
  CHECK(store->release_hold(*tx, manual, "operator:wang", "buyer confirmed the address", at("2026-11-10T16:20:00Z")));
  CHECK_FALSE(store->release_hold(*tx, manual, "operator:wang", "again", at("2026-11-10T16:21:00Z")));
  CHECK_FALSE(store->release_hold(*tx, 9999, "operator:wang", "unknown", at("2026-11-10T16:21:00Z")));
  tx->commit();

  const auto active = store->get_order(key)->holds;
  REQUIRE(active.size() == 1);
  CHECK(active[0].id == gift);
  CHECK(active[0].auto_release_at == at("2026-11-10T20:00:09Z"));

  const auto all = store->holds(key);
  REQUIRE(all.size() == 2);
  CHECK(all[1].id == manual);
  CHECK(all[1].released_at == at("2026-11-10T16:20:00Z"));
  CHECK(all[1].released_by == "operator:wang");
  CHECK(all[1].release_reason == "buyer confirmed the address");
  CHECK(all[1].key == key);

  auto hold = store->get_hold(gift);
  REQUIRE(hold.has_value());
  CHECK(hold->reason_code == "TAG_WINDOW");
  CHECK(hold->owner == "workflow:gift");
  CHECK(hold->rule_id == "G2");
  CHECK(hold->note == "tag may arrive until 4 h after payment");
  CHECK(hold->created_at == at("2026-11-10T16:00:31Z"));
  CHECK_FALSE(hold->released_at.has_value());
  CHECK_FALSE(store->get_hold(9999).has_value());
}

TEST_CASE("the event log records every hold change with its reason, actor and rule id, oldest first") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto key = key_of(stored_order(*store, "4002"));
  auto tx = store->begin();
  const auto id =
      store->add_hold(*tx, key, NewHold{"RESERVATION", "workflow:gift", "G1", "1-yuan reservation order", {}},
                      at("2026-11-10T16:00:31Z"));
  store->release_hold(*tx, id, "daemon", "reservation closed by the platform", at("2026-11-11T16:00:31Z"));
  store->append_event(
      *tx, key,
      {"intercept.requested", "buyer asked to stop the parcel", "I3", "operator:li", nlohmann::json{{"memo", "拦截"}}},
      at("2026-11-11T16:05:00Z"));
  tx->commit();

  const auto events = store->events(key);
  REQUIRE(events.size() == 4);
  CHECK(events[0].kind == "order.received");
  CHECK(events[1].kind == "hold.added");
  CHECK(events[1].rule_id == "G1");
  CHECK(events[1].actor == "workflow:gift");
  CHECK(events[1].reason == "held (RESERVATION): 1-yuan reservation order");
  CHECK(events[1].detail["hold_id"] == id);
  CHECK(events[2].kind == "hold.released");
  CHECK(events[2].rule_id == "G1");
  CHECK(events[2].actor == "daemon");
  CHECK(events[2].reason == "hold (RESERVATION) released: reservation closed by the platform");
  CHECK(events[2].at == at("2026-11-11T16:00:31Z"));
  CHECK(events[3].kind == "intercept.requested");
  CHECK(events[3].rule_id == "I3");
  CHECK(events[3].detail["memo"] == "拦截");
  CHECK(events[3].key == key);
  for (std::size_t i = 1; i < events.size(); ++i) CHECK(events[i - 1].id < events[i].id);
}

TEST_CASE("the event log cannot be rewritten") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  stored_order(*store, "4003");
  auto tx = store->begin();
  CHECK_THROWS_AS(tx->db().exec("UPDATE order_events SET reason = 'nothing happened'"), SQLite::Exception);
  CHECK_THROWS_AS(tx->db().exec("DELETE FROM order_events"), SQLite::Exception);
}

TEST_CASE("holds whose auto-release time has come are listed, earliest first") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto a = key_of(stored_order(*store, "4004"));
  const auto b = key_of(stored_order(*store, "4005"));
  auto tx = store->begin();
  const auto late = store->add_hold(
      *tx, a, NewHold{"TAG_WINDOW", "workflow:gift", "G2", "", at("2026-11-10T20:00:00Z")}, at("2026-11-10T16:00:31Z"));
  const auto early = store->add_hold(
      *tx, b, NewHold{"TAG_WINDOW", "workflow:gift", "G2", "", at("2026-11-10T19:00:00Z")}, at("2026-11-10T16:00:31Z"));
  store->add_hold(*tx, b, NewHold{"MANUAL", "operator:li", "", "", {}}, at("2026-11-10T16:00:31Z"));
  const auto gone = store->add_hold(
      *tx, a, NewHold{"TAG_WINDOW", "workflow:gift", "G2", "", at("2026-11-10T18:00:00Z")}, at("2026-11-10T16:00:31Z"));
  store->release_hold(*tx, gone, "workflow:gift", "tag arrived", at("2026-11-10T17:00:00Z"));
  tx->commit();

  CHECK(store->due_auto_releases(at("2026-11-10T18:59:59Z")).empty());
  auto due = store->due_auto_releases(at("2026-11-10T19:00:00Z"));
  REQUIRE(due.size() == 1);
  CHECK(due[0].id == early);
  due = store->due_auto_releases(at("2026-11-11T00:00:00Z"));
  REQUIRE(due.size() == 2);
  CHECK(due[0].id == early);
  CHECK(due[1].id == late);
  CHECK(store->due_auto_releases(at("2026-11-11T00:00:00Z"), 1).size() == 1);
}
