#include "shipping/platform_ship_handler.hpp"

#include <doctest/doctest.h>

#include "shipping/shipment_recorder.hpp"
#include "unit/store/store_fixture.hpp"

using namespace erp::daemon;
using erp::sdk::ErrorCode;
using erp::test::sample_order;
using erp::test::TempDir;
using nlohmann::json;

namespace {

class RecordingAdapter : public erp::sdk::PlatformAdapter {
 public:
  std::vector<erp::sdk::Shipment> shipped;
  std::vector<erp::sdk::Result<erp::sdk::ShipmentReceipt>> script;

  erp::sdk::Capabilities capabilities() const override { return {}; }
  erp::sdk::Result<erp::sdk::OrderPage> list_modified(const erp::sdk::ModifiedWindow&, const std::string&) override {
    return erp::sdk::OrderPage{};
  }
  erp::sdk::Result<erp::sdk::Order> get_order(const std::string&) override {
    return erp::sdk::fail(ErrorCode::not_found, "none");
  }
  erp::sdk::Result<erp::sdk::ShipmentReceipt> ship(const erp::sdk::Shipment& shipment) override {
    shipped.push_back(shipment);
    const auto i = shipped.size() - 1;
    return i < script.size() ? script[i] : erp::sdk::ShipmentReceipt{};
  }
};

struct Fixture {
  TempDir dir;
  std::unique_ptr<store::Store> store = std::move(store::Store::open(dir / "erpd.db")).value();
  OrderKey key{"tmall", "tmall-flagship", "1001"};
  std::shared_ptr<RecordingAdapter> adapter = std::make_shared<RecordingAdapter>();
  bool shop_running = true;
  shipping::PlatformShipHandler handler{*store, [this](const std::string& shop) {
                                          return shop == "tmall-flagship" && shop_running ? adapter : nullptr;
                                        }};

  Fixture() {
    auto tx = store->begin();
    store->upsert_order(*tx, sample_order("1001"), now_utc());
    tx->commit();
  }
  store::OutboxItem post() {
    auto posted = shipping::parse_posted_shipment(
        json{{"shipment_id", "WMS-7"},
             {"packages",
              {{{"waybill", "SF1"}, {"carrier", "SF"}, {"lines", {"1001-1"}}},
               {{"waybill", "SF2"}, {"carrier", "SF"}, {"lines", {"1001-2", "1001-3"}}}}}});
    REQUIRE(posted.ok());
    auto recorded = shipping::record_shipment(*store, key, *posted, now_utc());
    REQUIRE(recorded.ok());
    return recorded->item;
  }
};

}  // namespace

TEST_CASE("the warehouse's parcels reach the adapter with the outbox item's idempotency key") {
  Fixture f;
  const auto item = f.post();
  REQUIRE(f.handler.execute(item).ok());
  REQUIRE(f.adapter->shipped.size() == 1);
  const auto& shipment = f.adapter->shipped[0];
  CHECK(shipment.order_id == "1001");
  CHECK(shipment.idempotency_key == item.idempotency_key);
  REQUIRE(shipment.packages.size() == 2);
  CHECK(shipment.packages[1].waybill == "SF2");
  CHECK(shipment.packages[1].line_ids == std::vector<std::string>{"1001-2", "1001-3"});
  bool uploaded = false;
  for (const auto& e : f.store->events(f.key)) uploaded |= e.kind == "shipment.uploaded";
  CHECK(uploaded);
}

TEST_CASE("an upload the platform cannot take now stays owed; a refused one is final") {
  Fixture f;
  const auto item = f.post();

  f.adapter->script.push_back(erp::sdk::fail(ErrorCode::transient, "timeout"));
  auto timeout = f.handler.execute(item);
  REQUIRE_FALSE(timeout.ok());
  CHECK(timeout.error().retryable);

  f.adapter->script.push_back(erp::sdk::fail(ErrorCode::needs_reauth, "session expired"));
  auto reauth = f.handler.execute(item);
  REQUIRE_FALSE(reauth.ok());
  CHECK(reauth.error().retryable);  // goes out once the merchant authorizes again

  f.adapter->script.push_back(erp::sdk::fail(ErrorCode::already_shipped, "shipped with another waybill"));
  auto refused = f.handler.execute(item);
  REQUIRE_FALSE(refused.ok());
  CHECK_FALSE(refused.error().retryable);

  f.shop_running = false;
  auto stopped = f.handler.execute(item);
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.error().retryable);
  CHECK(f.adapter->shipped.size() == 3);  // no call while the shop is not running
}
