// The release gate and hold decisions as a merchant sees them: an order goes to the warehouse
// only when no hold remains, and every step is in its history.

#include "holds/release_gate.hpp"

#include "unit/store/store_fixture.hpp"

using namespace erp;
using namespace erp::test;
using daemon::holds::HoldService;
using daemon::holds::ReleaseGate;
using daemon::store::NewHold;
using daemon::store::Store;
using daemon::store::StoredOrder;
using daemon::store::Tx;

namespace {

const Instant kPaid = *daemon::parse_rfc3339("2026-11-10T16:00:30Z");

struct Fixture {
  TempDir dir;
  std::unique_ptr<Store> store = open_store(dir / "erpd.db");
  std::vector<std::string> released;  // What the warehouse was told, in order.
  ReleaseGate gate{*store, [this](Tx& tx, const StoredOrder& order, Instant now) {
                     released.push_back(order.order.order_id);
                     CHECK(order.released);
                     CHECK(order.released_at == now);
                     store->enqueue(tx,
                                    {"deliver:" + order.order.order_id, "warehouse.deliver", "warehouse",
                                     key_of(order.order), nlohmann::json::object()},
                                    now);
                   }};
  HoldService holds{*store, gate};

  // Stores an order without opening the gate (as if a workflow held it in the same decision).
  OrderKey add(const sdk::Order& order) {
    auto tx = store->begin();
    store->upsert_order(*tx, order, kPaid);
    tx->commit();
    return key_of(order);
  }
  bool evaluate(const OrderKey& key, Instant now) {
    auto tx = store->begin();
    const bool opened = gate.evaluate(*tx, key, now);
    tx->commit();
    return opened;
  }
};

NewHold operator_hold(const std::string& note = "") { return NewHold{"MANUAL", "operator:wang", "", note, {}}; }
NewHold gift_hold(std::optional<Instant> until = {}) {
  return NewHold{"TAG_WINDOW", "workflow:gift", "G2", "waiting for the reservation tag", until};
}

}  // namespace

TEST_CASE("a paid order with no hold is released once, with the warehouse effect in the same decision") {
  Fixture f;
  const auto key = f.add(sample_order("6001"));
  const auto now = kPaid + std::chrono::seconds(1);
  CHECK(f.evaluate(key, now));
  CHECK_FALSE(f.evaluate(key, now + std::chrono::seconds(1)));  // Never twice.
  CHECK(f.released == std::vector<std::string>{"6001"});

  auto stored = f.store->get_order(key);
  CHECK(stored->released);
  CHECK(stored->released_at == now);
  const auto events = f.store->events(key);
  REQUIRE(events.size() == 2);
  CHECK(events[1].kind == "order.released");
  CHECK(events[1].actor == "daemon");
  CHECK(events[1].reason == "no hold remains; handed to the warehouse");
  REQUIRE(f.store->list_outbox(std::nullopt).size() == 1);
  CHECK(f.store->list_outbox(std::nullopt)[0].idempotency_key == "deliver:6001");
}

TEST_CASE("a release that is not committed tells the warehouse nothing") {
  Fixture f;
  const auto key = f.add(sample_order("6002"));
  {
    auto tx = f.store->begin();
    CHECK(f.gate.evaluate(*tx, key, kPaid));
  }
  CHECK_FALSE(f.store->get_order(key)->released);
  CHECK(f.store->list_outbox(std::nullopt).empty());
  CHECK(f.store->events(key).size() == 1);
}

TEST_CASE("only paid or partially shipped orders are released") {
  Fixture f;
  auto unpaid = sample_order("6003");
  unpaid.status = sdk::OrderStatus::pending_payment;
  auto partial = sample_order("6004");
  partial.status = sdk::OrderStatus::partially_shipped;
  auto shipped = sample_order("6005");
  shipped.status = sdk::OrderStatus::shipped;
  auto closed = sample_order("6006");
  closed.status = sdk::OrderStatus::closed;
  CHECK_FALSE(f.evaluate(f.add(unpaid), kPaid));
  CHECK(f.evaluate(f.add(partial), kPaid));
  CHECK_FALSE(f.evaluate(f.add(shipped), kPaid));
  CHECK_FALSE(f.evaluate(f.add(closed), kPaid));
  CHECK_FALSE(f.evaluate(OrderKey{"tmall", "x", "unknown"}, kPaid));
  CHECK(f.released == std::vector<std::string>{"6004"});
}

TEST_CASE("an order with several holds is released only when the last one goes") {
  Fixture f;
  const auto key = f.add(sample_order("6007"));
  auto gift = f.holds.place(key, gift_hold(), kPaid);
  auto manual = f.holds.place(key, operator_hold("check the address"), kPaid + std::chrono::seconds(1));
  REQUIRE(gift.ok());
  REQUIRE(manual.ok());
  CHECK(f.store->get_order(key)->holds.size() == 2);

  auto r1 = f.holds.release(key, manual->id, "operator:wang", "address fine", false, kPaid + std::chrono::minutes(1));
  REQUIRE(r1.ok());
  CHECK(r1->released_by == "operator:wang");
  CHECK_FALSE(f.store->get_order(key)->released);  // The gift hold still stands.
  CHECK(f.released.empty());

  auto r2 =
      f.holds.release(key, gift->id, "operator:wang", "no gift for this buyer", true, kPaid + std::chrono::minutes(2));
  REQUIRE(r2.ok());
  auto stored = f.store->get_order(key);
  CHECK(stored->released);
  CHECK(stored->released_at == kPaid + std::chrono::minutes(2));
  CHECK(f.released == std::vector<std::string>{"6007"});

  std::vector<std::string> story;
  for (const auto& e : f.store->events(key)) story.push_back(e.kind + " [" + e.rule_id + "] " + e.actor);
  CHECK(story == std::vector<std::string>{
                     "order.received [] platform",
                     "hold.added [G2] workflow:gift",
                     "hold.added [] operator:wang",
                     "hold.released [] operator:wang",
                     "hold.released [G2] operator:wang",
                     "order.released [] daemon",
                 });
}

TEST_CASE("placing a hold: unknown order, released order, finished order, missing fields") {
  Fixture f;
  auto missing = f.holds.place(OrderKey{"tmall", "s", "nope"}, operator_hold(), kPaid);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == sdk::ErrorCode::not_found);

  const auto key = f.add(sample_order("6008"));
  f.evaluate(key, kPaid);
  auto late = f.holds.place(key, operator_hold(), kPaid + std::chrono::minutes(1));
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code == sdk::ErrorCode::conflict);
  CHECK(late.error().message.find("already released") != std::string::npos);
  CHECK(f.store->holds(key).empty());

  auto shipped = sample_order("6009");
  shipped.status = sdk::OrderStatus::shipped;
  auto done = f.holds.place(f.add(shipped), operator_hold(), kPaid);
  REQUIRE_FALSE(done.ok());
  CHECK(done.error().code == sdk::ErrorCode::conflict);

  const auto open_key = f.add(sample_order("6010"));
  auto no_reason = f.holds.place(open_key, NewHold{"", "operator:wang", "", "", {}}, kPaid);
  REQUIRE_FALSE(no_reason.ok());
  CHECK(no_reason.error().code == sdk::ErrorCode::invalid_input);
  auto no_owner = f.holds.place(open_key, NewHold{"MANUAL", "", "", "", {}}, kPaid);
  REQUIRE_FALSE(no_owner.ok());
  CHECK(no_owner.error().code == sdk::ErrorCode::invalid_input);
}

TEST_CASE("a hold on an unpaid order keeps it from going out once paid") {
  Fixture f;
  auto order = sample_order("6011");
  order.status = sdk::OrderStatus::pending_payment;
  const auto key = f.add(order);
  auto hold = f.holds.place(key, operator_hold(), kPaid);
  REQUIRE(hold.ok());
  order.status = sdk::OrderStatus::paid;
  order.modified_at += std::chrono::minutes(1);
  f.add(order);
  CHECK_FALSE(f.evaluate(key, kPaid + std::chrono::minutes(2)));
  REQUIRE(f.holds.release(key, hold->id, "operator:wang", "", false, kPaid + std::chrono::minutes(3)).ok());
  CHECK(f.store->get_order(key)->released);
}

TEST_CASE("releasing a hold: unknown, someone else's order, already released, a workflow's hold without force") {
  Fixture f;
  const auto key = f.add(sample_order("6012"));
  const auto other = f.add(sample_order("6013"));
  auto gift = f.holds.place(key, gift_hold(), kPaid);
  auto manual = f.holds.place(key, operator_hold(), kPaid);
  REQUIRE(gift.ok());
  REQUIRE(manual.ok());

  auto unknown = f.holds.release(key, 424242, "operator:wang", "", false, kPaid);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == sdk::ErrorCode::not_found);
  auto wrong_order = f.holds.release(other, manual->id, "operator:wang", "", false, kPaid);
  REQUIRE_FALSE(wrong_order.ok());
  CHECK(wrong_order.error().code == sdk::ErrorCode::not_found);

  auto unforced = f.holds.release(key, gift->id, "operator:wang", "", false, kPaid);
  REQUIRE_FALSE(unforced.ok());
  CHECK(unforced.error().code == sdk::ErrorCode::conflict);
  CHECK(unforced.error().message.find("workflow:gift") != std::string::npos);
  CHECK(unforced.error().message.find("G2") != std::string::npos);
  CHECK_FALSE(f.store->get_hold(gift->id)->released_at.has_value());

  REQUIRE(f.holds.release(key, manual->id, "operator:wang", "", false, kPaid).ok());
  auto again = f.holds.release(key, manual->id, "operator:wang", "", false, kPaid);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == sdk::ErrorCode::conflict);

  auto forced = f.holds.release(key, gift->id, "operator:wang", "merchant decided", true, kPaid);
  REQUIRE(forced.ok());
  CHECK(forced->release_reason == "merchant decided");
  CHECK(f.store->get_order(key)->released);
}

TEST_CASE("holds with an auto-release time are released by the daemon when it comes") {
  Fixture f;
  const auto a = f.add(sample_order("6014"));
  const auto b = f.add(sample_order("6015"));
  const auto window_end = kPaid + std::chrono::hours(4);  // The G2 tag window.
  auto ha = f.holds.place(a, gift_hold(window_end), kPaid);
  auto hb = f.holds.place(b, gift_hold(window_end), kPaid);
  auto hb2 = f.holds.place(b, operator_hold(), kPaid);
  REQUIRE((ha.ok() && hb.ok() && hb2.ok()));

  CHECK(f.holds.release_due(window_end - std::chrono::seconds(1)) == 0);
  CHECK(f.holds.release_due(window_end) == 2);
  CHECK(f.holds.release_due(window_end) == 0);

  auto released = f.store->get_hold(ha->id);
  CHECK(released->released_at == window_end);
  CHECK(released->released_by == "daemon");
  CHECK(released->release_reason == "auto-release time reached");
  CHECK(f.store->get_order(a)->released);
  CHECK_FALSE(f.store->get_order(b)->released);  // The operator's hold still stands.
  CHECK(f.released == std::vector<std::string>{"6014"});
  const auto events = f.store->events(a);
  CHECK(events[events.size() - 2].kind == "hold.released");
  CHECK(events[events.size() - 2].rule_id == "G2");
  CHECK(events[events.size() - 2].reason == "hold (TAG_WINDOW) released: auto-release time reached");
  CHECK(events.back().kind == "order.released");
}

TEST_CASE("one auto-release that fails does not keep the others waiting") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  ReleaseGate gate{*store, [](Tx&, const StoredOrder& order, Instant) {
                     if (order.order.order_id == "6016") throw std::runtime_error("warehouse connector broken");
                   }};
  HoldService holds{*store, gate};
  for (const char* id : {"6016", "6017"}) {
    auto tx = store->begin();
    store->upsert_order(*tx, sample_order(id), kPaid);
    tx->commit();
    REQUIRE(holds.place(key_of(sample_order(id)), gift_hold(kPaid + std::chrono::hours(4)), kPaid).ok());
  }
  CHECK_THROWS_AS(holds.release_due(kPaid + std::chrono::hours(5)), std::runtime_error);
  CHECK_FALSE(store->get_order(key_of(sample_order("6016")))->released);
  CHECK(store->get_order(key_of(sample_order("6016")))->holds.size() == 1);  // Rolled back whole.
  CHECK(store->get_order(key_of(sample_order("6017")))->released);
}
