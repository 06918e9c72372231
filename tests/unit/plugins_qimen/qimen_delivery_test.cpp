// deliver(): deliveryorder.create as it goes out (URL, signed system parameters, XML and JSON
// bodies field by field, the G4 gift line under each gift_mark) and how the WMS's answer is taken.

#include <doctest/doctest.h>

#include "qimen_test_host.hpp"

using namespace erp::plugins::qimen;
using namespace erp::plugins::qimen::testing;
using erp::sdk::ErrorCode;

namespace {

const std::string kExpectedCreateXml =
    R"(<?xml version="1.0" encoding="utf-8"?><request><deliveryOrder>)"
    R"(<deliveryOrderCode>5010</deliveryOrderCode><orderType>JYCK</orderType><warehouseCode>OTHER</warehouseCode>)"
    R"(<sourcePlatformCode>TM</sourcePlatformCode><sourcePlatformName>天猫</sourcePlatformName>)"
    R"(<createTime>2026-11-11 12:30:00</createTime><placeOrderTime>2026-11-11 10:00:00</placeOrderTime>)"
    R"(<payTime>2026-11-11 10:01:00</payTime><operateTime>2026-11-11 12:30:00</operateTime>)"
    R"(<shopNick>tm-1</shopNick><totalAmount>383.00</totalAmount><itemAmount>428.00</itemAmount>)"
    R"(<logisticsCode>OTHER</logisticsCode><latestDeliveryTime>2026-11-14 00:00:00</latestDeliveryTime>)"
    R"(<oaidOrderSourceCode>5010</oaidOrderSourceCode>)"
    R"(<receiverInfo><name>张*</name><mobile>138****5678</mobile><province>浙江省</province><city>杭州市</city>)"
    R"(<area>西湖区</area><detailAddress>浙江省杭州市西湖区****</detailAddress><oaid>OAID-5010</oaid></receiverInfo>)"
    R"(</deliveryOrder><orderLines>)"
    R"(<orderLine><orderLineNo>50101</orderLineNo><sourceOrderCode>5010</sourceOrderCode>)"
    R"(<subSourceOrderCode>50101</subSourceOrderCode><ownerCode>OWNER1</ownerCode><itemCode>SKU-RED-M</itemCode>)"
    R"(<itemName>Dress &lt;red&gt; &amp; "gold"</itemName><planQty>2</planQty><retailPrice>199.00</retailPrice>)"
    R"(<actualPrice>179.00</actualPrice><discountAmount>40.00</discountAmount></orderLine>)"
    R"(<orderLine><orderLineNo>50102</orderLineNo><sourceOrderCode>5010</sourceOrderCode>)"
    R"(<subSourceOrderCode>50102</subSourceOrderCode><ownerCode>OWNER1</ownerCode><itemCode>sku-2</itemCode>)"
    R"(<itemName>袜子</itemName><planQty>3</planQty><retailPrice>10.00</retailPrice>)"
    R"(<actualPrice>8.33</actualPrice><discountAmount>5.00</discountAmount></orderLine>)"
    R"(<orderLine><orderLineNo>gift:4001:40011</orderLineNo><sourceOrderCode>4001</sourceOrderCode>)"
    R"(<subSourceOrderCode>40011</subSourceOrderCode><ownerCode>OWNER1</ownerCode><itemCode>GIFT-BAG</itemCode>)"
    R"(<itemName>礼品袋</itemName><planQty>1</planQty><retailPrice>0.00</retailPrice><actualPrice>0.00</actualPrice>)"
    R"(<extendProps><isGift>1</isGift></extendProps></orderLine>)"
    R"(</orderLines></request>)";

const std::string kExpectedCreateJson =
    R"({"deliveryOrder":{"deliveryOrderCode":"5010","orderType":"JYCK","warehouseCode":"WH-HZ",)"
    R"("sourcePlatformCode":"TM","sourcePlatformName":"天猫","createTime":"2026-11-11 12:30:00",)"
    R"("placeOrderTime":"2026-11-11 10:00:00","payTime":"2026-11-11 10:01:00","operateTime":"2026-11-11 12:30:00",)"
    R"("shopNick":"tm-1","totalAmount":"383.00","itemAmount":"428.00","logisticsCode":"SF",)"
    R"("latestDeliveryTime":"2026-11-14 00:00:00","oaidOrderSourceCode":"5010",)"
    R"("senderInfo":{"name":"杭州仓","mobile":"0571-88886666","province":"浙江省","city":"杭州市",)"
    R"("detailAddress":"余杭区仓前街道1号"},)"
    R"("receiverInfo":{"name":"张*","mobile":"138****5678","province":"浙江省","city":"杭州市","area":"西湖区",)"
    R"("detailAddress":"浙江省杭州市西湖区****","oaid":"OAID-5010"}},)"
    R"("orderLines":{"orderLine":[)"
    R"({"orderLineNo":"50101","sourceOrderCode":"5010","subSourceOrderCode":"50101","ownerCode":"OWNER1",)"
    R"("itemCode":"SKU-RED-M","itemName":"Dress <red> & \"gold\"","planQty":"2","retailPrice":"199.00",)"
    R"("actualPrice":"179.00","discountAmount":"40.00"},)"
    R"({"orderLineNo":"50102","sourceOrderCode":"5010","subSourceOrderCode":"50102","ownerCode":"OWNER1",)"
    R"("itemCode":"sku-2","itemName":"袜子","planQty":"3","retailPrice":"10.00","actualPrice":"8.33",)"
    R"("discountAmount":"5.00"},)"
    R"({"orderLineNo":"gift:4001:40011","sourceOrderCode":"4001","subSourceOrderCode":"40011","ownerCode":"OWNER1",)"
    R"("itemCode":"GIFT-BAG","itemName":"礼品袋","planQty":"1","retailPrice":"0.00","actualPrice":"0.00",)"
    R"("remark":"赠品"}]}})";

/// The gift line of a sent create body (the third orderLine).
std::string gift_line_of(const std::string& body) {
  const auto at = body.find("<orderLineNo>gift:");
  return at == std::string::npos ? std::string() : body.substr(at, body.find("</orderLine>", at) - at);
}

}  // namespace

TEST_CASE("qimen_create: the XML body, field by field, with the gift line marked in extendProps") {
  QimenHost host;
  auto connector = host.connector();
  REQUIRE(connector->deliver(gift_delivery()).ok());
  REQUIRE(host.web.requests.size() == 1);
  const auto& request = host.web.requests[0];
  CHECK(request.method == "POST");
  CHECK(request.body == kExpectedCreateXml);
  CHECK(request.url.rfind("https://wms.example.com/qimen/router?", 0) == 0);
  CHECK(request.headers ==
        std::vector<std::pair<std::string, std::string>>{{"Content-Type", "text/xml;charset=utf-8"}});
  CHECK(request.timeout == std::chrono::milliseconds(10000));
}

TEST_CASE("qimen_create: the system parameters are in the query, China time, and the sign verifies") {
  QimenHost host;
  auto connector = host.connector();
  REQUIRE(connector->deliver(gift_delivery()).ok());
  const auto& request = host.web.requests.at(0);
  CHECK(request.url.find("timestamp=2026-11-11%2012%3A30%3A00") != std::string::npos);
  Params params = query_params(request.url);
  CHECK(param(params, "method") == "taobao.qimen.deliveryorder.create");
  CHECK(param(params, "timestamp") == "2026-11-11 12:30:00");
  CHECK(param(params, "format") == "xml");
  CHECK(param(params, "app_key") == "23456789");
  CHECK(param(params, "v") == "2.0");
  CHECK(param(params, "sign_method") == "md5");
  CHECK(param(params, "customerId") == "c1001");
  const std::string given = param(params, "sign");
  CHECK(given.size() == 32);
  CHECK(verify(params, request.body, kSecret, SignMethod::md5, given));
  CHECK_FALSE(verify(params, request.body + " ", kSecret, SignMethod::md5, given));
}

TEST_CASE("qimen_create: JSON when format is json, no root, gift marked by remark, short method, hmac") {
  QimenHost host;
  host.fake_config.values["format"] = "json";
  host.fake_config.values["gift_mark"] = "remark";
  host.fake_config.values["method_prefix"] = "false";
  host.fake_config.values["sign_method"] = "hmac";
  host.fake_config.values["warehouse_code"] = "WH-HZ";
  host.fake_config.values["logistics_code"] = "SF";
  host.fake_config.values["timeout"] = "3s";
  host.fake_config.values["sender_name"] = "杭州仓";
  host.fake_config.values["sender_mobile"] = "0571-88886666";
  host.fake_config.values["sender_province"] = "浙江省";
  host.fake_config.values["sender_city"] = "杭州市";
  host.fake_config.values["sender_address"] = "余杭区仓前街道1号";
  host.web.answers.push_back({200, R"({"response":{"flag":"success","code":"0","message":"ok"}})", false});
  auto connector = host.connector();
  REQUIRE(connector->deliver(gift_delivery()).ok());
  const auto& request = host.web.requests.at(0);
  CHECK(request.body == kExpectedCreateJson);
  CHECK(request.headers.at(0).second == "application/json;charset=utf-8");
  CHECK(request.timeout == std::chrono::milliseconds(3000));
  const Params params = query_params(request.url);
  CHECK(param(params, "method") == "deliveryorder.create");
  CHECK(param(params, "format") == "json");
  CHECK(param(params, "sign_method") == "hmac");
  CHECK(verify(params, request.body, kSecret, SignMethod::hmac, param(params, "sign")));
}

TEST_CASE("qimen_create: gift_mark none leaves only the zero price; a custom gift_key names the extendProps key") {
  QimenHost host;
  host.fake_config.values["gift_mark"] = "none";
  REQUIRE(host.connector()->deliver(gift_delivery()).ok());
  const std::string gift = gift_line_of(host.web.requests.at(0).body);
  CHECK(gift ==
        "<orderLineNo>gift:4001:40011</orderLineNo><sourceOrderCode>4001</sourceOrderCode><subSourceOrderCode>40011"
        "</subSourceOrderCode><ownerCode>OWNER1</ownerCode><itemCode>GIFT-BAG</itemCode><itemName>礼品袋</itemName>"
        "<planQty>1</planQty><retailPrice>0.00</retailPrice><actualPrice>0.00</actualPrice>");

  QimenHost keyed;
  keyed.fake_config.values["gift_key"] = "gift_flag";
  REQUIRE(keyed.connector()->deliver(gift_delivery()).ok());
  CHECK(gift_line_of(keyed.web.requests.at(0).body).find("<extendProps><gift_flag>1</gift_flag></extendProps>") !=
        std::string::npos);
}

TEST_CASE("qimen_create: no receiver plaintext, memo or buyer id; a Douyin ciphertext is no OAID") {
  QimenHost host;
  auto delivery = gift_delivery();
  delivery.order.platform = "douyin";
  delivery.order.receiver.ciphertext = "dy1:#enc-name#|#enc-phone#|#enc-detail#";
  delivery.delivery_code = "5010-r1";  // delivered again after an intercept was cancelled
  REQUIRE(host.connector()->deliver(delivery).ok());
  const std::string& body = host.web.requests.at(0).body;
  CHECK(body.find("<deliveryOrderCode>5010-r1</deliveryOrderCode>") != std::string::npos);
  CHECK(body.find("<sourcePlatformCode>DYXD</sourcePlatformCode><sourcePlatformName>抖音小店</sourcePlatformName>") !=
        std::string::npos);
  CHECK(body.find("enc-") == std::string::npos);
  CHECK(body.find("oaid") == std::string::npos);
  CHECK(body.find("拦截") == std::string::npos);
  CHECK(body.find("buyer-open-uid") == std::string::npos);
  // The lines still name the platform order, whatever code the delivery has.
  CHECK(body.find("<sourceOrderCode>5010</sourceOrderCode>") != std::string::npos);

  QimenHost other;
  delivery.order.platform = "pdd";
  delivery.order.extras["oaid"] = "OAID-FROM-EXTRAS";
  REQUIRE(other.connector()->deliver(delivery).ok());
  const std::string& other_body = other.web.requests.at(0).body;
  CHECK(
      other_body.find("<sourcePlatformCode>OTHERS</sourcePlatformCode><sourcePlatformName>pdd</sourcePlatformName>") !=
      std::string::npos);
  CHECK(other_body.find("<oaid>OAID-FROM-EXTRAS</oaid>") != std::string::npos);
}

TEST_CASE("qimen_create: a failure answer is invalid_input with the WMS's code and message") {
  QimenHost host;
  host.web.answer_failure("SKU_NOT_FOUND", "商品不存在: GIFT-BAG");
  const auto sent = host.connector()->deliver(gift_delivery());
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().code == ErrorCode::invalid_input);
  CHECK_FALSE(sent.error().retryable);
  CHECK(sent.error().message == "deliveryorder.create of 5010 refused: code SKU_NOT_FOUND: 商品不存在: GIFT-BAG");
}

TEST_CASE("qimen_create: HTTP 5xx, transport failures and unreadable answers are transient") {
  const std::vector<QueueHttp::Answer> answers{
      {503, "busy", false},
      {200, "", true},
      {200, "<html>gateway</html", false},
      {200, "OK", false},
      {200, R"(<response><code>0</code></response>)", false},
      {200, R"({"response":{"flag":"maybe"}})", false},
  };
  for (const auto& answer : answers) {
    CAPTURE(answer.body);
    QimenHost host;
    host.web.answers.push_back(answer);
    const auto sent = host.connector()->deliver(gift_delivery());
    REQUIRE_FALSE(sent.ok());
    CHECK(sent.error().code == ErrorCode::transient);
    CHECK(sent.error().retryable);
    CHECK(sent.error().message.rfind("taobao.qimen.deliveryorder.create: ", 0) == 0);
  }
  QimenHost limited;
  limited.web.answers.push_back({429, "", false});
  CHECK(limited.connector()->deliver(gift_delivery()).error().code == ErrorCode::rate_limited);
  QimenHost wrong_url;
  wrong_url.web.answers.push_back({404, "not found", false});
  CHECK(wrong_url.connector()->deliver(gift_delivery()).error().code == ErrorCode::config_error);
}

TEST_CASE("qimen_create: a line with no item code is refused before any call; an empty delivery sends nothing") {
  QimenHost host;
  auto delivery = gift_delivery();
  delivery.order.lines[1].sku.clear();
  const auto sent = host.connector()->deliver(delivery);
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().code == ErrorCode::invalid_input);
  CHECK(sent.error().message == "line 50102 of order 5010 has no outer_sku or sku for itemCode");
  CHECK(host.web.requests.empty());

  QimenHost empty;
  delivery.order.lines.clear();
  delivery.added_lines.clear();
  CHECK(empty.connector()->deliver(delivery).ok());
  CHECK(empty.web.requests.empty());
}

TEST_CASE("qimen_create: a JSON answer at the top level or in its response envelope is read") {
  for (const char* answer : {R"({"flag":"success","code":"0"})", R"({"response":{"flag":"SUCCESS"}})",
                             R"(<?xml version="1.0" encoding="GBK"?><response><flag>success</flag></response>)"}) {
    CAPTURE(answer);
    QimenHost host;
    host.web.answers.push_back({200, answer, false});
    CHECK(host.connector()->deliver(gift_delivery()).ok());
  }
}

TEST_CASE("qimen_create: lines refunded or closed on the platform are not sent (a WMS cannot see refunds)") {
  QimenHost host;
  auto connector = host.connector();
  auto delivery = gift_delivery();
  delivery.order.lines.at(1).refund_status = erp::sdk::RefundStatus::refunded;
  REQUIRE(connector->deliver(delivery).ok());
  const std::string& body = host.web.requests.at(0).body;
  CHECK(body.find("<orderLineNo>50101</orderLineNo>") != std::string::npos);
  CHECK(body.find("<orderLineNo>50102</orderLineNo>") == std::string::npos);
  CHECK(body.find("<orderLineNo>gift:4001:40011</orderLineNo>") != std::string::npos);
}

TEST_CASE("qimen_create: a throttled call is retried later, not a refusal of the order") {
  QimenHost host;
  host.web.answer_failure("isv.access-limit", "too many calls");
  const auto result = host.connector()->deliver(gift_delivery());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::rate_limited);
  CHECK(result.error().retryable);
}
