// The trade methods (PLATFORMS.md 2): listing, field selection, memos and offline shipping.
#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "top_fixture.hpp"

using namespace sim_top_test;

TEST_CASE_FIXTURE(Fixture, "increment.get refuses windows over one day and ends before starts") {
  auto window = [&](const std::string& from, const std::string& to) {
    return call("taobao.trades.sold.increment.get",
                {{"fields", "tid"}, {"start_modified", from}, {"end_modified", to}});
  };
  CHECK(code(window("2026-11-10 10:00:00", "2026-11-11 10:00:00")) == 0);
  const json over = window("2026-11-10 09:59:59", "2026-11-11 10:00:00");
  CHECK(code(over) == 41);
  CHECK(sub_code(over) == "isv.invalid-parameter");
  CHECK(code(window("2026-11-11 10:00:00", "2026-11-11 09:00:00")) == 41);
  CHECK(code(window("2026-06-01 10:00:00", "2026-06-01 11:00:00")) == 41);  // older than 3 months
  CHECK(code(call("taobao.trades.sold.increment.get",
                  {{"fields", "tid"}, {"start_modified", "2026-11-11 09:00:00"}})) == 40);
}

TEST_CASE_FIXTURE(Fixture, "increment.get with use_has_next drains every trade once, newest modified first") {
  const auto start = clock.now();
  std::vector<long long> expected;
  for (int i = 0; i < 23; ++i) {
    const std::string tid = std::to_string(500 + i);
    must(taobao, paid_order(tid, 1 + i % 3));
    advance(std::chrono::seconds{30});
  }
  // Touch a few older trades so the modified order differs from the created order.
  must(taobao, "type: memo\ntid: \"503\"\ntext: later\n");
  advance(std::chrono::seconds{1});
  must(taobao, "type: refund\ntid: \"507\"\n");
  for (int i = 0; i < 23; ++i) {
    if (i != 3 && i != 7) expected.push_back(500 + i);
  }
  std::reverse(expected.begin(), expected.end());
  expected.insert(expected.begin(), 503);
  expected.insert(expected.begin(), 507);

  const std::string from = erp::sim::top::format_china_time(start);
  const std::string to = erp::sim::top::format_china_time(clock.now());
  std::vector<long long> seen;
  bool has_next = true;
  int page = 1;
  while (has_next && page < 20) {
    const json body = call("taobao.trades.sold.increment.get", {{"fields", "tid,modified"},
                                                                {"start_modified", from},
                                                                {"end_modified", to},
                                                                {"page_size", "5"},
                                                                {"page_no", std::to_string(page)},
                                                                {"use_has_next", "true"}});
    REQUIRE(code(body) == 0);
    const json& r = body["trades_sold_increment_get_response"];
    CHECK_FALSE(r.contains("total_results"));
    has_next = r["has_next"].get<bool>();
    for (const auto& trade : r["trades"]["trade"]) seen.push_back(trade["tid"].get<long long>());
    ++page;
  }
  CHECK(seen == expected);

  const json counted =
      call("taobao.trades.sold.increment.get", {{"fields", "tid"}, {"start_modified", from}, {"end_modified", to}});
  CHECK(counted["trades_sold_increment_get_response"]["total_results"] == 23);
  CHECK(counted["trades_sold_increment_get_response"]["trades"]["trade"].size() == 23);
}

TEST_CASE_FIXTURE(Fixture, "sold.get lists by created time and leaves Tmall Global out unless asked") {
  must(tmall, paid_order("700", 2));
  advance(std::chrono::seconds{60});
  must(tmall,
       "type: order\ntid: \"701\"\npaid: true\ncross_border: bonded_import\nlines:\n  - {sku: S, qty: 2, price: "
       "\"100.00\"}\n");
  const json plain = call("taobao.trades.sold.get", {{"fields", "tid,type"}}, tmall);
  REQUIRE(code(plain) == 0);
  CHECK(plain["trades_sold_get_response"]["total_results"] == 1);
  const json all = call("taobao.trades.sold.get",
                        {{"fields", "tid,type,cross_bonded_declare"}, {"type", "guarantee_trade,tmall_i18n"}}, tmall);
  const json& trades = all["trades_sold_get_response"]["trades"]["trade"];
  REQUIRE(trades.size() == 2);
  CHECK(trades[0]["tid"] == 701);  // newest created first
  CHECK(trades[0]["type"] == "tmall_i18n");
  CHECK(trades[0]["cross_bonded_declare"] == true);
  CHECK(trades[1]["tid"] == 700);
  const json waiting = call("taobao.trades.sold.get", {{"fields", "tid"}, {"status", "WAIT_BUYER_PAY"}}, tmall);
  CHECK(waiting["trades_sold_get_response"]["total_results"] == 0);
  CHECK_FALSE(waiting["trades_sold_get_response"].contains("trades"));
}

TEST_CASE_FIXTURE(Fixture, "fullinfo returns only the requested fields") {
  must(taobao, paid_order("100", 2));
  const json only = fullinfo("100", "tid,status");
  CHECK(only.size() == 2);
  CHECK(only["tid"] == 100);
  CHECK(only["status"] == "WAIT_SELLER_SEND_GOODS");

  const json sub = fullinfo("100", "tid,orders.oid,orders.outer_sku_id");
  REQUIRE(sub["orders"]["order"].size() == 2);
  CHECK(sub["orders"]["order"][0].size() == 2);
  CHECK(sub["orders"]["order"][0]["oid"] == 1001);
  CHECK(sub["orders"]["order"][0]["outer_sku_id"] == "OS0");

  const json money = fullinfo("100", "payment,total_fee,post_fee,orders");
  CHECK(money["payment"] == "21.00");
  CHECK(money["total_fee"] == "21.00");
  CHECK(money["orders"]["order"][1]["price"] == "10.50");
  CHECK(money["orders"]["order"][1]["refund_status"] == "NO_REFUND");
  CHECK_FALSE(money.contains("seller_memo"));

  const json receiver = fullinfo("100", "receiver_name,receiver_mobile,receiver_address");
  CHECK(receiver["receiver_name"] == "张**");
  CHECK(receiver["receiver_mobile"] == "*******1234");
  CHECK_FALSE(receiver.contains("oaid"));
  const json with_oaid = fullinfo("100", "receiver_name,receiver_address,created,receiver_mobile,receiver_phone");
  CHECK(with_oaid.contains("oaid"));

  const json missing = call("taobao.trade.fullinfo.get", {{"tid", "999"}, {"fields", "tid"}});
  CHECK(code(missing) == 15);
  CHECK(sub_code(missing) == "isv.trade-not-exist");
  CHECK(code(call("taobao.trade.fullinfo.get", {{"tid", "100"}})) == 40);
}

TEST_CASE_FIXTURE(Fixture, "memo add and update: flag 0-5, add only once, every accepted write counted") {
  must(taobao, paid_order("100", 1));
  const auto before = fullinfo("100", "modified")["modified"].get<std::string>();
  advance(std::chrono::seconds{5});
  CHECK(code(call("taobao.trade.memo.add", {{"tid", "100"}, {"memo", "hold"}, {"flag", "6"}})) == 41);
  CHECK(counters.count("memo", "100") == 0);
  const json added = call("taobao.trade.memo.add", {{"tid", "100"}, {"memo", "拦截 hold"}, {"flag", "1"}});
  REQUIRE(code(added) == 0);
  CHECK(added["trade_memo_add_response"]["trade"]["tid"] == 100);
  CHECK(added["trade_memo_add_response"]["trade"].contains("created"));
  const json again = call("taobao.trade.memo.add", {{"tid", "100"}, {"memo", "x"}});
  CHECK(code(again) == 15);

  json trade = fullinfo("100", "seller_memo,seller_flag,modified");
  CHECK(trade["seller_memo"] == "拦截 hold");
  CHECK(trade["seller_flag"] == 1);
  CHECK(trade["modified"] != before);

  CHECK(code(call("taobao.trade.memo.update", {{"tid", "100"}, {"flag", "-1"}})) == 41);
  CHECK(code(call("taobao.trade.memo.update", {{"tid", "100"}, {"memo", std::string(1001, 'm')}})) == 41);
  const json updated = call("taobao.trade.memo.update", {{"tid", "100"}, {"memo", "released"}, {"flag", "5"}});
  REQUIRE(code(updated) == 0);
  CHECK(updated["trade_memo_update_response"]["trade"].contains("modified"));
  trade = fullinfo("100", "seller_memo,seller_flag");
  CHECK(trade["seller_memo"] == "released");
  CHECK(trade["seller_flag"] == 5);

  REQUIRE(code(call("taobao.trade.memo.update", {{"tid", "100"}, {"reset", "true"}})) == 0);
  CHECK_FALSE(fullinfo("100", "seller_memo").contains("seller_memo"));
  CHECK(counters.count("memo", "100") == 3);
  CHECK(code(call("taobao.trade.memo.update", {{"tid", "404"}, {"memo", "x"}})) == 15);
}

TEST_CASE_FIXTURE(Fixture, "offline.send whole and split; a second upload is refused; one shipment per line") {
  must(taobao, paid_order("100", 3));
  must(taobao, paid_order("200", 2));
  auto ship = [&](const std::string& tid, Params extra) {
    extra["tid"] = tid;
    extra["out_sid"] = "YT" + tid;
    extra["company_code"] = "YTO";
    return call("taobao.logistics.offline.send", extra);
  };

  const json split = ship("100", {{"is_split", "1"}, {"sub_tid", "1001,1002"}});
  REQUIRE(code(split) == 0);
  CHECK(split["logistics_offline_send_response"]["shipping"]["is_success"] == true);
  json trade = fullinfo("100", "status,orders");
  CHECK(trade["status"] == "SELLER_CONSIGNED_PART");
  CHECK(trade["orders"]["order"][0]["status"] == "WAIT_BUYER_CONFIRM_GOODS");
  CHECK(trade["orders"]["order"][0]["invoice_no"] == "YT100");
  CHECK(trade["orders"]["order"][2]["status"] == "WAIT_SELLER_SEND_GOODS");

  const json twice = ship("100", {{"is_split", "1"}, {"sub_tid", "1002,1003"}});
  CHECK(code(twice) == 15);
  CHECK(sub_code(twice) == "isv.logistics-offline-service-error:B04");
  CHECK(fullinfo("100", "orders")["orders"]["order"][2]["status"] == "WAIT_SELLER_SEND_GOODS");  // all or nothing

  CHECK(code(ship("100", {{"is_split", "1"}, {"sub_tid", "4242"}})) == 41);
  CHECK(code(ship("100", {{"is_split", "1"}})) == 40);
  REQUIRE(code(ship("100", {{"is_split", "1"}, {"sub_tid", "1003"}})) == 0);
  CHECK(fullinfo("100", "status")["status"] == "WAIT_BUYER_CONFIRM_GOODS");
  CHECK(sub_code(ship("100", {})) == "isv.logistics-offline-service-error:B04");

  REQUIRE(code(ship("200", {})) == 0);
  CHECK(fullinfo("200", "status")["status"] == "WAIT_BUYER_CONFIRM_GOODS");
  CHECK(sub_code(ship("200", {})) == "isv.logistics-offline-service-error:B04");
  CHECK(sub_code(ship("999", {})) == "isv.logistics-offline-service-error:B01");

  for (const char* line : {"1001", "1002", "1003"}) CHECK(counters.count("ship", "100", line) == 1);
  for (const char* line : {"2001", "2002"}) CHECK(counters.count("ship", "200", line) == 1);
  CHECK(counters.count("ship.upload", "100") == 2);
  CHECK(counters.count("ship.upload", "200") == 1);
}

TEST_CASE_FIXTURE(Fixture, "offline.send refuses unpaid and closed trades and skips refunded lines") {
  must(taobao, "type: order\ntid: \"300\"\nlines:\n  - {sku: A, qty: 1, price: \"5.00\"}\n");
  const Params p = {{"tid", "300"}, {"out_sid", "SF1"}, {"company_code", "SF"}};
  CHECK(sub_code(call("taobao.logistics.offline.send", p)) == "isv.logistics-offline-service-error:B04");
  must(taobao, paid_order("400", 2));
  must(taobao, "type: refund\ntid: \"400\"\noid: \"4002\"\nstatus: SUCCESS\n");
  REQUIRE(code(call("taobao.logistics.offline.send", {{"tid", "400"}, {"out_sid", "SF2"}, {"company_code", "SF"}})) ==
          0);
  const json trade = fullinfo("400", "status,orders");
  CHECK(trade["status"] == "WAIT_BUYER_CONFIRM_GOODS");
  CHECK(trade["orders"]["order"][1]["status"] == "TRADE_CLOSED");
  CHECK(trade["orders"]["order"][1]["refund_status"] == "SUCCESS");
  CHECK(counters.count("ship", "400", "4002") == 0);
}

TEST_CASE_FIXTURE(Fixture, "concurrent reads, writes, events and clock moves stay consistent") {
  for (int i = 0; i < 20; ++i) must(tmall, paid_order(std::to_string(600 + i), 2));
  std::mt19937 rng{3};
  module->generate(tmall, 200, rng);
  std::atomic<int> failures{0};
  auto reader = [&] {
    for (int i = 0; i < 300; ++i) {
      const auto p = signed_params("taobao.trade.fullinfo.get",
                                   {{"tid", std::to_string(600 + i % 20)}, {"fields", "tid,status,orders"}}, tmall);
      const json body = json::parse(module->handle(get(p)).body);
      if (!body.contains("trade_fullinfo_get_response")) ++failures;
    }
  };
  auto writer = [&] {
    for (int i = 0; i < 100; ++i) {
      const auto p = signed_params("taobao.trade.memo.update",
                                   {{"tid", std::to_string(600 + i % 20)}, {"memo", "m" + std::to_string(i)}}, tmall);
      const json body = json::parse(module->handle(get(p)).body);
      if (!body.contains("trade_memo_update_response")) ++failures;
      module->on_clock(clock.now());
    }
  };
  std::thread a(reader), b(reader), c(writer);
  for (int i = 0; i < 50; ++i) {
    if (module->apply(tmall, YAML::Load("type: refund\ntid: \"" + std::to_string(600 + i % 20) + "\"\n"))) ++failures;
  }
  a.join();
  b.join();
  c.join();
  CHECK(failures == 0);
  CHECK(counters.count("memo", "600") == 5);
}
