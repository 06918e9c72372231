// The 1-yuan reservation gift workflow's decisions (rules G1-G13) on a real store, through the
// order pipeline as the sync files orders: what is held, what links, which waybill a reservation
// ships with, and what a refund undoes. Outbox rows stand for the uploads (their handler is
// tested where it lives); the platform-sim runs are in tests/integration/gift_test.cpp.

#include "workflows/gift/gift_service.hpp"

#include <algorithm>
#include <set>

#include "holds/release_gate.hpp"
#include "unit/store/store_fixture.hpp"
#include "workflows/gift/gift_lines.hpp"
#include "workflows/gift/gift_match.hpp"
#include "workflows/gift/gift_workflow.hpp"
#include "workflows/gift/waybill_choice.hpp"

using namespace erp;
using namespace erp::test;
using namespace std::chrono_literals;
using daemon::config::GiftConfig;
using daemon::config::GiftMode;
using daemon::config::GiftRule;
using daemon::holds::HoldService;
using daemon::holds::ReleaseGate;
using daemon::store::GiftLinkState;
using daemon::store::ReservationState;
using daemon::store::Store;
using daemon::workflows::OrderPipeline;
namespace gift = daemon::workflows::gift;

namespace {

const Instant kPaid = *daemon::parse_rfc3339("2026-11-10T16:00:09.250Z");  // sample_order's payment time
const Instant kNow = kPaid + 1min;
constexpr const char* kBuyer = "buyer-open-uid-1";

struct Fixture {
  TempDir dir;
  std::unique_ptr<Store> store = open_store(dir / "erpd.db");
  std::vector<std::string> released;  ///< Orders the gate handed to the warehouse, in order.
  ReleaseGate gate{*store, [this](daemon::store::Tx&, const daemon::store::StoredOrder& o, Instant) {
                     released.push_back(o.order.order_id);
                   }};
  OrderPipeline pipeline{*store, gate};
  HoldService holds{*store, gate};
  GiftConfig settings;
  std::vector<std::string> refetched;
  gift::GiftService service{*store, gate,
                            [this](const std::string& shop) -> std::optional<GiftConfig> {
                              if (shop != "tmall-flagship") return std::nullopt;
                              return settings;
                            },
                            gift::GiftHooks{{}, [this](const OrderKey& key) { refetched.push_back(key.order_id); }}};

  explicit Fixture(GiftMode mode = GiftMode::platform) {
    settings.enabled = true;
    settings.mode = mode;
    settings.reservation_skus = {"GIFT-1"};
    settings.reservation_price_fen = 0;  // recognised by SKU here; price recognition has its own test
    pipeline.add(std::make_shared<gift::GiftWorkflow>(service));
  }

  void ingest(const sdk::Order& order, Instant now = kNow) { pipeline.ingest(order, now); }
  daemon::store::StoredOrder stored(const std::string& id) { return *store->get_order(key(id)); }
  static OrderKey key(const std::string& id) { return OrderKey{"tmall", "tmall-flagship", id}; }
  bool was_released(const std::string& id) const {
    return std::find(released.begin(), released.end(), id) != released.end();
  }
  std::vector<daemon::store::GiftLink> links(const std::string& main) { return store->gift_links_of_main(key(main), false); }
  bool has_event(const std::string& id, const std::string& kind, const std::string& rule) {
    const auto events = store->events(key(id));
    return std::any_of(events.begin(), events.end(),
                       [&](const auto& e) { return e.kind == kind && (rule.empty() || e.rule_id == rule); });
  }
  bool alert_open(const std::string& kind) { return !store->open_alerts(kind).empty(); }
  std::vector<daemon::store::OutboxItem> uploads(const std::string& id) {
    std::vector<daemon::store::OutboxItem> out;
    for (const auto& item : store->list_outbox(std::nullopt, 1000)) {
      if (item.kind == "platform.ship" && item.key && item.key->order_id == id) out.push_back(item);
    }
    return out;
  }
};

/// A 1-yuan reservation order: one line of the gift SKU.
sdk::Order reservation(const std::string& id, Instant paid = kPaid - 24h, std::int64_t quantity = 1,
                       const std::string& buyer = kBuyer) {
  sdk::Order o = sample_order(id);
  o.lines.resize(1);
  o.lines[0].outer_sku = "GIFT-1";
  o.lines[0].price = sdk::Money{100};
  o.lines[0].quantity = quantity;
  o.lines[0].paid = sdk::Money{100 * quantity};
  o.total = o.lines[0].paid;
  o.created_at = paid - 5s;
  o.paid_at = paid;
  o.modified_at = paid + 1s;
  o.buyer_ref = buyer;
  return o;
}

/// A repurchase by the same buyer (three lines, 299 yuan), with Tmall's tag when `tag` is given.
sdk::Order repurchase(const std::string& id, std::vector<std::string> tag = {}, const std::string& buyer = kBuyer) {
  sdk::Order o = sample_order(id);
  o.buyer_ref = buyer;
  o.reservation_order_ids = std::move(tag);
  return o;
}

sdk::Order newer(sdk::Order order, std::chrono::milliseconds later = 1min) {
  order.modified_at += later;
  return order;
}

/// The platform's version of `order` after `lines` shipped at `when` with `waybill`.
sdk::Order shipped(sdk::Order order, const std::vector<std::size_t>& lines, Instant when, const std::string& waybill) {
  for (const auto i : lines) {
    order.lines[i].shipped_at = when;
    order.lines[i].waybill = waybill;
    order.lines[i].carrier = "SF";
    order.lines[i].status = sdk::OrderStatus::shipped;
  }
  const bool all = std::all_of(order.lines.begin(), order.lines.end(), [](const auto& l) { return l.shipped_at; });
  order.status = all ? sdk::OrderStatus::shipped : sdk::OrderStatus::partially_shipped;
  order.modified_at = std::max(order.modified_at, when) + 1s;
  return order;
}

sdk::Order refunded(sdk::Order order, std::chrono::milliseconds later = 2min) {
  for (auto& line : order.lines) line.refund_status = sdk::RefundStatus::refunded;
  order.status = sdk::OrderStatus::closed;
  order.modified_at += later;
  return order;
}

bool holds_with(const daemon::store::StoredOrder& order, const std::string& reason) {
  return std::any_of(order.holds.begin(), order.holds.end(), [&](const auto& h) { return h.reason_code == reason; });
}

}  // namespace

TEST_CASE("gift_G1_reservation_order_is_held_and_never_released_on_its_own") {
  Fixture f;
  f.ingest(reservation("R1"));
  const auto r = f.stored("R1");
  CHECK_FALSE(r.released);
  CHECK(f.released.empty());
  REQUIRE(r.holds.size() == 1);
  CHECK(r.holds[0].reason_code == gift::kReservationHold);
  CHECK(r.holds[0].rule_id == "G1");
  CHECK_FALSE(r.holds[0].auto_release_at.has_value());  // only its repurchase or a refund ends it
  const auto stored = f.store->get_reservation(Fixture::key("R1"));
  REQUIRE(stored);
  CHECK(stored->state == ReservationState::waiting);
  CHECK(stored->recognised_by == "sku");
  CHECK(f.has_event("R1", "gift.reservation", "G1"));
  CHECK(f.service.is_reservation(Fixture::key("R1")));

  // A buyer who holds no reservation is not kept waiting for a tag.
  f.ingest(repurchase("M9", {}, "someone-else"));
  CHECK(f.was_released("M9"));
}

TEST_CASE("gift_G1_a_reservation_released_by_hand_ships_on_its_own_and_is_never_linked") {
  Fixture f;
  f.ingest(reservation("R1"));
  const auto hold = f.stored("R1").holds.at(0);
  CHECK_FALSE(f.holds.release(Fixture::key("R1"), hold.id, "operator:alice", "not a reservation", false, kNow));
  REQUIRE(f.holds.release(Fixture::key("R1"), hold.id, "operator:alice", "not a reservation", true, kNow));
  CHECK(f.was_released("R1"));
  f.ingest(repurchase("M1", {"R1"}));
  CHECK(f.links("M1").empty());  // its parcel went already: a gift line would ship it twice
  CHECK(f.store->get_reservation(Fixture::key("R1"))->state == ReservationState::closed);
}

TEST_CASE("gift_G1_recognised_by_price_when_configured") {
  Fixture f;
  f.settings.reservation_skus.clear();
  f.settings.reservation_price_fen = 100;
  sdk::Order r = reservation("R1");
  r.lines[0].outer_sku = "ANY";
  f.ingest(r);
  CHECK(f.store->get_reservation(Fixture::key("R1"))->recognised_by == "price");
  f.ingest(repurchase("M1", {}, "someone-else"));  // 10-30 yuan lines: not a reservation
  CHECK_FALSE(f.store->get_reservation(Fixture::key("M1")));
}

TEST_CASE("gift_G2_G4_repurchase_waits_for_the_tag_then_carries_the_gift_line") {
  Fixture f;
  f.ingest(reservation("R1"));
  f.ingest(repurchase("M1"));
  auto m = f.stored("M1");
  CHECK_FALSE(m.released);
  REQUIRE(holds_with(m, gift::kTagWindowHold));
  CHECK(m.holds[0].rule_id == "G2");
  CHECK(m.holds[0].auto_release_at == kPaid + 4h);

  // H+1: the tag arrives on a later version of the order.
  f.ingest(newer(repurchase("M1", {"R1"}), 2h), kNow + 2h);
  m = f.stored("M1");
  CHECK(m.released);
  CHECK(m.holds.empty());
  const auto lines = gift::gift_lines(*f.store, Fixture::key("M1"));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].line.line_id == "gift:R1:R1-1");
  CHECK(lines[0].line.outer_sku == "GIFT-1");
  CHECK(lines[0].line.price.fen == 0);
  CHECK(lines[0].rule_id == "G4");
  CHECK(lines[0].fulfils == std::vector<std::string>{"R1"});
  CHECK(f.has_event("M1", "gift.linked", "G4"));
  CHECK(f.has_event("R1", "gift.linked", "G2"));
  CHECK(f.store->get_reservation(Fixture::key("R1"))->state == ReservationState::linked);
  CHECK_FALSE(f.was_released("R1"));  // the reservation itself still never goes to the warehouse
}

TEST_CASE("gift_G2_no_tag_within_the_window_releases_without_gift_and_a_late_tag_raises_an_alert") {
  Fixture f;
  f.ingest(reservation("R1"));
  f.ingest(repurchase("M1"));
  CHECK(f.holds.release_due(kPaid + 4h - 1s) == 0);
  CHECK(f.holds.release_due(kPaid + 4h) == 1);
  CHECK(f.was_released("M1"));
  CHECK(gift::gift_lines(*f.store, Fixture::key("M1")).empty());

  f.ingest(newer(repurchase("M1", {"R1"}), 5h), kPaid + 5h);
  CHECK(f.links("M1").empty());
  CHECK(f.alert_open(gift::kAlertTagLate));
  CHECK(f.store->get_reservation(Fixture::key("R1"))->state == ReservationState::waiting);
}

TEST_CASE("gift_G2_late_tag_alerts_only_for_reservations_still_owed_a_gift") {
  Fixture f;
  f.ingest(reservation("R1"));
  f.ingest(reservation("R2", kPaid - 12h));
  f.ingest(repurchase("M1", {"R1"}));  // R1 rides on M1
  REQUIRE(f.was_released("M1"));
  // M2 waits for its tag (the buyer still holds R2) in vain; then its tag names R1 and R2.
  f.ingest(repurchase("M2"));
  f.holds.release_due(kPaid + 4h);
  REQUIRE(f.was_released("M2"));
  f.ingest(newer(repurchase("M2", {"R1"}), 5h), kPaid + 5h);
  CHECK_FALSE(f.alert_open(gift::kAlertTagLate));  // R1's gift is in M1's parcel: nothing owed
  f.ingest(newer(repurchase("M2", {"R1", "R2"}), 6h), kPaid + 6h);
  const auto alerts = f.store->open_alerts(gift::kAlertTagLate);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].message.find("R2") != std::string::npos);
  CHECK(alerts[0].message.find("R1") == std::string::npos);
}

TEST_CASE("gift_G2_a_tag_first_read_on_a_shipped_repurchase_raises_the_alert") {
  Fixture f;
  f.ingest(reservation("R1"));
  sdk::Order m = shipped(repurchase("M1", {"R1"}), {0, 1, 2}, kNow, "SF1");
  f.ingest(m);  // shipped outside erpd before erpd ever saw it
  CHECK(f.links("M1").empty());
  CHECK(f.alert_open(gift::kAlertTagLate));
}

TEST_CASE("gift_G2_a_tagged_order_not_stored_yet_is_fetched_held_as_a_reservation_and_linked") {
  Fixture f;
  f.ingest(repurchase("M1", {"R7"}));
  CHECK(f.refetched == std::vector<std::string>{"R7"});
  CHECK(holds_with(f.stored("M1"), gift::kTagWindowHold));
  CHECK_FALSE(f.was_released("M1"));

  // R7 does not look like a reservation (other SKU, full price), but the tag says it is one.
  sdk::Order r7 = sample_order("R7");
  f.ingest(r7);
  CHECK_FALSE(f.was_released("R7"));
  CHECK(holds_with(f.stored("R7"), gift::kReservationHold));
  CHECK(f.store->get_reservation(Fixture::key("R7"))->recognised_by == "tag");

  // Its arrival links it to the waiting repurchase at once, which then goes out.
  CHECK(f.was_released("M1"));
  CHECK(gift::gift_lines(*f.store, Fixture::key("M1")).size() == 3);  // R7's three lines
}

TEST_CASE("gift_G2_a_waiting_repurchase_is_fetched_again_every_refetch_interval") {
  Fixture f;
  f.settings.refetch_every = 30min;
  f.ingest(reservation("R1"));
  f.ingest(repurchase("M1"));
  CHECK(f.service.sweep(kNow).refetched == 1);
  CHECK(f.service.sweep(kNow + 29min).refetched == 0);
  CHECK(f.service.sweep(kNow + 30min).refetched == 1);
  CHECK(f.refetched == std::vector<std::string>{"M1", "M1"});
}

TEST_CASE("gift_G3_at_most_the_12_earliest_paid_reservations_are_linked") {
  Fixture f;
  std::vector<std::string> tag;
  for (int i = 0; i < 14; ++i) {
    // Ids in the opposite order of payment, so the choice cannot come from the id.
    const std::string id = "R" + std::to_string(100 - i);
    f.ingest(reservation(id, kPaid - 48h + std::chrono::minutes{i}));
    tag.push_back(id);
  }
  f.ingest(repurchase("M1", tag));
  const auto links = f.links("M1");
  REQUIRE(links.size() == 12);
  std::set<std::string> linked;
  for (const auto& l : links) linked.insert(l.reservation.order_id);
  CHECK(linked.count("R100") == 1);  // paid first
  CHECK(linked.count("R89") == 1);   // the twelfth
  CHECK(linked.count("R88") == 0);
  CHECK(linked.count("R87") == 0);
  CHECK(f.store->get_reservation(Fixture::key("R87"))->state == ReservationState::waiting);
}

TEST_CASE("gift_G6_merged_payment_takes_latest_waybill_after_every_sub_order_shipped") {
  Fixture f;
  f.ingest(reservation("R1"));
  sdk::Order m = repurchase("M1", {"R1"});
  f.ingest(m);
  const Instant t = kNow + 1h;
  m = shipped(m, {0}, t, "SF003");
  f.ingest(m);
  CHECK(f.links("M1").at(0).state == GiftLinkState::linked);  // two sub-orders still to ship
  m = shipped(m, {1}, t + 10min, "SF001");
  f.ingest(m);
  CHECK(f.links("M1").at(0).state == GiftLinkState::linked);
  m = shipped(m, {2}, t + 5min, "SF002");
  f.ingest(m);
  const auto link = f.links("M1").at(0);
  CHECK(link.state == GiftLinkState::main_shipped);
  CHECK(link.waybill == "SF001");  // shipped last, not posted last
  CHECK(link.main_shipped_at == t + 10min);
  CHECK_FALSE(link.waybill_tie);
  CHECK(link.verify_by == t + 10min + 2h);
  CHECK(f.has_event("M1", "gift.main_shipped", "G5"));
}

TEST_CASE("gift_G6_tie_on_ship_time_takes_the_smallest_waybill_and_records_the_choice") {
  Fixture f;
  f.ingest(reservation("R1"));
  sdk::Order m = repurchase("M1", {"R1"});
  f.ingest(m);
  const Instant t = kNow + 1h;
  m = shipped(m, {0}, t, "YT900");
  m = shipped(m, {1}, t, "YT300");
  m = shipped(m, {2}, t - 1h, "YT100");
  f.ingest(m);
  const auto link = f.links("M1").at(0);
  CHECK(link.waybill == "YT300");
  CHECK(link.waybill_tie);
  const auto events = f.store->events(Fixture::key("M1"));
  const auto decided = std::find_if(events.begin(), events.end(), [](const auto& e) { return e.kind == "gift.main_shipped"; });
  REQUIRE(decided != events.end());
  CHECK(decided->rule_id == "G6");
  CHECK(decided->detail["tie"] == true);
  CHECK(decided->detail["waybill"] == "YT300");
}

TEST_CASE("gift_G8_split_packages_ship_the_reservation_with_the_last_package") {
  Fixture f;
  f.ingest(reservation("R1"));
  sdk::Order m = repurchase("M1", {"R1"});
  f.ingest(m);
  m = shipped(m, {0, 1}, kNow + 1h, "PKG-A");
  f.ingest(m);
  CHECK(f.links("M1").at(0).state == GiftLinkState::linked);
  m = shipped(m, {2}, kNow + 3h, "PKG-B");
  f.ingest(m);
  CHECK(f.links("M1").at(0).waybill == "PKG-B");

  // A refunded line is not waited for.
  Fixture g;
  g.ingest(reservation("R1"));
  sdk::Order n = repurchase("M1", {"R1"});
  g.ingest(n);
  n.lines[2].refund_status = sdk::RefundStatus::refunded;
  n = shipped(n, {0, 1}, kNow + 1h, "PKG-A");
  g.ingest(n);
  CHECK(g.links("M1").at(0).waybill == "PKG-A");
}

TEST_CASE("gift_G5_platform_mode_verifies_tmall_shipped_the_reservation_and_alerts_if_not") {
  Fixture f;
  f.ingest(reservation("R1"));
  sdk::Order m = repurchase("M1", {"R1"});
  f.ingest(m);
  const Instant t = kNow + 1h;
  f.ingest(shipped(m, {0, 1, 2}, t, "SF1"), t);
  CHECK(f.uploads("R1").empty());  // Tmall ships it in platform mode, not erpd
  CHECK(f.service.sweep(t + 2h - 1s).alerts == 0);
  CHECK(f.service.sweep(t + 2h).alerts == 1);
  CHECK(f.alert_open(gift::kAlertNotShipped));
  CHECK(std::count(f.refetched.begin(), f.refetched.end(), "R1") == 1);
  CHECK(f.service.sweep(t + 2h + 1s).alerts == 0);  // one alert, not one a second

  // Tmall marks it shipped with the main's waybill: verified, alert cleared, hold gone.
  f.ingest(shipped(reservation("R1"), {0}, t + 3h, "SF1"), t + 3h);
  CHECK(f.links("M1").at(0).state == GiftLinkState::shipped);
  CHECK_FALSE(f.alert_open(gift::kAlertNotShipped));
  CHECK(f.store->get_reservation(Fixture::key("R1"))->state == ReservationState::shipped);
  CHECK(f.stored("R1").holds.empty());
  CHECK(f.has_event("M1", "gift.shipped", "G5"));
  CHECK_FALSE(f.was_released("R1"));
}

TEST_CASE("gift_G7_a_later_repurchase_tagged_first_waits_for_the_earlier_one") {
  Fixture f;
  f.ingest(reservation("R1"));
  sdk::Order early = repurchase("M1");
  sdk::Order late = repurchase("M2");
  late.created_at = early.created_at + 1h;
  f.ingest(early);
  f.ingest(late);
  // M2's tag is read first, while M1 still waits for its own.
  late.reservation_order_ids = {"R1"};
  f.ingest(newer(late, 1h), kNow + 1h);
  CHECK(f.links("M2").empty());
  CHECK_FALSE(f.was_released("M2"));
  CHECK(f.has_event("M2", "gift.waits", "G7"));
  // M1's tag names R1 too: it takes R1, and M2 goes out without it.
  f.ingest(newer(repurchase("M1", {"R1"}), 2h), kNow + 2h);
  REQUIRE(f.links("M1").size() == 1);
  CHECK(f.was_released("M1"));
  CHECK(f.was_released("M2"));
  CHECK(f.links("M2").empty());
  CHECK(gift::gift_lines(*f.store, Fixture::key("M2")).empty());
  CHECK(f.has_event("M2", "gift.not_linked", "G7"));

  // A later repurchase never takes it from an earlier one.
  sdk::Order later = repurchase("M3", {"R1"});
  later.created_at = early.created_at + 2h;
  f.ingest(later);
  CHECK(f.links("M3").empty());
  CHECK(f.links("M1").size() == 1);
  CHECK(f.has_event("M3", "gift.not_linked", "G7"));
}

TEST_CASE("gift_G7_the_later_repurchase_takes_it_when_the_earlier_one_gets_no_tag") {
  Fixture f;
  f.ingest(reservation("R1"));
  sdk::Order early = repurchase("M1");
  sdk::Order late = repurchase("M2");
  late.created_at = early.created_at + 1h;
  late.paid_at = *early.paid_at + 1h;
  f.ingest(early);
  f.ingest(late);
  late.reservation_order_ids = {"R1"};
  f.ingest(newer(late, 1h), kNow + 1h);
  CHECK(f.links("M2").empty());
  // M1's window ends without a tag; the next sweep gives R1 to M2.
  CHECK(f.holds.release_due(kPaid + 4h) == 1);
  CHECK(f.was_released("M1"));
  f.service.sweep(kPaid + 4h);
  CHECK(f.links("M2").size() == 1);
  CHECK(f.was_released("M2"));
}

TEST_CASE("gift_G7_a_link_moves_to_an_earlier_repurchase_while_the_later_one_is_still_held") {
  Fixture f;
  f.ingest(reservation("R1"));
  sdk::Order early = repurchase("M1", {}, "");  // no buyer id: erpd cannot tell it is the same buyer
  sdk::Order late = repurchase("M2");
  late.created_at = early.created_at + 1h;
  f.ingest(early);
  f.ingest(late);
  const auto manual = f.holds.place(Fixture::key("M2"), {"MANUAL", "operator:alice", "", "check", std::nullopt}, kNow);
  REQUIRE(manual);
  late.reservation_order_ids = {"R1"};
  f.ingest(newer(late, 1h), kNow + 1h);
  CHECK(f.links("M2").size() == 1);
  CHECK_FALSE(f.was_released("M2"));
  f.ingest(newer(repurchase("M1", {"R1"}, ""), 2h), kNow + 2h);
  CHECK(f.links("M2").empty());
  REQUIRE(f.links("M1").size() == 1);
  CHECK(f.has_event("M2", "gift.unlinked", "G7"));
}

TEST_CASE("gift_G9_G10_G12_merchant_mode_uploads_each_reservation_once_whatever_its_quantity") {
  Fixture f{GiftMode::merchant};
  f.ingest(reservation("R1", kPaid - 48h, 2));
  f.ingest(reservation("R2", kPaid - 24h));
  sdk::Order m = repurchase("M1");  // no tag: in merchant mode erpd links the buyer's reservations
  f.ingest(m);
  CHECK_FALSE(holds_with(f.stored("M1"), gift::kTagWindowHold));
  CHECK(f.was_released("M1"));
  REQUIRE(f.links("M1").size() == 2);
  CHECK(gift::gift_lines(*f.store, Fixture::key("M1")).at(0).line.quantity == 2);

  m = shipped(m, {0, 1, 2}, kNow + 1h, "SF77");
  f.ingest(m);
  f.ingest(newer(m), kNow + 2h);  // the same facts again
  for (const char* id : {"R1", "R2"}) {
    INFO(id);
    const auto uploads = f.uploads(id);
    REQUIRE(uploads.size() == 1);  // G9: one shipment for two pieces; G10: both reservations
    CHECK(uploads[0].payload["packages"][0]["waybill"] == "SF77");
    CHECK(uploads[0].idempotency_key == "platform.ship:tmall/tmall-flagship/" + std::string(id) + "#gift");
  }
  for (const auto& link : f.links("M1")) CHECK_FALSE(link.verify_by.has_value());
}

TEST_CASE("gift_G12_merchant_rules_thresholds_and_stock") {
  Fixture f{GiftMode::merchant};
  GiftRule rule;
  rule.name = "spend-300";
  rule.min_amount_fen = 29900;
  rule.stock = 1;
  f.settings.rules = {rule};
  f.ingest(reservation("R1"));
  f.ingest(reservation("R2", kPaid - 24h, 1, "buyer-2"));
  f.ingest(reservation("R3", kPaid - 24h, 1, "buyer-3"));

  sdk::Order small = repurchase("M1");
  small.total = sdk::Money{29899};
  f.ingest(small);
  CHECK(f.links("M1").empty());
  CHECK(f.has_event("M1", "gift.not_earned", "G12"));

  f.ingest(repurchase("M2", {}, "buyer-2"));
  REQUIRE(f.links("M2").size() == 1);
  CHECK(f.links("M2")[0].source == "rule:spend-300");
  CHECK(f.store->gift_rule_used("spend-300") == 1);
  CHECK(f.alert_open(gift::kAlertStockExhausted));

  f.ingest(repurchase("M3", {}, "buyer-3"));  // meets the threshold, but the stock is spent
  CHECK(f.links("M3").empty());
  CHECK(f.has_event("M3", "gift.not_earned", "G12"));

  // A refund before shipping gives the piece back.
  f.ingest(refunded(repurchase("M2", {}, "buyer-2")));
  CHECK(f.store->gift_rule_used("spend-300") == 0);
}

TEST_CASE("gift_G11_refunds_at_each_stage") {
  SUBCASE("a waiting reservation refunded: hold released, closed, nothing owed") {
    Fixture f;
    f.ingest(reservation("R1"));
    f.ingest(refunded(reservation("R1")));
    CHECK(f.store->get_reservation(Fixture::key("R1"))->state == ReservationState::closed);
    CHECK(f.stored("R1").holds.empty());
    CHECK_FALSE(f.was_released("R1"));
    CHECK(f.has_event("R1", "gift.closed", "G11"));
  }
  SUBCASE("the repurchase refunded before shipping: gift line gone, the reservation waits again") {
    Fixture f;
    f.ingest(reservation("R1"));
    f.ingest(repurchase("M1", {"R1"}));
    f.ingest(refunded(repurchase("M1", {"R1"})));
    CHECK(f.links("M1").empty());
    CHECK(gift::gift_lines(*f.store, Fixture::key("M1")).empty());
    CHECK(f.store->get_reservation(Fixture::key("R1"))->state == ReservationState::waiting);
    CHECK(holds_with(f.stored("R1"), gift::kReservationHold));
    CHECK(f.has_event("M1", "gift.unlinked", "G11"));
  }
  SUBCASE("a linked reservation refunded: its part comes off; the warehouse is told through an alert") {
    Fixture f;
    f.ingest(reservation("R1"));
    f.ingest(reservation("R2", kPaid - 12h));
    f.ingest(repurchase("M1", {"R1", "R2"}));
    REQUIRE(f.was_released("M1"));
    f.ingest(refunded(reservation("R2", kPaid - 12h)));
    const auto lines = gift::gift_lines(*f.store, Fixture::key("M1"));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].fulfils == std::vector<std::string>{"R1"});
    CHECK(f.alert_open(gift::kAlertWarehouseStale));
    CHECK(f.store->get_reservation(Fixture::key("R2"))->state == ReservationState::closed);
  }
  SUBCASE("the platform closes an unclaimed reservation after 365 days") {
    Fixture f;
    f.ingest(reservation("R1"));
    sdk::Order closed = reservation("R1");
    closed.status = sdk::OrderStatus::closed;
    closed.platform_status = "TRADE_CLOSED";
    closed.modified_at += 365 * 24h;
    f.ingest(closed, kNow + 365 * 24h);
    CHECK(f.store->get_reservation(Fixture::key("R1"))->state == ReservationState::closed);
    CHECK(f.stored("R1").holds.empty());
  }
}

TEST_CASE("gift_G1_orders_of_other_platforms_are_never_reservations") {
  Fixture f;
  sdk::Order r = reservation("R1");
  r.platform = "taobao";
  f.ingest(r);
  CHECK(f.was_released("R1"));
  CHECK_FALSE(f.store->get_reservation(OrderKey{"taobao", "tmall-flagship", "R1"}));
}

TEST_CASE("gift: a shop without gifts enabled is left alone") {
  Fixture f;
  f.settings.enabled = false;
  f.ingest(reservation("R1"));
  CHECK(f.was_released("R1"));
  CHECK_FALSE(f.store->get_reservation(Fixture::key("R1")));
}

TEST_CASE("gift_G6_G8_waybill_choice_waits_for_every_unrefunded_line") {
  sdk::Order m = repurchase("M1");
  CHECK_FALSE(gift::choose_waybill(m));
  m = shipped(m, {0, 1}, kNow, "A");
  CHECK_FALSE(gift::choose_waybill(m));
  m.lines[2].refund_status = sdk::RefundStatus::refunded;
  const auto choice = gift::choose_waybill(m);
  REQUIRE(choice);
  CHECK(choice->waybill == "A");
  CHECK_FALSE(choice->tie);  // two lines in one parcel are not a tie
}

TEST_CASE("gift_G12_rule_matching_window_quantity_and_skus") {
  GiftConfig settings;
  GiftRule a;
  a.name = "november";
  a.from = kPaid + 1h;
  GiftRule b;
  b.name = "two-pieces-of-out-3";
  b.min_quantity = 4;
  b.skus = {"OUT-3"};
  settings.rules = {a, b};
  const auto used = [](const std::string&) { return std::int64_t{0}; };
  sdk::Order m = repurchase("M1");  // 1 + 2 + 3 pieces, paid before `november` starts
  const auto* matched = gift::match_rule(m, settings, used);
  REQUIRE(matched);
  CHECK(matched->name == "two-pieces-of-out-3");
  m.lines[2].refund_status = sdk::RefundStatus::refunded;  // OUT-3 refunded: 3 pieces left
  CHECK_FALSE(gift::match_rule(m, settings, used));
  m.paid_at = kPaid + 2h;
  CHECK(gift::match_rule(m, settings, used)->name == "november");
}
