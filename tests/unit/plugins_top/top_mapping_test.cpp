// TOP trade JSON -> sdk::Order on recorded payloads (payloads/*.json, TOP's exact shapes).

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "plugins/top/top_reservations.hpp"
#include "plugins/top/top_time.hpp"
#include "plugins/top/top_trade_page.hpp"
#include "top_fakes.hpp"

using namespace erp::plugins::top;
using namespace erp::sdk;

namespace {

TradePage page_of(const std::string& file, bool tmall) {
  auto page = parse_trade_page(testing::read_payload(file), tmall, "shop-1");
  REQUIRE(page.ok());
  return std::move(page).value();
}

const Order& by_id(const TradePage& page, const std::string& id) {
  const auto it =
      std::find_if(page.orders.begin(), page.orders.end(), [&](const Order& o) { return o.order_id == id; });
  REQUIRE(it != page.orders.end());
  return *it;
}

const Rejected& rejected_id(const TradePage& page, const std::string& id) {
  const auto it =
      std::find_if(page.rejected.begin(), page.rejected.end(), [&](const Rejected& r) { return r.order_id == id; });
  REQUIRE(it != page.rejected.end());
  return *it;
}

Instant china(const char* text) { return *erp::plugins::top::parse_china_time(text); }

}  // namespace

TEST_CASE("Taobao multi-line trade maps every field") {
  const auto page = page_of("taobao_multi_line.json", false);
  CHECK(page.total_results == 1);
  REQUIRE(page.orders.size() == 1);
  CHECK(page.rejected.empty());
  const Order& o = page.orders.front();
  CHECK(o.platform == "taobao");
  CHECK(o.shop == "shop-1");
  CHECK(o.order_id == "3907000000000123");
  CHECK(o.status == OrderStatus::paid);
  CHECK(o.platform_status == "WAIT_SELLER_SEND_GOODS");
  CHECK(o.kind == OrderKind::normal);
  CHECK(o.cross_border == CrossBorderType::none);
  CHECK(o.total.fen == 25780);
  // 2024-03-01 10:15:30 GMT+8 == 02:15:30 UTC
  CHECK(o.created_at == Instant{std::chrono::milliseconds{1709259330000}});
  CHECK(o.modified_at == china("2024-03-01 10:20:01"));
  REQUIRE(o.paid_at);
  CHECK(*o.paid_at == china("2024-03-01 10:16:02"));
  CHECK(o.memo == "gift wrap");
  CHECK(o.memo_flag == 2);
  CHECK(o.buyer_ref == "AAHk5d-EAAeGwJedwSHKUYq0");
  CHECK(o.receiver.masked_name == "张**");
  CHECK(o.receiver.masked_phone == "*******5678");
  CHECK(o.receiver.masked_address == "文三路****");
  CHECK(o.receiver.province == "浙江省");
  CHECK(o.receiver.city == "杭州市");
  CHECK(o.receiver.district == "西湖区");
  CHECK(o.receiver.ciphertext == "1zQ3dVDSXx9A2vO7QFRjRHKqicEx4yUicKaia7w1sHSKxaRM");
  CHECK(o.extras.at("type") == "fixed");
  CHECK(o.extras.at("is_sh_ship") == "false");
  CHECK(o.reservation_order_ids.empty());
  REQUIRE(o.lines.size() == 2);
  const auto& a = o.lines[0];
  CHECK(a.line_id == "3907000000000124");  // Number oid
  CHECK(a.item_id == "612345678901");
  CHECK(a.sku == "4987654321001");
  CHECK(a.outer_sku == "TSHIRT-RED-M");
  CHECK(a.title == "纯棉T恤 红色 M");
  CHECK(a.quantity == 2);
  CHECK(a.price.fen == 5990);
  CHECK(a.paid.fen == 11980);
  CHECK(a.status == OrderStatus::paid);
  CHECK(a.refund_status == RefundStatus::none);
  const auto& b = o.lines[1];
  CHECK(b.line_id == "3907000000000125");  // string oid
  CHECK(b.item_id == "612345678902");
  CHECK(b.outer_sku == "MUG-01");  // no sku: the item-level merchant code
  CHECK(b.refund_status == RefundStatus::requested);
}

TEST_CASE("plaintext receiver values are masked before they enter the model (D10)") {
  nlohmann::json trade = nlohmann::json::parse(
      testing::read_payload("taobao_multi_line.json"))["trades_sold_increment_get_response"]["trades"]["trade"][0];
  trade["receiver_name"] = "王小明";
  trade["receiver_mobile"] = "13812345678";
  trade["receiver_address"] = "文三路 478 号 华星科技大厦";
  auto mapped = map_trade(trade, MapOptions{false, "taobao", "s"});
  REQUIRE(std::holds_alternative<Order>(mapped));
  const auto& r = std::get<Order>(mapped).receiver;
  CHECK(r.masked_name == "王**");
  CHECK(r.masked_phone == "138****5678");
  CHECK(r.masked_address == "浙江省杭州市西湖区****");
  CHECK(r.masked_address.find("478") == std::string::npos);
}

TEST_CASE("every TOP status maps; PAID_FORBID_CONSIGN is paid but flagged") {
  const auto page = page_of("every_status.json", false);
  CHECK(page.rejected.empty());
  REQUIRE(page.orders.size() == 12);
  const std::map<std::string, OrderStatus> expected{{"WAIT_BUYER_PAY", OrderStatus::pending_payment},
                                                    {"TRADE_NO_CREATE_PAY", OrderStatus::pending_payment},
                                                    {"PAY_PENDING", OrderStatus::pending_payment},
                                                    {"WAIT_PRE_AUTH_CONFIRM", OrderStatus::pending_payment},
                                                    {"WAIT_SELLER_SEND_GOODS", OrderStatus::paid},
                                                    {"PAID_FORBID_CONSIGN", OrderStatus::paid},
                                                    {"SELLER_CONSIGNED_PART", OrderStatus::partially_shipped},
                                                    {"WAIT_BUYER_CONFIRM_GOODS", OrderStatus::shipped},
                                                    {"TRADE_BUYER_SIGNED", OrderStatus::shipped},
                                                    {"TRADE_FINISHED", OrderStatus::completed},
                                                    {"TRADE_CLOSED", OrderStatus::closed},
                                                    {"TRADE_CLOSED_BY_TAOBAO", OrderStatus::closed}};
  for (const auto& o : page.orders) {
    CAPTURE(o.platform_status);
    REQUIRE(expected.count(o.platform_status) == 1);
    CHECK(o.status == expected.at(o.platform_status));
    CHECK(o.lines.at(0).status == expected.at(o.platform_status));
    CHECK((o.extras.count("ship_forbidden") == 1) == (o.platform_status == "PAID_FORBID_CONSIGN"));
  }
  CHECK(by_id(page, "8005").extras.at("ship_forbidden") == "true");
  // Refund statuses cycle through the fixture: NO_REFUND, WAIT_SELLER_AGREE, WAIT_BUYER_RETURN_GOODS,
  // WAIT_SELLER_CONFIRM_GOODS, SELLER_REFUSE_BUYER, SUCCESS, CLOSED, "".
  CHECK(by_id(page, "8000").lines[0].refund_status == RefundStatus::none);
  CHECK(by_id(page, "8001").lines[0].refund_status == RefundStatus::requested);
  CHECK(by_id(page, "8002").lines[0].refund_status == RefundStatus::in_progress);
  CHECK(by_id(page, "8003").lines[0].refund_status == RefundStatus::in_progress);
  CHECK(by_id(page, "8004").lines[0].refund_status == RefundStatus::in_progress);
  CHECK(by_id(page, "8005").lines[0].refund_status == RefundStatus::refunded);
  CHECK(by_id(page, "8006").lines[0].refund_status == RefundStatus::closed);
  CHECK(by_id(page, "8007").lines[0].refund_status == RefundStatus::none);
  CHECK_FALSE(by_id(page, "8000").paid_at);
  CHECK(by_id(page, "8004").paid_at);
}

TEST_CASE("malformed trades are rejected with a reason naming the field, never thrown") {
  const auto page = page_of("rejects.json", true);
  CHECK(page.orders.empty());
  REQUIRE(page.rejected.size() == 7);
  CHECK(rejected_id(page, "9001").reason.find("status") != std::string::npos);
  CHECK(rejected_id(page, "9001").reason.find("WAIT_SELLER_SEND_GOODS_SOMEHOW") != std::string::npos);
  CHECK(rejected_id(page, "9002").reason.find("payment") != std::string::npos);
  CHECK(rejected_id(page, "9002").reason.find("12.345") != std::string::npos);
  CHECK(rejected_id(page, "9003").reason.find("orders.order[0].price") != std::string::npos);
  CHECK(rejected_id(page, "").reason.find("tid") != std::string::npos);
  CHECK(rejected_id(page, "9005").reason.find("created") != std::string::npos);
  CHECK(rejected_id(page, "9006").reason.find("refund_status") != std::string::npos);
  CHECK(rejected_id(page, "9007").reason.find("tmallGlobalType") != std::string::npos);
  // The raw trade travels as the payload for quarantine.
  auto payload = nlohmann::json::parse(rejected_id(page, "9002").payload);
  CHECK(payload["payment"] == "12.345");
}

TEST_CASE("non-object trades, wrong JSON types and odd pages do not crash") {
  CHECK(std::holds_alternative<Rejected>(map_trade(nlohmann::json::array(), MapOptions{})));
  CHECK(std::holds_alternative<Rejected>(map_trade(nlohmann::json("x"), MapOptions{})));
  auto t = nlohmann::json::parse(R"({"tid":1,"status":"WAIT_SELLER_SEND_GOODS","created":"2024-03-03 08:00:00",
     "modified":"2024-03-03 08:00:00","payment":"1.00","orders":{"order":[{"oid":{"x":1},"num":1,"price":"1.00","payment":"1.00"}]}})");
  auto r = map_trade(t, MapOptions{});
  REQUIRE(std::holds_alternative<Rejected>(r));
  CHECK(std::get<Rejected>(r).reason.find("oid") != std::string::npos);
  t["orders"]["order"][0]["oid"] = 2;
  t["payment"] = 1.0;  // a JSON number, not TOP's decimal string
  CHECK(std::get<Rejected>(map_trade(t, MapOptions{})).reason.find("payment") != std::string::npos);
  t["payment"] = "1.00";
  t["orders"]["order"][0]["num"] = "two";
  CHECK(std::get<Rejected>(map_trade(t, MapOptions{})).reason.find("num") != std::string::npos);
  t["orders"]["order"][0]["num"] = "2";
  CHECK(std::holds_alternative<Order>(map_trade(t, MapOptions{})));
  t.erase("orders");
  CHECK(std::get<Rejected>(map_trade(t, MapOptions{})).reason.find("orders") != std::string::npos);

  auto empty = parse_trade_page(R"({"trades_sold_increment_get_response":{"total_results":0}})", false, "s");
  REQUIRE(empty.ok());
  CHECK(empty->orders.empty());
  auto sold = parse_trade_page(R"({"trades_sold_get_response":{"total_results":0}})", false, "s");
  CHECK(sold.ok());
  auto error = parse_trade_page(R"({"error_response":{"code":7,"msg":"App Call Limited"}})", false, "s");
  REQUIRE_FALSE(error.ok());
  CHECK(error.error().code == ErrorCode::rate_limited);
}

TEST_CASE("step trade is presale (S1) with its step status in extras") {
  const auto page = page_of("step_trade.json", false);
  REQUIRE(page.orders.size() == 1);
  const auto& o = page.orders.front();
  CHECK(o.kind == OrderKind::presale);
  CHECK(o.status == OrderStatus::pending_payment);
  CHECK(o.extras.at("step_trade_status") == "FRONT_PAID_FINAL_NOPAID");
  CHECK(o.extras.at("type") == "step");
  CHECK(o.extras.at("is_sh_ship") == "true");
  CHECK(o.lines.at(0).outer_sku == "PRESALE-1");
  // step_trade_status alone (type not step) is presale too
  auto t = nlohmann::json::parse(
      testing::read_payload("step_trade.json"))["trades_sold_increment_get_response"]["trades"]["trade"][0];
  t["type"] = "fixed";
  CHECK(std::get<Order>(map_trade(t, MapOptions{})).kind == OrderKind::presale);
  t.erase("step_trade_status");
  CHECK(std::get<Order>(map_trade(t, MapOptions{})).kind == OrderKind::normal);
}

TEST_CASE("G2: one_yuan_reservation_orders in every shape becomes reservation_order_ids") {
  const auto page = page_of("tmall_reservations.json", true);
  CHECK(page.rejected.empty());
  REQUIRE(page.orders.size() == 7);
  CHECK(by_id(page, "5001").platform == "tmall");
  CHECK(by_id(page, "5001").reservation_order_ids == std::vector<std::string>{"4001"});          // Number
  CHECK(by_id(page, "5002").reservation_order_ids == std::vector<std::string>{"4002"});          // one id
  CHECK(by_id(page, "5003").reservation_order_ids == std::vector<std::string>{"4003", "4004"});  // comma, deduped
  CHECK(by_id(page, "5004").reservation_order_ids == std::vector<std::string>{"4005", "4006"});  // spaces
  CHECK(by_id(page, "5005").reservation_order_ids == std::vector<std::string>{"4007", "4008"});  // JSON array
  CHECK(by_id(page, "5006").reservation_order_ids == std::vector<std::string>{"4009", "4010"});  // array in a string
  CHECK(by_id(page, "5003").extras.at("one_yuan_reservation_orders.5003") == "4003,4004,4003");
}

TEST_CASE("G3: at most 12 reservation ids are kept") {
  const auto page = page_of("tmall_reservations.json", true);
  const auto& o = by_id(page, "5007");
  // 10 ids on the first line, 7 on the second of which 2 repeat: 15 distinct, first 12 kept.
  REQUIRE(o.reservation_order_ids.size() == 12);
  CHECK(o.reservation_order_ids.front() == "4101");
  CHECK(o.reservation_order_ids.back() == "4112");
  const std::set<std::string> distinct(o.reservation_order_ids.begin(), o.reservation_order_ids.end());
  CHECK(distinct.size() == 12);
  CHECK(o.extras.at("reservation_ids_dropped") == "3");
}

TEST_CASE("G2: Taobao shops ignore one_yuan_reservation_orders; bad shapes reject a Tmall trade") {
  const auto taobao = page_of("tmall_reservations.json", false);
  CHECK(by_id(taobao, "5001").reservation_order_ids.empty());
  CHECK_FALSE(parse_reservation_ids(nlohmann::json("4001,abc")));
  CHECK_FALSE(parse_reservation_ids(nlohmann::json::object()));
  CHECK_FALSE(parse_reservation_ids(nlohmann::json(true)));
  CHECK_FALSE(parse_reservation_ids(nlohmann::json(-5)));
  CHECK(parse_reservation_ids(nlohmann::json(""))->empty());
  CHECK(*parse_reservation_ids(nlohmann::json(" 1, 2 ,,3 ")) == std::vector<std::string>{"1", "2", "3"});
}

TEST_CASE("S6/S7: Tmall Global types from trade_attr, else cross_bonded_declare") {
  const auto page = page_of("tmall_global.json", true);
  CHECK(page.rejected.empty());
  REQUIRE(page.orders.size() == 4);
  const auto& bonded = by_id(page, "6001");
  CHECK(bonded.cross_border == CrossBorderType::bonded_import);
  CHECK(bonded.extras.at("type") == "tmall_i18n");
  CHECK(bonded.extras.at("ofp_hold") == "false");
  CHECK(bonded.total.fen == 43640);
  CHECK(by_id(page, "6002").cross_border == CrossBorderType::direct_mail);
  CHECK(by_id(page, "6002").extras.at("ofp_hold") == "true");
  CHECK(by_id(page, "6003").cross_border == CrossBorderType::consolidated_import);
  CHECK(by_id(page, "6004").cross_border == CrossBorderType::bonded_import);  // no trade_attr
  // A Taobao shop does not read the Tmall Global fields.
  const auto taobao = page_of("tmall_global.json", false);
  CHECK(by_id(taobao, "6001").cross_border == CrossBorderType::none);
}

TEST_CASE("G8: each sub-order's consign_time, invoice_no and logistics_company are kept on its line") {
  const auto page = page_of("tmall_shipped_split.json", true);
  CHECK(page.rejected.empty());
  REQUIRE(page.orders.size() == 3);

  // One repurchase shipped in two packages: each line keeps its own parcel and ship time (G6, G8).
  const auto& split = by_id(page, "7001");
  CHECK(split.status == OrderStatus::shipped);
  CHECK(split.reservation_order_ids == std::vector<std::string>{"6001"});
  REQUIRE(split.lines.size() == 3);
  const auto& first = split.lines[0];
  CHECK(first.line_id == "70011");
  REQUIRE(first.shipped_at);
  CHECK(*first.shipped_at == china("2024-03-05 10:00:00"));
  CHECK(*first.shipped_at == Instant{std::chrono::milliseconds{1709604000000}});  // 02:00:00 UTC
  CHECK(first.waybill == "SF1001");
  CHECK(first.carrier == "顺丰速运");
  for (std::size_t i : {1U, 2U}) {
    CAPTURE(i);
    const auto& later = split.lines[i];
    REQUIRE(later.shipped_at);
    CHECK(*later.shipped_at == china("2024-03-06 18:30:15"));
    CHECK(later.waybill == "YT2002");
    CHECK(later.carrier == "圆通速递");
  }
  CHECK(split.lines[1].line_id == "70012");  // string oid
  CHECK(split.extras.count("consign_time_unreadable.70011") == 0);

  // Partly shipped: the unshipped line has no ship facts (empty strings read as none).
  const auto& part = by_id(page, "7002");
  CHECK(part.status == OrderStatus::partially_shipped);
  REQUIRE(part.lines.size() == 2);
  REQUIRE(part.lines[0].shipped_at);
  CHECK(*part.lines[0].shipped_at == china("2024-03-05 11:00:00"));
  CHECK(part.lines[0].waybill == "ZTO300");
  CHECK(part.lines[0].carrier == "中通快递");
  CHECK(part.lines[1].status == OrderStatus::paid);
  CHECK_FALSE(part.lines[1].shipped_at);
  CHECK(part.lines[1].waybill.empty());
  CHECK(part.lines[1].carrier.empty());
  CHECK(part.extras.count("consign_time_unreadable.70022") == 0);

  // A consign_time in another shape rejects nothing: the line keeps its parcel, shipped_at stays
  // empty and the raw value is noted in extras.
  const auto& odd = by_id(page, "7003");
  REQUIRE(odd.lines.size() == 2);
  CHECK_FALSE(odd.lines[0].shipped_at);
  CHECK(odd.lines[0].waybill == "YD400");
  CHECK(odd.lines[0].carrier == "韵达快递");
  CHECK(odd.extras.at("consign_time_unreadable.70031") == "2024/03/05 12:00");
  CHECK_FALSE(odd.lines[1].shipped_at);
  CHECK(odd.extras.at("consign_time_unreadable.70032") == "1709611200");
  CHECK(odd.lines[1].waybill == "YD400");

  // Taobao reads the same line facts (they are not Tmall fields).
  const auto taobao = page_of("tmall_shipped_split.json", false);
  CHECK(by_id(taobao, "7001").lines[1].waybill == "YT2002");
  CHECK(by_id(taobao, "7001").lines[1].shipped_at == china("2024-03-06 18:30:15"));
}

TEST_CASE("a line not shipped yet has no ship facts; a long unreadable consign_time is clipped on a character") {
  const auto page = page_of("taobao_multi_line.json", false);
  for (const auto& line : page.orders.at(0).lines) {
    CHECK_FALSE(line.shipped_at);
    CHECK(line.waybill.empty());
    CHECK(line.carrier.empty());
  }
  auto t = nlohmann::json::parse(
      testing::read_payload("taobao_multi_line.json"))["trades_sold_increment_get_response"]["trades"]["trade"][0];
  t["orders"]["order"][0]["consign_time"] = "xx发货时间发货时间发货时间发货时间发货时间";  // 62 bytes
  auto mapped = map_trade(t, MapOptions{false, "taobao", "s"});
  REQUIRE(std::holds_alternative<Order>(mapped));
  const auto& note = std::get<Order>(mapped).extras.at("consign_time_unreadable.3907000000000124");
  CHECK(note.size() <= 40);
  CHECK(note.size() == 38);  // "xx" and 12 three-byte characters: the 13th would end at byte 41
  CHECK(nlohmann::json(note).dump().size() > 2);  // valid UTF-8: dump() would throw otherwise
}
