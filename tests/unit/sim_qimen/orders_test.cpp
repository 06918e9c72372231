// deliveryorder.create and order.cancel as the ERP meets them (WAREHOUSE-QIMEN.md §1, §3.1).

#include <doctest/doctest.h>

#include "qimen_fixture.hpp"

using namespace erp::sim;
using namespace erp::sim::qimen;
using namespace erp::sim::qimen::test;

TEST_CASE("create is stored once under a repeat and answers the same deliveryOrderId") {
  Fixture f;
  const Response first = f.module->handle(f.request("deliveryorder.create", two_line_order("DO-1")));
  CHECK(first.content_type == "text/xml;charset=utf-8");
  CHECK(first.body.rfind(R"(<?xml version="1.0" encoding="utf-8"?><response><flag>success</flag>)", 0) == 0);
  const auto body = parse_body(Format::xml, first.body, "response");
  REQUIRE(body.tree);
  const std::string id = text(*body.tree, "deliveryOrderId");
  CHECK(!id.empty());
  CHECK(text(*body.tree, "createTime") == "2026-11-11 10:00:00");

  // The full method name and a second try of the same code: same id, nothing new stored.
  const Response again = f.module->handle(f.request("taobao.qimen.deliveryorder.create", two_line_order("DO-1")));
  const auto again_body = parse_body(Format::xml, again.body, "response");
  REQUIRE(again_body.tree);
  CHECK(text(*again_body.tree, "flag") == "success");
  CHECK(text(*again_body.tree, "deliveryOrderId") == id);

  const json wms = f.wms();
  REQUIRE(wms["delivery_orders"].size() == 1);
  const json order = wms["delivery_orders"]["DO-1"];
  CHECK(order["wms_id"] == id);
  CHECK(order["create_calls"] == 2);
  CHECK(order["status"] == "ACCEPT");
  CHECK(order["source_platform_code"] == "TB");
  CHECK(order["delivery_order"]["receiverInfo"]["oaid"] == "OAID-1");
  REQUIRE(order["lines"].size() == 2);
  CHECK(order["lines"][0]["orderLineNo"] == "1");
  CHECK(order["lines"][0]["sourceOrderCode"] == "T-DO-1");
  CHECK(order["lines"][0]["subSourceOrderCode"] == "O-1");
  CHECK(order["lines"][0]["itemCode"] == "SKU-A");
  CHECK(order["lines"][0]["planQty"] == 2);
  CHECK(order["lines"][0]["actualPrice"] == "25.00");
  CHECK(order["lines"][1]["actualPrice"] == "0");
  CHECK(order["lines"][1]["extendProps"]["isGift"] == "1");
  CHECK(order["lines"][1]["remark"] == "gift");
  CHECK(f.counters.count("qimen.create", "DO-1") == 1);
  CHECK(wms["received"].size() == 2);
}

TEST_CASE("a create missing a required field fails naming it, and stores nothing") {
  Fixture f;
  for (const char* field : {"deliveryOrderCode", "orderType", "warehouseCode", "sourcePlatformCode", "createTime",
                            "placeOrderTime", "operateTime", "shopNick", "logisticsCode", "receiverInfo"}) {
    CAPTURE(field);
    const Answer a = f.call("deliveryorder.create", create_xml("DO-M", {{"1", "SKU-A"}}, field));
    CHECK(a.flag == "failure");
    CHECK(a.code == "missing-parameter");
    CHECK(a.message.find(std::string("deliveryOrder.") + field) != std::string::npos);
  }
  for (const char* field : {"itemCode", "planQty", "ownerCode", "actualPrice"}) {
    CAPTURE(field);
    // The field is dropped from every line; the message names each line's.
    const Answer a = f.call("deliveryorder.create", create_xml("DO-M", {{"1", "SKU-A"}, {"2", "SKU-B"}}, field));
    CHECK(a.flag == "failure");
    CHECK(a.message.find(std::string("orderLines.orderLine[2].") + field) != std::string::npos);
  }
  const Answer no_lines = f.call("deliveryorder.create", create_xml("DO-M", {}));
  CHECK(no_lines.message.find("orderLines.orderLine") != std::string::npos);

  const Answer bad_qty = f.call("deliveryorder.create", create_xml("DO-M", {{"1", "SKU-A", 0}}));
  CHECK(bad_qty.code == "invalid-parameter");
  CHECK(bad_qty.message.find("planQty") != std::string::npos);
  const Answer bad_price = f.call("deliveryorder.create", create_xml("DO-M", {{"1", "SKU-A", 1, "12,50"}}));
  CHECK(bad_price.message.find("actualPrice") != std::string::npos);
  const Answer twice = f.call("deliveryorder.create", create_xml("DO-M", {{"1", "SKU-A"}, {"1", "SKU-B"}}));
  CHECK(twice.message.find("orderLineNo") != std::string::npos);
  std::string bad_time = create_xml("DO-M", {{"1", "SKU-A"}});
  bad_time.replace(bad_time.find("2026-11-11 09:58:00"), 19, "2026/11/11 09:58");
  CHECK(f.call("deliveryorder.create", bad_time).message.find("placeOrderTime") != std::string::npos);

  CHECK(f.wms()["delivery_orders"].empty());
  CHECK(f.counters.count("qimen.create", "DO-M") == 0);
}

TEST_CASE("a JSON create (no root, a one-line list as a bare object, numbers as numbers) is answered in JSON") {
  Fixture f;
  const std::string body = R"({"deliveryOrder":{"deliveryOrderCode":"DO-J","orderType":"JYCK","warehouseCode":"OTHER",
    "sourcePlatformCode":"DYXD","createTime":"2026-11-11 10:00:00","placeOrderTime":"2026-11-11 09:00:00",
    "operateTime":"2026-11-11 10:00:00","shopNick":"抖店","logisticsCode":"ZTO","receiverInfo":{"name":"李*"}},
    "orderLines":{"orderLine":{"orderLineNo":"1","itemCode":"SKU-J","planQty":3,"ownerCode":"O","actualPrice":9.9,
    "extendProps":{"isGift":"0"}}}})";
  const Response response = f.module->handle(f.request("deliveryorder.create", body, "json"));
  CHECK(response.content_type == "application/json;charset=utf-8");
  const json answer = json::parse(response.body);
  CHECK(answer["response"]["flag"] == "success");
  CHECK(answer["response"]["code"] == "0");
  CHECK(answer["response"]["deliveryOrderId"].is_string());
  const json order = f.order("DO-J");
  CHECK(order["lines"][0]["planQty"] == 3);
  CHECK(order["lines"][0]["actualPrice"] == "9.9");
  CHECK(order["source_platform_code"] == "DYXD");
}

TEST_CASE("unreadable bodies are refused with a clear message, never a crash") {
  Fixture f;
  auto refused = [&](const std::string& body, const std::string& format, const std::string& words) {
    CAPTURE(body.substr(0, 60));
    const Answer a = f.call("deliveryorder.create", body, format);
    CHECK(a.flag == "failure");
    CHECK(a.code == "invalid-body");
    CHECK(a.message.find(words) != std::string::npos);
  };
  refused("", "xml", "empty");
  refused("<request><deliveryOrder>", "xml", "not well-formed XML");
  refused("<deliveryOrderCreateRequest/>", "xml", "expected <request>");
  refused("not xml at all", "xml", "not well-formed XML");
  refused(std::string(5000, '[') + std::string(5000, ']'), "json", "deeper");
  refused("{\"deliveryOrder\": ", "json", "not valid JSON");
  refused("[1,2]", "json", "expected a JSON object");
  refused("{\"a\":\"\xff\xfe\"}", "json", "not valid JSON");
  std::string deep;
  for (int i = 0; i < 3000; ++i) deep += "<a>";
  for (int i = 0; i < 3000; ++i) deep += "</a>";
  refused("<request>" + deep + "</request>", "xml", "deeper");
  // Well-formed but empty: the missing fields are named instead.
  const Answer empty = f.call("deliveryorder.create", "<request/>");
  CHECK(empty.code == "missing-parameter");
  CHECK(f.call("deliveryorder.create", "<request/>", "yaml").code == "invalid-format");
  CHECK(f.call("deliveryorder.query", "<request/>").code == "invalid-method");
}

TEST_CASE("sync cancel: success before shipping (idempotent), ORDER_SHIPPED after, unknown code refused") {
  Fixture f;
  REQUIRE(f.call("deliveryorder.create", two_line_order("DO-C1")).flag == "success");
  REQUIRE(f.call("deliveryorder.create", two_line_order("DO-C2")).flag == "success");
  const std::string cancel =
      "<request><warehouseCode>WH-HZ</warehouseCode><orderCode>DO-C1</orderCode>"
      "<orderType>JYCK</orderType><cancelReason>refund</cancelReason></request>";
  Answer a = f.call("order.cancel", cancel);
  CHECK(a.flag == "success");
  CHECK(f.order("DO-C1")["status"] == "CANCELED");
  CHECK(f.order("DO-C1")["cancelled_lines"] == json::array({"1", "2"}));
  CHECK(f.call("taobao.qimen.order.cancel", cancel).flag == "success");  // a second cancel changes nothing
  CHECK(f.counters.count("qimen.cancel", "DO-C1") == 2);
  // A cancelled order does not ship.
  const auto refusal = f.try_event("type: ship\ncode: DO-C1");
  REQUIRE(refusal);
  CHECK(refusal->find("cancelled") != std::string::npos);

  f.event("type: ship\ncode: DO-C2");
  a = f.call("order.cancel", "<request><warehouseCode>WH-HZ</warehouseCode><orderCode>DO-C2</orderCode></request>");
  CHECK(a.flag == "failure");
  CHECK(a.code == "ORDER_SHIPPED");
  CHECK(a.message.find("shipped") != std::string::npos);
  CHECK(f.order("DO-C2")["status"] == "DELIVERED");
  CHECK(f.counters.count("qimen.cancel", "DO-C2") == 0);

  a = f.call("order.cancel", "<request><warehouseCode>WH-HZ</warehouseCode><orderCode>DO-NONE</orderCode></request>");
  CHECK(a.flag == "failure");
  CHECK(a.code == "ORDER_NOT_FOUND");
  CHECK(f.call("order.cancel", "<request><warehouseCode>WH-HZ</warehouseCode></request>").code == "missing-parameter");
}

TEST_CASE("a partial cancel by platform sub-order stops those lines only; the rest still ships") {
  Fixture f;
  REQUIRE(f.call("deliveryorder.create", two_line_order("DO-P")).flag == "success");
  const Answer a = f.call("order.cancel", R"({"warehouseCode":"WH-HZ","orderCode":"DO-P",
      "subSourceOrders":{"subSourceOrder":[{"subSourceOrderCode":"O-2"}]}})",
                          "json");
  CHECK(a.flag == "success");
  json order = f.order("DO-P");
  CHECK(order["cancelled_lines"] == json::array({"2"}));
  CHECK(order["status"] == "ACCEPT");
  const auto refused = f.try_event("type: ship\ncode: DO-P\npackages: [{carrier: SF, waybill: SF1, lines: ['2']}]");
  REQUIRE(refused);
  CHECK(refused->find("line 2") != std::string::npos);
  f.event("type: ship\ncode: DO-P");
  order = f.order("DO-P");
  CHECK(order["lines"][0]["shipped_qty"] == 2);
  CHECK(order["lines"][1]["shipped_qty"] == 0);
  CHECK(f.call("order.cancel",
               R"({"orderCode":"DO-P","subSourceOrders":{"subSourceOrder":{"subSourceOrderCode":"O-9"}}})", "json")
            .code == "LINE_NOT_FOUND");
}

TEST_CASE("faults: server_error is a 502 with nothing stored, rate_limit a failure, timeout hangs after storing") {
  Fixture f;
  f.faults.set(Fault::server_error, 1.0);
  const Response bad = f.module->handle(f.request("deliveryorder.create", two_line_order("DO-F1")));
  CHECK(bad.status == 502);
  CHECK_FALSE(parse_answer(bad.body));
  CHECK(f.wms()["delivery_orders"].empty());

  f.faults.clear();
  f.faults.set(Fault::rate_limit, 1.0);
  const Answer limited = f.call("deliveryorder.create", two_line_order("DO-F1"));
  CHECK(limited.flag == "failure");
  CHECK(limited.code == "access-limit");
  CHECK(f.wms()["delivery_orders"].empty());

  f.faults.clear();
  f.faults.set(Fault::timeout, 1.0);
  f.faults.only_methods({"taobao.qimen.deliveryorder.create"});
  const Response hung = f.module->handle(f.request("deliveryorder.create", two_line_order("DO-F1")));
  CHECK(hung.hang);
  CHECK(f.order("DO-F1")["create_calls"] == 1);
  // Only create was named: cancel answers normally.
  CHECK_FALSE(f.module->handle(f.request("order.cancel", "<request><orderCode>DO-F1</orderCode></request>")).hang);

  f.faults.clear();
  f.faults.set(Fault::truncated, 1.0);
  CHECK(f.module->handle(f.request("deliveryorder.create", two_line_order("DO-F2"))).truncate);
  CHECK(f.counters.count("qimen.create", "DO-F2") == 1);
}

TEST_CASE("only POST is served, and transport refusals keep the Qimen answer shape") {
  Fixture f;
  Request get = f.request("deliveryorder.create", "");
  get.method = "GET";
  const Response r = f.module->handle(get);
  CHECK(r.status == 405);
  CHECK(f.answer_of(r).flag == "failure");
  Request partial;
  partial.path = "/router/qimen/service";
  partial.query = {{"format", "json"}};
  const Response big = f.module->transport_error(partial, 413, "body over 16 MiB");
  CHECK(big.status == 413);
  CHECK(json::parse(big.body)["response"]["flag"] == "failure");
}
