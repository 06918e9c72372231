// Scenario events, Tmall reservation tags (rule G2), the generator and the module's summary.
#include "top_fixture.hpp"

using namespace sim_top_test;

namespace {

bool has_tag(const json& trade) {
  for (const auto& order : trade["orders"]["order"]) {
    if (order.contains("one_yuan_reservation_orders")) return true;
  }
  return false;
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "G2_reservation_tag_appears_only_after_its_time") {
  must(tmall, "type: order\ntid: \"900\"\nbuyer: vip\none_yuan: true\npaid: true\nlines:\n  - {sku: GIFT, qty: 1}\n");
  must(tmall, "type: order\ntid: \"901\"\nbuyer: vip\none_yuan: true\npaid: true\nlines:\n  - {sku: GIFT, qty: 1}\n");
  CHECK(fullinfo("900", "payment", &tmall)["payment"] == "1.00");
  must(tmall,
       "type: order\ntid: \"910\"\nbuyer: vip\nreservations: [\"900\", \"901\"]\ntag_delay: 3h\n"
       "lines:\n  - {oid: \"9101\", sku: MAIN, qty: 1, price: \"2999.00\"}\n  - {oid: \"9102\", sku: B, qty: 1, price: "
       "\"10.00\"}\n");
  advance(std::chrono::hours{1});
  must(tmall, "type: pay\ntid: \"910\"\n");  // the 3 h count from payment, not from creation
  advance(std::chrono::hours{2});
  advance(std::chrono::minutes{59});
  json trade = fullinfo("910", "modified,orders", &tmall);
  CHECK_FALSE(has_tag(trade));
  const std::string before = trade["modified"];

  advance(std::chrono::minutes{1});
  trade = fullinfo("910", "modified,orders", &tmall);
  CHECK(trade["orders"]["order"][0]["one_yuan_reservation_orders"] == "900,901");
  CHECK_FALSE(trade["orders"]["order"][1].contains("one_yuan_reservation_orders"));
  CHECK(trade["modified"] != before);
  CHECK(trade["modified"] == erp::sim::top::format_china_time(clock.now()));
}

TEST_CASE_FIXTURE(Fixture, "G2_default_tag_delay_is_between_two_and_four_hours") {
  for (int i = 0; i < 5; ++i) {
    const std::string tid = std::to_string(920 + i);
    must(tmall, "type: order\ntid: \"" + tid +
                    "\"\npaid: true\nreservations: \"900\"\nlines:\n  - {sku: M, price: \"9.00\"}\n");
  }
  advance(std::chrono::minutes{119});
  for (int i = 0; i < 5; ++i) CHECK_FALSE(has_tag(fullinfo(std::to_string(920 + i), "orders", &tmall)));
  // Reads reveal due tags even when nobody called on_clock.
  clock.advance(std::chrono::minutes{122});
  for (int i = 0; i < 5; ++i) CHECK(has_tag(fullinfo(std::to_string(920 + i), "orders", &tmall)));
}

TEST_CASE_FIXTURE(Fixture, "reservation_tag events: now or after a delay, Tmall only") {
  must(tmall, paid_order("930", 1));
  must(tmall, paid_order("931", 1));
  must(tmall, "type: reservation_tag\ntid: \"930\"\nreservations: [\"1\", \"2\"]\n");
  CHECK(fullinfo("930", "orders", &tmall)["orders"]["order"][0]["one_yuan_reservation_orders"] == "1,2");
  must(tmall, "type: reservation_tag\ntid: \"931\"\nreservations: \"3\"\ndelay: 30m\n");
  CHECK_FALSE(has_tag(fullinfo("931", "orders", &tmall)));
  advance(std::chrono::minutes{30});
  CHECK(has_tag(fullinfo("931", "orders", &tmall)));
  must(taobao, paid_order("932", 1));
  CHECK(event(taobao, "type: reservation_tag\ntid: \"932\"\nreservations: \"3\"\n").has_value());
}

TEST_CASE_FIXTURE(Fixture, "trade lifecycle events walk TOP's statuses") {
  must(taobao, "type: order\ntid: \"800\"\nlines:\n  - {sku: A, price: \"5.00\"}\n");
  CHECK(fullinfo("800", "status")["status"] == "WAIT_BUYER_PAY");
  CHECK_FALSE(fullinfo("800", "pay_time").contains("pay_time"));
  must(taobao, "type: cancel\ntid: \"800\"\n");
  CHECK(fullinfo("800", "status")["status"] == "TRADE_CLOSED_BY_TAOBAO");
  CHECK(event(taobao, "type: pay\ntid: \"800\"\n").has_value());

  must(taobao, paid_order("801", 2));
  must(taobao, "type: refund\ntid: \"801\"\noid: \"8011\"\n");
  json trade = fullinfo("801", "status,orders");
  CHECK(trade["orders"]["order"][0]["refund_status"] == "WAIT_SELLER_AGREE");
  CHECK(trade["orders"]["order"][0].contains("refund_id"));
  must(taobao, "type: ship\ntid: \"801\"\noid: \"8012\"\ncompany: SF\nout_sid: SF001\n");
  CHECK(fullinfo("801", "status")["status"] == "SELLER_CONSIGNED_PART");
  CHECK(counters.count("ship", "801") == 0);  // platform-side shipments are not API writes
  must(taobao, "type: refund\ntid: \"801\"\noid: \"8011\"\nstatus: SUCCESS\n");
  CHECK(fullinfo("801", "status")["status"] == "WAIT_BUYER_CONFIRM_GOODS");
  must(taobao, "type: confirm\ntid: \"801\"\n");
  trade = fullinfo("801", "status,end_time,orders");
  CHECK(trade["status"] == "TRADE_FINISHED");
  CHECK(trade.contains("end_time"));
  CHECK(trade["orders"]["order"][0]["status"] == "TRADE_CLOSED");
  CHECK(trade["orders"]["order"][1]["status"] == "TRADE_FINISHED");

  must(taobao, paid_order("802", 2));
  must(taobao, "type: close\ntid: \"802\"\n");
  CHECK(fullinfo("802", "status")["status"] == "TRADE_CLOSED");

  must(taobao, paid_order("803", 1));
  must(taobao, "type: memo\ntid: \"803\"\ntext: from the web console\nflag: 4\n");
  trade = fullinfo("803", "seller_memo,seller_flag");
  CHECK(trade["seller_memo"] == "from the web console");
  CHECK(trade["seller_flag"] == 4);
  CHECK(counters.count("memo", "803") == 0);

  must(taobao, paid_order("804", 1));
  must(taobao, "type: status\ntid: \"804\"\nstatus: PAID_FORBID_CONSIGN\n");
  CHECK(fullinfo("804", "status")["status"] == "PAID_FORBID_CONSIGN");
  CHECK(sub_code(call("taobao.logistics.offline.send", {{"tid", "804"}, {"out_sid", "X"}, {"company_code", "SF"}})) ==
        "isv.logistics-offline-service-error:B04");
}

TEST_CASE_FIXTURE(Fixture, "step (presale) trades pay the deposit, then the balance") {
  must(taobao, "type: order\ntid: \"850\"\nstep: true\nlines:\n  - {sku: A, price: \"100.00\"}\n");
  json trade = fullinfo("850", "type,status,step_trade_status");
  CHECK(trade["type"] == "step");
  CHECK(trade["step_trade_status"] == "FRONT_NOPAID_FINAL_NOPAID");
  must(taobao, "type: pay\ntid: \"850\"\n");
  trade = fullinfo("850", "status,step_trade_status,step_paid_fee");
  CHECK(trade["status"] == "WAIT_BUYER_PAY");
  CHECK(trade["step_trade_status"] == "FRONT_PAID_FINAL_NOPAID");
  CHECK(trade["step_paid_fee"] == "20.00");
  must(taobao, "type: pay\ntid: \"850\"\n");
  trade = fullinfo("850", "status,step_trade_status");
  CHECK(trade["status"] == "WAIT_SELLER_SEND_GOODS");
  CHECK(trade["step_trade_status"] == "FRONT_PAID_FINAL_PAID");
}

TEST_CASE_FIXTURE(Fixture, "Tmall Global cross-border types") {
  for (const char* kind : {"bonded_import", "direct_mail", "consolidated_import"}) {
    CAPTURE(kind);
    const std::string tid = std::string(kind) == "bonded_import" ? "860"
                            : std::string(kind) == "direct_mail" ? "861"
                                                                 : "862";
    must(tmall, "type: order\ntid: \"" + tid + "\"\npaid: true\ncross_border: " + kind +
                    "\nlines:\n  - {sku: A, price: \"100.00\"}\n");
    const json trade = fullinfo(tid, "type,cross_bonded_declare,trade_attr,order_tax_fee,payment,orders", &tmall);
    CHECK(trade["type"] == "tmall_i18n");
    CHECK(trade["cross_bonded_declare"] == (std::string(kind) == "bonded_import"));
    CHECK(json::parse(trade["trade_attr"].get<std::string>())["tmallGlobalType"] == kind);
    CHECK(trade["order_tax_fee"] == "9.10");
    CHECK(trade["payment"] == "109.10");
    CHECK(trade["orders"]["order"][0]["sub_order_tax_fee"] == "9.10");
  }
  CHECK(event(taobao, "type: order\ncross_border: bonded_import\nlines:\n  - {sku: A, price: \"1.00\"}\n").has_value());
}

TEST_CASE_FIXTURE(Fixture, "bad events are refused with a message") {
  CHECK(event(taobao, "type: teleport\n").has_value());
  CHECK(event(taobao, "type: order\nlines: []\n").has_value());
  CHECK(event(taobao, "type: order\nlines:\n  - {sku: A, price: \"1.234\"}\n").has_value());
  CHECK(event(taobao, "type: order\nlines:\n  - {sku: A, price: \"1.00\", qty: 0}\n").has_value());
  CHECK(event(taobao, "type: pay\ntid: \"12345\"\n").has_value());
  CHECK(event(taobao, "type: refund\ntid: abc\n").has_value());
  CHECK(event(taobao, "- a list\n").has_value());
  must(taobao, paid_order("870", 1));
  CHECK(event(taobao, paid_order("870", 1)).has_value());
  CHECK(event(taobao, "type: refund\ntid: \"870\"\noid: \"1\"\n").has_value());
  CHECK(event(taobao, "type: refund\ntid: \"870\"\nstatus: MAYBE\n").has_value());
  CHECK(event(taobao, "type: memo\ntid: \"870\"\nflag: 9\n").has_value());
}

TEST_CASE_FIXTURE(Fixture, "generate makes realistic paid trades; tmall gets reservations and later tags") {
  std::mt19937 rng{7};
  module->generate(tmall, 400, rng);
  module->generate(taobao, 50, rng);
  const json state = module->state();
  CHECK(state["trades"] == 450);
  CHECK(state["by_shop"]["tm1"] == 400);
  CHECK(state["pending_reservation_tags"].get<int>() > 0);

  const std::string from = erp::sim::top::format_china_time(clock.now() - std::chrono::hours{1});
  const std::string to = erp::sim::top::format_china_time(clock.now());
  const json listed = call("taobao.trades.sold.get",
                           {{"fields", "tid,status,orders"},
                            {"start_created", from},
                            {"end_created", to},
                            {"type", "guarantee_trade,tmall_i18n"},
                            {"page_size", "100"}},
                           tmall);
  REQUIRE(code(listed) == 0);
  CHECK(listed["trades_sold_get_response"]["total_results"] == 400);
  int refunds = 0, one_yuan = 0;
  for (const auto& trade : listed["trades_sold_get_response"]["trades"]["trade"]) {
    const auto& orders = trade["orders"]["order"];
    CHECK(orders.size() >= 1);
    CHECK(orders.size() <= 4);
    for (const auto& order : orders) {
      if (order["refund_status"] != "NO_REFUND") ++refunds;
      if (order["price"] == "1.00") ++one_yuan;
    }
  }
  CHECK(refunds > 0);
  CHECK(one_yuan > 0);

  advance(std::chrono::hours{5});
  CHECK(module->state()["pending_reservation_tags"] == 0);
  const json tagged = call("taobao.trades.sold.increment.get",
                           {{"fields", "tid,orders.one_yuan_reservation_orders"},
                            {"start_modified", erp::sim::top::format_china_time(clock.now() - std::chrono::hours{5})},
                            {"end_modified", erp::sim::top::format_china_time(clock.now())},
                            {"type", "guarantee_trade,tmall_i18n"},
                            {"page_size", "100"}},
                           tmall);
  REQUIRE(code(tagged) == 0);
  int with_tag = 0;
  for (const auto& trade : tagged["trades_sold_increment_get_response"]["trades"]["trade"]) {
    if (has_tag(trade)) ++with_tag;
  }
  CHECK(with_tag > 0);

  module->reset();
  CHECK(module->state()["trades"] == 0);
}

namespace {

/// A paid 1-yuan reservation trade and a paid repurchase whose tag names it, revealed now.
void reservation_pair(Fixture& f, const std::string& reservation, const std::string& main, int main_lines) {
  f.must(f.tmall, "type: order\ntid: \"" + reservation +
                      "\"\nbuyer: vip\none_yuan: true\npaid: true\nlines:\n  - {sku: GIFT, qty: 2}\n");
  f.must(f.tmall, paid_order(main, main_lines));
  f.must(f.tmall, "type: reservation_tag\ntid: \"" + main + "\"\nreservations: \"" + reservation + "\"\n");
}

json ship_lines(Fixture& f, const std::string& tid, const std::string& sub_tid, const std::string& waybill) {
  Params p = {{"tid", tid}, {"out_sid", waybill}, {"company_code", "SF"}};
  if (!sub_tid.empty()) {
    p["is_split"] = "1";
    p["sub_tid"] = sub_tid;
  }
  return f.call("taobao.logistics.offline.send", p, f.tmall);
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "G5_G6_platform_ships_the_reservation_with_the_last_waybill_of_the_main_order") {
  reservation_pair(*this, "940", "941", 2);
  REQUIRE(code(ship_lines(*this, "941", "9411", "SF-A")) == 0);
  CHECK(fullinfo("940", "status", &tmall)["status"] == "WAIT_SELLER_SEND_GOODS");  // main not done yet
  advance(std::chrono::minutes{1});
  REQUIRE(code(ship_lines(*this, "941", "9412", "SF-B")) == 0);
  const json reservation = fullinfo("940", "status,orders", &tmall);
  CHECK(reservation["status"] == "WAIT_BUYER_CONFIRM_GOODS");
  CHECK(reservation["orders"]["order"][0]["invoice_no"] == "SF-B");
  CHECK(counters.count("ship", "940") == 0);  // the platform shipped it, not an API call
  // The merchant's own upload for it now meets "already shipped".
  CHECK(sub_code(ship_lines(*this, "940", "", "SF-C")) == "isv.logistics-offline-service-error:B04");
}

TEST_CASE_FIXTURE(Fixture, "G7_reservation_ships_with_the_earliest_created_repurchase") {
  reservation_pair(*this, "950", "951", 1);
  advance(std::chrono::minutes{5});
  must(tmall, paid_order("952", 1));
  must(tmall, "type: reservation_tag\ntid: \"952\"\nreservations: \"950\"\n");
  REQUIRE(code(ship_lines(*this, "952", "", "LATER")) == 0);
  CHECK(fullinfo("950", "status", &tmall)["status"] == "WAIT_SELLER_SEND_GOODS");
  REQUIRE(code(ship_lines(*this, "951", "", "EARLIEST")) == 0);
  CHECK(fullinfo("950", "orders", &tmall)["orders"]["order"][0]["invoice_no"] == "EARLIEST");
}

TEST_CASE_FIXTURE(Fixture, "G12_merchant_managed_mode_leaves_reservations_to_the_merchant") {
  must(tmall, "type: gift_mode\nmode: merchant\n");
  reservation_pair(*this, "960", "961", 1);
  REQUIRE(code(ship_lines(*this, "961", "", "MAIN")) == 0);
  CHECK(fullinfo("960", "status", &tmall)["status"] == "WAIT_SELLER_SEND_GOODS");
  REQUIRE(code(ship_lines(*this, "960", "", "MAIN")) == 0);
  CHECK(counters.count("ship", "960", "960") == 1);
  CHECK(event(taobao, "type: gift_mode\nmode: merchant\n").has_value());
  CHECK(event(tmall, "type: gift_mode\nmode: sometimes\n").has_value());
}

TEST_CASE_FIXTURE(Fixture, "rate mode's trades arrive now: a live poll of the last seconds reads every one") {
  std::mt19937 rng{11};
  module->generate_arriving(taobao, 30, rng);
  const auto listed_since = [&](std::chrono::seconds ago) {
    const json listed = call("taobao.trades.sold.increment.get",
                             {{"fields", "tid"},
                              {"start_modified", erp::sim::top::format_china_time(clock.now() - ago)},
                              {"end_modified", erp::sim::top::format_china_time(clock.now() + std::chrono::seconds{1})},
                              {"page_size", "100"}},
                             taobao);
    REQUIRE(code(listed) == 0);
    return listed["trades_sold_increment_get_response"]["total_results"].get<int>();
  };
  CHECK(listed_since(std::chrono::seconds{2}) == 30);
  // The count mode spreads a day's worth over the last half hour: most are older than a minute.
  module->generate(taobao, 30, rng);
  CHECK(listed_since(std::chrono::seconds{2}) == 30);
  CHECK(listed_since(std::chrono::hours{1}) == 60);
}
