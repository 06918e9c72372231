// The path every fetched order walks: stored, decided on by the workflows, released or held,
// all in one transaction.

#include "workflows/order_pipeline.hpp"

#include "unit/store/store_fixture.hpp"

using namespace erp;
using namespace erp::test;
using daemon::holds::ReleaseGate;
using daemon::store::NewHold;
using daemon::store::Store;
using daemon::store::StoredOrder;
using daemon::store::Tx;
using daemon::store::UpsertOutcome;
using daemon::workflows::OrderPipeline;
using daemon::workflows::Workflow;

namespace {

const Instant kNow = *daemon::parse_rfc3339("2026-11-10T16:00:30Z");

// Holds main orders with no reservation tag yet for the G2 tag window, the way the gift
// workflow will; records what it saw.
class TagWindowWorkflow : public Workflow {
 public:
  explicit TagWindowWorkflow(Store& store) : store_(store) {}
  const char* name() const noexcept override { return "tag-window"; }
  void on_order_changed(Tx& tx, const StoredOrder& order, UpsertOutcome outcome, Instant now) override {
    calls.push_back(outcome);
    if (outcome == UpsertOutcome::inserted && order.order.reservation_order_ids.empty()) {
      store_.add_hold(tx, key_of(order.order),
                      NewHold{"TAG_WINDOW", "workflow:gift", "G2", "the reservation tag may still arrive",
                              now + std::chrono::hours(4)},
                      now);
    }
  }
  std::vector<UpsertOutcome> calls;

 private:
  Store& store_;
};

class Recorder : public Workflow {
 public:
  const char* name() const noexcept override { return "recorder"; }
  void on_order_changed(Tx&, const StoredOrder& order, UpsertOutcome, Instant) override {
    holds_seen.push_back(order.holds.size());
  }
  std::vector<std::size_t> holds_seen;
};

class Throwing : public Workflow {
 public:
  const char* name() const noexcept override { return "broken"; }
  void on_order_changed(Tx&, const StoredOrder&, UpsertOutcome, Instant) override {
    throw std::runtime_error("workflow bug");
  }
};

struct Fixture {
  TempDir dir;
  std::unique_ptr<Store> store = open_store(dir / "erpd.db");
  ReleaseGate gate{*store, [this](Tx& tx, const StoredOrder& order, Instant now) {
                     store->enqueue(tx,
                                    {"deliver:" + order.order.order_id, "warehouse.deliver", "warehouse",
                                     key_of(order.order), nlohmann::json::object()},
                                    now);
                   }};
  OrderPipeline pipeline{*store, gate};
};

}  // namespace

TEST_CASE("a paid order nothing holds is stored and released in one step") {
  Fixture f;
  const auto order = sample_order("7001");
  CHECK(f.pipeline.ingest(order, kNow) == UpsertOutcome::inserted);
  auto stored = f.store->get_order(key_of(order));
  REQUIRE(stored.has_value());
  CHECK(stored->released);
  CHECK(f.store->list_outbox(std::nullopt).size() == 1);
  const auto events = f.store->events(key_of(order));
  REQUIRE(events.size() == 2);
  CHECK(events[0].kind == "order.received");
  CHECK(events[1].kind == "order.released");
}

TEST_CASE("workflows decide inside the transaction and a hold they place keeps the order back") {
  Fixture f;
  auto tag = std::make_shared<TagWindowWorkflow>(*f.store);
  auto recorder = std::make_shared<Recorder>();
  f.pipeline.add(tag);
  f.pipeline.add(recorder);

  auto order = sample_order("7002");
  CHECK(f.pipeline.ingest(order, kNow) == UpsertOutcome::inserted);
  CHECK(recorder->holds_seen == std::vector<std::size_t>{1});  // Saw the first workflow's hold.
  auto stored = f.store->get_order(key_of(order));
  CHECK_FALSE(stored->released);
  REQUIRE(stored->holds.size() == 1);
  CHECK(stored->holds[0].rule_id == "G2");
  CHECK(f.store->list_outbox(std::nullopt).empty());
  const auto events = f.store->events(key_of(order));
  REQUIRE(events.size() == 2);
  CHECK(events[1].kind == "hold.added");
  CHECK(events[1].rule_id == "G2");

  // Same version again, then an older one: nothing to decide, workflows are not called.
  CHECK(f.pipeline.ingest(order, kNow + std::chrono::minutes(1)) == UpsertOutcome::unchanged);
  auto older = order;
  older.modified_at -= std::chrono::minutes(5);
  CHECK(f.pipeline.ingest(older, kNow + std::chrono::minutes(1)) == UpsertOutcome::stale_ignored);
  CHECK(tag->calls.size() == 1);

  // The tag arrives with a newer version: workflows see an update; the hold still stands.
  order.reservation_order_ids = {"R-9"};
  order.modified_at += std::chrono::hours(2);
  CHECK(f.pipeline.ingest(order, kNow + std::chrono::hours(2)) == UpsertOutcome::updated);
  CHECK(tag->calls == std::vector<UpsertOutcome>{UpsertOutcome::inserted, UpsertOutcome::updated});
  CHECK(f.store->events(key_of(order)).back().reason == "reservation orders linked: R-9");
}

TEST_CASE("a throwing workflow rolls the whole decision back: nothing is stored") {
  Fixture f;
  f.pipeline.add(std::make_shared<TagWindowWorkflow>(*f.store));
  f.pipeline.add(std::make_shared<Throwing>());
  const auto order = sample_order("7003");
  CHECK_THROWS_AS(f.pipeline.ingest(order, kNow), std::runtime_error);
  CHECK_FALSE(f.store->get_order(key_of(order)).has_value());
  CHECK(f.store->events(key_of(order)).empty());
  CHECK(f.store->counts().active_holds == 0);
  CHECK(f.store->list_outbox(std::nullopt).empty());
  CHECK(f.store->counts().orders == 0);
}

TEST_CASE("a throwing workflow on an update keeps the previous version") {
  Fixture f;
  auto order = sample_order("7004");
  order.status = sdk::OrderStatus::pending_payment;
  CHECK(f.pipeline.ingest(order, kNow) == UpsertOutcome::inserted);
  f.pipeline.add(std::make_shared<Throwing>());
  auto paid = order;
  paid.status = sdk::OrderStatus::paid;
  paid.modified_at += std::chrono::minutes(1);
  CHECK_THROWS(f.pipeline.ingest(paid, kNow + std::chrono::minutes(1)));
  auto stored = f.store->get_order(key_of(order));
  CHECK(stored->order.status == sdk::OrderStatus::pending_payment);
  CHECK_FALSE(stored->released);
  CHECK(f.store->events(key_of(order)).size() == 1);
  CHECK(f.store->list_outbox(std::nullopt).empty());
}

TEST_CASE("an order is released when the payment arrives") {
  Fixture f;
  auto order = sample_order("7005");
  order.status = sdk::OrderStatus::pending_payment;
  order.paid_at.reset();
  f.pipeline.ingest(order, kNow);
  CHECK_FALSE(f.store->get_order(key_of(order))->released);
  order.status = sdk::OrderStatus::paid;
  order.paid_at = kNow + std::chrono::minutes(3);
  order.modified_at = kNow + std::chrono::minutes(3);
  CHECK(f.pipeline.ingest(order, kNow + std::chrono::minutes(3)) == UpsertOutcome::updated);
  CHECK(f.store->get_order(key_of(order))->released);
  const auto events = f.store->events(key_of(order));
  REQUIRE(events.size() == 3);
  CHECK(events[1].reason.find("status pending_payment -> paid") == 0);
  CHECK(events[2].kind == "order.released");
}
