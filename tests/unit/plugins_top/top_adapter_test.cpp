// The TOP adapter against scripted host services: backwards paging, ship read-back (exactly one
// upload per package), memo fallback, get_order.

#include "plugins/top/top_adapter.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <set>

#include "plugins/common/paging.hpp"
#include "plugins/top/top_time.hpp"
#include "top_fakes.hpp"

using namespace erp::plugins;
using namespace erp::plugins::top;
using namespace erp::plugins::top::testing;
using namespace erp::sdk;
using nlohmann::json;

namespace {

json trade_json(const std::string& tid, const std::string& status = "WAIT_SELLER_SEND_GOODS") {
  return json{{"tid", std::stoll(tid)},
              {"status", status},
              {"type", "fixed"},
              {"created", "2024-03-01 19:00:00"},
              {"modified", "2024-03-01 19:30:00"},
              {"payment", "10.00"},
              {"orders",
               {{"order", json::array({{{"oid", std::stoll(tid)},
                                        {"num", 1},
                                        {"price", "10.00"},
                                        {"payment", "10.00"},
                                        {"status", status},
                                        {"refund_status", "NO_REFUND"}}})}}}};
}

std::string page_body(std::int64_t total, const std::vector<std::string>& tids) {
  json inner{{"total_results", total}};
  if (!tids.empty()) {
    json list = json::array();
    for (const auto& t : tids) list.push_back(trade_json(t));
    inner["trades"] = {{"trade", list}};
  }
  return json{{"trades_sold_increment_get_response", inner}}.dump();
}

struct LineSpec {
  std::string oid;
  std::string status;
  std::string invoice_no;
};

std::string fullinfo_lines(const std::string& tid, const std::vector<LineSpec>& lines) {
  json list = json::array();
  for (const auto& l : lines) {
    json o{{"oid", std::stoll(l.oid)}, {"status", l.status}};
    if (!l.invoice_no.empty()) {
      o["invoice_no"] = l.invoice_no;
      o["logistics_company"] = "圆通速递";
    }
    list.push_back(o);
  }
  return json{
      {"trade_fullinfo_get_response",
       {{"trade", {{"tid", std::stoll(tid)}, {"status", "WAIT_SELLER_SEND_GOODS"}, {"orders", {{"order", list}}}}}}}}
      .dump();
}

std::string top_error(int code, const std::string& sub_code, const std::string& msg = "Remote service error") {
  return json{{"error_response", {{"code", code}, {"msg", msg}, {"sub_code", sub_code}, {"request_id", "r"}}}}.dump();
}

const std::string kShipOk = R"({"logistics_offline_send_response":{"shipping":{"is_success":true},"request_id":"r"}})";

Instant china(const char* text) { return *parse_china_time(text); }

Shipment one_package(std::vector<std::string> lines = {}) {
  return Shipment{"1001", {Package{"YT1234567890", "YTO", std::move(lines)}}, "ship-1001-1"};
}

std::vector<std::string> ids(const OrderPage& page) {
  std::vector<std::string> out;
  for (const auto& o : page.orders) out.push_back(o.order_id);
  return out;
}

/// A TOP window that answers increment.get from a list of tids sorted by modified descending, and
/// lets a test change the list between calls (a trade modified during paging drops out).
class WindowServer final : public HttpClient {
 public:
  Result<HttpResponse> send(const HttpRequest& request) noexcept override {
    auto params = parse_form(request.body);
    pages.push_back(std::stoll(params["page_no"]));
    const auto page = static_cast<std::size_t>(std::stoll(params["page_no"]));
    const auto size = static_cast<std::size_t>(std::stoll(params["page_size"]));
    std::vector<std::string> slice;
    for (std::size_t i = (page - 1) * size; i < std::min(tids.size(), page * size); ++i) slice.push_back(tids[i]);
    HttpResponse response;
    response.status = 200;
    response.body = page_body(static_cast<std::int64_t>(tids.size()), slice);
    return response;
  }
  std::vector<std::string> tids;
  std::vector<long long> pages;
};

class WindowHost final : public HostContext {
 public:
  Logger& logger() noexcept override { return base.log; }
  HttpClient& http() noexcept override { return server; }
  const Clock& clock() const noexcept override { return base.time; }
  const Secrets& secrets() const noexcept override { return base.keys; }
  const ConfigView& config() const noexcept override { return base.cfg; }
  StateStore& state() noexcept override { return base.saved; }
  FakeHost base;
  WindowServer server;
};

const ModifiedWindow kWindow{china("2024-03-01 19:00:00"), china("2024-03-01 19:30:00")};

}  // namespace

TEST_CASE("capabilities") {
  FakeHost host;
  TopAdapter adapter(host, AdapterOptions{false});
  const auto caps = adapter.capabilities();
  CHECK(caps.incremental_sync);
  CHECK(caps.memo_write);
  CHECK(caps.split_shipment);
  CHECK_FALSE(caps.push_events);
  CHECK(caps.max_window_seconds == 86400);
  CHECK(caps.memo_max_chars == 300);  // 1000 bytes; 300 CJK characters are 900
}

TEST_CASE("list_modified: learns the total on page 1, then pages from the last page down to page 1") {
  FakeHost host;
  host.cfg.values["page_size"] = "2";
  TopAdapter adapter(host, AdapterOptions{true});
  host.web.reply(page_body(5, {"105", "104"}));  // page 1, only for total_results
  host.web.reply(page_body(5, {"101"}));         // page 3
  auto first = adapter.list_modified(kWindow, "");
  REQUIRE(first.ok());
  CHECK(ids(*first) == std::vector<std::string>{"101"});
  REQUIRE_FALSE(first->next_page.empty());
  REQUIRE(host.web.params.size() == 2);
  CHECK(host.web.params[0]["page_no"] == "1");
  CHECK(host.web.params[1]["page_no"] == "3");
  auto p = host.web.params[1];
  CHECK(p["method"] == "taobao.trades.sold.increment.get");
  CHECK(p["page_size"] == "2");
  // Half-open SDK window [19:00, 19:30) -> TOP's inclusive [19:00:00, 19:29:59].
  CHECK(p["start_modified"] == "2024-03-01 19:00:00");
  CHECK(p["end_modified"] == "2024-03-01 19:29:59");
  CHECK(p["type"].find("tmall_i18n") != std::string::npos);
  CHECK(p["type"].find("step") != std::string::npos);
  CHECK(p["fields"].find("orders.one_yuan_reservation_orders") != std::string::npos);
  CHECK(p["fields"].find("receiver_phone") != std::string::npos);

  host.web.reply(page_body(5, {"103", "102"}));
  auto second = adapter.list_modified(kWindow, first->next_page);
  REQUIRE(second.ok());
  CHECK(host.web.params.back()["page_no"] == "2");
  CHECK(ids(*second) == std::vector<std::string>{"103", "102"});

  host.web.reply(page_body(5, {"105", "104"}));
  auto third = adapter.list_modified(kWindow, second->next_page);
  REQUIRE(third.ok());
  CHECK(host.web.params.back()["page_no"] == "1");
  CHECK(third->next_page.empty());
  CHECK(host.web.pending() == 0);
}

TEST_CASE("list_modified: one page when everything fits; default page_size 100; empty window") {
  FakeHost host;
  TopAdapter adapter(host, AdapterOptions{false});
  host.web.reply(page_body(2, {"11", "10"}));
  auto page = adapter.list_modified(kWindow, "");
  REQUIRE(page.ok());
  CHECK(ids(*page) == std::vector<std::string>{"11", "10"});
  CHECK(page->next_page.empty());
  CHECK(host.web.params.at(0)["page_size"] == "100");
  CHECK(host.web.params.at(0)["fields"].find("one_yuan") == std::string::npos);

  host.web.reply(page_body(0, {}));
  auto none = adapter.list_modified(kWindow, "");
  REQUIRE(none.ok());
  CHECK(none->orders.empty());
  CHECK(none->next_page.empty());

  auto bad = adapter.list_modified(kWindow, "page-7");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::invalid_input);

  const ModifiedWindow too_long{kWindow.from, kWindow.from + std::chrono::hours{25}};
  CHECK(adapter.list_modified(too_long, "").error().code == ErrorCode::invalid_input);
  CHECK(host.web.params.size() == 2);
}

TEST_CASE("list_modified: a trade modified during paging drops out and nothing else is skipped") {
  WindowHost host;
  host.base.cfg.values["page_size"] = "2";
  host.server.tids = {"7", "6", "5", "4", "3", "2", "1"};  // modified descending
  TopAdapter adapter(host, AdapterOptions{false});
  std::set<std::string> seen;
  std::string token;
  int calls = 0;
  do {
    auto page = adapter.list_modified(kWindow, token);
    REQUIRE(page.ok());
    for (const auto& o : page->orders) seen.insert(o.order_id);
    token = page->next_page;
    if (++calls == 1) {
      // Trades 6 and 5 change now: their new modified is past the window's end, so they leave it
      // and every older trade moves up two places. Forward paging would skip two of them here.
      host.server.tids = {"7", "4", "3", "2", "1"};
    }
  } while (!token.empty() && calls < 20);
  CHECK(calls < 20);
  for (const char* id : {"7", "4", "3", "2", "1"}) {
    CAPTURE(id);
    CHECK(seen.count(id) == 1);
  }
  CHECK(host.server.pages.front() == 1);
  CHECK(host.server.pages.at(1) == 4);  // 7 trades / 2 per page: the last page first
}

TEST_CASE("list_modified: trades entering a window that ends in the future restart the walk at the end") {
  WindowHost host;
  host.base.cfg.values["page_size"] = "2";
  host.server.tids = {"6", "5", "4", "3", "2", "1"};
  TopAdapter adapter(host, AdapterOptions{false});
  std::set<std::string> seen;
  std::string token;
  int calls = 0;
  do {
    auto page = adapter.list_modified(kWindow, token);
    REQUIRE(page.ok());
    for (const auto& o : page->orders) seen.insert(o.order_id);
    token = page->next_page;
    if (++calls == 1) host.server.tids = {"9", "8", "6", "5", "4", "3", "2", "1"};  // pushes 2 and 1 later
  } while (!token.empty() && calls < 20);
  CHECK(seen == std::set<std::string>{"1", "2", "3", "4", "5", "6", "8", "9"});
}

TEST_CASE("list_modified: rejected trades keep the raw JSON; errors come back classified") {
  FakeHost host;
  TopAdapter adapter(host, AdapterOptions{false});
  json body = json::parse(page_body(2, {"21", "20"}));
  body["trades_sold_increment_get_response"]["trades"]["trade"][1]["payment"] = "abc";
  host.web.reply(body.dump());
  auto page = adapter.list_modified(kWindow, "");
  REQUIRE(page.ok());
  CHECK(ids(*page) == std::vector<std::string>{"21"});
  REQUIRE(page->rejected.size() == 1);
  CHECK(page->rejected[0].order_id == "20");
  CHECK(json::parse(page->rejected[0].payload)["payment"] == "abc");

  host.web.reply(top_error(7, "accesscontrol.limited-by-app-access-count", "App Call Limited"));
  auto limited = adapter.list_modified(kWindow, "");
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.error().code == ErrorCode::rate_limited);

  host.web.fail(ErrorCode::transient, "timed out after 30000 ms");
  auto timeout = adapter.list_modified(kWindow, "");
  REQUIRE_FALSE(timeout.ok());
  CHECK(timeout.error().code == ErrorCode::transient);
  for (const auto& line : host.log.lines) {
    CHECK(line.find("s3cr3t-app-secret") == std::string::npos);
    CHECK(line.find("sess-6100e2b1c9d") == std::string::npos);
  }
}

TEST_CASE("ship: an unknown-outcome upload whose read-back shows the waybill is not uploaded again") {
  FakeHost host;
  TopAdapter adapter(host, AdapterOptions{false});
  host.web.reply(fullinfo_lines("1001", {{"1001", "WAIT_SELLER_SEND_GOODS", ""}}));                // before
  host.web.fail(ErrorCode::transient, "timed out");                                                // the upload
  host.web.reply(fullinfo_lines("1001", {{"1001", "WAIT_BUYER_CONFIRM_GOODS", "YT1234567890"}}));  // after
  auto receipt = adapter.ship(one_package());
  REQUIRE(receipt.ok());
  CHECK_FALSE(receipt->already_shipped);
  CHECK(host.web.calls("taobao.logistics.offline.send") == 1);
  CHECK(host.web.pending() == 0);
  const auto& upload = host.web.params.at(1);
  CHECK(upload.at("tid") == "1001");
  CHECK(upload.at("out_sid") == "YT1234567890");
  CHECK(upload.at("company_code") == "YTO");
  CHECK(upload.count("is_split") == 0);

  // The host retries anyway (it never saw the answer): the read-back finds the waybill, no upload.
  host.web.reply(fullinfo_lines("1001", {{"1001", "WAIT_BUYER_CONFIRM_GOODS", "YT1234567890"}}));
  auto again = adapter.ship(one_package());
  REQUIRE(again.ok());
  CHECK(again->already_shipped);
  CHECK(host.web.calls("taobao.logistics.offline.send") == 1);
}

TEST_CASE("ship: truncated upload answer and no waybill on read-back -> transient, host retries") {
  FakeHost host;
  TopAdapter adapter(host, AdapterOptions{false});
  host.web.reply(fullinfo_lines("1001", {{"1001", "WAIT_SELLER_SEND_GOODS", ""}}));
  host.web.reply(R"({"logistics_offline_send_response":{"shipp)");
  host.web.reply(fullinfo_lines("1001", {{"1001", "WAIT_SELLER_SEND_GOODS", ""}}));
  auto receipt = adapter.ship(one_package());
  REQUIRE_FALSE(receipt.ok());
  CHECK(receipt.error().code == ErrorCode::transient);
  CHECK(receipt.error().retryable);
  CHECK(host.web.calls("taobao.logistics.offline.send") == 1);
  CHECK(host.web.calls("taobao.trade.fullinfo.get") == 2);
}

TEST_CASE("ship: 5xx on upload, read-back shows the waybill -> done") {
  FakeHost host;
  TopAdapter adapter(host, AdapterOptions{false});
  host.web.reply(fullinfo_lines("1001", {{"1001", "WAIT_SELLER_SEND_GOODS", ""}}));
  host.web.reply("<html>bad gateway</html>", 502);
  host.web.reply(fullinfo_lines("1001", {{"1001", "WAIT_BUYER_CONFIRM_GOODS", "YT1234567890"}}));
  auto receipt = adapter.ship(one_package());
  REQUIRE(receipt.ok());
  CHECK(host.web.calls("taobao.logistics.offline.send") == 1);
}

TEST_CASE("ship: B04 with our waybill on the trade is a safe repeat (already_shipped=true)") {
  FakeHost host;
  TopAdapter adapter(host, AdapterOptions{false});
  // The read-before shows nothing yet (e.g. TOP's read replica lags), the upload says B04.
  host.web.reply(fullinfo_lines("1001", {{"1001", "WAIT_SELLER_SEND_GOODS", ""}}));
  host.web.reply(top_error(15, "isv.logistics-offline-service-error:B04"));
  host.web.reply(fullinfo_lines("1001", {{"1001", "WAIT_BUYER_CONFIRM_GOODS", "YT1234567890"}}));
  auto receipt = adapter.ship(one_package());
  REQUIRE(receipt.ok());
  CHECK(receipt->already_shipped);
}

TEST_CASE("ship: B04 with another waybill on the trade is ErrorCode::already_shipped") {
  FakeHost host;
  TopAdapter adapter(host, AdapterOptions{false});
  host.web.reply(fullinfo_lines("1001", {{"1001", "WAIT_SELLER_SEND_GOODS", ""}}));
  host.web.reply(top_error(15, "isv.logistics-offline-service-error:B04"));
  host.web.reply(fullinfo_lines("1001", {{"1001", "WAIT_BUYER_CONFIRM_GOODS", "SF0000000001"}}));
  auto receipt = adapter.ship(one_package());
  REQUIRE_FALSE(receipt.ok());
  CHECK(receipt.error().code == ErrorCode::already_shipped);
  CHECK_FALSE(receipt.error().retryable);
  CHECK(receipt.error().message.find("another waybill") != std::string::npos);
}

TEST_CASE("ship: split package uploads only its lines; lines already carrying the waybill are skipped") {
  FakeHost host;
  TopAdapter adapter(host, AdapterOptions{false});
  Shipment shipment{"1001", {Package{"YT1", "YTO", {"2001"}}, Package{"YT2", "YTO", {"2002", "2003"}}}, "k"};
  // Package 1: line 2001 already carries YT1 -> no upload.
  host.web.reply(fullinfo_lines("1001", {{"2001", "WAIT_BUYER_CONFIRM_GOODS", "YT1"},
                                         {"2002", "WAIT_SELLER_SEND_GOODS", ""},
                                         {"2003", "WAIT_SELLER_SEND_GOODS", ""}}));
  // Package 2: uploaded with is_split=1 and sub_tid of both lines.
  host.web.reply(fullinfo_lines("1001", {{"2001", "WAIT_BUYER_CONFIRM_GOODS", "YT1"},
                                         {"2002", "WAIT_SELLER_SEND_GOODS", ""},
                                         {"2003", "WAIT_SELLER_SEND_GOODS", ""}}));
  host.web.reply(kShipOk);
  auto receipt = adapter.ship(shipment);
  REQUIRE(receipt.ok());
  CHECK_FALSE(receipt->already_shipped);
  CHECK(receipt->detail.find("uploaded 1") != std::string::npos);
  CHECK(receipt->detail.find("1 already") != std::string::npos);
  REQUIRE(host.web.calls("taobao.logistics.offline.send") == 1);
  const auto& upload = host.web.params.back();
  CHECK(upload.at("is_split") == "1");
  CHECK(upload.at("sub_tid") == "2002,2003");
  CHECK(upload.at("out_sid") == "YT2");
}

TEST_CASE("ship: rate limit on upload is returned as is, without a read-back") {
  FakeHost host;
  TopAdapter adapter(host, AdapterOptions{false});
  host.web.reply(fullinfo_lines("1001", {{"1001", "WAIT_SELLER_SEND_GOODS", ""}}));
  host.web.reply(top_error(7, "accesscontrol.limited-by-api-access-count", "App Call Limited"));
  auto receipt = adapter.ship(one_package());
  REQUIRE_FALSE(receipt.ok());
  CHECK(receipt.error().code == ErrorCode::rate_limited);
  CHECK(host.web.calls("taobao.trade.fullinfo.get") == 1);
  CHECK(adapter.ship(Shipment{"1001", {}, "k"}).error().code == ErrorCode::invalid_input);
}

TEST_CASE("I3: write_memo updates memo and flag; falls back to memo.add when no memo exists") {
  FakeHost host;
  TopAdapter adapter(host, AdapterOptions{false});
  host.web.reply(R"({"trade_memo_update_response":{"trade":{"tid":1001,"modified":"2024-03-01 20:00:00"}}})");
  REQUIRE(adapter.write_memo(MemoUpdate{"1001", "拦截: 买家申请退款", 4}).ok());
  CHECK(host.web.params.back().at("method") == "taobao.trade.memo.update");
  CHECK(host.web.params.back().at("memo") == "拦截: 买家申请退款");
  CHECK(host.web.params.back().at("flag") == "4");

  host.web.reply(top_error(15, "isv.trade-memo-not-exist"));
  host.web.reply(R"({"trade_memo_add_response":{"trade":{"tid":1001,"created":"2024-03-01 20:00:00"}}})");
  REQUIRE(adapter.write_memo(MemoUpdate{"1001", "拦截", 1}).ok());
  CHECK(host.web.params.back().at("method") == "taobao.trade.memo.add");
  CHECK(host.web.calls("taobao.trade.memo.add") == 1);

  host.web.reply(top_error(15, "isv.trade-not-exist"));
  auto missing = adapter.write_memo(MemoUpdate{"404", "x", 1});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::not_found);
  CHECK(host.web.calls("taobao.trade.memo.add") == 1);
}

TEST_CASE("I3/I6: memo flag outside 0-5 is invalid_input; an empty memo resets") {
  FakeHost host;
  TopAdapter adapter(host, AdapterOptions{false});
  for (int flag : {-1, 6, 99})
    CHECK(adapter.write_memo(MemoUpdate{"1001", "x", flag}).error().code == ErrorCode::invalid_input);
  CHECK(host.web.params.empty());
  host.web.reply(R"({"trade_memo_update_response":{"trade":{"tid":1001}}})");
  REQUIRE(adapter.write_memo(MemoUpdate{"1001", "", 0}).ok());
  CHECK(host.web.params.back().at("reset") == "true");
  CHECK(host.web.params.back().count("memo") == 0);
}

TEST_CASE("I3: a memo of memo_max_chars CJK characters fits TOP's 1000 bytes") {
  FakeHost host;
  TopAdapter adapter(host, AdapterOptions{false});
  std::string memo;
  for (int i = 0; i < adapter.capabilities().memo_max_chars; ++i) memo += "拦";
  CHECK(memo.size() == 900);
  host.web.reply(R"({"trade_memo_update_response":{"trade":{"tid":1001}}})");
  CHECK(adapter.write_memo(MemoUpdate{"1001", memo, 1}).ok());
  CHECK(adapter.write_memo(MemoUpdate{"1001", std::string(1001, 'x'), 1}).error().code == ErrorCode::invalid_input);
}

TEST_CASE("get_order: fullinfo mapped; unknown tid is not_found; sign_method per shop") {
  FakeHost host;
  host.cfg.values["sign_method"] = "md5";
  TopAdapter adapter(host, AdapterOptions{true});
  host.web.reply(json{{"trade_fullinfo_get_response", {{"trade", trade_json("1001")}}}}.dump());
  auto order = adapter.get_order("1001");
  REQUIRE(order.ok());
  CHECK(order->order_id == "1001");
  CHECK(order->platform == "tmall");
  CHECK(order->shop == "shop-1");
  auto p = host.web.params.back();
  CHECK(p.at("method") == "taobao.trade.fullinfo.get");
  CHECK(p.at("tid") == "1001");
  CHECK(p.at("sign_method") == "md5");
  CHECK(p.at("sign").size() == 32);
  CHECK(p.at("session") == "sess-6100e2b1c9d");
  CHECK(p.at("app_key") == "12345678");
  CHECK(p.at("timestamp") == "2024-03-01 20:00:00");
  CHECK(host.web.requests.back().url == "http://127.0.0.1:9/router/rest");

  host.web.reply(top_error(15, "isv.trade-not-exist"));
  CHECK(adapter.get_order("404").error().code == ErrorCode::not_found);
}

TEST_CASE("credentials: no session needs re-authorization; bad sign_method is config_error; no HTTP sent") {
  FakeHost host;
  host.keys.values.erase("session");
  TopAdapter adapter(host, AdapterOptions{false});
  CHECK(adapter.get_order("1").error().code == ErrorCode::needs_reauth);
  host.keys.values["session"] = "s";
  host.cfg.values["sign_method"] = "sha1";
  CHECK(adapter.get_order("1").error().code == ErrorCode::config_error);
  CHECK(host.web.params.empty());
}

TEST_CASE("paging token round trip") {
  const PageCursor cursor{3, 250, 100};
  const auto decoded = decode_cursor(encode_cursor(cursor));
  REQUIRE(decoded);
  CHECK(decoded->page == 3);
  CHECK(decoded->total == 250);
  CHECK(decoded->page_size == 100);
  CHECK_FALSE(decode_cursor("top1:0:1:1"));
  CHECK_FALSE(decode_cursor("top1:1:1:101"));
  CHECK_FALSE(decode_cursor("top1:1:1"));
  CHECK(last_page(250, 100) == 3);
  CHECK(last_page(200, 100) == 2);
  CHECK(last_page(0, 100) == 1);
}
