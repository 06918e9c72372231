// parse_inbound() and inbound_reply(): the WMS's calls checked and turned into WarehouseEvents,
// each case with the exact events or error expected, and the answers in the call's format.

#include <doctest/doctest.h>

#include "qimen_test_host.hpp"

using namespace erp::plugins::qimen;
using namespace erp::plugins::qimen::testing;
using erp::sdk::ErrorCode;
using erp::sdk::InboundOutcome;
using erp::sdk::WarehouseCall;
using Events = std::vector<std::string>;

namespace {

const std::string kTwoPackagesXml = R"(<?xml version="1.0" encoding="utf-8"?>
<request>
  <deliveryOrder>
    <deliveryOrderCode>5010</deliveryOrderCode>
    <deliveryOrderId>WMS-88001</deliveryOrderId>
    <warehouseCode>WH-HZ</warehouseCode>
    <orderType>JYCK</orderType>
    <status>DELIVERED</status>
    <outBizCode>OBC-5010-1</outBizCode>
    <confirmType>0</confirmType>
    <orderConfirmTime>2026-11-11 14:20:00</orderConfirmTime>
  </deliveryOrder>
  <packages>
    <package>
      <logisticsCode>SF</logisticsCode>
      <expressCode>SF1001</expressCode>
      <items>
        <item><itemCode>SKU-RED-M</itemCode><quantity>2</quantity><orderLineNo>50101</orderLineNo></item>
        <item><itemCode>GIFT-BAG</itemCode><quantity>1</quantity><orderLineNo>gift:4001:40011</orderLineNo></item>
      </items>
    </package>
    <package>
      <logisticsCode>YTO</logisticsCode>
      <expressCode>YT2002</expressCode>
      <items><item><itemCode>sku-2</itemCode><quantity>3</quantity></item></items>
    </package>
  </packages>
  <orderLines>
    <orderLine><orderLineNo>50101</orderLineNo><itemCode>SKU-RED-M</itemCode><planQty>2</planQty><actualQty>2</actualQty></orderLine>
    <orderLine><orderLineNo>50102</orderLineNo><itemCode>sku-2</itemCode><planQty>3</planQty><actualQty>3</actualQty></orderLine>
    <orderLine><orderLineNo>gift:4001:40011</orderLineNo><itemCode>GIFT-BAG</itemCode><planQty>1</planQty></orderLine>
  </orderLines>
</request>)";

const std::string kTwoPackagesJson = R"({"deliveryOrder":{"deliveryOrderCode":"5010","warehouseCode":"WH-HZ",
  "orderType":"JYCK","status":"DELIVERED","outBizCode":"OBC-5010-1","confirmType":0,"orderConfirmTime":"2026-11-11 14:20:00"},
  "packages":{"package":[
    {"logisticsCode":"SF","expressCode":"SF1001","items":{"item":[
      {"itemCode":"SKU-RED-M","quantity":2,"orderLineNo":"50101"},
      {"itemCode":"GIFT-BAG","quantity":"1","orderLineNo":"gift:4001:40011"}]}},
    {"logisticsCode":"YTO","expressCode":"YT2002","items":{"item":{"itemCode":"sku-2","quantity":3}}}]},
  "orderLines":{"orderLine":[{"orderLineNo":"50101","itemCode":"SKU-RED-M","planQty":2},
                             {"orderLineNo":"50102","itemCode":"sku-2","planQty":3}]}})";

const Events kTwoPackagesEvents{
    "shipped id=OBC-5010-1 code=5010 status=DELIVERED at=2026-11-11 14:20:00 final=1 "
    "parcels=SF/SF1001[50101x2,gift:4001:40011x1];YTO/YT2002[50102x3] note="};

/// The events of a call, or the error as "<code>: <message>".
Events parsed(QimenHost& host, const WarehouseCall& call) {
  const auto result = host.connector()->parse_inbound(call);
  if (!result) return {std::string(erp::sdk::to_string(result.error().code)) + ": " + result.error().message};
  return describe(*result);
}

std::string confirm_xml(const std::string& order_fields, const std::string& rest = "") {
  return R"(<?xml version="1.0" encoding="utf-8"?><request><deliveryOrder>)" + order_fields + "</deliveryOrder>" +
         rest + "</request>";
}

}  // namespace

TEST_CASE("qimen_inbound: a confirm with two packages, XML, items by line number and by itemCode") {
  QimenHost host;
  CHECK(parsed(host, signed_call("taobao.qimen.deliveryorder.confirm", kTwoPackagesXml)) == kTwoPackagesEvents);
}

TEST_CASE("qimen_inbound: the same confirm as JSON with one-object lists, bare or in an envelope") {
  QimenHost host;
  CHECK(parsed(host, signed_call("taobao.qimen.deliveryorder.confirm", kTwoPackagesJson, "json")) ==
        kTwoPackagesEvents);
  CHECK(parsed(host, signed_call("deliveryorder.confirm", R"({"request":)" + kTwoPackagesJson + "}", "json")) ==
        kTwoPackagesEvents);
  CHECK(parsed(host, signed_call("deliveryorder.confirm", R"({"body":)" + kTwoPackagesJson + "}", "json")) ==
        kTwoPackagesEvents);
  // No format parameter: the body tells.
  CHECK(parsed(host, signed_call("deliveryorder.confirm", kTwoPackagesJson, "")) == kTwoPackagesEvents);
  // A single package and a single item, each an object, not an array.
  const std::string single = R"({"deliveryOrder":{"deliveryOrderCode":"5010","status":"DELIVERED","outBizCode":"O-2"},
      "packages":{"package":{"logisticsCode":"SF","expressCode":"SF1001","items":{"item":{"orderLineNo":"50101","quantity":"2"}}}}})";
  CHECK(parsed(host, signed_call("taobao.qimen.deliveryorder.confirm", single, "json")) ==
        Events{"shipped id=O-2 code=5010 status=DELIVERED at=- final=1 parcels=SF/SF1001[50101x2] note="});
}

TEST_CASE("qimen_inbound: a partial confirmation (confirmType 1) is not final and needs its outBizCode") {
  QimenHost host;
  const std::string partial = confirm_xml(
      "<deliveryOrderCode>5010</deliveryOrderCode><status>PARTDELIVERED</status><outBizCode>OBC-p1</outBizCode>"
      "<confirmType>1</confirmType><orderConfirmTime>2026-11-11 13:00:00</orderConfirmTime>",
      "<packages><package><logisticsCode>SF</logisticsCode><expressCode>SF1001</expressCode><items><item>"
      "<orderLineNo>50101</orderLineNo><quantity>1.00</quantity></item></items></package></packages>");
  CHECK(parsed(host, signed_call("taobao.qimen.deliveryorder.confirm", partial)) ==
        Events{"shipped id=OBC-p1 code=5010 status=PARTDELIVERED at=2026-11-11 13:00:00 final=0 "
               "parcels=SF/SF1001[50101x1] note="});
  const std::string no_id = confirm_xml(
      "<deliveryOrderCode>5010</deliveryOrderCode><status>PARTDELIVERED</status><confirmType>1</confirmType>",
      "<packages><package><logisticsCode>SF</logisticsCode><expressCode>SF1001</expressCode></package></packages>");
  CHECK(parsed(host, signed_call("taobao.qimen.deliveryorder.confirm", no_id)) ==
        Events{"invalid_input: deliveryorder.confirm: deliveryOrder.outBizCode is missing from a partial confirmation "
               "(confirmType 1)"});
}

TEST_CASE("qimen_inbound: items named by itemCode only are spread over the lines with that code") {
  QimenHost host;
  // Two lines of the same item: 1 + 2 planned, 3 shipped in one parcel, 1 more in a second.
  const std::string same_item = confirm_xml(
      "<deliveryOrderCode>5010</deliveryOrderCode><status>DELIVERED</status><outBizCode>O-3</outBizCode>",
      "<packages><package><logisticsCode>SF</logisticsCode><expressCode>SF1</expressCode><items>"
      "<item><itemCode>SKU-A</itemCode><quantity>3</quantity></item></items></package>"
      "<package><logisticsCode>SF</logisticsCode><expressCode>SF2</expressCode><items>"
      "<item><itemCode>SKU-A</itemCode><quantity>1</quantity></item></items></package></packages>"
      "<orderLines><orderLine><orderLineNo>L1</orderLineNo><itemCode>SKU-A</itemCode><planQty>1</planQty></orderLine>"
      "<orderLine><orderLineNo>L2</orderLineNo><itemCode>SKU-A</itemCode><planQty>2</planQty></orderLine></"
      "orderLines>");
  CHECK(parsed(host, signed_call("taobao.qimen.deliveryorder.confirm", same_item)) ==
        Events{"shipped id=O-3 code=5010 status=DELIVERED at=- final=1 parcels=SF/SF1[L1x1,L2x2];SF/SF2[L2x1] note="});
  // An itemCode no line has: that parcel's contents are not given (not a partial list), with a note.
  const std::string unknown =
      confirm_xml("<deliveryOrderCode>5010</deliveryOrderCode><status>DELIVERED</status><outBizCode>O-4</outBizCode>",
                  "<packages><package><logisticsCode>SF</logisticsCode><expressCode>SF1</expressCode><items>"
                  "<item><orderLineNo>L1</orderLineNo><quantity>1</quantity></item>"
                  "<item><itemCode>SKU-Z</itemCode><quantity>1</quantity></item></items></package></packages>");
  CHECK(parsed(host, signed_call("taobao.qimen.deliveryorder.confirm", unknown)) ==
        Events{"shipped id=O-4 code=5010 status=DELIVERED at=- final=1 parcels=SF/SF1[] note=some parcel items name an "
               "itemCode no order line has: those parcels' contents not given"});
}

TEST_CASE("qimen_inbound: CANCELED and CANCELEDFAIL confirms settle a lock; other statuses are progress") {
  QimenHost host;
  const auto with_status = [](const std::string& status) {
    return confirm_xml("<deliveryOrderCode>5010-r1</deliveryOrderCode><status>" + status + "</status><outBizCode>OBC-" +
                       status +
                       "</outBizCode>"
                       "<operateTime>2026-11-11 15:10:00</operateTime><remark>排队中</remark>");
  };
  CHECK(parsed(host, signed_call("taobao.qimen.deliveryorder.confirm", with_status("CANCELED"))) ==
        Events{"lock_outcome id=OBC-CANCELED code=5010-r1 status=CANCELED at=2026-11-11 15:10:00 locked=1 "
               "note=the warehouse cancelled the delivery"});
  CHECK(parsed(host, signed_call("taobao.qimen.deliveryorder.confirm", with_status("CANCELEDFAIL"))) ==
        Events{"lock_outcome id=OBC-CANCELEDFAIL code=5010-r1 status=CANCELEDFAIL at=2026-11-11 15:10:00 locked=0 "
               "note=the warehouse could not cancel the delivery"});
  for (const std::string status : {"ACCEPT", "NEW", "EXCEPTION", "REJECT", "CLOSED"}) {
    CHECK(
        parsed(host, signed_call("taobao.qimen.deliveryorder.confirm", with_status(status))) ==
        Events{"progress id=OBC-" + status + " code=5010-r1 status=" + status + " at=2026-11-11 15:10:00 note=排队中"});
  }
  CHECK(
      parsed(host, signed_call("taobao.qimen.deliveryorder.confirm", with_status("DELIVERED"))) ==
      Events{"invalid_input: deliveryorder.confirm: status DELIVERED names no package (packages.package.expressCode)"});
}

TEST_CASE("qimen_inbound: required confirm fields") {
  QimenHost host;
  const auto check_error = [&host](const std::string& body, const std::string& error) {
    CHECK(parsed(host, signed_call("deliveryorder.confirm", body)) == Events{error});
  };
  check_error("<request><packages/></request>", "invalid_input: deliveryorder.confirm: deliveryOrder is missing");
  check_error(confirm_xml("<status>DELIVERED</status>"),
              "invalid_input: deliveryorder.confirm: deliveryOrder.deliveryOrderCode is missing");
  check_error(confirm_xml("<deliveryOrderCode>5010</deliveryOrderCode>"),
              "invalid_input: deliveryorder.confirm: deliveryOrder.status is missing");
  check_error(confirm_xml("<deliveryOrderCode>5010</deliveryOrderCode><status>DELIVERED</status>",
                          "<packages><package><logisticsCode>SF</logisticsCode></package></packages>"),
              "invalid_input: deliveryorder.confirm: packages.package[1].expressCode is missing");
  check_error(confirm_xml("<deliveryOrderCode>5010</deliveryOrderCode><status>DELIVERED</status>",
                          "<packages><package><expressCode>X1</expressCode></package></packages>"),
              "invalid_input: deliveryorder.confirm: packages.package[1].logisticsCode is missing");
  check_error(
      confirm_xml("<deliveryOrderCode>5010</deliveryOrderCode><status>DELIVERED</status>",
                  "<packages><package><logisticsCode>SF</logisticsCode><expressCode>X1</expressCode><items>"
                  "<item><orderLineNo>1</orderLineNo><quantity>two</quantity></item></items></package></packages>"),
      "invalid_input: deliveryorder.confirm: packages.package[1].items.item[1].quantity is not a whole number");
}

TEST_CASE("qimen_inbound: orderprocess.report: CANCELED settles a lock, every other status is progress") {
  QimenHost host;
  const auto report = [](const std::string& status) {
    return R"(<?xml version="1.0" encoding="utf-8"?><request><order><orderCode>5010</orderCode><orderId>WMS-88001</orderId>)"
           R"(<orderType>JYCK</orderType><warehouseCode>WH-HZ</warehouseCode></order><process><processStatus>)" +
           status +
           "</processStatus><operateTime>2026-11-11 12:40:00</operateTime><operateInfo>拣货完成</operateInfo>"
           "<remark>波次 W12</remark></process></request>";
  };
  CHECK(parsed(host, signed_call("taobao.qimen.orderprocess.report", report("PICK"))) ==
        Events{"progress id= code=5010 status=PICK at=2026-11-11 12:40:00 note=拣货完成; 波次 W12"});
  CHECK(parsed(host, signed_call("orderprocess.report", report("CANCELED"))) ==
        Events{"lock_outcome id= code=5010 status=CANCELED at=2026-11-11 12:40:00 locked=1 note=拣货完成; 波次 W12"});
  for (const std::string status : {"TMSCANCELED", "TMSCANCELFAILED", "ACCEPT", "PACKAGE", "DELIVERED", "SIGN"}) {
    CHECK(parsed(host, signed_call("orderprocess.report", report(status))) ==
          Events{"progress id= code=5010 status=" + status + " at=2026-11-11 12:40:00 note=拣货完成; 波次 W12"});
  }
  const std::string json = R"({"order":{"orderCode":"5010"},"process":{"processStatus":"WEIGH","remark":"1.2kg"}})";
  CHECK(parsed(host, signed_call("taobao.qimen.orderprocess.report", json, "json")) ==
        Events{"progress id= code=5010 status=WEIGH at=- note=1.2kg"});
  CHECK(parsed(host, signed_call("orderprocess.report",
                                 R"({"order":{"orderId":"1"},"process":{"processStatus":"PICK"}})", "json")) ==
        Events{"invalid_input: orderprocess.report: order.orderCode is missing"});
  CHECK(parsed(host, signed_call("orderprocess.report", R"({"order":{"orderCode":"5010"},"process":{}})", "json")) ==
        Events{"invalid_input: orderprocess.report: process.processStatus is missing"});
}

TEST_CASE("qimen_inbound: stockchange.report: one stock_change per item, signed quantities") {
  QimenHost host;
  const std::string body = R"(<?xml version="1.0" encoding="utf-8"?><request><items>
    <item><ownerCode>OWNER1</ownerCode><warehouseCode>WH-HZ</warehouseCode><orderCode>5010</orderCode>
      <orderType>JYCK</orderType><outBizCode>SC-1</outBizCode><itemCode>SKU-RED-M</itemCode><quantity>-2</quantity>
      <changeTime>2026-11-11 14:21:00</changeTime></item>
    <item><ownerCode>OWNER1</ownerCode><warehouseCode>WH-HZ</warehouseCode><orderCode>PO-77</orderCode>
      <orderType>CGRK</orderType><outBizCode>SC-2</outBizCode><itemCode>GIFT-BAG</itemCode><quantity>50</quantity></item>
  </items></request>)";
  CHECK(
      parsed(host, signed_call("taobao.qimen.stockchange.report", body)) ==
      Events{"stock_change id=SC-1 code=5010 status= at=2026-11-11 14:21:00 warehouse=WH-HZ item=SKU-RED-M qty=-2 "
             "note=orderType JYCK",
             "stock_change id=SC-2 code=PO-77 status= at=- warehouse=WH-HZ item=GIFT-BAG qty=50 note=orderType CGRK"});
  // One outBizCode on two items (one per report): each item keeps an id of its own.
  const std::string shared = R"({"items":{"item":[{"outBizCode":"SC-9","itemCode":"A","quantity":1,"warehouseCode":"W"},
      {"outBizCode":"SC-9","itemCode":"B","quantity":-1,"warehouseCode":"W"}]}})";
  CHECK(parsed(host, signed_call("stockchange.report", shared, "json")) ==
        Events{"stock_change id=SC-9#1 code= status= at=- warehouse=W item=A qty=1 note=",
               "stock_change id=SC-9#2 code= status= at=- warehouse=W item=B qty=-1 note="});
  CHECK(
      parsed(host, signed_call("stockchange.report", R"({"items":{"item":{"itemCode":"A","quantity":1}}})", "json")) ==
      Events{"invalid_input: stockchange.report: items.item[1].outBizCode is missing"});
  CHECK(parsed(host, signed_call("stockchange.report",
                                 R"({"items":{"item":{"outBizCode":"S","itemCode":"A","quantity":"1.5"}}})", "json")) ==
        Events{"invalid_input: stockchange.report: items.item[1].quantity is not a whole number"});
  CHECK(parsed(host, signed_call("stockchange.report", R"({"items":[]})", "json")) ==
        Events{"invalid_input: stockchange.report: items.item is missing"});
}

TEST_CASE("qimen_inbound: a call signed outside this code base is taken") {
  // python3 -c 'import
  // hashlib;s="qimen-secret-42";p={"method":"taobao.qimen.deliveryorder.confirm","timestamp":"2026-11-11
  // 15:00:00","format":"xml","app_key":"wms-key-7","v":"2.0","sign_method":"md5","customerId":"c1001","partner_id":"top-sdk-java-20161201"};b="<?xml
  // version=\"1.0\"
  // encoding=\"utf-8\"?><request><deliveryOrder><deliveryOrderCode>5010</deliveryOrderCode><status>CANCELED</status><outBizCode>OBC-9</outBizCode><operateTime>2026-11-11
  // 14:59:00</operateTime></deliveryOrder></request>";print(hashlib.md5((s+"".join(k+v for k,v in sorted(p.items()) if
  // v)+b+s).encode()).hexdigest().upper())'
  WarehouseCall call;
  call.query =
      "method=taobao.qimen.deliveryorder.confirm&timestamp=2026-11-11+15%3A00%3A00&format=xml&app_key=wms-key-7&v=2.0"
      "&sign_method=md5&customerId=c1001&partner_id=top-sdk-java-20161201&sign=99c46eb7e7319ed0c5bc494e755c3d95";
  call.body =
      R"(<?xml version="1.0" encoding="utf-8"?><request><deliveryOrder><deliveryOrderCode>5010</deliveryOrderCode>)"
      R"(<status>CANCELED</status><outBizCode>OBC-9</outBizCode><operateTime>2026-11-11 14:59:00</operateTime>)"
      R"(</deliveryOrder></request>)";
  QimenHost host;
  CHECK(parsed(host, call) == Events{"lock_outcome id=OBC-9 code=5010 status=CANCELED at=2026-11-11 14:59:00 locked=1 "
                                     "note=the warehouse cancelled the delivery"});
  // The same call without the partner_id it was signed with.
  call.query.replace(call.query.find("&partner_id=top-sdk-java-20161201"), 33, "");
  CHECK(parsed(host, call) == Events{"invalid_input: signature mismatch: the sign does not cover this call"});
}

TEST_CASE("qimen_inbound: signature, customerId and parameter refusals") {
  QimenHost host;
  const std::string body = confirm_xml("<deliveryOrderCode>5010</deliveryOrderCode><status>ACCEPT</status>");
  CHECK(parsed(host, signed_call("deliveryorder.confirm", body, "xml", "wrong-secret")) ==
        Events{"invalid_input: signature mismatch: the sign does not cover this call"});
  WarehouseCall changed = signed_call("deliveryorder.confirm", body);
  changed.body[changed.body.find("ACCEPT")] = 'E';
  CHECK(parsed(host, changed) == Events{"invalid_input: signature mismatch: the sign does not cover this call"});
  WarehouseCall unsigned_call = signed_call("deliveryorder.confirm", body);
  unsigned_call.query.erase(unsigned_call.query.find("&sign="));
  CHECK(parsed(host, unsigned_call) == Events{"invalid_input: signature missing: the call has no sign"});
  WarehouseCall sha1 = signed_call("deliveryorder.confirm", body);
  sha1.query.replace(sha1.query.find("sign_method=md5"), 15, "sign_method=sha1");
  CHECK(parsed(host, sha1) == Events{"invalid_input: signature method sha1 is not supported"});
  WarehouseCall other_customer = signed_call("deliveryorder.confirm", body);
  other_customer.query.replace(other_customer.query.find("customerId=c1001"), 16, "customerId=c2002");
  CHECK(parsed(host, other_customer) ==
        Events{"config_error: the call is for customerId c2002, not this warehouse's customer_id"});
  WarehouseCall twice = signed_call("deliveryorder.confirm", body);
  twice.query += "&method=deliveryorder.confirm";
  CHECK(parsed(host, twice) == Events{"invalid_input: the parameter method is given twice"});
  WarehouseCall no_method = signed_call("deliveryorder.confirm", body);
  no_method.query.replace(0, no_method.query.find('&') + 1, "");
  CHECK(parsed(host, no_method) == Events{"invalid_input: the call names no method"});
  // Signed with hmac by the caller's choice: verified with hmac.
  Params params{{"method", "deliveryorder.confirm"}, {"sign_method", "hmac"}};
  params.emplace_back("sign", sign(params, body, kSecret, SignMethod::hmac));
  WarehouseCall hmac_call;
  hmac_call.query = build_query(params);
  hmac_call.body = body;
  CHECK(parsed(host, hmac_call) == Events{"progress id= code=5010 status=ACCEPT at=- note="});
}

TEST_CASE("qimen_inbound: malformed and truncated bodies and unknown methods are invalid_input") {
  QimenHost host;
  CHECK(parsed(host, signed_call("deliveryorder.confirm", "<request><deliveryOrder></request>")) ==
        Events{"invalid_input: the XML body is malformed: Start-end tags mismatch at byte 26"});
  const std::string truncated = kTwoPackagesXml.substr(0, kTwoPackagesXml.size() / 2);
  const auto cut = parsed(host, signed_call("deliveryorder.confirm", truncated));
  REQUIRE(cut.size() == 1);
  CHECK(cut[0].rfind("invalid_input: the XML body is malformed: ", 0) == 0);
  const auto cut_json = parsed(host, signed_call("deliveryorder.confirm", kTwoPackagesJson.substr(0, 100), "json"));
  REQUIRE(cut_json.size() == 1);
  CHECK(cut_json[0].rfind("invalid_input: the JSON body is malformed at byte 101", 0) == 0);
  CHECK(parsed(host, signed_call("deliveryorder.confirm", kTwoPackagesXml, "json"))[0].rfind(
            "invalid_input: the JSON body is malformed", 0) == 0);
  CHECK(parsed(host, signed_call("deliveryorder.confirm", "")) == Events{"invalid_input: the body is empty"});
  CHECK(parsed(host, signed_call("deliveryorder.confirm", "flag=1&x=2")) ==
        Events{"invalid_input: the body is neither XML nor JSON"});
  CHECK(parsed(host, signed_call("taobao.qimen.entryorder.confirm", kTwoPackagesXml)) ==
        Events{"invalid_input: the method taobao.qimen.entryorder.confirm is not taken by this connector"});
  CHECK(parsed(host, signed_call("taobao.qimen.", kTwoPackagesXml)) ==
        Events{"invalid_input: the method taobao.qimen. is not taken by this connector"});
}

TEST_CASE("qimen_inbound_reply: flag, code and message in the call's format, HTTP 200") {
  QimenHost host;
  auto connector = host.connector();
  const auto xml_call = signed_call("taobao.qimen.deliveryorder.confirm", kTwoPackagesXml);
  const auto json_call = signed_call("taobao.qimen.deliveryorder.confirm", kTwoPackagesJson, "json");

  auto reply = connector->inbound_reply(xml_call, InboundOutcome{});
  CHECK(reply.status == 200);
  CHECK(reply.content_type == "text/xml;charset=utf-8");
  CHECK(
      reply.body ==
      R"(<?xml version="1.0" encoding="utf-8"?><response><flag>success</flag><code>0</code><message>success</message></response>)");

  reply = connector->inbound_reply(json_call, InboundOutcome{});
  CHECK(reply.status == 200);
  CHECK(reply.content_type == "application/json;charset=utf-8");
  CHECK(reply.body == R"({"response":{"flag":"success","code":"0","message":"success"}})");

  // A signature refusal says no more than the convention.
  reply = connector->inbound_reply(xml_call, InboundOutcome{false, "invalid_input", "signature mismatch: ..."});
  CHECK(reply.status == 200);
  CHECK(reply.body == R"(<?xml version="1.0" encoding="utf-8"?><response><flag>failure</flag>)"
                      R"(<code>sign-check-failure</code><message>Illegal request</message></response>)");
  reply = connector->inbound_reply(json_call, InboundOutcome{false, "sign-check-failure", ""});
  CHECK(reply.body == R"({"response":{"flag":"failure","code":"sign-check-failure","message":"Illegal request"}})");

  reply = connector->inbound_reply(
      json_call,
      InboundOutcome{false, "invalid_input", "deliveryorder.confirm: deliveryOrder.deliveryOrderCode is missing"});
  CHECK(reply.status == 200);
  CHECK(reply.body == R"({"response":{"flag":"failure","code":"invalid_input",)"
                      R"("message":"deliveryorder.confirm: deliveryOrder.deliveryOrderCode is missing"}})");
  reply = connector->inbound_reply(xml_call, InboundOutcome{false, "", "unknown <order> & co"});
  CHECK(reply.body == R"(<?xml version="1.0" encoding="utf-8"?><response><flag>failure</flag><code>failure</code>)"
                      R"(<message>unknown &lt;order&gt; &amp; co</message></response>)");
  // A body the call's format parameter does not name: the body's own format.
  WarehouseCall bare;
  bare.body = R"({"a":1})";
  CHECK(connector->inbound_reply(bare, InboundOutcome{}).content_type == "application/json;charset=utf-8");
  bare.body = "garbage";
  CHECK(connector->inbound_reply(bare, InboundOutcome{}).content_type == "text/xml;charset=utf-8");
}
