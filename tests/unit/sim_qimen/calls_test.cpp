// The WMS's calls to the ERP (WAREHOUSE-QIMEN.md §3.2, §3.3), received by a loopback listener
// standing in for erpd's inbound URL: their signature, shape, retries and recorded answers.

#include <doctest/doctest.h>

#include "qimen_fixture.hpp"
#include "qimen_receiver.hpp"

using namespace erp::sim;
using namespace erp::sim::qimen;
using namespace erp::sim::qimen::test;

namespace {

/// The body as a tree, after checking the call is signed as the WMS's settings say.
Tree verified_body(const ReceivedRequest& r, Format format) {
  CHECK(r.path() == "/erp/qimen");
  CHECK(r.param("customerId") == kCustomer);
  CHECK(r.param("app_key") == kAppKey);
  CHECK(r.param("v") == "2.0");
  CHECK(r.param("format") == format_name(format));
  CHECK(r.content_type == content_type(format));
  const auto method = sign_method_from_string(r.param("sign_method"));
  REQUIRE(method);
  CHECK(r.param("sign") == sign(r.query(), r.body, kSecret, *method));
  auto parsed = parse_body(format, r.body);
  REQUIRE_MESSAGE(parsed.tree, parsed.error);
  return *parsed.tree;
}

void wait_sent(Fixture& f) { REQUIRE(f.qimen().wait_sent(std::chrono::seconds(5))); }

}  // namespace

TEST_CASE("ship with two packages as a partial confirm, then the final one: well-formed, signed XML") {
  Receiver erp;
  Fixture f(erp.url());
  REQUIRE(f.call("deliveryorder.create", create_xml("DO-X", {{"1", "SKU-A", 2}, {"2", "SKU-B", 1}, {"3", "SKU-C", 1}}))
              .flag == "success");
  f.event(
      "type: ship\ncode: DO-X\npartial: true\nout_biz_code: OB-X-1\n"
      "packages:\n"
      "  - {carrier: SF, waybill: SF100, lines: ['1']}\n"
      "  - {carrier: SF, waybill: SF101, lines: [{line: '2', qty: 1}]}\n");
  f.event("type: ship\ncode: DO-X\ncarrier: ZTO\nwaybill: ZT200");
  wait_sent(f);

  const auto got = erp.received();
  REQUIRE(got.size() == 2);
  CHECK(got[0].param("method") == "taobao.qimen.deliveryorder.confirm");
  CHECK(got[0].body.rfind(R"(<?xml version="1.0" encoding="utf-8"?><request>)", 0) == 0);
  const Tree first = verified_body(got[0], Format::xml);
  const Tree& order = first["deliveryOrder"];
  CHECK(order["deliveryOrderCode"] == "DO-X");
  CHECK(order["deliveryOrderId"] == f.order("DO-X")["wms_id"].get<std::string>());
  CHECK(order["warehouseCode"] == "WH-HZ");
  CHECK(order["orderType"] == "JYCK");
  CHECK(order["status"] == "PARTDELIVERED");
  CHECK(order["confirmType"] == "1");
  CHECK(order["outBizCode"] == "OB-X-1");
  CHECK(order["orderConfirmTime"] == "2026-11-11 10:00:00");
  const auto packages = list(first, "packages", "package");
  REQUIRE(packages.size() == 2);
  CHECK(text(*packages[0], "logisticsCode") == "SF");
  CHECK(text(*packages[0], "expressCode") == "SF100");
  const auto items = list(*packages[0], "items", "item");
  REQUIRE(items.size() == 1);
  CHECK(text(*items[0], "itemCode") == "SKU-A");
  CHECK(text(*items[0], "quantity") == "2");
  CHECK(text(*items[0], "orderLineNo") == "1");
  CHECK(text(*list(*packages[1], "items", "item")[0], "orderLineNo") == "2");
  const auto lines = list(first, "orderLines", "orderLine");
  REQUIRE(lines.size() == 2);
  CHECK(text(*lines[0], "actualQty") == "2");
  CHECK(text(*lines[0], "planQty") == "2");
  CHECK(text(*lines[0], "orderSourceCode") == "T-DO-X");
  CHECK(text(*lines[0], "subSourceCode") == "O-1");

  const Tree last = verified_body(got[1], Format::xml);
  CHECK(last["deliveryOrder"]["status"] == "DELIVERED");
  CHECK(last["deliveryOrder"]["confirmType"] == "0");
  CHECK(last["deliveryOrder"]["outBizCode"] != "OB-X-1");
  const auto final_packages = list(last, "packages", "package");
  REQUIRE(final_packages.size() == 1);
  CHECK(text(*final_packages[0], "expressCode") == "ZT200");
  CHECK(list(*final_packages[0], "items", "item").size() == 1);  // only line 3 was left
  CHECK(text(*list(last, "orderLines", "orderLine")[0], "orderLineNo") == "3");

  const json wms = f.wms();
  CHECK(wms["delivery_orders"]["DO-X"]["status"] == "DELIVERED");
  CHECK(wms["delivery_orders"]["DO-X"]["parcels"].size() == 3);
  REQUIRE(wms["calls"].size() == 2);
  CHECK(wms["calls"][0]["outBizCode"] == "OB-X-1");
  CHECK(wms["calls"][0]["state"] == "answered");
  CHECK(wms["calls"][0]["flag"] == "success");
  CHECK(wms["calls"][0]["message"] == "ok");
  CHECK(f.counters.count("qimen.confirm", "DO-X") == 2);
}

TEST_CASE("the same ship in JSON: typed, then mechanical (one-element lists as objects, values as strings)") {
  Receiver erp;
  Fixture f(erp.url());
  f.event("type: settings\nformat: json\nsign_method: hmac");
  REQUIRE(f.call("deliveryorder.create", two_line_order("DO-J1")).flag == "success");
  f.event(
      "type: ship\ncode: DO-J1\npartial: true\npackages:\n"
      "  - {carrier: SF, waybill: SF1, lines: ['1']}\n"
      "  - {carrier: YTO, waybill: YT2, lines: ['2']}\n");
  wait_sent(f);
  auto got = erp.received();
  REQUIRE(got.size() == 1);
  CHECK(got[0].param("sign_method") == "hmac");
  const Tree typed = verified_body(got[0], Format::json);
  CHECK(typed["deliveryOrder"]["confirmType"] == 1);
  CHECK(typed["deliveryOrder"]["status"] == "PARTDELIVERED");
  REQUIRE(typed["packages"]["package"].is_array());
  CHECK(typed["packages"]["package"].size() == 2);
  CHECK(typed["packages"]["package"][1]["items"]["item"][0]["quantity"] == 1);
  CHECK(typed["orderLines"]["orderLine"][0]["actualQty"] == 2);

  f.event("type: settings\njson_style: mechanical\nsign_method: md5");
  REQUIRE(f.call("deliveryorder.create", two_line_order("DO-J2")).flag == "success");
  f.event("type: ship\ncode: DO-J2\npackages: [{carrier: SF, waybill: SF3, lines: ['1', '2'], quantities: [2, 1]}]");
  wait_sent(f);
  got = erp.received();
  REQUIRE(got.size() == 2);
  const Tree mechanical = verified_body(got[1], Format::json);
  CHECK(mechanical["deliveryOrder"]["confirmType"] == "0");
  REQUIRE(mechanical["packages"]["package"].is_object());
  CHECK(mechanical["packages"]["package"]["items"]["item"].size() == 2);
  CHECK(mechanical["packages"]["package"]["items"]["item"][0]["quantity"] == "2");
}

TEST_CASE("async cancel: success means taken, then CANCELED (or CANCELEDFAIL) arrives as a confirm") {
  Receiver erp;
  Fixture f(erp.url());
  f.event("type: settings\ncancel_mode: async\ncancel_after: never");
  REQUIRE(f.call("deliveryorder.create", two_line_order("DO-A1")).flag == "success");
  const Answer taken =
      f.call("order.cancel", "<request><warehouseCode>WH-HZ</warehouseCode><orderCode>DO-A1</orderCode></request>");
  CHECK(taken.flag == "success");
  CHECK(f.order("DO-A1")["cancel"]["state"] == "pending");
  CHECK(f.order("DO-A1")["status"] == "ACCEPT");
  CHECK(f.call("order.cancel", "<request><orderCode>DO-A1</orderCode></request>").flag == "success");
  wait_sent(f);
  CHECK(erp.received().empty());  // nothing is decided yet

  f.event("type: cancel_outcome\ncode: DO-A1\nresult: canceled");
  wait_sent(f);
  auto got = erp.received();
  REQUIRE(got.size() == 1);
  Tree confirm = verified_body(got[0], Format::xml);
  CHECK(confirm["deliveryOrder"]["status"] == "CANCELED");
  CHECK(confirm["deliveryOrder"]["deliveryOrderCode"] == "DO-A1");
  CHECK_FALSE(confirm.contains("packages"));
  CHECK(list(confirm, "orderLines", "orderLine").size() == 2);
  CHECK(f.order("DO-A1")["status"] == "CANCELED");
  CHECK(f.order("DO-A1")["cancel"]["state"] == "canceled");
  CHECK(f.try_event("type: ship\ncode: DO-A1").has_value());                            // refused: cancelled
  CHECK(f.try_event("type: cancel_outcome\ncode: DO-A1\nresult: failed").has_value());  // refused: nothing pending

  // Decided by the clock: a cancel nothing shipped before is CANCELED cancel_after later.
  f.event("type: settings\ncancel_after: 2s");
  REQUIRE(f.call("deliveryorder.create", two_line_order("DO-A2")).flag == "success");
  REQUIRE(f.call("order.cancel", "<request><orderCode>DO-A2</orderCode></request>").flag == "success");
  f.advance(std::chrono::milliseconds(1500));
  CHECK(f.order("DO-A2")["cancel"]["state"] == "pending");
  f.advance(std::chrono::milliseconds(600));
  CHECK(f.order("DO-A2")["cancel"]["state"] == "canceled");

  // The warehouse ships first: the pending cancel fails, after the DELIVERED confirm.
  REQUIRE(f.call("deliveryorder.create", two_line_order("DO-A3")).flag == "success");
  REQUIRE(f.call("order.cancel", "<request><orderCode>DO-A3</orderCode></request>").flag == "success");
  f.event("type: ship\ncode: DO-A3");
  wait_sent(f);
  got = erp.received();
  REQUIRE(got.size() == 4);
  CHECK(verified_body(got[1], Format::xml)["deliveryOrder"]["status"] == "CANCELED");
  CHECK(verified_body(got[2], Format::xml)["deliveryOrder"]["status"] == "DELIVERED");
  CHECK(verified_body(got[3], Format::xml)["deliveryOrder"]["status"] == "CANCELEDFAIL");
  CHECK(f.order("DO-A3")["cancel"]["state"] == "failed");
  CHECK(f.counters.count("qimen.cancel", "DO-A1") == 2);
  CHECK(f.counters.count("qimen.confirm", "DO-A3") == 2);
}

TEST_CASE("repeat sends the same bytes; omit_items sends packages without items") {
  Receiver erp;
  Fixture f(erp.url());
  REQUIRE(f.call("deliveryorder.create", two_line_order("DO-R")).flag == "success");
  f.event("type: ship\ncode: DO-R\nrepeat: 3\nomit_items: true");
  wait_sent(f);
  const auto got = erp.received();
  REQUIRE(got.size() == 3);
  CHECK(got[0].body == got[1].body);
  CHECK(got[1].body == got[2].body);
  const Tree body = verified_body(got[0], Format::xml);
  CHECK(text(*list(body, "packages", "package")[0], "logisticsCode") == "YTO");
  CHECK_FALSE(list(body, "packages", "package")[0]->contains("items"));
  CHECK(f.counters.count("qimen.confirm", "DO-R") == 3);
  CHECK(f.wms()["calls"].size() == 3);
}

TEST_CASE("a confirm without an answer is retried with the same outBizCode; a failure answer is recorded") {
  Receiver erp;
  Fixture f(erp.url());
  f.event("type: settings\ntimeout: 300ms\nretry_after: 20ms");
  REQUIRE(f.call("deliveryorder.create", two_line_order("DO-T")).flag == "success");
  erp.silent = 2;
  f.event("type: ship\ncode: DO-T");
  wait_sent(f);
  auto got = erp.received();
  REQUIRE(got.size() == 3);
  CHECK(got[0].body == got[2].body);
  json call = f.wms()["calls"][0];
  CHECK(call["attempts"] == 3);
  CHECK(call["state"] == "answered");
  CHECK(call["history"][0]["http_status"] == 0);
  CHECK(call["history"][2]["flag"] == "success");
  CHECK(f.counters.count("qimen.confirm", "DO-T") == 1);

  // No answer at all: 1 + 3 attempts, then given up.
  REQUIRE(f.call("deliveryorder.create", two_line_order("DO-T2")).flag == "success");
  erp.silent = 10;
  f.event("type: ship\ncode: DO-T2");
  wait_sent(f);
  erp.silent = 0;
  call = f.wms()["calls"][1];
  CHECK(call["attempts"] == 4);
  CHECK(call["state"] == "no_answer");
  CHECK(!call["error"].get<std::string>().empty());

  // A failure answer is an answer: recorded, not retried.
  erp.answer_with(R"({"response":{"flag":"failure","code":"unknown-order","message":"no such delivery"}})");
  REQUIRE(f.call("deliveryorder.create", two_line_order("DO-T3")).flag == "success");
  f.event("type: ship\ncode: DO-T3");
  wait_sent(f);
  call = f.wms()["calls"][2];
  CHECK(call["attempts"] == 1);
  CHECK(call["flag"] == "failure");
  CHECK(call["code"] == "unknown-order");
  CHECK(call["message"] == "no such delivery");
}

TEST_CASE("process and stock reports carry their fields; auto_ship ships after the delay") {
  Receiver erp;
  Fixture f(erp.url());
  f.event("type: settings\nauto_ship: true\nauto_ship_after: 2s\ncarrier: YTO");
  REQUIRE(f.call("deliveryorder.create", two_line_order("DO-Q")).flag == "success");
  f.event("type: process\ncode: DO-Q\nstatus: PICK");
  f.event("type: stock\nitem_code: SKU-A\nquantity: -2\nout_biz_code: SC-1");
  f.advance(std::chrono::milliseconds(1000));
  CHECK(f.order("DO-Q")["status"] == "ACCEPT");
  f.advance(std::chrono::milliseconds(1000));
  CHECK(f.order("DO-Q")["status"] == "DELIVERED");
  wait_sent(f);
  const auto got = erp.received();
  REQUIRE(got.size() == 3);

  CHECK(got[0].param("method") == "taobao.qimen.orderprocess.report");
  const Tree process = verified_body(got[0], Format::xml);
  CHECK(process["order"]["orderCode"] == "DO-Q");
  CHECK(process["order"]["orderId"] == f.order("DO-Q")["wms_id"].get<std::string>());
  CHECK(process["order"]["orderType"] == "JYCK");
  CHECK(process["order"]["warehouseCode"] == "WH-HZ");
  CHECK(process["process"]["processStatus"] == "PICK");
  CHECK(process["process"]["operateTime"] == "2026-11-11 10:00:00");

  CHECK(got[1].param("method") == "taobao.qimen.stockchange.report");
  const Tree stock = verified_body(got[1], Format::xml);
  const auto items = list(stock, "items", "item");
  REQUIRE(items.size() == 1);
  CHECK(text(*items[0], "itemCode") == "SKU-A");
  CHECK(text(*items[0], "quantity") == "-2");
  CHECK(text(*items[0], "outBizCode") == "SC-1");
  CHECK(text(*items[0], "inventoryType") == "ZP");
  CHECK(text(*items[0], "ownerCode") == kCustomer);
  CHECK(text(*items[0], "warehouseCode") == "WH01");

  const Tree shipped = verified_body(got[2], Format::xml);
  CHECK(shipped["deliveryOrder"]["status"] == "DELIVERED");
  CHECK(shipped["deliveryOrder"]["orderConfirmTime"] == "2026-11-11 10:00:02");
  const auto parcel = list(shipped, "packages", "package");
  REQUIRE(parcel.size() == 1);
  CHECK(text(*parcel[0], "logisticsCode") == "YTO");
  CHECK(list(*parcel[0], "items", "item").size() == 2);
  CHECK(f.counters.count("qimen.process", "DO-Q") == 1);
  CHECK(f.counters.count("qimen.stock", "SKU-A") == 1);
}

TEST_CASE("events are checked: unknown keys, bad values and impossible ships are refused with a reason") {
  Fixture f;
  REQUIRE(f.call("deliveryorder.create", two_line_order("DO-E")).flag == "success");
  auto refused = [&](const std::string& yaml, const std::string& words) {
    CAPTURE(yaml);
    const auto error = f.try_event(yaml);
    REQUIRE(error);
    CHECK(error->find(words) != std::string::npos);
  };
  refused("type: settings\nformt: json", "unknown key 'formt'");
  refused("type: settings\ncancel_mode: later", "cancel_mode");
  refused("type: settings\nauto_ship_after: soon", "auto_ship_after");
  refused("type: ship\ncode: DO-NONE", "no delivery order");
  refused("type: ship\ncode: DO-E\npackages: [{lines: ['9']}]", "no line '9'");
  refused("type: ship\ncode: DO-E\npackages: [{lines: [{line: '1', qty: 3}]}]", "only 2 left");
  refused("type: ship\ncode: DO-E\nrepeat: 0", "repeat");
  refused("type: process\ncode: DO-E", "status: missing");
  refused("type: stock\nitem_code: X", "quantity");
  refused("type: cancel_outcome\ncode: DO-E\nresult: maybe", "result");
  refused("type: dance", "unknown event type");
  CHECK(f.order("DO-E")["lines"][0]["shipped_qty"] == 0);
  CHECK(f.wms()["settings"]["format"] == "xml");
  // Without a push_url the ship happens and the call is recorded as not sent.
  f.event("type: ship\ncode: DO-E");
  CHECK(f.wms()["calls"][0]["state"] == "not_sent");
  CHECK(f.counters.count("qimen.confirm", "DO-E") == 0);
}
