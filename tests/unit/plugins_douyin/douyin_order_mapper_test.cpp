// Douyin shop orders -> sdk::Order: what platform-sim renders (through its own order.* methods) and the real
// platform's variations (PLATFORMS.md §3.4: string or number ids and amounts, missing fields, nulls).

#include "plugins/douyin/douyin_order_mapper.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "unit/sim_douyin/douyin_fixture.hpp"

using namespace erp::plugins::douyin;
using namespace erp::sdk;
using nlohmann::json;
using SimFixture = erp::sim::douyin::test::Fixture;

namespace {

Instant at(std::int64_t seconds) { return Instant{std::chrono::seconds{seconds}}; }

// By value: callers pass the temporary map_shop_order returns.
Order order_of(const std::variant<Order, Rejected>& mapped) {
  if (const auto* rejected = std::get_if<Rejected>(&mapped)) FAIL("rejected: " << rejected->reason);
  return std::get<Order>(mapped);
}

Rejected rejected_of(const std::variant<Order, Rejected>& mapped) {
  REQUIRE_MESSAGE(std::holds_alternative<Rejected>(mapped), "the order was mapped");
  return std::get<Rejected>(mapped);
}

json sim_order(SimFixture& f, const std::string& id) {
  const json answer = f.call("order.orderDetail", {{"shop_order_id", id}});
  REQUIRE(answer["code"] == 10000);
  return answer["data"]["shop_order_detail"];
}

/// A small real-shaped shop order (ids as strings, amounts as numbers, as the Go SDK declares them).
json base_order() {
  return json::parse(R"({
    "order_id": "6920000000000000001",
    "order_status": 105,
    "order_status_desc": "已支付",
    "main_status": 105,
    "create_time": 1767225600,
    "update_time": 1767225900,
    "pay_time": 1767225660,
    "exp_ship_time": 1767398400,
    "order_amount": 3000,
    "pay_amount": 2800,
    "seller_words": "",
    "seller_remark_stars": 0,
    "doudian_open_id": "1@#buyer",
    "encrypt_post_receiver": "~AbC~1~~",
    "encrypt_post_tel": "$DeF$1$$",
    "mask_post_receiver": "王**",
    "mask_post_tel": "139****4321",
    "post_addr": {"province": {"name": "广东省", "id": "44"}, "city": {"name": "深圳市", "id": "4403"},
                  "town": {"name": "南山区", "id": "440305"}, "street": {"name": "粤海街道", "id": "1"},
                  "encrypt_detail": "#GhI#1##"},
    "sku_order_list": [
      {"order_id": "6920000000000000002", "parent_order_id": "6920000000000000001", "order_status": 105,
       "product_id": 3473196049974326300, "product_id_str": "3473196049974326300", "sku_id": 1762000000000001,
       "out_sku_id": "CUP-RED", "product_name": "马克杯", "item_num": 2, "origin_amount": 1500, "sum_amount": 3000,
       "pay_amount": 2800, "after_sale_info": {"after_sale_status": 0, "after_sale_type": 0, "refund_status": 0}}
    ]
  })");
}

json& first_sku(json& order) { return order["sku_order_list"][0]; }

/// Every string an Order carries, extras keys included.
std::vector<std::string> all_strings(const Order& o) {
  std::vector<std::string> out{o.platform,
                               o.shop,
                               o.order_id,
                               o.platform_status,
                               o.buyer_ref,
                               o.memo,
                               o.receiver.ciphertext,
                               o.receiver.masked_name,
                               o.receiver.masked_phone,
                               o.receiver.masked_address,
                               o.receiver.province,
                               o.receiver.city,
                               o.receiver.district};
  for (const auto& line : o.lines) {
    for (const auto* s : {&line.line_id, &line.item_id, &line.sku, &line.outer_sku, &line.title}) out.push_back(*s);
  }
  for (const auto& [key, value] : o.extras) {
    out.push_back(key);
    out.push_back(value);
  }
  for (const auto& id : o.reservation_order_ids) out.push_back(id);
  return out;
}

}  // namespace

TEST_CASE("a shop order exactly as platform-sim renders it maps every field") {
  SimFixture f;
  const std::int64_t created = f.now_s();
  f.paid_order("1001");
  f.clock.advance(std::chrono::minutes(5));
  f.event("type: memo\norder_id: '1001'\nremark: 加急\nstar: 4");
  f.event("type: refund\norder_id: '1001'\nsku_order_id: '1001-2'\nstatus: requested");
  const json raw = sim_order(f, "1001");

  const Order o = order_of(map_shop_order(raw, "dy-shop"));
  CHECK(o.platform == "douyin");
  CHECK(o.shop == "dy-shop");
  CHECK(o.order_id == "1001");
  CHECK(o.status == OrderStatus::paid);
  CHECK(o.platform_status == "2");
  CHECK(o.extras.at("main_status") == "2");
  CHECK(o.extras.at("order_status_desc") == "待发货");
  CHECK(o.extras.count("order_type") == 0);  // 0, the sim's normal order
  CHECK(o.kind == OrderKind::normal);
  CHECK(o.created_at == at(created));
  CHECK(o.modified_at == at(created + 300));
  REQUIRE(o.paid_at);
  CHECK(*o.paid_at == at(created));
  REQUIRE(o.ship_by);  // rule S1: the platform's exp_ship_time, 48 h after payment in the sim
  CHECK(*o.ship_by == at(created + 48 * 3600));
  CHECK(o.total.fen == 5500);
  CHECK(o.memo == "加急");
  CHECK(o.memo_flag == 4);
  CHECK(o.buyer_ref == raw["doudian_open_id"].get<std::string>());
  CHECK(o.buyer_ref.rfind("1@#", 0) == 0);

  const auto ciphers = decode_receiver_ciphers(o.receiver.ciphertext);
  REQUIRE(ciphers);
  CHECK(ciphers->name == raw["encrypt_post_receiver"].get<std::string>());
  CHECK(ciphers->phone == raw["encrypt_post_tel"].get<std::string>());
  CHECK(ciphers->detail == raw["post_addr"]["encrypt_detail"].get<std::string>());
  CHECK(o.receiver.masked_name == "张**");
  CHECK(o.receiver.masked_phone == "138****5678");
  CHECK(o.receiver.masked_address == "浙江省杭州市西湖区****");
  CHECK(o.receiver.province == "浙江省");
  CHECK(o.receiver.city == "杭州市");
  CHECK(o.receiver.district == "西湖区");

  REQUIRE(o.lines.size() == 2);
  const OrderLine& cup = o.lines[0];
  CHECK(cup.line_id == "1001-1");
  CHECK(cup.item_id == raw["sku_order_list"][0]["product_id_str"].get<std::string>());
  CHECK_FALSE(cup.item_id.empty());
  CHECK(cup.sku == "11");  // rendered as a JSON number
  CHECK(cup.outer_sku == "A-1");
  CHECK(cup.title == "杯子");
  CHECK(cup.quantity == 2);
  CHECK(cup.price.fen == 1250);
  CHECK(cup.paid.fen == 2500);
  CHECK(cup.status == OrderStatus::paid);
  CHECK(cup.refund_status == RefundStatus::none);
  const OrderLine& towel = o.lines[1];
  CHECK(towel.line_id == "1001-2");
  CHECK(towel.sku == "12");
  CHECK(towel.price.fen == 3000);
  CHECK(towel.paid.fen == 3000);
  CHECK(towel.refund_status == RefundStatus::requested);
}

TEST_CASE("platform-sim's order.searchList page maps with total, page and size") {
  SimFixture f;
  for (int i = 0; i < 3; ++i) f.paid_order("30" + std::to_string(i));
  f.event("type: order\norder_id: '399'\nskus:\n  - {sku_order_id: '399-1', qty: 1, price: '9.90'}");  // unpaid
  const json answer = f.call("order.searchList", {{"page", 1}, {"size", 2}, {"order_by", "create_time"}});
  REQUIRE(answer["code"] == 10000);

  const MappedList page = map_order_list(answer["data"], "dy-shop");
  CHECK(page.total == 4);
  CHECK(page.page == 1);
  CHECK(page.size == 2);
  CHECK(page.rejected.empty());
  REQUIRE(page.orders.size() == 2);
  for (const Order& o : page.orders) CHECK(o.shop == "dy-shop");

  const Order unpaid = order_of(map_shop_order(sim_order(f, "399"), "dy-shop"));
  CHECK(unpaid.status == OrderStatus::pending_payment);
  CHECK(unpaid.platform_status == "1");
  CHECK_FALSE(unpaid.paid_at);  // pay_time 0
  CHECK_FALSE(unpaid.ship_by);  // exp_ship_time 0
  CHECK(unpaid.lines.at(0).price.fen == 990);
}

TEST_CASE("platform-sim's after-sale states map to requested, in_progress, refunded and closed") {
  SimFixture f;
  f.event(
      "type: order\norder_id: '500'\npaid: true\nskus:\n"
      "  - {sku_order_id: '500-1', qty: 1, price: 100}\n  - {sku_order_id: '500-2', qty: 1, price: 100}\n"
      "  - {sku_order_id: '500-3', qty: 1, price: 100}\n  - {sku_order_id: '500-4', qty: 1, price: 100}\n"
      "  - {sku_order_id: '500-5', qty: 1, price: 100}\n");
  f.event("type: refund\norder_id: '500'\nsku_order_id: '500-1'\nstatus: requested");
  f.event("type: refund\norder_id: '500'\nsku_order_id: '500-2'\nstatus: agreed");
  f.event("type: refund\norder_id: '500'\nsku_order_id: '500-3'\nstatus: success");
  f.event("type: refund\norder_id: '500'\nsku_order_id: '500-4'\nstatus: requested");
  f.event("type: refund\norder_id: '500'\nsku_order_id: '500-4'\nstatus: closed");
  const Order o = order_of(map_shop_order(sim_order(f, "500"), "s"));
  REQUIRE(o.lines.size() == 5);
  CHECK(o.lines[0].refund_status == RefundStatus::requested);
  CHECK(o.lines[1].refund_status == RefundStatus::in_progress);
  CHECK(o.lines[2].refund_status == RefundStatus::refunded);
  CHECK(o.lines[2].status == OrderStatus::closed);  // the sim renders a refunded sku order as cancelled (4)
  CHECK(o.lines[3].refund_status == RefundStatus::closed);
  CHECK(o.lines[4].refund_status == RefundStatus::none);
}

TEST_CASE(
    "status codes 1/105/2/101/3/4/5 map to pending_payment/paid/paid/partially_shipped/shipped/closed/completed") {
  CHECK(status_from_code(1) == OrderStatus::pending_payment);
  CHECK(status_from_code(105) == OrderStatus::paid);
  CHECK(status_from_code(2) == OrderStatus::paid);
  CHECK(status_from_code(101) == OrderStatus::partially_shipped);
  CHECK(status_from_code(3) == OrderStatus::shipped);
  CHECK(status_from_code(4) == OrderStatus::closed);
  CHECK(status_from_code(5) == OrderStatus::completed);
  for (const std::int64_t unknown : {0, -1, 6, 103, 255, 10000}) {
    CAPTURE(unknown);
    CHECK_FALSE(status_from_code(unknown).has_value());
  }
}

TEST_CASE("Douyin after_sale_status codes map to refund states; undocumented ones by whether an after-sale exists") {
  CHECK(refund_from_after_sale_status(0) == RefundStatus::none);
  CHECK(refund_from_after_sale_status(6) == RefundStatus::requested);
  for (const std::int64_t code : {3, 7, 8, 11, 13}) {
    CAPTURE(code);
    CHECK(refund_from_after_sale_status(code) == RefundStatus::in_progress);
  }
  for (const std::int64_t code : {12, 51, 53}) {
    CAPTURE(code);
    CHECK(refund_from_after_sale_status(code) == RefundStatus::refunded);
  }
  for (const std::int64_t code : {14, 27, 28, 29}) {
    CAPTURE(code);
    CHECK(refund_from_after_sale_status(code) == RefundStatus::closed);
  }
  CHECK_FALSE(refund_from_after_sale_status(99).has_value());

  const auto refund_with = [](const json& info) {
    json order = base_order();
    if (info.is_discarded()) {
      first_sku(order).erase("after_sale_info");
    } else {
      first_sku(order)["after_sale_info"] = info;
    }
    return order_of(map_shop_order(order, "s")).lines.at(0).refund_status;
  };
  CHECK(refund_with(json(json::value_t::discarded)) == RefundStatus::none);
  CHECK(refund_with(nullptr) == RefundStatus::none);
  CHECK(refund_with(json::object()) == RefundStatus::none);
  CHECK(refund_with({{"after_sale_status", "12"}}) == RefundStatus::refunded);  // a string code
  CHECK(refund_with({{"after_sale_status", 99}}) == RefundStatus::requested);
  CHECK(refund_with({{"after_sale_status", 99}, {"refund_status", 3}}) == RefundStatus::refunded);
  CHECK(refund_with({{"refund_status", 1}}) == RefundStatus::requested);
  CHECK(refund_with({{"aftersale_id", "7200000001"}}) == RefundStatus::requested);
  CHECK(refund_with({{"aftersale_id", ""}, {"refund_status", 0}}) == RefundStatus::none);
  // 28 with refund_status still 1: the buyer withdrew (the Go SDK's note); the status code decides.
  CHECK(refund_with({{"after_sale_status", 28}, {"refund_status", 1}}) == RefundStatus::closed);
}

TEST_CASE("ids, amounts, codes and times read the same as JSON numbers or as strings") {
  const Order numbers = order_of(map_shop_order(base_order(), "s"));

  json strings = base_order();
  strings["order_id"] = "6920000000000000001";
  for (const char* key : {"order_status", "main_status", "create_time", "update_time", "pay_time", "exp_ship_time",
                          "order_amount", "pay_amount", "seller_remark_stars"}) {
    strings[key] = strings[key].dump();
  }
  json& sku = first_sku(strings);
  sku["product_id_str"] = nullptr;
  sku["product_id"] = "3473196049974326300";
  sku["sku_id"] = "1762000000000001";
  for (const char* key : {"order_status", "item_num", "origin_amount", "sum_amount", "pay_amount"}) {
    sku[key] = sku[key].dump();
  }
  const Order texts = order_of(map_shop_order(strings, "s"));

  json big = base_order();
  big["order_id"] = 6920000000000000001ULL;  // above 2^53: must not go through a double
  first_sku(big)["order_id"] = 6920000000000000002ULL;
  first_sku(big).erase("product_id_str");
  const Order bigs = order_of(map_shop_order(big, "s"));

  for (const Order* o : {&numbers, &texts, &bigs}) {
    CHECK(o->order_id == "6920000000000000001");
    CHECK(o->status == OrderStatus::paid);
    CHECK(o->platform_status == "105");
    CHECK(o->extras.at("main_status") == "105");
    CHECK(o->created_at == at(1767225600));
    CHECK(o->modified_at == at(1767225900));
    CHECK(o->paid_at == at(1767225660));
    CHECK(o->ship_by == at(1767398400));
    CHECK(o->total.fen == 2800);
    REQUIRE(o->lines.size() == 1);
    CHECK(o->lines[0].line_id == "6920000000000000002");
    CHECK(o->lines[0].item_id == "3473196049974326300");
    CHECK(o->lines[0].quantity == 2);
    CHECK(o->lines[0].price.fen == 1500);
    CHECK(o->lines[0].paid.fen == 2800);
  }
  CHECK(numbers.lines[0].sku == "1762000000000001");
  CHECK(texts.lines[0].sku == "1762000000000001");

  json fraction = base_order();
  fraction["pay_amount"] = 28.5;  // yuan sneaking in as a float is not fen
  CHECK(rejected_of(map_shop_order(fraction, "s")).reason == "pay_amount is not an amount in fen");
}

TEST_CASE("missing optional fields and nulls: defaults, fallbacks, no rejection") {
  json order = base_order();
  for (const char* key : {"order_status_desc", "main_status", "pay_time", "seller_words", "seller_remark_stars",
                          "doudian_open_id", "mask_post_receiver", "mask_post_tel"}) {
    order[key] = nullptr;
  }
  order.erase("pay_amount");  // falls back to order_amount
  order.erase("exp_ship_time");
  order["open_id"] = "mini-app-open-id";
  order["post_addr"] = nullptr;
  order.erase("encrypt_post_tel");
  json& sku = first_sku(order);
  for (const char* key : {"product_id_str", "sku_id", "out_sku_id", "product_name", "after_sale_info"})
    sku[key] = nullptr;
  sku.erase("order_status");  // the parent's status
  sku.erase("sum_amount");    // origin_amount, then pay_amount: see the price test
  sku["exp_ship_time"] = 1767300000;

  const Order o = order_of(map_shop_order(order, "s"));
  CHECK(o.status == OrderStatus::paid);
  CHECK(o.extras.count("main_status") == 0);
  CHECK(o.extras.count("order_status_desc") == 0);
  CHECK_FALSE(o.paid_at);
  CHECK(o.total.fen == 3000);
  REQUIRE(o.ship_by);  // the earliest sku order's promise when the shop order has none (S1)
  CHECK(*o.ship_by == at(1767300000));
  CHECK(o.memo.empty());
  CHECK(o.memo_flag == 0);
  CHECK(o.buyer_ref == "mini-app-open-id");
  CHECK(o.receiver.masked_name.empty());
  CHECK(o.receiver.masked_phone.empty());
  CHECK(o.receiver.masked_address.empty());
  CHECK(o.receiver.province.empty());
  const auto ciphers = decode_receiver_ciphers(o.receiver.ciphertext);
  REQUIRE(ciphers);
  CHECK(ciphers->name == "~AbC~1~~");
  CHECK(ciphers->phone.empty());
  CHECK(ciphers->detail.empty());
  CHECK(o.receiver.ciphertext == R"({"name":"~AbC~1~~"})");
  const OrderLine& line = o.lines.at(0);
  CHECK(line.item_id == "3473196049974326300");  // product_id when product_id_str is null
  CHECK(line.sku.empty());
  CHECK(line.outer_sku.empty());
  CHECK(line.title.empty());
  CHECK(line.status == OrderStatus::paid);
  CHECK(line.refund_status == RefundStatus::none);

  json bare = base_order();
  for (const char* key : {"encrypt_post_receiver", "encrypt_post_tel", "post_addr"}) bare.erase(key);
  CHECK(order_of(map_shop_order(bare, "s")).receiver.ciphertext.empty());
}

TEST_CASE("unit price is sum_amount / item_num, else origin_amount / item_num, else pay_amount / item_num") {
  json order = base_order();
  json& sku = first_sku(order);
  sku["item_num"] = 3;
  sku["origin_amount"] = 1000;  // the real platform's unit price (SKIT sample: 100 x 2 = sum_amount 200)
  sku["sum_amount"] = 3000;
  sku["pay_amount"] = 2700;
  CHECK(order_of(map_shop_order(order, "s")).lines.at(0).price.fen == 1000);
  sku.erase("sum_amount");
  sku["origin_amount"] = 3300;  // platform-sim's line total
  CHECK(order_of(map_shop_order(order, "s")).lines.at(0).price.fen == 1100);
  sku.erase("origin_amount");
  CHECK(order_of(map_shop_order(order, "s")).lines.at(0).price.fen == 900);
  sku["pay_amount"] = 1000;  // 333.33...: the unit price drops the remainder, paid keeps it
  const Order o = order_of(map_shop_order(order, "s"));
  CHECK(o.lines.at(0).price.fen == 333);
  CHECK(o.lines.at(0).paid.fen == 1000);
}

TEST_CASE("a missing or non-numeric update_time rejects the order naming update_time") {
  json missing = base_order();
  missing.erase("update_time");
  const Rejected r = rejected_of(map_shop_order(missing, "s"));
  CHECK(r.order_id == "6920000000000000001");
  CHECK(r.reason == "update_time is missing");
  CHECK(r.payload == missing.dump());

  for (const json& bad : {json(nullptr), json(""), json("2026-01-01 08:00:00"), json(1767225900.5), json(-5),
                          json::object(), json(true)}) {
    CAPTURE(bad.dump());
    json order = base_order();
    order["update_time"] = bad;
    const Rejected rejected = rejected_of(map_shop_order(order, "s"));
    CHECK(rejected.order_id == "6920000000000000001");
    CHECK(rejected.reason.find("update_time") != std::string::npos);
  }
  json no_create = base_order();
  no_create.erase("create_time");
  CHECK(rejected_of(map_shop_order(no_create, "s")).reason == "create_time is missing");
}

TEST_CASE(
    "an unknown order_status rejects the order with the code; main_status stands in only when order_status is "
    "missing") {
  json unknown = base_order();
  unknown["order_status"] = 103;  // main_status 103 部分支付 exists, order_status 103 does not
  CHECK(rejected_of(map_shop_order(unknown, "s")).reason == "order_status 103 is unknown");

  json fallback = base_order();
  fallback.erase("order_status");
  fallback["main_status"] = 3;
  first_sku(fallback).erase("order_status");
  const Order shipped = order_of(map_shop_order(fallback, "s"));
  CHECK(shipped.status == OrderStatus::shipped);
  CHECK(shipped.platform_status == "3");
  CHECK(shipped.lines.at(0).status == OrderStatus::shipped);

  fallback["main_status"] = 103;
  CHECK(rejected_of(map_shop_order(fallback, "s")).reason == "main_status 103 is unknown");
  fallback.erase("main_status");
  CHECK(rejected_of(map_shop_order(fallback, "s")).reason == "order_status is missing");
  fallback["order_status"] = "shipped";
  CHECK(rejected_of(map_shop_order(fallback, "s")).reason == "order_status is not an integer");
}

TEST_CASE("a malformed sku order rejects the whole order, naming the sku order id") {
  const auto reason_with = [](auto&& change) {
    json order = base_order();
    json second = first_sku(order);
    second["order_id"] = "6920000000000000003";
    order["sku_order_list"].push_back(second);
    change(order["sku_order_list"][1]);
    const Rejected r = rejected_of(map_shop_order(order, "s"));
    CHECK(r.order_id == "6920000000000000001");
    CHECK(r.payload == order.dump());
    return r.reason;
  };
  CHECK(reason_with([](json& s) { s["item_num"] = "two"; }) ==
        "sku order 6920000000000000003: item_num is not an integer");
  CHECK(reason_with([](json& s) { s["item_num"] = 0; }) == "sku order 6920000000000000003: item_num is not positive");
  CHECK(reason_with([](json& s) { s.erase("item_num"); }) == "sku order 6920000000000000003: item_num is missing");
  CHECK(reason_with([](json& s) { s.erase("pay_amount"); }) == "sku order 6920000000000000003: pay_amount is missing");
  CHECK(reason_with([](json& s) { s["order_status"] = 77; }) ==
        "sku order 6920000000000000003: order_status 77 is unknown");
  CHECK(reason_with([](json& s) { s["after_sale_info"] = "6"; }) ==
        "sku order 6920000000000000003: after_sale_info is not an object");
  CHECK(reason_with([](json& s) { s["product_name"] = json::array(); }) ==
        "sku order 6920000000000000003: product_name is not text");
  CHECK(reason_with([](json& s) { s["pre_sale_type"] = "soon"; }) ==
        "sku order 6920000000000000003: pre_sale_type is not an integer");
  CHECK(reason_with([](json& s) { s.erase("order_id"); }) == "sku_order_list[1] has no order_id");
  CHECK(reason_with([](json& s) { s["order_id"] = 1.5; }) == "sku_order_list[1] order_id is not an id");
  CHECK(reason_with([](json& s) { s = "6920000000000000003"; }) == "sku_order_list[1] is not an object");

  json none = base_order();
  none["sku_order_list"] = json::array();
  CHECK(rejected_of(map_shop_order(none, "s")).reason == "sku_order_list is empty");
  none.erase("sku_order_list");
  CHECK(rejected_of(map_shop_order(none, "s")).reason == "sku_order_list is missing or not a list");
}

TEST_CASE("an order without a usable order_id is rejected with an empty order_id") {
  json missing = base_order();
  missing.erase("order_id");
  const Rejected r = rejected_of(map_shop_order(missing, "s"));
  CHECK(r.order_id.empty());
  CHECK(r.reason == "no order_id");
  CHECK(r.payload == missing.dump());
  missing["order_id"] = "";
  CHECK(rejected_of(map_shop_order(missing, "s")).reason == "no order_id");
  missing["order_id"] = nullptr;
  CHECK(rejected_of(map_shop_order(missing, "s")).reason == "no order_id");
  missing["order_id"] = -7;
  CHECK(rejected_of(map_shop_order(missing, "s")).reason == "order_id is not an id");
  CHECK(rejected_of(map_shop_order(json::array({1, 2}), "s")).reason == "order is not an object");
  CHECK(rejected_of(map_shop_order(json("x"), "s")).payload == "\"x\"");
}

TEST_CASE("other bad fields are rejected by name: stars out of 0-5, a post_addr that is not an object") {
  json stars = base_order();
  stars["seller_remark_stars"] = 6;
  CHECK(rejected_of(map_shop_order(stars, "s")).reason == "seller_remark_stars is out of range 0-5");
  json address = base_order();
  address["post_addr"] = "广东省深圳市";
  CHECK(rejected_of(map_shop_order(address, "s")).reason == "post_addr is not an object");
  json cipher = base_order();
  cipher["encrypt_post_tel"] = 13900000000;
  CHECK(rejected_of(map_shop_order(cipher, "s")).reason == "encrypt_post_tel is not a string");
  json negative = base_order();
  negative["order_amount"] = -1;
  negative.erase("pay_amount");
  CHECK(rejected_of(map_shop_order(negative, "s")).reason == "order_amount is negative");
}

TEST_CASE("receiver ciphertext round-trips through encode/decode, keys only when present") {
  const ReceiverCiphers all{"~n~1~~", "$p$1$$", "#d#1##"};
  const std::string text = encode_receiver_ciphers(all);
  CHECK(text == R"({"detail":"#d#1##","name":"~n~1~~","phone":"$p$1$$"})");
  const auto back = decode_receiver_ciphers(text);
  REQUIRE(back);
  CHECK(back->name == all.name);
  CHECK(back->phone == all.phone);
  CHECK(back->detail == all.detail);

  CHECK(encode_receiver_ciphers({"", "$p$", ""}) == R"({"phone":"$p$"})");
  CHECK(encode_receiver_ciphers({}) == "{}");
  const auto empty = decode_receiver_ciphers("{}");
  REQUIRE(empty);
  CHECK(empty->name.empty());
  // Real Douyin ciphertexts carry '#', '$', '~', '+', '/', '=' and quotes would be escaped: all survive.
  const ReceiverCiphers odd{"#zuLyd4U4J3p+czzXkwg+ZQ==#", "a\"b\\c", "中文"};
  const auto odd_back = decode_receiver_ciphers(encode_receiver_ciphers(odd));
  REQUIRE(odd_back);
  CHECK(odd_back->name == odd.name);
  CHECK(odd_back->phone == odd.phone);
  CHECK(odd_back->detail == odd.detail);

  for (const char* bad : {"", "not json", "[]", "\"name\"", R"({"name":1})", R"({"name":"x","zip":"y"})",
                          R"({"name":"x"} trailing)", "{\"name\":null}"}) {
    CAPTURE(bad);
    CHECK_FALSE(decode_receiver_ciphers(bad).has_value());
  }
}

TEST_CASE("D10 no plaintext receiver value appears anywhere in the mapped order or in a rejected payload") {
  const std::string name = "欧阳娜娜";
  const std::string phone = "13987654321";
  const std::string street = "幸福路88号3栋";
  json order = base_order();
  order["post_receiver"] = name;
  order["post_tel"] = phone;
  order["post_addr"]["detail"] = street;
  order["user_id_info"] = {{"id_card_name", name}, {"encrypt_id_card_name", "#id#"}};
  order["mask_post_addr"] = {{"province", {{"name", "广东省"}}}, {"detail", "****"}};
  json& sku = first_sku(order);
  sku["post_receiver"] = name;
  sku["post_tel"] = phone;
  sku["post_addr"] = {{"detail", street}, {"encrypt_detail", "#GhI#1##"}};

  const Order o = order_of(map_shop_order(order, "s"));
  for (const std::string& value : all_strings(o)) {
    CAPTURE(value);
    CHECK(value.find(name) == std::string::npos);
    CHECK(value.find(phone) == std::string::npos);
    CHECK(value.find(street) == std::string::npos);
    CHECK(value.find("13987") == std::string::npos);  // no partial phone either
  }
  CHECK(o.receiver.masked_name == "王**");
  CHECK(o.receiver.masked_phone == "139****4321");
  CHECK(o.receiver.masked_address == "广东省深圳市南山区****");

  // A "masked" value with no '*' is plaintext that slipped through: it is masked here.
  json leaky = base_order();
  leaky["mask_post_receiver"] = name;
  leaky["mask_post_tel"] = phone;
  const Order masked = order_of(map_shop_order(leaky, "s"));
  CHECK(masked.receiver.masked_name == "欧***");
  CHECK(masked.receiver.masked_phone == "139****4321");

  // Quarantine stores the payload as text: plaintext is blanked there, nothing else changes.
  order.erase("update_time");
  const Rejected r = rejected_of(map_shop_order(order, "s"));
  CHECK(r.reason.find(name) == std::string::npos);
  for (const std::string& secret : {name, phone, street}) {
    CAPTURE(secret);
    CHECK(r.payload.find(secret) == std::string::npos);
  }
  const json stored = json::parse(r.payload);
  CHECK(stored["post_receiver"] == "");
  CHECK(stored["post_tel"] == "");
  CHECK(stored["post_addr"]["detail"] == "");
  CHECK(stored["user_id_info"]["id_card_name"] == "");
  CHECK(stored["sku_order_list"][0]["post_tel"] == "");
  CHECK(stored["post_addr"]["encrypt_detail"] == "#GhI#1##");
  CHECK(stored["encrypt_post_receiver"] == "~AbC~1~~");
  CHECK(stored["order_id"] == "6920000000000000001");
}

TEST_CASE("S1 presale orders (pre_sale_type, deposit trade_type, order phases, presell_type) map to presale") {
  const auto kind_with = [](auto&& change) {
    json order = base_order();
    change(order);
    return order_of(map_shop_order(order, "s")).kind;
  };
  CHECK(kind_with([](json&) {}) == OrderKind::normal);
  CHECK(kind_with([](json& o) { first_sku(o)["pre_sale_type"] = 1; }) == OrderKind::presale);    // 全款预售
  CHECK(kind_with([](json& o) { first_sku(o)["pre_sale_type"] = "2"; }) == OrderKind::presale);  // 阶梯发货
  CHECK(kind_with([](json& o) { first_sku(o)["pre_sale_type"] = 0; }) == OrderKind::normal);     // 现货
  CHECK(kind_with([](json& o) { first_sku(o)["trade_type"] = 2; }) == OrderKind::presale);       // 定金预售
  CHECK(kind_with([](json& o) { first_sku(o)["trade_type"] = 102; }) == OrderKind::presale);     // its gift
  CHECK(kind_with([](json& o) { first_sku(o)["trade_type"] = 1; }) == OrderKind::normal);        // 拼团
  CHECK(kind_with([](json& o) { o["presell_type"] = 1; }) == OrderKind::presale);
  CHECK(kind_with([](json& o) { first_sku(o)["presell_type"] = 2; }) == OrderKind::presale);
  CHECK(kind_with([](json& o) {
          o["order_phase_list"] = json::array({{{"phase_order_id", "1"}}});
        }) == OrderKind::presale);
  CHECK(kind_with([](json& o) { o["order_phase_list"] = json::array(); }) == OrderKind::normal);
  CHECK(kind_with([](json& o) { first_sku(o)["trade_type"] = 13; }) == OrderKind::custom_made);  // 普通定制
  CHECK(kind_with([](json& o) {
          first_sku(o)["trade_type"] = 13;
          first_sku(o)["pre_sale_type"] = 1;
        }) == OrderKind::presale);
}

TEST_CASE("virtual order types 2, 4 and 5 map to virtual_goods, ahead of presale; order_type goes to extras") {
  for (const int type : {2, 4, 5}) {
    CAPTURE(type);
    json order = base_order();
    order["order_type"] = type;
    first_sku(order)["pre_sale_type"] = 1;
    const Order o = order_of(map_shop_order(order, "s"));
    CHECK(o.kind == OrderKind::virtual_goods);
    CHECK(o.extras.at("order_type") == std::to_string(type));
  }
  json normal = base_order();
  normal["order_type"] = 0;
  CHECK(order_of(map_shop_order(normal, "s")).kind == OrderKind::normal);
}

TEST_CASE("a list with one bad item: the bad one goes to rejected, the others map; total, page and size are read") {
  json good_a = base_order();
  json bad = base_order();
  bad["order_id"] = "6920000000000000010";
  bad["order_status"] = 42;
  json good_b = base_order();
  good_b["order_id"] = 6920000000000000020ULL;
  const json data = {{"page", 2}, {"size", "3"}, {"total", "57"}, {"shop_order_list", {good_a, bad, good_b}}};

  const MappedList list = map_order_list(data, "dy-shop");
  CHECK(list.total == 57);
  CHECK(list.page == 2);
  CHECK(list.size == 3);
  REQUIRE(list.orders.size() == 2);
  CHECK(list.orders[0].order_id == "6920000000000000001");
  CHECK(list.orders[1].order_id == "6920000000000000020");
  CHECK(list.orders[1].shop == "dy-shop");
  REQUIRE(list.rejected.size() == 1);
  CHECK(list.rejected[0].order_id == "6920000000000000010");
  CHECK(list.rejected[0].reason == "order_status 42 is unknown");
  CHECK(list.rejected[0].payload == bad.dump());
}

TEST_CASE("a data object without a shop_order_list array throws invalid_argument; total 0 with no list is empty") {
  CHECK_THROWS_WITH_AS(map_order_list(json{{"page", 0}, {"size", 10}, {"total", 3}}, "s"),
                       "order.searchList data has no shop_order_list", std::invalid_argument);
  CHECK_THROWS_WITH_AS(map_order_list(json{{"total", 3}, {"shop_order_list", nullptr}}, "s"),
                       "order.searchList data has no shop_order_list", std::invalid_argument);
  CHECK_THROWS_WITH_AS(map_order_list(json{{"total", 1}, {"shop_order_list", {{"order_id", "1"}}}}, "s"),
                       "order.searchList data.shop_order_list is not an array", std::invalid_argument);
  CHECK_THROWS_WITH_AS(map_order_list(json::array(), "s"), "order.searchList data is not an object",
                       std::invalid_argument);
  // The whole answer passed instead of its data: no list at the top.
  CHECK_THROWS_AS(map_order_list(json{{"code", 10000}, {"data", {{"shop_order_list", json::array()}}}}, "s"),
                  std::invalid_argument);
  CHECK_THROWS_WITH_AS(map_order_list(json{{"total", "many"}, {"shop_order_list", json::array()}}, "s"),
                       "order.searchList data.total is not an integer", std::invalid_argument);

  const MappedList empty = map_order_list(json{{"page", 0}, {"size", 50}, {"total", 0}}, "s");
  CHECK(empty.orders.empty());
  CHECK(empty.rejected.empty());
  CHECK(empty.size == 50);
  const MappedList listed = map_order_list(json{{"total", 0}, {"shop_order_list", json::array()}}, "s");
  CHECK(listed.orders.empty());
}

TEST_CASE("G5-G8: a shipped sku order keeps its ship_time; waybill and carrier stay empty (not documented per sku)") {
  SimFixture f;
  f.paid_order("1002");
  f.clock.advance(std::chrono::minutes(10));
  const std::int64_t shipped = f.now_s();
  f.event("type: ship\norder_id: '1002'\nsku_order_id: '1002-1'\ncompany_code: shunfeng\nlogistics_code: SF77");
  const Order o = order_of(map_shop_order(sim_order(f, "1002"), "s"));
  REQUIRE(o.lines.size() == 2);
  REQUIRE(o.lines[0].shipped_at);
  CHECK(*o.lines[0].shipped_at == at(shipped));
  CHECK(o.lines[0].waybill.empty());
  CHECK(o.lines[0].carrier.empty());
  CHECK_FALSE(o.lines[1].shipped_at);  // ship_time 0: not shipped yet
  for (const auto& [key, value] : o.extras) CHECK(key.rfind("ship_time_unreadable.", 0) != 0);
}

TEST_CASE("a sku order's ship_time that is no time rejects nothing: no shipped_at, the raw value in extras") {
  json order = base_order();
  first_sku(order)["ship_time"] = "1767300000";
  CHECK(order_of(map_shop_order(order, "s")).lines[0].shipped_at == at(1767300000));
  first_sku(order)["ship_time"] = "";
  CHECK_FALSE(order_of(map_shop_order(order, "s")).lines[0].shipped_at);
  for (const json& bad : {json("昨天下午"), json(-5), json(99999999999999), json(12.5), json::object()}) {
    CAPTURE(bad.dump());
    first_sku(order)["ship_time"] = bad;
    const Order o = order_of(map_shop_order(order, "s"));
    CHECK_FALSE(o.lines[0].shipped_at);
    const std::string& note = o.extras.at("ship_time_unreadable.6920000000000000002");
    CHECK_FALSE(note.empty());
    CHECK(note == (bad.is_string() ? bad.get<std::string>() : bad.dump()));
  }
}
