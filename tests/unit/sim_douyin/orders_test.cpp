// order.* methods through PlatformModule::handle.

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "douyin_fixture.hpp"

using namespace erp::sim;
using namespace erp::sim::douyin::test;

TEST_CASE("searchList: update-time windows, paging from 0, size at most 100, status filter") {
  Fixture f;
  const std::int64_t t0 = f.now_s();
  for (int i = 0; i < 5; ++i) {
    f.paid_order("20" + std::to_string(i));
    f.clock.advance(std::chrono::minutes(10));
  }
  auto all = f.call("order.searchList", {{"page", 0}, {"size", 2}, {"order_by", "create_time"}, {"order_asc", true}});
  REQUIRE(all["code"] == 10000);
  CHECK(all["data"]["total"] == 5);
  CHECK(all["data"]["page"] == 0);
  REQUIRE(all["data"]["shop_order_list"].size() == 2);
  CHECK(all["data"]["shop_order_list"][0]["order_id"] == "200");
  auto page2 = f.call("order.searchList", {{"page", "2"}, {"size", "2"}, {"order_asc", "true"}});
  REQUIRE(page2["data"]["shop_order_list"].size() == 1);
  CHECK(page2["data"]["shop_order_list"][0]["order_id"] == "204");
  // Default order: newest first.
  CHECK(f.call("order.searchList", {{"size", 1}})["data"]["shop_order_list"][0]["order_id"] == "204");

  auto window = f.call(
      "order.searchList",
      {{"update_time_start", t0 + 600}, {"update_time_end", t0 + 1200}, {"order_by", "update_time"}, {"size", 100}});
  CHECK(window["data"]["total"] == 2);

  auto big = f.call("order.searchList", {{"size", 101}});
  CHECK(big["code"] == 40003);
  CHECK(big["sub_code"] == "isv.parameter-invalid");
  CHECK(f.call("order.searchList", {{"size", 0}})["code"] == 40003);
  CHECK(f.call("order.searchList", {{"update_time_start", t0 + 10}, {"update_time_end", t0}})["code"] == 40003);

  f.event("type: cancel\norder_id: '201'");
  CHECK(f.call("order.searchList", {{"order_status", "4"}})["data"]["total"] == 1);
  CHECK(f.call("order.searchList", {{"order_status", "2,4"}})["data"]["total"] == 5);
  CHECK(f.call("order.searchList", {{"order_status", 2}})["data"]["total"] == 4);
}

TEST_CASE("orderDetail: Douyin's fields, fen amounts and no plaintext receiver anywhere") {
  Fixture f;
  f.paid_order();
  const Response resp =
      f.module->handle(f.request("order.orderDetail", R"({"shop_order_id":"1001"})", "token-merchant"));
  auto r = json::parse(resp.body);
  REQUIRE(r["code"] == 10000);
  const json& o = r["data"]["shop_order_detail"];
  CHECK(o["order_id"] == "1001");
  CHECK(o["order_status"] == 2);
  CHECK(o["main_status"] == 2);
  CHECK(o["order_amount"] == 2 * 1250 + 3000);
  CHECK(o["pay_amount"] == 5500);
  CHECK(o["exp_ship_time"] == o["pay_time"].get<std::int64_t>() + 48 * 3600);
  REQUIRE(o["sku_order_list"].size() == 2);
  CHECK(o["sku_order_list"][0]["order_id"] == "1001-1");
  CHECK(o["sku_order_list"][0]["parent_order_id"] == "1001");
  CHECK(o["sku_order_list"][0]["item_num"] == 2);
  CHECK(o["sku_order_list"][0]["origin_amount"] == 2500);
  CHECK(o["sku_order_list"][0]["out_sku_id"] == "A-1");
  CHECK(o["sku_order_list"][1]["pay_amount"] == 3000);
  const std::string name = o["encrypt_post_receiver"];
  const std::string tel = o["encrypt_post_tel"];
  const std::string detail = o["post_addr"]["encrypt_detail"];
  CHECK(name.front() == '~');
  CHECK(name.substr(name.size() - 4) == "~1~~");
  CHECK(tel.front() == '$');
  CHECK(detail.front() == '#');
  CHECK(o["post_addr"]["province"]["name"] == "浙江省");
  CHECK(o["mask_post_tel"] == "138****5678");
  for (const char* secret : {"张三丰", "13812345678", "文一西路100号"}) {
    CAPTURE(secret);
    CHECK(resp.body.find(secret) == std::string::npos);
  }
  auto missing = f.call("order.orderDetail", {{"shop_order_id", "nope"}});
  CHECK(missing["code"] == 50002);
}

TEST_CASE("addOrderRemark: remark and star, memo counter, 60 characters at most") {
  Fixture f;
  f.paid_order();
  auto r = f.call("order.addOrderRemark",
                  {{"order_id", "1001"}, {"remark", "加急发货"}, {"is_add_star", "true"}, {"star", 5}});
  CHECK(r["code"] == 10000);
  auto o = f.call("order.orderDetail", {{"shop_order_id", "1001"}})["data"]["shop_order_detail"];
  CHECK(o["seller_words"] == "加急发货");
  CHECK(o["seller_remark_stars"] == 5);
  CHECK(f.counters.count("memo", "1001") == 1);
  std::string long_remark;
  for (int i = 0; i < 61; ++i) long_remark += "字";
  CHECK(f.call("order.addOrderRemark", {{"order_id", "1001"}, {"remark", long_remark}})["code"] == 40003);
  CHECK(f.call("order.addOrderRemark",
               {{"order_id", "1001"}, {"remark", "x"}, {"is_add_star", true}, {"star", 6}})["code"] == 40003);
  CHECK(f.counters.count("memo", "1001") == 1);
}

TEST_CASE("logisticsAdd: idempotent by request_id, a second shipment is refused, one count per sku order") {
  Fixture f;
  f.paid_order();
  const json ship = {
      {"order_id", "1001"}, {"company_code", "zhongtong"}, {"logistics_code", "ZT100"}, {"request_id", "req-1"}};
  auto r1 = f.call("order.logisticsAdd", ship);
  REQUIRE(r1["code"] == 10000);
  auto r2 = f.call("order.logisticsAdd", ship);
  CHECK(r2["code"] == 10000);
  CHECK(r2["data"] == r1["data"]);
  CHECK(f.counters.count("ship", "1001", "1001-1") == 1);
  CHECK(f.counters.count("ship", "1001", "1001-2") == 1);
  CHECK(f.counters.count("ship.upload", "1001") == 1);

  json again = ship;
  again["request_id"] = "req-2";
  auto r3 = f.call("order.logisticsAdd", again);
  CHECK(r3["code"] == 50002);
  CHECK(r3["sub_code"].get<std::string>().rfind("isv.business-failed:", 0) == 0);
  CHECK(r3["sub_msg"].get<std::string>().find("已发货") != std::string::npos);
  CHECK(f.counters.count("ship", "1001", "1001-1") == 1);
  auto o = f.call("order.orderDetail", {{"shop_order_id", "1001"}})["data"]["shop_order_detail"];
  CHECK(o["order_status"] == 3);
  CHECK(o["logistics_info"].size() == 1);
}

TEST_CASE(
    "logisticsAdd: a pending refund blocks shipping unless is_refund_reject; unpaid and cancelled orders refuse") {
  Fixture f;
  f.paid_order();
  f.event("type: refund\norder_id: '1001'\nsku_order_id: 1001-2\nstatus: requested");
  const json ship = {{"order_id", "1001"}, {"company_code", "zt"}, {"logistics_code", "ZT1"}};
  CHECK(f.call("order.logisticsAdd", ship)["code"] == 50002);
  json reject = ship;
  reject["is_refund_reject"] = true;
  CHECK(f.call("order.logisticsAdd", reject)["code"] == 10000);

  f.event("type: order\norder_id: '3001'\nskus: [{sku_order_id: 3001-1, qty: 1, price: 100}]");
  CHECK(f.call("order.logisticsAdd", {{"order_id", "3001"}, {"company_code", "zt"}, {"logistics_code", "x"}})["code"] ==
        50002);
  f.event("type: cancel\norder_id: '3001'");
  CHECK(f.call("order.logisticsAdd", {{"order_id", "3001"}, {"company_code", "zt"}, {"logistics_code", "x"}})["code"] ==
        50002);
  CHECK(f.counters.count("ship", "3001") == 0);
}

TEST_CASE("logisticsAddMultiPack: packs per sku order, request_id replays the first answer") {
  Fixture f;
  f.paid_order();
  const json req = {{"order_id", "1001"},
                    {"request_id", "mp-1"},
                    {"pack_list",
                     {{{"company_code", "zt"},
                       {"logistics_code", "P1"},
                       {"shipped_order_info", {{{"shipped_order_id", "1001-1"}, {"shipped_num", 2}}}}}}}};
  auto r1 = f.call("order.logisticsAddMultiPack", req);
  REQUIRE(r1["code"] == 10000);
  CHECK(r1["data"]["pack_list"].size() == 1);
  CHECK(f.call("order.logisticsAddMultiPack", req)["data"] == r1["data"]);
  CHECK(f.counters.count("ship", "1001", "1001-1") == 1);
  CHECK(f.call("order.orderDetail", {{"shop_order_id", "1001"}})["data"]["shop_order_detail"]["order_status"] == 101);

  json twice = req;
  twice["request_id"] = "mp-2";
  CHECK(f.call("order.logisticsAddMultiPack", twice)["code"] == 50002);
  json rest = req;
  rest["request_id"] = "mp-3";
  rest["pack_list"][0]["shipped_order_info"] = {{{"shipped_order_id", "1001-2"}}};
  CHECK(f.call("order.logisticsAddMultiPack", rest)["code"] == 10000);
  CHECK(f.call("order.orderDetail", {{"shop_order_id", "1001"}})["data"]["shop_order_detail"]["order_status"] == 3);
  CHECK(f.counters.count("ship", "1001") == 2);
  json no_request_id = req;
  no_request_id.erase("request_id");
  CHECK(f.call("order.logisticsAddMultiPack", no_request_id)["code"] == 40001);
}

TEST_CASE("batchDecrypt: plaintext for the own shop, at most 50 per call, own rate limit") {
  Fixture f;
  f.paid_order();
  Shop other = Fixture::make_shop("5550001", "token-other", "merchant");
  f.module->add_shop(other);
  auto o = f.call("order.orderDetail", {{"shop_order_id", "1001"}})["data"]["shop_order_detail"];
  const json infos = {{{"auth_id", "1001"}, {"cipher_text", o["encrypt_post_receiver"]}},
                      {{"auth_id", "1001"}, {"cipher_text", o["encrypt_post_tel"]}},
                      {{"auth_id", "1001"}, {"cipher_text", o["post_addr"]["encrypt_detail"]}}};
  auto r = f.call("order.batchDecrypt", {{"cipher_infos", infos}});
  REQUIRE(r["code"] == 10000);
  CHECK(r["data"]["decrypt_infos"][0]["decrypt_text"] == "张三丰");
  CHECK(r["data"]["decrypt_infos"][1]["decrypt_text"] == "13812345678");
  CHECK(r["data"]["decrypt_infos"][2]["decrypt_text"] == "文一西路100号");
  CHECK(f.counters.count("decrypt", "1001") == 3);

  auto foreign = f.call("order.batchDecrypt", {{"cipher_infos", infos}}, "token-other");
  REQUIRE(foreign["code"] == 10000);
  for (const auto& item : foreign["data"]["decrypt_infos"]) {
    CHECK(item["decrypt_text"] == "");
    CHECK(item["err_no"] != 0);
  }
  CHECK(
      f.call("order.batchDecrypt",
             {{"cipher_infos",
               {{{"auth_id", "9"}, {"cipher_text", o["encrypt_post_tel"]}}}}})["data"]["decrypt_infos"][0]["err_no"] !=
      0);

  json fifty = json::array();
  for (int i = 0; i < 51; ++i) fifty.push_back(infos[0]);
  CHECK(f.call("order.batchDecrypt", {{"cipher_infos", fifty}})["code"] == 40003);
  fifty.erase(50);
  CHECK(f.call("order.batchDecrypt", {{"cipher_infos", fifty}})["code"] == 10000);

  f.clock.advance(std::chrono::seconds(1));
  f.douyin().set_decrypt_limit(2);
  CHECK(f.call("order.batchDecrypt", {{"cipher_infos", infos}})["code"] == 10000);
  CHECK(f.call("order.batchDecrypt", {{"cipher_infos", infos}})["code"] == 10000);
  auto limited = f.call("order.batchDecrypt", {{"cipher_infos", infos}});
  CHECK(limited["code"] == 60000);
  CHECK(limited["sub_code"] == "isv.traffic-limited");
  f.clock.advance(std::chrono::seconds(1));
  CHECK(f.call("order.batchDecrypt", {{"cipher_infos", infos}})["code"] == 10000);
}

TEST_CASE("generate makes paid orders with 1-4 sku orders and encrypted receivers") {
  Fixture f;
  std::mt19937 rng(7);
  f.module->generate(f.shop, 50, rng);
  auto r = f.call("order.searchList", {{"size", 100}});
  CHECK(r["data"]["total"] == 50);
  for (const auto& o : r["data"]["shop_order_list"]) {
    CHECK(o["order_status"] == 2);
    CHECK(o["sku_order_list"].size() >= 1);
    CHECK(o["sku_order_list"].size() <= 4);
    CHECK(o["encrypt_post_tel"].get<std::string>().front() == '$');
    CHECK(o["pay_amount"].get<std::int64_t>() > 0);
  }
  CHECK(f.module->state()["orders"] == 50);
  f.module->reset();
  CHECK(f.module->state()["orders"] == 0);
}

TEST_CASE("scenario events refuse what they cannot apply") {
  Fixture f;
  CHECK(f.module->apply(f.shop, YAML::Load("type: nonsense")).has_value());
  CHECK(f.module->apply(f.shop, YAML::Load("type: pay\norder_id: nope")).has_value());
  CHECK(f.module->apply(f.shop, YAML::Load("type: order\nskus: []")).has_value());
  CHECK(f.module->apply(f.shop, YAML::Load("type: order\nskus: [{qty: x}]")).has_value());
  CHECK(f.module->apply(f.shop, YAML::Load("[1,2]")).has_value());
  f.event("type: order\norder_id: '9'\nskus: [{qty: 1, price_yuan: '9.9'}]");
  CHECK(f.call("order.orderDetail", {{"shop_order_id", "9"}})["data"]["shop_order_detail"]["order_amount"] == 990);
  f.event("type: pay\norder_id: '9'\nexp_ship_hours: 24");
  auto o = f.call("order.orderDetail", {{"shop_order_id", "9"}})["data"]["shop_order_detail"];
  CHECK(o["exp_ship_time"] == o["pay_time"].get<std::int64_t>() + 24 * 3600);
  f.event("type: exp_ship_time\norder_id: '9'\nhours: 72");
  CHECK(f.call("order.orderDetail", {{"shop_order_id", "9"}})["data"]["shop_order_detail"]["exp_ship_time"] ==
        f.now_s() + 72 * 3600);
}

TEST_CASE("platform-side ship, complete and distribute events") {
  Fixture f;
  Shop factory = Fixture::make_shop("7000001", "token-fa", "factory");
  f.module->add_shop(factory);
  f.event("type: bind_factory\nfactory_shop_id: '7000001'");
  f.paid_order("1001");
  f.event("type: distribute\norder_id: '1001'\nfactory_shop_id: '7000001'\nsku_order_ids: [1001-2]");
  CHECK(f.call("iop.orderList", json::object(), "token-fa")["data"]["total"] == 1);
  f.event("type: ship\norder_id: '1001'\nsku_order_id: 1001-1\nlogistics_code: SF1\ncompany_code: shunfeng");
  auto o = f.call("order.orderDetail", {{"shop_order_id", "1001"}})["data"]["shop_order_detail"];
  CHECK(o["order_status"] == 101);
  CHECK(o["logistics_info"][0]["tracking_no"] == "SF1");
  CHECK(f.counters.count("ship", "1001") == 0);  // platform side: not a write call of the adapter
  f.event("type: ship\norder_id: '1001'");
  CHECK(f.call("iop.orderList", {{"distr_status", 2}}, "token-fa")["data"]["total"] == 1);
  f.event("type: complete\norder_id: '1001'");
  CHECK(f.call("order.orderDetail", {{"shop_order_id", "1001"}})["data"]["shop_order_detail"]["order_status"] == 5);
  CHECK(f.module->apply(f.shop, YAML::Load("type: ship\norder_id: '1001'")).has_value());
  CHECK(f.module->apply(factory, YAML::Load("type: bind_factory\nfactory_shop_id: '7000001'")).has_value());  // D1
}

TEST_CASE("concurrent reads and writes stay consistent") {
  Fixture f;
  std::mt19937 rng(3);
  f.module->generate(f.shop, 200, rng);
  auto list = f.call("order.searchList", {{"size", 100}})["data"]["shop_order_list"];
  std::vector<std::string> ids;
  for (const auto& o : list) ids.push_back(o["order_id"]);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const std::string& id = ids[static_cast<std::size_t>(i + t * 7) % ids.size()];
        json r = (i % 10 == t) ? f.call("order.addOrderRemark", {{"order_id", id}, {"remark", "t" + std::to_string(t)}})
                               : f.call("order.orderDetail", {{"shop_order_id", id}});
        if (r["code"] != 10000) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  CHECK(f.counters.snapshot()["memo"]["total"] == 120);
}
