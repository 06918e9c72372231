#include "shipping/shipment_recorder.hpp"

#include <doctest/doctest.h>

#include "unit/store/store_fixture.hpp"

using namespace erp::daemon;
using erp::test::sample_order;
using erp::test::TempDir;
using nlohmann::json;

namespace {

struct Fixture {
  TempDir dir;
  std::unique_ptr<store::Store> store = std::move(store::Store::open(dir / "erpd.db")).value();
  OrderKey key{"tmall", "tmall-flagship", "1001"};

  explicit Fixture(erp::sdk::OrderStatus status = erp::sdk::OrderStatus::paid) {
    auto order = sample_order("1001");
    order.status = status;
    auto tx = store->begin();
    store->upsert_order(*tx, order, now_utc());
    tx->commit();
  }
  shipping::PostedShipment shipment(const std::string& id, const std::string& waybill = "SF100") {
    auto parsed = shipping::parse_posted_shipment(
        json{{"shipment_id", id}, {"packages", {{{"waybill", waybill}, {"carrier", "SF"}, {"lines", {"1001-1"}}}}}});
    REQUIRE(parsed.ok());
    return *parsed;
  }
  int events_of(const std::string& kind) {
    int n = 0;
    for (const auto& e : store->events(key)) n += e.kind == kind;
    return n;
  }
};

}  // namespace

TEST_CASE("a posted shipment is one event and one owed upload, however often it is posted") {
  Fixture f;
  auto first = shipping::record_shipment(*f.store, f.key, f.shipment("WMS-1"), now_utc());
  REQUIRE(first.ok());
  CHECK_FALSE(first->duplicate);
  CHECK(first->item.kind == "platform.ship");
  CHECK(first->item.target == "tmall-flagship");
  CHECK(first->item.state == store::OutboxState::pending);

  auto again = shipping::record_shipment(*f.store, f.key, f.shipment("WMS-1"), now_utc());
  REQUIRE(again.ok());
  CHECK(again->duplicate);
  CHECK(again->outbox_id == first->outbox_id);
  CHECK(f.events_of("shipment.posted") == 1);
  CHECK(f.store->list_outbox(store::OutboxState::pending).size() == 1);
}

TEST_CASE("the same shipment id with other parcels is a conflict, not a second upload") {
  Fixture f;
  REQUIRE(shipping::record_shipment(*f.store, f.key, f.shipment("WMS-1", "SF100"), now_utc()).ok());
  auto changed = shipping::record_shipment(*f.store, f.key, f.shipment("WMS-1", "SF999"), now_utc());
  REQUIRE_FALSE(changed.ok());
  CHECK(changed.error().code == erp::sdk::ErrorCode::conflict);
  CHECK(f.store->list_outbox(std::nullopt).size() == 1);
}

TEST_CASE("shipments of unknown orders, unknown lines and closed orders are refused and record nothing") {
  Fixture f;
  auto unknown = shipping::record_shipment(*f.store, {"tmall", "tmall-flagship", "404"}, f.shipment("W"), now_utc());
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == erp::sdk::ErrorCode::not_found);

  auto bad_line = shipping::parse_posted_shipment(
      json{{"shipment_id", "W2"}, {"packages", {{{"waybill", "SF1"}, {"carrier", "SF"}, {"lines", {"nope"}}}}}});
  REQUIRE(bad_line.ok());
  auto refused = shipping::record_shipment(*f.store, f.key, *bad_line, now_utc());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "packages[0].lines: order 1001 has no line 'nope'");

  Fixture closed(erp::sdk::OrderStatus::closed);
  auto on_closed = shipping::record_shipment(*closed.store, closed.key, closed.shipment("W3"), now_utc());
  REQUIRE_FALSE(on_closed.ok());
  CHECK(on_closed.error().code == erp::sdk::ErrorCode::conflict);
  CHECK(f.store->list_outbox(std::nullopt).empty());
  CHECK(closed.store->list_outbox(std::nullopt).empty());
  CHECK(f.events_of("shipment.posted") == 0);
}
