// workflows.release_delay: a freshly paid order waits before it goes to the warehouse, and the
// hold lifts itself; orders paid long enough ago, and orders whose delay was lifted, go at once.

#include "workflows/release_delay.hpp"

#include "holds/release_gate.hpp"
#include "unit/store/store_fixture.hpp"

using namespace erp;
using namespace erp::test;
using namespace std::chrono_literals;
using daemon::holds::HoldService;
using daemon::holds::ReleaseGate;
using daemon::store::Store;
using daemon::workflows::OrderPipeline;
using daemon::workflows::ReleaseDelay;

namespace {

// sample_order() is paid at 16:00:09.250Z.
const Instant kJustPaid = *daemon::parse_rfc3339("2026-11-10T16:00:20Z");

struct Fixture {
  TempDir dir;
  std::unique_ptr<Store> store = open_store(dir / "erpd.db");
  ReleaseGate gate{*store, [](daemon::store::Tx&, const daemon::store::StoredOrder&, Instant) {}};
  OrderPipeline pipeline{*store, gate};
  HoldService holds{*store, gate};
  std::shared_ptr<ReleaseDelay> delay = std::make_shared<ReleaseDelay>(*store);

  explicit Fixture(std::chrono::milliseconds d) {
    delay->set_delay(d);
    pipeline.add(delay);
  }
  daemon::store::StoredOrder stored(const std::string& id) { return *store->get_order(key_of(sample_order(id))); }
};

}  // namespace

TEST_CASE("a freshly paid order is held for the delay and released when it lifts itself") {
  Fixture f(2min);
  f.pipeline.ingest(sample_order("8001"), kJustPaid);
  auto order = f.stored("8001");
  CHECK_FALSE(order.released);
  REQUIRE(order.holds.size() == 1);
  CHECK(order.holds[0].reason_code == "RELEASE_DELAY");
  CHECK(order.holds[0].owner == "workflow:release_delay");
  REQUIRE(order.holds[0].auto_release_at.has_value());
  CHECK(*order.holds[0].auto_release_at == *sample_order("8001").paid_at + 2min);

  CHECK(f.holds.release_due(kJustPaid + 1min) == 0);
  CHECK(f.holds.release_due(*order.holds[0].auto_release_at) == 1);
  CHECK(f.stored("8001").released);
}

TEST_CASE("orders paid longer ago than the delay, unpaid orders and a delay of 0 are not held") {
  Fixture f(2min);
  f.pipeline.ingest(sample_order("8002"), kJustPaid + 10min);  // a backfill finds it late
  CHECK(f.stored("8002").released);
  auto unpaid = sample_order("8003");
  unpaid.status = sdk::OrderStatus::pending_payment;
  unpaid.paid_at.reset();
  f.pipeline.ingest(unpaid, kJustPaid);
  CHECK(f.stored("8003").holds.empty());

  Fixture off(0ms);
  off.pipeline.ingest(sample_order("8004"), kJustPaid);
  CHECK(off.stored("8004").released);
}

TEST_CASE("a delay an operator lifted early is not placed again by the order's next update") {
  Fixture f(10min);
  f.pipeline.ingest(sample_order("8005"), kJustPaid);
  const auto hold = f.stored("8005").holds.at(0);
  REQUIRE(f.holds.release(key_of(sample_order("8005")), hold.id, "operator:alice", "ship now", true, kJustPaid).ok());
  CHECK(f.stored("8005").released);

  auto changed = sample_order("8005");
  changed.memo = "gift wrap";
  changed.modified_at += 1min;
  f.pipeline.ingest(changed, kJustPaid + 1min);
  CHECK(f.stored("8005").holds.empty());
  CHECK(f.stored("8005").released);
}
