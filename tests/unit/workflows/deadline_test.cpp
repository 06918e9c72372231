// The deadline engine's decisions (rules S1-S4, S8, S9, G1) on a real store: every order gets its
// ship-by as it arrives, the clock turns it at risk and late with alerts, a shipment starts the
// pickup clock, reports waive or move it, tracking clears or raises the pickup and fake-shipping
// alerts.

#include <set>

#include "store/store.hpp"
#include "unit/deadline/calendar_support.hpp"
#include "unit/store/store_fixture.hpp"
#include "workflows/deadline/deadline_service.hpp"

using namespace erp;
using namespace erp::test;
using namespace std::chrono_literals;
using daemon::store::DeadlineState;
namespace deadline = daemon::workflows::deadline;

namespace {

struct Fixture {
  TempDir dir;
  std::unique_ptr<daemon::store::Store> store = open_store(dir / "erpd.db");
  std::set<std::string> reservations;
  deadline::DeadlineService service{*store, deadline::Hooks{[this](const OrderKey& key) {
                                      return reservations.count(key.order_id) > 0;
                                    }}};

  Fixture() {
    deadline::Settings s;
    s.calendar = shipped_calendars();
    s.shops["activity-shop"].activities = {"tmall-2024-spring-festival"};
    service.apply(std::move(s));
  }

  /// Stores the order and shows it to the service as the pipeline does.
  daemon::store::OrderDeadline ingest(const sdk::Order& order, Instant now) {
    auto tx = store->begin();
    store->upsert_order(*tx, order, now);
    const auto stored = store->get_order(*tx, key_of(order));
    service.on_order_changed(*tx, *stored, now);
    tx->commit();
    return *store->get_deadline(key_of(order));
  }

  bool alert_open(const std::string& kind, const OrderKey& key) {
    for (const auto& a : store->open_alerts(kind))
      if (a.subject == key.to_string()) return true;
    return false;
  }
};

sdk::Order paid_at(const std::string& id, const std::string& when, const std::string& shop = "tmall-flagship") {
  auto o = sample_order(id, shop);
  o.ship_by.reset();
  o.created_at = cst(when) - 1min;
  o.paid_at = cst(when);
  o.modified_at = cst(when);
  return o;
}

}  // namespace

TEST_CASE("S1 a paid order gets paid time + 48 h; the clock turns it at risk 4 h before, then late, with alerts") {
  Fixture f;
  const auto order = paid_at("S1-1", "2026-03-02 10:00:00");
  const auto key = key_of(order);
  auto d = f.ingest(order, cst("2026-03-02 10:00:05"));
  CHECK(d.ship_by == cst("2026-03-04 10:00:00"));
  CHECK(d.rule_id == "S1");
  CHECK(d.state == DeadlineState::open);

  auto swept = f.service.sweep(cst("2026-03-04 05:59:59"));
  CHECK(swept.at_risk == 0);
  swept = f.service.sweep(cst("2026-03-04 06:00:00"));
  CHECK(swept.at_risk == 1);
  CHECK(f.store->get_deadline(key)->state == DeadlineState::at_risk);
  CHECK(f.alert_open(deadline::kAlertAtRisk, key));

  swept = f.service.sweep(cst("2026-03-04 10:00:01"));
  CHECK(swept.late == 1);
  CHECK(f.store->get_deadline(key)->state == DeadlineState::late);
  CHECK(f.alert_open(deadline::kAlertLate, key));
  CHECK_FALSE(f.alert_open(deadline::kAlertAtRisk, key));
  CHECK(f.service.sweep(cst("2026-03-04 11:00:00")).late == 0);  // told once
}

TEST_CASE("S7 a Tmall order paid in the 2024 Spring Festival window is due 2024-02-19 23:59:59; S8 an activity shop's is not") {
  Fixture f;
  const auto d = f.ingest(paid_at("S7-1", "2024-02-10 10:00:00"), cst("2024-02-10 10:00:01"));
  CHECK(d.ship_by == cst("2024-02-19 23:59:59"));
  CHECK(d.rule_id == "S7");
  CHECK(d.window == "tmall-2024-spring-festival");
  const auto activity = f.ingest(paid_at("S8-1", "2024-02-10 10:00:00", "activity-shop"), cst("2024-02-10 10:00:01"));
  CHECK(activity.ship_by == cst("2024-02-12 10:00:00"));
  CHECK(activity.rule_id == "S1");
}

TEST_CASE("G1 a reservation order never turns late") {
  Fixture f;
  f.reservations.insert("G1-1");
  const auto d = f.ingest(paid_at("G1-1", "2026-03-02 10:00:00"), cst("2026-03-02 10:00:05"));
  CHECK_FALSE(d.ship_by.has_value());
  CHECK(d.state == DeadlineState::exempt);
  CHECK(d.rule_id == "G1");
  CHECK(f.service.sweep(cst("2026-04-01 00:00:00")).late == 0);
}

TEST_CASE("S4 an approved report waives the deadline or moves it") {
  Fixture f;
  const auto order = paid_at("S4-1", "2026-03-02 10:00:00");
  const auto key = key_of(order);
  f.ingest(order, cst("2026-03-02 10:00:05"));
  f.service.sweep(cst("2026-03-04 10:00:01"));
  REQUIRE(f.alert_open(deadline::kAlertLate, key));

  daemon::store::DeadlineReport move{0, key, "buyer_delay", "move", cst("2026-03-10 18:00:00"), "buyer asked", "cs", {}};
  auto moved = f.service.report(move, cst("2026-03-04 10:30:00"));
  REQUIRE(moved.ok());
  CHECK(moved->ship_by == cst("2026-03-10 18:00:00"));
  CHECK(moved->rule_id == "S4");
  CHECK(moved->state == DeadlineState::open);
  CHECK_FALSE(f.alert_open(deadline::kAlertLate, key));

  daemon::store::DeadlineReport waive{0, key, "force_majeure", "waive", std::nullopt, "typhoon", "cs", {}};
  auto waived = f.service.report(waive, cst("2026-03-11 00:00:00"));
  REQUIRE(waived.ok());
  CHECK(waived->state == DeadlineState::waived);
  CHECK(f.service.sweep(cst("2026-03-12 00:00:00")).late == 0);
  CHECK(f.store->deadline_reports(key).size() == 2);

  daemon::store::DeadlineReport bad{0, key, "weather", "waive", std::nullopt, "", "cs", {}};
  CHECK(f.service.report(bad, cst("2026-03-11 00:00:00")).error().code == sdk::ErrorCode::invalid_input);
}

TEST_CASE("S2 a shipment starts the 24 h pickup clock; a missing pickup scan raises an alert, the scan clears it") {
  Fixture f;
  auto order = paid_at("S2-1", "2026-03-02 10:00:00");
  const auto key = key_of(order);
  f.ingest(order, cst("2026-03-02 10:00:05"));
  order.status = sdk::OrderStatus::shipped;
  order.lines[0].shipped_at = cst("2026-03-03 09:00:00");
  for (auto& line : order.lines) line.status = sdk::OrderStatus::shipped;
  order.modified_at += 1h;
  const auto d = f.ingest(order, cst("2026-03-03 09:00:10"));
  CHECK(d.state == DeadlineState::shipped);
  CHECK(d.pickup_due == cst("2026-03-04 09:00:00"));
  CHECK(f.service.sweep(cst("2026-03-04 08:59:59")).pickup_missing == 0);
  CHECK(f.service.sweep(cst("2026-03-04 09:00:01")).pickup_missing == 1);
  REQUIRE(f.alert_open(deadline::kAlertPickupMissing, key));
  daemon::store::TrackingEvent scan{0, key, "SF1", "pickup", cst("2026-03-04 09:30:00"), "carrier:sf", {}};
  REQUIRE(f.service.track(scan, cst("2026-03-04 09:31:00")).ok());
  CHECK_FALSE(f.alert_open(deadline::kAlertPickupMissing, key));
}

TEST_CASE("S3 more than 24 h from pickup to the first sorting centre is a fake-shipping risk; S9 not in the holiday window") {
  Fixture f;
  auto track = [&](const sdk::Order& order, const std::string& pickup, const std::string& hub) {
    f.ingest(order, *order.paid_at + 1s);
    const auto key = key_of(order);
    REQUIRE(f.service.track({0, key, "W", "pickup", cst(pickup), "warehouse", {}}, cst(pickup)).ok());
    REQUIRE(f.service.track({0, key, "W", "hub_arrival", cst(hub), "warehouse", {}}, cst(hub)).ok());
    return f.alert_open(deadline::kAlertFakeShipping, key);
  };
  CHECK_FALSE(track(paid_at("S3-1", "2026-03-02 10:00:00"), "2026-03-03 10:00:00", "2026-03-04 10:00:00"));
  CHECK(track(paid_at("S3-2", "2026-03-02 10:00:00"), "2026-03-03 10:00:00", "2026-03-04 10:00:01"));
  CHECK_FALSE(track(paid_at("S9-1", "2024-02-10 10:00:00"), "2024-02-12 10:00:00", "2024-02-14 10:00:00"));
}

TEST_CASE("S1 holds never cause lateness: a hold lifting itself after ship-by minus the warehouse lead is brought forward, the order marked urgent") {
  Fixture f;
  auto order = paid_at("H-1", "2026-03-02 10:00:00");
  const auto key = key_of(order);
  f.ingest(order, cst("2026-03-02 10:00:05"));
  std::int64_t late_hold = 0, early_hold = 0, manual = 0;
  {
    auto tx = f.store->begin();
    late_hold = f.store->add_hold(*tx, key, {"TAG_WINDOW", "workflow:gift", "G2", "", cst("2026-03-05 00:00:00")},
                                  cst("2026-03-02 10:00:06"));
    early_hold = f.store->add_hold(*tx, key, {"RELEASE_DELAY", "workflow:release_delay", "", "", cst("2026-03-02 11:00:00")},
                                   cst("2026-03-02 10:00:06"));
    manual = f.store->add_hold(*tx, key, {"MANUAL", "operator:li", "", "", std::nullopt}, cst("2026-03-02 10:00:06"));
    tx->commit();
  }
  order.modified_at += 1min;
  f.ingest(order, cst("2026-03-02 10:01:00"));
  // Ship-by 2026-03-04 10:00:00, warehouse lead 2 h: lifts itself by 08:00:00 at the latest.
  CHECK(f.store->get_hold(late_hold)->auto_release_at == cst("2026-03-04 08:00:00"));
  CHECK(f.store->get_hold(early_hold)->auto_release_at == cst("2026-03-02 11:00:00"));
  CHECK_FALSE(f.store->get_hold(manual)->auto_release_at.has_value());  // a person's hold is theirs
  CHECK(f.store->get_order(key)->urgent);
  std::size_t moved = 0;
  for (const auto& e : f.store->events(key)) moved += e.kind == "hold.auto_release_moved" && e.rule_id == "S1" ? 1U : 0U;
  CHECK(moved == 1);
}
