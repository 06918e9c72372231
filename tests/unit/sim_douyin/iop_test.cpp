// Dropship iop.* methods with DOMAIN.md rules D1, D3-D8 and D10.

#include <doctest/doctest.h>

#include "douyin_fixture.hpp"

using namespace erp::sim;
using namespace erp::sim::douyin::test;

namespace {

struct IopFixture : Fixture {
  Shop factory_a = make_shop("7000001", "token-fa", "factory");
  Shop factory_b = make_shop("7000002", "token-fb", "factory");

  IopFixture() {
    module->add_shop(factory_a);
    module->add_shop(factory_b);
    event("type: bind_factory\nfactory_shop_id: '7000001'");
    event("type: bind_factory\nfactory_shop_id: '7000002'");
    clock.advance(std::chrono::seconds(5));
    paid_order("1001");
  }

  std::string distribute(const std::string& sku, const std::string& factory) {
    auto r = call("iop.sellerDistribute", {{"supplier_shop_id", factory},
                                           {"distribute_order_list", {{{"order_id", "1001"}, {"sku_order_id", sku}}}}});
    REQUIRE(r["code"] == 10000);
    return r["data"]["result_list"][0]["distr_order_id"];
  }

  json waybill(const std::string& distr, const std::string& token, const std::string& track = "YT1") {
    return call("iop.waybillReturn",
                {{"user_id", shop.id}, {"distr_order_id", distr}, {"company_code", "yuantong"}, {"track_no", track}},
                token);
  }
};

}  // namespace

TEST_CASE("merchant side: supplier list, distribute per sku order, roles are enforced (D1, D4)") {
  IopFixture f;
  auto list = f.call("iop.sellerSupplierList", json::object());
  REQUIRE(list["code"] == 10000);
  CHECK(list["data"]["total"] == 2);
  // A factory token cannot use merchant methods and vice versa.
  CHECK(f.call("iop.sellerSupplierList", json::object(), "token-fa")["sub_code"] == "dop.no-permissions");
  CHECK(f.call("iop.orderList", json::object())["code"] == 30001);

  const std::string d1 = f.distribute("1001-1", "7000001");
  CHECK_FALSE(d1.empty());
  // The same item cannot be assigned twice; an unbound factory is refused.
  auto again = f.call("iop.sellerDistribute",
                      {{"supplier_shop_id", "7000002"}, {"order_id", "1001"}, {"sku_order_id", "1001-1"}});
  CHECK(again["code"] == 50002);
  CHECK(f.call("iop.sellerDistribute", {{"supplier_shop_id", "9999"}, {"order_id", "1001"}})["code"] == 50002);
}

TEST_CASE("D3: orders created before the binding do not enter dropship") {
  Fixture f;
  Shop factory = Fixture::make_shop("7000001", "token-fa", "factory");
  f.module->add_shop(factory);
  f.paid_order("1001");
  f.clock.advance(std::chrono::seconds(5));
  f.event("type: bind_factory\nfactory_shop_id: '7000001'");
  auto r = f.call("iop.sellerDistribute", {{"supplier_shop_id", "7000001"}, {"order_id", "1001"}});
  CHECK(r["code"] == 50002);
  CHECK(r["data"]["result_list"][0]["success"] == false);
}

TEST_CASE("D5: only the factory's token sees its distributed orders; receiver stays encrypted") {
  IopFixture f;
  const std::string d1 = f.distribute("1001-1", "7000001");
  auto a = f.call("iop.orderList", json::object(), "token-fa");
  REQUIRE(a["code"] == 10000);
  REQUIRE(a["data"]["total"] == 1);
  CHECK(a["data"]["order_list"][0]["distr_order_id"] == d1);
  CHECK(a["data"]["order_list"][0]["user_id"] == f.shop.id);
  CHECK(a["data"]["order_list"][0]["product_count"] == 2);
  CHECK(f.call("iop.orderList", json::object(), "token-fb")["data"]["total"] == 0);
  CHECK(f.call("iop.orderInfo", {{"distr_order_id", d1}}, "token-fb")["code"] == 50002);
  const Response info = f.module->handle(f.request("iop.orderInfo", json{{"distr_order_id", d1}}.dump(), "token-fa"));
  auto detail = json::parse(info.body);
  REQUIRE(detail["code"] == 10000);
  CHECK(info.body.find("张三丰") == std::string::npos);
  CHECK(info.body.find("13812345678") == std::string::npos);
  // D10: the factory that ships the item may decrypt; another factory may not.
  const json infos = {{{"auth_id", "1001"}, {"cipher_text", detail["data"]["order_info"]["encrypt_post_tel"]}}};
  CHECK(f.call("order.batchDecrypt", {{"cipher_infos", infos}},
               "token-fa")["data"]["decrypt_infos"][0]["decrypt_text"] == "13812345678");
  CHECK(f.call("order.batchDecrypt", {{"cipher_infos", infos}},
               "token-fb")["data"]["decrypt_infos"][0]["decrypt_text"] == "");

  // Update-time windows are at most 30 minutes.
  const std::int64_t now = f.now_s();
  CHECK(f.call("iop.orderList", {{"start_update_time", now - 60}, {"end_update_time", now + 60}},
               "token-fa")["data"]["total"] == 1);
  CHECK(f.call("iop.orderList", {{"start_update_time", now - 3600}, {"end_update_time", now}}, "token-fa")["code"] ==
        40003);
}

TEST_CASE("D6: items for different factories ship independently; D7: the second shipper gets already shipped") {
  IopFixture f;
  const std::string da = f.distribute("1001-1", "7000001");
  const std::string db = f.distribute("1001-2", "7000002");
  auto ra = f.waybill(da, "token-fa");
  REQUIRE(ra["code"] == 10000);
  CHECK(f.counters.count("iop.ship", "1001", "1001-1") == 1);
  auto o = f.call("order.orderDetail", {{"shop_order_id", "1001"}})["data"]["shop_order_detail"];
  CHECK(o["order_status"] == 101);
  CHECK(o["sku_order_list"][0]["order_status"] == 3);
  CHECK(o["sku_order_list"][1]["order_status"] == 2);

  auto again = f.waybill(da, "token-fa", "YT2");
  CHECK(again["code"] == 50002);
  CHECK(again["sub_msg"].get<std::string>().find("已发货") != std::string::npos);
  CHECK(f.counters.count("iop.ship", "1001", "1001-1") == 1);

  // The merchant ships the other item first; the factory then gets already shipped.
  auto merchant =
      f.call("order.logisticsAddMultiPack", {{"order_id", "1001"},
                                             {"request_id", "m-1"},
                                             {"pack_list",
                                              {{{"company_code", "zt"},
                                                {"logistics_code", "M1"},
                                                {"shipped_order_info", {{{"shipped_order_id", "1001-2"}}}}}}}});
  REQUIRE(merchant["code"] == 10000);
  CHECK(f.waybill(db, "token-fb")["code"] == 50002);
  CHECK(f.counters.count("iop.ship", "1001", "1001-2") == 0);
  CHECK(f.counters.count("ship", "1001", "1001-2") == 1);
  CHECK(f.call("order.orderDetail", {{"shop_order_id", "1001"}})["data"]["shop_order_detail"]["order_status"] == 3);
  // The merchant cannot ship what the factory shipped either.
  CHECK(f.call("order.logisticsAdd",
               {{"order_id", "1001"}, {"company_code", "zt"}, {"logistics_code", "M2"}})["code"] == 50002);
  auto listed = f.call("iop.orderList", {{"distr_status", 2}}, "token-fa");
  CHECK(listed["data"]["total"] == 1);
}

TEST_CASE("D8: a buyer-cancelled item stays assigned, surfaces to the factory and blocks its shipping") {
  IopFixture f;
  const std::string d1 = f.distribute("1001-1", "7000001");
  f.clock.advance(std::chrono::minutes(5));
  f.event("type: cancel\norder_id: '1001'\nsku_order_id: 1001-1");
  const std::int64_t now = f.now_s();
  auto recent = f.call("iop.orderList", {{"start_update_time", now - 10}, {"end_update_time", now}}, "token-fa");
  REQUIRE(recent["data"]["total"] == 1);
  CHECK(recent["data"]["order_list"][0]["distr_status"] == 1);
  CHECK(recent["data"]["order_list"][0]["buyer_cancelled"] == true);
  auto blocked = f.waybill(d1, "token-fa");
  CHECK(blocked["code"] == 50002);
  CHECK(blocked["sub_msg"].get<std::string>().find("取消") != std::string::npos);
  CHECK(f.counters.count("iop.ship", "1001") == 0);
}

TEST_CASE("sellerCancleDistribute unassigns an unshipped item and refuses a shipped one") {
  IopFixture f;
  const std::string d1 = f.distribute("1001-1", "7000001");
  const std::string d2 = f.distribute("1001-2", "7000001");
  CHECK(f.call("iop.sellerCancleDistribute", {{"distr_order_id", d1}})["code"] == 10000);
  CHECK(f.waybill(d1, "token-fa")["code"] == 50002);
  REQUIRE(f.waybill(d2, "token-fa")["code"] == 10000);
  CHECK(f.call("iop.sellerCancleDistribute", {{"distr_order_id", d2}})["code"] == 50002);
  // The item is free again and can go to the other factory.
  CHECK(f.distribute("1001-1", "7000002") != d1);
}
