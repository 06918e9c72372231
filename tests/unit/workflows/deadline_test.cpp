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
  std::vector<std::string> raised;  ///< "<kind> <subject>" of every alert handed to on_alert_raised.
  deadline::DeadlineService service{
      *store, deadline::Hooks{[this](const OrderKey& key) { return reservations.count(key.order_id) > 0; },
                              [this](daemon::store::Tx&, const daemon::store::NewAlert& a, Instant) {
                                raised.push_back(a.kind + " " + a.subject);
                              }}};

  explicit Fixture(bool tracking_feed = true) {
    deadline::Settings s;
    s.calendar = shipped_calendars();
    s.config.tracking_feed = tracking_feed;
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

/// The order as the platform shows it once every line shipped at `when`.
sdk::Order shipped(sdk::Order order, const std::string& when) {
  order.status = sdk::OrderStatus::shipped;
  for (auto& line : order.lines) {
    line.status = sdk::OrderStatus::shipped;
    line.shipped_at = cst(when);
  }
  order.modified_at = cst(when);
  return order;
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

TEST_CASE("S2 without a tracking feed a missing pickup scan says nothing: no pickup or stall alert is raised") {
  Fixture f(false);
  const auto order = paid_at("S2-nofeed", "2026-03-02 10:00:00");
  f.ingest(order, cst("2026-03-02 10:00:05"));
  const auto d = f.ingest(shipped(order, "2026-03-03 09:00:00"), cst("2026-03-03 09:00:10"));
  CHECK(d.pickup_due == cst("2026-03-04 09:00:00"));  // still shown
  const auto swept = f.service.sweep(cst("2026-03-10 00:00:00"));
  CHECK(swept.pickup_missing == 0);
  CHECK(swept.fake_shipping == 0);
  CHECK(f.store->open_alerts("deadline.").empty());
}

TEST_CASE("S2 the pickup sweep reaches every order past its first page, and tells each once") {
  Fixture f;
  constexpr int kOrders = 1203;  // more than two pages of the sweep
  {
    auto tx = f.store->begin();
    for (int i = 0; i < kOrders; ++i) {
      const auto order = shipped(paid_at("S2-page-" + std::to_string(i), "2026-03-02 10:00:00"), "2026-03-03 09:00:00");
      f.store->upsert_order(*tx, order, cst("2026-03-03 09:00:10"));
      f.service.on_order_changed(*tx, *f.store->get_order(*tx, key_of(order)), cst("2026-03-03 09:00:10"));
    }
    tx->commit();
  }
  CHECK(f.service.sweep(cst("2026-03-04 09:00:01")).pickup_missing == kOrders);
  CHECK(f.service.sweep(cst("2026-03-04 09:05:00")).pickup_missing == 0);
  CHECK(f.raised.size() == static_cast<std::size_t>(kOrders));
}

TEST_CASE("S3 with a feed, no sorting centre 24 h after pickup, or no update for 24 h in transit, is a fake-shipping risk; the next update clears it") {
  Fixture f;
  const auto order = paid_at("S3-quiet", "2026-03-02 10:00:00");
  const auto key = key_of(order);
  f.ingest(order, cst("2026-03-02 10:00:05"));
  f.ingest(shipped(order, "2026-03-02 12:00:00"), cst("2026-03-02 12:00:01"));
  REQUIRE(f.service.track({0, key, "W", "pickup", cst("2026-03-02 15:00:00"), "carrier:sf", {}}, cst("2026-03-02 15:00:01")).ok());
  CHECK(f.service.sweep(cst("2026-03-03 15:00:00")).fake_shipping == 0);  // 24 h to the second: in time
  CHECK(f.service.sweep(cst("2026-03-03 15:00:01")).fake_shipping == 1);
  CHECK(f.alert_open(deadline::kAlertFakeShipping, key));
  CHECK(f.service.sweep(cst("2026-03-03 16:00:00")).fake_shipping == 0);  // told once
  // The hub scan comes in time after all: the parcel moves, the sign ends.
  REQUIRE(f.service.track({0, key, "W", "hub_arrival", cst("2026-03-03 14:00:00"), "carrier:sf", {}}, cst("2026-03-03 16:00:00")).ok());
  CHECK_FALSE(f.alert_open(deadline::kAlertFakeShipping, key));
  // Then quiet in transit for more than 24 h.
  CHECK(f.service.sweep(cst("2026-03-04 14:00:01")).fake_shipping == 1);
  REQUIRE(f.service.track({0, key, "W", "transit", cst("2026-03-04 18:00:00"), "carrier:sf", {}}, cst("2026-03-04 18:00:00")).ok());
  CHECK_FALSE(f.alert_open(deadline::kAlertFakeShipping, key));
  // Delivered: the parcel is no longer watched.
  REQUIRE(f.service.track({0, key, "W", "delivered", cst("2026-03-05 09:00:00"), "carrier:sf", {}}, cst("2026-03-05 09:00:00")).ok());
  CHECK(f.store->get_deadline(key)->delivered_at == cst("2026-03-05 09:00:00"));
  CHECK(f.service.sweep(cst("2026-03-20 00:00:00")).fake_shipping == 0);
}

TEST_CASE("S9 a parcel of an order paid in the 2024 holiday window is not flagged when quiet after pickup") {
  Fixture f;
  const auto order = paid_at("S9-quiet", "2024-02-10 10:00:00");
  const auto key = key_of(order);
  f.ingest(order, cst("2024-02-10 10:00:05"));
  f.ingest(shipped(order, "2024-02-11 12:00:00"), cst("2024-02-11 12:00:01"));
  REQUIRE(f.service.track({0, key, "W", "pickup", cst("2024-02-11 15:00:00"), "carrier:sf", {}}, cst("2024-02-11 15:00:01")).ok());
  CHECK(f.service.sweep(cst("2024-02-14 00:00:00")).fake_shipping == 0);
  CHECK_FALSE(f.alert_open(deadline::kAlertFakeShipping, key));
}

TEST_CASE("S2 S3 a Douyin order follows Douyin's standing rules from config/calendars: 24 h to pickup, 24 h to the first sorting centre") {
  Fixture f;
  auto order = paid_at("S2-douyin", "2026-03-08 10:00:00", "dy-shop");
  order.platform = "douyin";
  const auto key = key_of(order);
  f.ingest(order, cst("2026-03-08 10:00:05"));
  const auto d = f.ingest(shipped(order, "2026-03-08 20:00:00"), cst("2026-03-08 20:00:01"));
  CHECK(d.pickup_due == cst("2026-03-09 20:00:00"));
  CHECK(d.pickup_rule == "S2");
  REQUIRE(f.service.track({0, key, "W", "pickup", cst("2026-03-09 08:00:00"), "platform", {}}, cst("2026-03-09 08:00:00")).ok());
  REQUIRE(f.service.track({0, key, "W", "hub_departure", cst("2026-03-10 08:00:01"), "platform", {}}, cst("2026-03-10 08:00:01")).ok());
  CHECK(f.alert_open(deadline::kAlertFakeShipping, key));
}

TEST_CASE("the warehouse is told of each alert raised, once: on_alert_raised sees new alerts only") {
  Fixture f;
  const auto order = paid_at("hook-1", "2026-03-02 10:00:00");
  f.ingest(order, cst("2026-03-02 10:00:05"));
  f.service.sweep(cst("2026-03-04 06:00:00"));
  f.service.sweep(cst("2026-03-04 07:00:00"));
  f.service.sweep(cst("2026-03-04 10:00:01"));
  const std::string subject = key_of(order).to_string();
  CHECK(f.raised == std::vector<std::string>{"deadline.at_risk " + subject, "deadline.late " + subject});
}

namespace {

/// The order with its first line's refund in `status`, as the platform shows it at `when`.
sdk::Order with_refund(sdk::Order order, sdk::RefundStatus status, const std::string& when) {
  order.lines[0].refund_status = status;
  order.modified_at = cst(when);
  return order;
}

const daemon::store::AfterSaleTimer* running(const std::vector<daemon::store::AfterSaleTimer>& timers,
                                             const std::string& step) {
  for (const auto& t : timers)
    if (t.step == step && !t.ended_at) return &t;
  return nullptr;
}

}  // namespace

TEST_CASE("S10 2024: a refund asked on a shipped line in the window gets 5 days; agreed, the buyer has 25 days to send the return") {
  Fixture f;
  const auto order = shipped(paid_at("S10-1", "2024-01-28 10:00:00"), "2024-01-29 10:00:00");
  const auto key = key_of(order);
  const std::string line = order.lines[0].line_id;
  f.ingest(order, cst("2024-01-29 10:00:01"));
  f.ingest(with_refund(order, sdk::RefundStatus::requested, "2024-02-16 23:59:59"), cst("2024-02-17 00:00:10"));
  auto timers = f.store->after_sale_timers(key);
  const auto* answer = running(timers, "merchant_response_shipped");
  REQUIRE(answer != nullptr);
  CHECK(answer->line_id == line);
  CHECK(answer->due_at == cst("2024-02-21 23:59:59"));
  CHECK(answer->window == "tmall-2024-spring-festival");
  CHECK(answer->rule_id == "S10");
  CHECK(answer->merchant_owes);

  // The merchant's step comes due: alerted at the at-risk lead (4 h), once.
  CHECK(f.service.sweep(cst("2024-02-21 19:59:58")).after_sale_due == 0);
  CHECK(f.service.sweep(cst("2024-02-21 19:59:59")).after_sale_due == 1);
  CHECK(f.service.sweep(cst("2024-02-22 00:00:00")).after_sale_due == 0);
  REQUIRE(f.store->open_alerts(deadline::kAlertAfterSaleDue).size() == 1);

  // Agreed: the merchant's timer ends (its alert clears), the buyer's starts.
  f.ingest(with_refund(order, sdk::RefundStatus::in_progress, "2024-02-20 09:00:00"), cst("2024-02-20 09:00:05"));
  timers = f.store->after_sale_timers(key);
  CHECK(running(timers, "merchant_response_shipped") == nullptr);
  CHECK(f.store->open_alerts(deadline::kAlertAfterSaleDue).empty());
  // 2024-02-20 is after the 2024 after-sale window (to 2024-02-16 23:59:59): everyday rules, no timer.
  CHECK(running(timers, "buyer_return_info") == nullptr);
}

TEST_CASE("S10 window edges: a request at 2024-02-17 00:00:00 is outside the 2024 window; an unshipped refund-only is unchanged") {
  Fixture f;
  const auto order = shipped(paid_at("S10-2", "2024-01-28 10:00:00"), "2024-01-29 10:00:00");
  f.ingest(order, cst("2024-01-29 10:00:01"));
  f.ingest(with_refund(order, sdk::RefundStatus::requested, "2024-02-17 00:00:00"), cst("2024-02-17 00:00:05"));
  CHECK(f.store->after_sale_timers(key_of(order)).empty());

  const auto unshipped = paid_at("S10-3", "2024-02-05 10:00:00");
  f.ingest(unshipped, cst("2024-02-05 10:00:01"));
  f.ingest(with_refund(unshipped, sdk::RefundStatus::requested, "2024-02-05 12:00:00"), cst("2024-02-05 12:00:01"));
  CHECK(f.store->after_sale_timers(key_of(unshipped)).empty());
}

TEST_CASE("S10 2023: 15 days for the merchant's answer, 25 for the buyer's return info; a refund done ends the line's timers") {
  Fixture f;
  const auto order = shipped(paid_at("S10-4", "2023-01-10 10:00:00"), "2023-01-11 10:00:00");
  const auto key = key_of(order);
  f.ingest(order, cst("2023-01-11 10:00:01"));
  f.ingest(with_refund(order, sdk::RefundStatus::requested, "2023-01-14 00:00:00"), cst("2023-01-14 00:00:05"));
  auto timers = f.store->after_sale_timers(key);
  REQUIRE(running(timers, "merchant_response_shipped") != nullptr);
  CHECK(running(timers, "merchant_response_shipped")->due_at == cst("2023-01-29 00:00:00"));
  f.ingest(with_refund(order, sdk::RefundStatus::in_progress, "2023-01-20 08:00:00"), cst("2023-01-20 08:00:05"));
  timers = f.store->after_sale_timers(key);
  REQUIRE(running(timers, "buyer_return_info") != nullptr);
  CHECK(running(timers, "buyer_return_info")->due_at == cst("2023-02-14 08:00:00"));
  CHECK_FALSE(running(timers, "buyer_return_info")->merchant_owes);
  f.ingest(with_refund(order, sdk::RefundStatus::refunded, "2023-01-25 08:00:00"), cst("2023-01-25 08:00:05"));
  timers = f.store->after_sale_timers(key);
  REQUIRE(timers.size() == 2);
  CHECK(timers[0].ended_at == cst("2023-01-20 08:00:05"));  // answered when agreed
  CHECK(timers[1].ended_at == cst("2023-01-25 08:00:05"));
}

TEST_CASE("S10 a step the order does not show starts through the service: a returned parcel gives the merchant 15 days (2024)") {
  Fixture f;
  const auto order = shipped(paid_at("S10-5", "2024-01-28 10:00:00"), "2024-01-29 10:00:00");
  const auto key = key_of(order);
  const std::string line = order.lines[0].line_id;
  f.ingest(order, cst("2024-01-29 10:00:01"));
  auto timers = f.service.after_sale({key, line, "merchant_confirm_return", cst("2024-02-03 10:00:00"), false},
                                     cst("2024-02-03 10:00:01"));
  REQUIRE(timers.ok());
  REQUIRE(running(*timers, "merchant_confirm_return") != nullptr);
  CHECK(running(*timers, "merchant_confirm_return")->due_at == cst("2024-02-18 10:00:00"));
  // The same step again keeps its first start.
  timers = f.service.after_sale({key, line, "merchant_confirm_return", cst("2024-02-04 10:00:00"), false},
                                cst("2024-02-04 10:00:01"));
  REQUIRE(timers.ok());
  CHECK(timers->size() == 1);
  CHECK(running(*timers, "merchant_confirm_return")->started_at == cst("2024-02-03 10:00:00"));
  // Refused: an unknown step, a line the order lacks, a time no notice covers.
  CHECK(f.service.after_sale({key, line, "merchant_shrug", cst("2024-02-03 10:00:00"), false}, cst("2024-02-03 10:00:01"))
            .error().code == sdk::ErrorCode::invalid_input);
  CHECK(f.service.after_sale({key, "no-such-line", "buyer_amend", cst("2024-02-03 10:00:00"), false}, cst("2024-02-03 10:00:01"))
            .error().code == sdk::ErrorCode::invalid_input);
  CHECK(f.service.after_sale({key, line, "buyer_amend", cst("2024-03-03 10:00:00"), false}, cst("2024-03-03 10:00:01"))
            .error().code == sdk::ErrorCode::invalid_input);
  // Answered: it ends; ending it again finds none.
  timers = f.service.after_sale({key, line, "merchant_confirm_return", {}, true}, cst("2024-02-05 10:00:00"));
  REQUIRE(timers.ok());
  CHECK(timers->at(0).ended_at == cst("2024-02-05 10:00:00"));
  CHECK(f.service.after_sale({key, line, "merchant_confirm_return", {}, true}, cst("2024-02-05 10:00:01")).error().code ==
        sdk::ErrorCode::not_found);
}
