// The codes a warehouse knows deliveries by: the order id first, another shop's order of the same
// id under a code of its own, a lock naming every live delivery of the order, and, for a connector
// whose lock cancels the delivery (Qimen order.cancel), the intercepted lines delivered again under
// a new code once the intercept is cancelled (rule I6).

#include <doctest/doctest.h>

#include "unit/warehouse/warehouse_fixture.hpp"
#include "warehouse/delivery.hpp"
#include "warehouse/lock_handler.hpp"

using namespace erp::daemon;
using erp::sdk::DeliveryOrder;
using erp::sdk::LockOutcome;
using erp::sdk::LockRequest;

namespace {

/// A warehouse whose lock cancels the delivery, recording what it was sent.
class CancellingConnector final : public erp::sdk::WarehouseConnector {
 public:
  std::vector<DeliveryOrder> delivered;
  std::vector<LockRequest> locks;
  int unlocks = 0;
  LockOutcome answer = LockOutcome::locked;

  erp::sdk::Result<void> deliver(const DeliveryOrder& delivery) override {
    delivered.push_back(delivery);
    return {};
  }
  erp::sdk::Result<LockOutcome> lock(const LockRequest& request) override {
    locks.push_back(request);
    return answer;
  }
  erp::sdk::Result<void> unlock(const LockRequest&) override {
    ++unlocks;
    return {};
  }
  bool lock_cancels_delivery() const override { return true; }
};

struct DeliveryFixture : erp::test::ReleasedOrderFixture {
  std::shared_ptr<CancellingConnector> connector = std::make_shared<CancellingConnector>();
  warehouse::DeliverHandler deliver{*store, connector, true};
  warehouse::LockHandler lock{*store, intercepts, connector, false};
  warehouse::LockHandler unlock{*store, intercepts, connector, true};

  void run(outbox::Handler& handler, const std::string& kind) {
    for (const auto& item : items(kind)) REQUIRE(handler.execute(item).ok());
  }
  void release_order() {
    auto tx = store->begin();
    store::StoredOrder stored;
    stored.order = erp::test::sample_order("1001");
    warehouse::enqueue_delivery_on_release (*store)(*tx, stored, now_utc());
    tx->commit();
  }
};

}  // namespace

TEST_CASE("a delivery is sent under the order id, the same code every time it is retried") {
  DeliveryFixture f;
  f.release_order();
  f.run(f.deliver, warehouse::kDeliverKind);
  f.run(f.deliver, warehouse::kDeliverKind);
  REQUIRE(f.connector->delivered.size() == 2);
  CHECK(f.connector->delivered[0].delivery_code == "1001");
  CHECK(f.connector->delivered[1].delivery_code == "1001");
  CHECK(f.store->deliveries_of(f.key).size() == 1);
}

TEST_CASE("an order of another shop with the same id gets a code of its own") {
  DeliveryFixture f;
  f.release_order();
  f.run(f.deliver, warehouse::kDeliverKind);
  const OrderKey other{"taobao", "taobao-outlet", "1001"};
  auto tx = f.store->begin();
  f.store->upsert_order(*tx, erp::test::sample_order("1001", "taobao-outlet", "taobao"), now_utc());
  tx->commit();
  auto second =
      warehouse::assemble_delivery(*f.store, other, "warehouse.deliver:" + other.to_string(), {}, "", now_utc());
  REQUIRE(second.ok());
  CHECK(second->delivery_code == "1001-taobao-outlet");
  CHECK(f.store->find_delivery("1001-taobao-outlet")->key.to_string() == other.to_string());
}

TEST_CASE("intercept_I4_a_lock_names_the_orders_deliveries_and_a_cancelling_lock_marks_them_cancelled") {
  DeliveryFixture f;
  f.release_order();
  f.run(f.deliver, warehouse::kDeliverKind);
  const auto intercept = f.request_intercept();
  f.run(f.lock, workflows::intercept::kLockKind);
  REQUIRE(f.connector->locks.size() == 1);
  CHECK(f.connector->locks[0].delivery_codes == std::vector<std::string>{"1001"});
  CHECK(f.store->get_intercept(intercept.id)->state == store::InterceptState::locked);
  CHECK(f.store->find_delivery("1001")->cancelled);
}

TEST_CASE("intercept_I6_after_a_cancelling_lock_the_unlock_delivers_the_order_again_under_a_new_code") {
  DeliveryFixture f;
  f.release_order();
  f.run(f.deliver, warehouse::kDeliverKind);
  const auto intercept = f.request_intercept();
  f.run(f.lock, workflows::intercept::kLockKind);
  REQUIRE(f.intercepts.cancel(intercept.id, "operator:test", "buyer changed their mind", now_utc()));
  f.run(f.unlock, workflows::intercept::kUnlockKind);
  f.run(f.unlock, workflows::intercept::kUnlockKind);  // a retry sends the same code again
  CHECK(f.connector->unlocks == 0);
  REQUIRE(f.connector->delivered.size() == 3);
  const std::string code = "1001-R" + std::to_string(intercept.id);
  CHECK(f.connector->delivered[1].delivery_code == code);
  CHECK(f.connector->delivered[2].delivery_code == code);
  CHECK(f.connector->delivered[1].order.lines.size() == 3);
  CHECK_FALSE(f.store->find_delivery(code)->cancelled);
}

TEST_CASE("intercept_I6_a_line_intercept_undone_delivers_only_its_lines_again") {
  DeliveryFixture f;
  f.release_order();
  f.run(f.deliver, warehouse::kDeliverKind);
  const auto intercept = f.request_intercept({"1001-2"});
  f.run(f.lock, workflows::intercept::kLockKind);
  CHECK_FALSE(f.store->find_delivery("1001")->cancelled);  // the other lines still go
  REQUIRE(f.intercepts.cancel(intercept.id, "operator:test", "buyer changed their mind", now_utc()));
  f.run(f.unlock, workflows::intercept::kUnlockKind);
  REQUIRE(f.connector->delivered.size() == 2);
  const auto& again = f.connector->delivered[1];
  REQUIRE(again.order.lines.size() == 1);
  CHECK(again.order.lines[0].line_id == "1001-2");
  CHECK(f.store->find_delivery(again.delivery_code)->line_ids == std::vector<std::string>{"1001-2"});
}

TEST_CASE("a lock too late leaves the delivery standing and nothing is delivered again") {
  DeliveryFixture f;
  f.release_order();
  f.run(f.deliver, warehouse::kDeliverKind);
  f.connector->answer = LockOutcome::too_late;
  const auto intercept = f.request_intercept();
  f.run(f.lock, workflows::intercept::kLockKind);
  CHECK(f.store->get_intercept(intercept.id)->state == store::InterceptState::too_late);
  CHECK_FALSE(f.store->find_delivery("1001")->cancelled);
  CHECK(f.items(workflows::intercept::kUnlockKind).empty());
  CHECK(f.connector->delivered.size() == 1);
}

TEST_CASE("intercept_I7_a_batch_unlock_after_a_cancelling_lock_delivers_the_order_again") {
  DeliveryFixture f;
  f.release_order();
  f.run(f.deliver, warehouse::kDeliverKind);
  const auto intercept = f.request_intercept();
  f.run(f.lock, workflows::intercept::kLockKind);
  REQUIRE(f.store->get_intercept(intercept.id)->state == store::InterceptState::locked);
  // No refund request by the unlock time: the merchant releases it for shipping.
  const auto report = f.intercepts.unlock_before(now_utc() + std::chrono::hours(1), "", "operator:test", now_utc());
  REQUIRE(report.unlocked.size() == 1);
  f.run(f.unlock, workflows::intercept::kUnlockKind);
  REQUIRE(f.connector->delivered.size() == 2);
  CHECK(f.connector->delivered[1].delivery_code == "1001-R" + std::to_string(intercept.id));
  CHECK(f.connector->unlocks == 0);
}

TEST_CASE("the builtin connector's deliveries record no codes: its warehouse reports through the API") {
  DeliveryFixture f;
  warehouse::DeliverHandler webhook{*f.store, f.connector, false};
  f.release_order();
  f.run(webhook, warehouse::kDeliverKind);
  REQUIRE(f.connector->delivered.size() == 1);
  CHECK(f.connector->delivered[0].delivery_code == "1001");
  CHECK(f.store->deliveries_of(f.key).empty());
}
