// What erpd does with a warehouse's reports (Qimen deliveryorder.confirm, orderprocess.report,
// stockchange.report once the connector read them): one upload per confirmation however often it
// comes, partial confirmations as shipments of their own, lock outcomes settling the intercept
// (rule I4), history and stock changes kept once.

#include "warehouse/inbound_events.hpp"

#include <doctest/doctest.h>

#include "core/posted_shipment.hpp"
#include "unit/warehouse/warehouse_fixture.hpp"
#include "warehouse/delivery.hpp"

using namespace erp::daemon;
using erp::sdk::ErrorCode;
using erp::sdk::WarehouseEvent;
using erp::sdk::WarehouseEventKind;
using Outcome = warehouse::EventResult::Outcome;

namespace {

struct InboundFixture : erp::test::ReleasedOrderFixture {
  std::string code;
  int wakes = 0;
  warehouse::InboundDeps deps{*store, intercepts, nullptr, [this] { ++wakes; }, true};

  InboundFixture() {
    auto delivery =
        warehouse::assemble_delivery(*store, key, "warehouse.deliver:tmall/tmall-flagship/1001", {}, "", now_utc());
    REQUIRE(delivery.ok());
    code = delivery->delivery_code;
  }

  warehouse::EventResult apply(const WarehouseEvent& event) {
    return warehouse::apply_warehouse_event(deps, event, now_utc());
  }

  WarehouseEvent shipped(std::string message_id, std::vector<erp::sdk::ShippedParcel> parcels, bool final = true) {
    WarehouseEvent e;
    e.kind = WarehouseEventKind::shipped;
    e.delivery_code = code;
    e.message_id = std::move(message_id);
    e.parcels = std::move(parcels);
    e.final = final;
    e.status = final ? "DELIVERED" : "PARTDELIVERED";
    return e;
  }

  /// The packages the platform.ship items carry, as "waybill:line,line" strings, oldest first.
  std::vector<std::string> uploads() {
    std::vector<std::string> out;
    for (const auto& item : items(shipping::kPlatformShipKind)) {
      for (const auto& p : item.payload.at("packages")) {
        std::string text = p.value("waybill", "") + ":";
        for (const auto& line : p.value("lines", std::vector<std::string>{})) text += line + ",";
        out.push_back(text);
      }
    }
    return out;
  }
};

erp::sdk::ShippedParcel parcel(std::string waybill, std::vector<std::string> lines) {
  erp::sdk::ShippedParcel p;
  p.carrier_code = "YTO";
  p.waybill = std::move(waybill);
  for (auto& line : lines) p.items.push_back({std::move(line), 1});
  return p;
}

}  // namespace

TEST_CASE("the first delivery of an order is known to the warehouse by the order id") {
  InboundFixture f;
  CHECK(f.code == "1001");
  const auto delivery = f.store->find_delivery("1001");
  REQUIRE(delivery.has_value());
  CHECK(delivery->key.to_string() == f.key.to_string());
  CHECK(delivery->line_ids == std::vector<std::string>{"1001-1", "1001-2", "1001-3"});
}

TEST_CASE("qimen_confirm_with_two_packages_is_one_upload_however_often_it_is_sent") {
  InboundFixture f;
  const auto event = f.shipped("OBC-1", {parcel("YT100", {"1001-1", "1001-2"}), parcel("YT101", {"1001-3"})});
  CHECK(f.apply(event).outcome == Outcome::applied);
  CHECK(f.apply(event).outcome == Outcome::duplicate);
  CHECK(f.apply(event).outcome == Outcome::duplicate);
  CHECK(f.uploads() == std::vector<std::string>{"YT100:1001-1,1001-2,", "YT101:1001-3,"});
  CHECK(f.wakes == 1);
}

TEST_CASE("qimen_partial_confirmations_ship_their_own_lines_each") {
  InboundFixture f;
  CHECK(f.apply(f.shipped("OBC-1", {parcel("YT100", {"1001-1"})}, false)).outcome == Outcome::applied);
  CHECK(f.apply(f.shipped("OBC-2", {parcel("YT101", {"1001-2", "1001-3"})}, true)).outcome == Outcome::applied);
  CHECK(f.uploads() == std::vector<std::string>{"YT100:1001-1,", "YT101:1001-2,1001-3,"});
}

TEST_CASE("a package that names no items carries the whole delivery; a partial one must name them") {
  InboundFixture f;
  erp::sdk::ShippedParcel whole;
  whole.carrier_code = "SF";
  whole.waybill = "SF1";
  const auto partial = f.apply(f.shipped("OBC-1", {whole}, false));
  CHECK(partial.outcome == Outcome::refused);
  CHECK(partial.error.code == ErrorCode::invalid_input);
  CHECK(f.uploads().empty());
  CHECK(f.apply(f.shipped("OBC-2", {whole}, true)).outcome == Outcome::applied);
  CHECK(f.uploads() == std::vector<std::string>{"SF1:1001-1,1001-2,1001-3,"});
}

TEST_CASE("gift_G4_gift_lines_in_a_warehouse_parcel_are_not_uploaded_as_lines_of_the_order") {
  InboundFixture f;
  const auto event =
      f.shipped("OBC-1", {parcel("YT100", {"1001-1", "gift:2001:2001-1"}), parcel("YT101", {"1001-2", "1001-3"})});
  CHECK(f.apply(event).outcome == Outcome::applied);
  CHECK(f.uploads() == std::vector<std::string>{"YT100:1001-1,", "YT101:1001-2,1001-3,"});
}

TEST_CASE("a confirmation of a code erpd never sent, or of a line the order lacks, is refused with why") {
  InboundFixture f;
  auto unknown = f.shipped("OBC-1", {parcel("YT100", {"1001-1"})});
  unknown.delivery_code = "9999";
  const auto r = f.apply(unknown);
  CHECK(r.outcome == Outcome::refused);
  CHECK(r.error.code == ErrorCode::not_found);
  CHECK(r.error.message.find("9999") != std::string::npos);
  const auto bad_line = f.apply(f.shipped("OBC-2", {parcel("YT100", {"1001-9"})}));
  CHECK(bad_line.outcome == Outcome::refused);
  CHECK(bad_line.error.code == ErrorCode::invalid_input);
  CHECK(f.uploads().empty());
}

TEST_CASE("intercept_I4_a_warehouse_cancel_reported_later_locks_the_order") {
  InboundFixture f;
  const auto intercept = f.request_intercept();
  WarehouseEvent e;
  e.kind = WarehouseEventKind::lock_outcome;
  e.delivery_code = f.code;
  e.status = "CANCELED";
  e.locked = true;
  CHECK(f.apply(e).outcome == Outcome::applied);
  CHECK(f.store->get_intercept(intercept.id)->state == store::InterceptState::locked);
  CHECK(f.store->find_delivery(f.code)->cancelled);
  CHECK(f.apply(e).outcome == Outcome::duplicate);  // sent again: settled already
}

TEST_CASE("intercept_I4_a_failed_cancel_reported_later_is_too_late") {
  InboundFixture f;
  const auto intercept = f.request_intercept();
  WarehouseEvent e;
  e.kind = WarehouseEventKind::lock_outcome;
  e.delivery_code = f.code;
  e.status = "CANCELEDFAIL";
  e.locked = false;
  CHECK(f.apply(e).outcome == Outcome::applied);
  CHECK(f.store->get_intercept(intercept.id)->state == store::InterceptState::too_late);
  CHECK_FALSE(f.store->find_delivery(f.code)->cancelled);
}

TEST_CASE("intercept_I4_a_confirmed_shipment_beats_a_lock_still_awaiting_the_warehouse") {
  InboundFixture f;
  const auto intercept = f.request_intercept();
  CHECK(f.apply(f.shipped("OBC-1", {parcel("YT100", {"1001-1", "1001-2", "1001-3"})})).outcome == Outcome::applied);
  CHECK(f.store->get_intercept(intercept.id)->state == store::InterceptState::too_late);
  CHECK(f.uploads().size() == 1);
}

TEST_CASE("intercept_I6_a_cancel_the_warehouse_reports_after_the_buyer_withdrew_the_intercept_delivers_again") {
  InboundFixture f;
  const auto intercept = f.request_intercept();
  REQUIRE(f.intercepts.cancel(intercept.id, "operator:test", "buyer changed their mind", now_utc()));
  WarehouseEvent e;
  e.kind = WarehouseEventKind::lock_outcome;
  e.delivery_code = f.code;
  e.status = "CANCELED";
  e.locked = true;
  CHECK(f.apply(e).outcome == Outcome::duplicate);
  const auto again = f.items(warehouse::kDeliverKind);
  REQUIRE(again.size() == 1);
  CHECK(again[0].payload.value("code", "") == "1001-R" + std::to_string(intercept.id));
  CHECK(f.store->find_delivery(f.code)->cancelled);
  f.apply(e);  // the same report again owes nothing more
  CHECK(f.items(warehouse::kDeliverKind).size() == 1);
}

TEST_CASE("warehouse progress goes to the order's history once") {
  InboundFixture f;
  WarehouseEvent e;
  e.kind = WarehouseEventKind::progress;
  e.delivery_code = f.code;
  e.status = "PICK";
  e.note = "picked by 12";
  e.at = now_utc();
  const auto before = f.store->events(f.key).size();
  CHECK(f.apply(e).outcome == Outcome::applied);
  CHECK(f.apply(e).outcome == Outcome::duplicate);
  const auto events = f.store->events(f.key);
  REQUIRE(events.size() == before + 1);
  CHECK(events.back().kind == "warehouse.progress");
  CHECK(events.back().reason == "the warehouse reports PICK: picked by 12");
}

TEST_CASE("stock changes are kept once per message id") {
  InboundFixture f;
  WarehouseEvent e;
  e.kind = WarehouseEventKind::stock_change;
  e.message_id = "SC-1";
  e.warehouse_code = "WH1";
  e.item_code = "OUT-1";
  e.quantity = -2;
  CHECK(f.apply(e).outcome == Outcome::applied);
  CHECK(f.apply(e).outcome == Outcome::duplicate);
  e.message_id = "SC-2";
  e.quantity = 5;
  CHECK(f.apply(e).outcome == Outcome::applied);
  const auto changes = f.store->stock_changes("OUT-1", 0, 10);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].quantity == -2);
  CHECK(changes[1].quantity == 5);
  CHECK(f.store->stock_changes("OUT-2", 0, 10).empty());
}

TEST_CASE("a line named in two parcels, or parcels naming no items, ship each line with the first parcel") {
  InboundFixture f;
  erp::sdk::ShippedParcel bare;
  bare.carrier_code = "SF";
  bare.waybill = "SF2";
  const auto event = f.shipped("OBC-1", {parcel("YT100", {"1001-1"}), parcel("YT101", {"1001-1", "1001-2"}), bare});
  CHECK(f.apply(event).outcome == Outcome::applied);
  CHECK(f.uploads() == std::vector<std::string>{"YT100:1001-1,", "YT101:1001-2,", "SF2:1001-3,"});
}
