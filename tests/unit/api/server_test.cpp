// The local HTTP API over real HTTP: a Server on 127.0.0.1 port 0 with a temp-dir Store, the
// real HoldService and ReleaseGate, talked to with libcurl (and raw sockets for broken HTTP).

#include "api/server.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "api/http_util.hpp"
#include "core/time_format.hpp"
#include "holds/release_gate.hpp"
#include "unit/api/api_fixture.hpp"

using namespace erp::daemon;
using namespace erp::test::api_support;
using nlohmann::json;

namespace {

/// Raw TCP, for requests libcurl would never send. Returns everything read until the server
/// closes (or 5 s pass).
std::string raw_exchange(std::uint16_t port, const std::string& request, bool half_close = false) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (!request.empty())
    REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
  if (half_close) ::shutdown(fd, SHUT_WR);
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace

TEST_CASE("healthz is open; every other route needs the bearer token, compared exactly") {
  Api api;
  const auto health = api.get("/healthz", std::nullopt);
  CHECK(health.status == 200);
  CHECK(health.json_body() == json{{"status", "ok"}});

  const auto missing = api.get("/v1/status", std::nullopt);
  CHECK(missing.status == 401);
  CHECK(missing.error_code() == "unauthorized");
  CHECK(missing.header("www-authenticate").find("Bearer") == 0);
  CHECK(missing.header("content-type") == "application/json");

  CHECK(api.get("/v1/status", std::string("wrong")).status == 401);
  CHECK(api.get("/v1/status", std::string(kToken) + "x").status == 401);
  CHECK(api.get("/metrics", std::nullopt).status == 401);
  CHECK(api.get("/v1/orders", std::nullopt).status == 401);
  // Unknown paths tell an unauthenticated caller nothing either.
  CHECK(api.get("/v1/nothing-here", std::nullopt).status == 401);

  const auto ok = api.get("/v1/status");
  CHECK(ok.status == 200);
  CHECK(ok.json_body() == api.status);
}

TEST_CASE("set_token swaps the token at once (config reload)") {
  Api api;
  api.server->set_token("new-token");
  CHECK(api.get("/v1/status").status == 401);
  CHECK(api.get("/v1/status", std::string("new-token")).status == 200);
}

TEST_CASE("unknown routes are 404 and wrong methods 405 with Allow, both as JSON errors") {
  Api api;
  const auto missing = api.get("/v2/orders");
  CHECK(missing.status == 404);
  CHECK(missing.error_code() == "not_found");
  CHECK(api.get("/v1/orders/tmall/s/1/whatever/else").status == 404);

  const auto wrong = api.send("DELETE", "/v1/status");
  CHECK(wrong.status == 405);
  CHECK(wrong.header("allow") == "GET");
  CHECK(wrong.error_code() == "method_not_allowed");

  const auto holds = api.send("PUT", "/v1/orders/tmall/s/1/holds");
  CHECK(holds.status == 405);
  CHECK(holds.header("allow") == "GET, POST");
  CHECK(api.get("/v1/outbox/1/retry").header("allow") == "POST");
}

TEST_CASE("bad query parameters are 400 naming the parameter") {
  Api api;
  for (const char* query : {"limit=0", "limit=1001", "limit=ten"}) {
    const auto r = api.get(std::string("/v1/orders?") + query);
    CHECK(r.status == 400);
    CHECK(r.error_message().find("limit") == 0);
  }
  const auto state = api.get("/v1/orders?state=lost");
  CHECK(state.status == 400);
  CHECK(state.error_message().find("state") == 0);
  const auto typo = api.get("/v1/orders?stat=held");
  CHECK(typo.status == 400);
  CHECK(typo.error_message().find("stat") != std::string::npos);
  CHECK(api.get("/v1/orders?cursor=not-a-cursor").status == 400);
  CHECK(api.get("/v1/orders?shop=%zz").status == 400);
  CHECK(api.get("/v1/outbox?state=sent").status == 400);
}

TEST_CASE("orders list filters by shop and state and pages through every order once with the cursor") {
  Api api;
  for (int i = 1; i <= 5; ++i) api.seed(make_order("s1", "10" + std::to_string(i)));
  api.seed(make_order("s2", "201"));
  api.seed(make_order("s2", "202", erp::sdk::OrderStatus::shipped));
  api.workflow_hold(OrderKey{"tmall", "s1", "102"});

  std::set<std::string> seen;
  std::string path = "/v1/orders?shop=s1&limit=2";
  int pages = 0;
  for (;;) {
    const auto page = api.get(path);
    REQUIRE(page.status == 200);
    const json body = page.json_body();
    CHECK(body["orders"].size() <= 2);
    for (const auto& o : body["orders"]) {
      CHECK(o["shop"] == "s1");
      CHECK(seen.insert(o["order_id"].get<std::string>()).second);
    }
    ++pages;
    if (body["next_cursor"].is_null()) break;
    path = "/v1/orders?shop=s1&limit=2&cursor=" + api::percent_encode(body["next_cursor"].get<std::string>());
    REQUIRE(pages < 10);
  }
  CHECK(seen.size() == 5);
  CHECK(pages == 3);

  const auto held = api.get("/v1/orders?state=held").json_body();
  REQUIRE(held["orders"].size() == 1);
  CHECK(held["orders"][0]["order_id"] == "102");
  CHECK(held["orders"][0]["holds"][0]["reason_code"] == "TAG_WINDOW");

  const auto shipped = api.get("/v1/orders?platform=tmall&state=shipped").json_body();
  REQUIRE(shipped["orders"].size() == 1);
  CHECK(shipped["orders"][0]["order_id"] == "202");
  CHECK(api.get("/v1/orders?platform=douyin").json_body()["orders"].empty());
}

TEST_CASE("orders list finds a bare order id in every shop (erpctl's ORDER lookup)") {
  Api api;
  api.seed(make_order("s1", "777"));
  api.seed(make_order("s2", "777"));
  api.seed(make_order("s2", "778"));
  CHECK(api.get("/v1/orders?order_id=777").json_body()["orders"].size() == 2);
  const auto one = api.get("/v1/orders?order_id=777&shop=s2").json_body();
  REQUIRE(one["orders"].size() == 1);
  CHECK(one["orders"][0]["shop"] == "s2");
  CHECK(one["next_cursor"].is_null());
  CHECK(api.get("/v1/orders?order_id=999").json_body()["orders"].empty());
}

TEST_CASE("show order: the public fields, holds and release state, never the receiver ciphertext") {
  Api api;
  const std::string id = "A/1 订单";  // a slash and non-ASCII, sent percent-encoded
  api.seed(make_order("旗舰店", id));
  const auto r = api.get(order_path("旗舰店", id));
  REQUIRE(r.status == 200);
  CHECK(r.body.find(kCiphertext) == std::string::npos);
  const json o = r.json_body();
  CHECK(o["platform"] == "tmall");
  CHECK(o["shop"] == "旗舰店");
  CHECK(o["order_id"] == id);
  CHECK(o["status"] == "paid");
  CHECK(o["platform_status"] == "WAIT_SELLER_SEND_GOODS");
  CHECK(o["paid_at"] == "2026-11-11T02:00:03Z");
  CHECK(o["total_fen"] == 12300);
  CHECK(o["ship_by"] == "2026-11-13T02:00:03Z");
  CHECK(o["memo"] == "gift wrap");
  REQUIRE(o["lines"].size() == 3);
  for (const char* field :
       {"line_id", "sku", "outer_sku", "quantity", "price_fen", "paid_fen", "status", "refund_status"}) {
    CHECK_MESSAGE(o["lines"][0].contains(field), field);
  }
  CHECK(o["receiver"]["phone"] == "138****5678");
  CHECK_FALSE(o["receiver"].contains("ciphertext"));
  CHECK(o["holds"] == json::array());
  CHECK(o["released"] == false);
  CHECK(o["released_at"].is_null());
  CHECK(o["urgent"] == false);
  CHECK(o["reservation_order_ids"].is_array());

  const auto missing = api.get(order_path("旗舰店", "nope"));
  CHECK(missing.status == 404);
  CHECK(missing.error_message().find("not found") != std::string::npos);
}

TEST_CASE("holds: place with a reason, list, lift; the last lift releases the order") {
  Api api;
  api.seed(make_order("s1", "3001"));
  const std::string order = order_path("s1", "3001");

  const auto placed =
      api.send("POST", order + "/holds",
               R"({"reason": "check address", "by": "alice", "auto_release_at": "2026-11-12T10:00:00+08:00"})");
  REQUIRE(placed.status == 201);
  const json hold = placed.json_body();
  CHECK(hold["reason_code"] == "MANUAL");
  CHECK(hold["owner"] == "operator:alice");
  CHECK(hold["note"] == "check address");
  CHECK(hold["auto_release_at"] == "2026-11-12T02:00:00Z");
  CHECK(hold["active"] == true);
  const std::string hold_id = std::to_string(hold["id"].get<long>());
  CHECK(placed.header("location") == order + "/holds/" + hold_id);

  // Without "by" the operator is "api".
  const auto second = api.send("POST", order + "/holds", R"({"reason": "buyer asked to wait"})");
  REQUIRE(second.status == 201);
  CHECK(second.json_body()["owner"] == "operator:api");
  const std::string second_id = std::to_string(second.json_body()["id"].get<long>());

  CHECK(api.get(order + "/holds").json_body()["holds"].size() == 2);
  CHECK(api.get(order).json_body()["holds"].size() == 2);

  const auto lifted = api.send("DELETE", order + "/holds/" + hold_id + "?by=bob&reason=address+confirmed");
  REQUIRE(lifted.status == 200);
  CHECK(lifted.json_body()["active"] == false);
  CHECK(lifted.json_body()["released_by"] == "operator:bob");
  CHECK(lifted.json_body()["release_reason"] == "address confirmed");
  CHECK(api.get(order).json_body()["released"] == false);  // the second hold still stands

  CHECK(api.send("DELETE", order + "/holds/" + second_id).status == 200);
  const json released = api.get(order).json_body();
  CHECK(released["released"] == true);
  CHECK(released["released_at"].is_string());
  CHECK(released["holds"].empty());
  CHECK(api.releases == 1);

  // History keeps both, lifted.
  const json history = api.get(order + "/holds").json_body()["holds"];
  REQUIRE(history.size() == 2);
  CHECK(history[0]["active"] == false);
  CHECK(history[1]["active"] == false);

  // A released order is the warehouse's now; a lifted hold cannot be lifted twice.
  CHECK(api.send("POST", order + "/holds", R"({"reason": "too late"})").status == 409);
  CHECK(api.send("DELETE", order + "/holds/" + hold_id).status == 409);
}

TEST_CASE("holds: a workflow's hold needs force; unknown orders and holds are 404") {
  Api api;
  api.seed(make_order("s1", "3002"));
  const std::string order = order_path("s1", "3002");
  const auto id = std::to_string(api.workflow_hold(OrderKey{"tmall", "s1", "3002"}));

  const auto refused = api.send("DELETE", order + "/holds/" + id + "?by=alice");
  CHECK(refused.status == 409);
  CHECK(refused.error_code() == "conflict");
  CHECK(refused.error_message().find("force") != std::string::npos);
  CHECK(api.send("DELETE", order + "/holds/" + id + "?force=maybe").status == 400);

  const auto forced = api.send("DELETE", order + "/holds/" + id + "?force=true&by=alice&reason=gift+not+wanted");
  CHECK(forced.status == 200);
  CHECK(api.get(order).json_body()["released"] == true);

  CHECK(api.send("POST", order_path("s1", "nope") + "/holds", R"({"reason": "x"})").status == 404);
  CHECK(api.send("DELETE", order + "/holds/999999").status == 404);
  CHECK(api.send("DELETE", order + "/holds/abc").status == 400);
  CHECK(api.get(order_path("s1", "nope") + "/holds").status == 404);
}

TEST_CASE("hold bodies: malformed JSON, missing or mistyped fields are 400 naming the field") {
  Api api;
  api.seed(make_order("s1", "3003"));
  const std::string holds = order_path("s1", "3003") + "/holds";
  struct Case {
    const char* body;
    const char* mentions;
  };
  for (const Case& c :
       {Case{"{", "not valid JSON"}, Case{"[1,2]", "JSON object"}, Case{"", "JSON object"},
        Case{R"({"reason": "x", "n": 4E445})", "number overflow"},  // out_of_range, not parse_error
        Case{R"({"by": "alice"})", "reason"}, Case{R"({"reason": "   "})", "reason"},
        Case{R"({"reason": 5})", "reason: must be a string"},
        Case{R"({"reason": "x", "auto_release_at": "tomorrow"})", "auto_release_at"},
        Case{R"({"reason": "x", "auto_release_at": 12})", "auto_release_at"},
        Case{R"({"reason": "x", "by": ["a"]})", "by"}, Case{R"({"reason": "x", "reson": "typo"})", "reson"}}) {
    const auto r = api.send("POST", holds, c.body);
    CHECK_MESSAGE(r.status == 400, c.body);
    CHECK_MESSAGE(r.error_code() == "invalid_input", c.body);
    CHECK_MESSAGE(r.error_message().find(c.mentions) != std::string::npos, c.body, " -> ", r.error_message());
  }
  CHECK(api.get(holds).json_body()["holds"].empty());
}

TEST_CASE("shipment bodies that are not JSON, numbers too large included, are 400 and record nothing") {
  Api api;
  api.seed(make_order("s1", "3010"));
  const std::string shipments = order_path("s1", "3010") + "/shipments";
  for (const char* body : {"{", R"({"packages": [{"waybill": "SF1", "carrier_code": "SF", "n": 1E400}]})"}) {
    const auto r = api.send("POST", shipments, body);
    CHECK_MESSAGE(r.status == 400, body);
    CHECK_MESSAGE(r.error_code() == "invalid_input", body);
  }
  CHECK(api.store->list_outbox(std::nullopt, 10).empty());
}

TEST_CASE("why tells the story in words: received, held by whom, lifted, released") {
  Api api;
  api.seed(make_order("s1", "3004"));
  const std::string order = order_path("s1", "3004");
  const auto placed = api.send("POST", order + "/holds", R"({"reason": "check the address first", "by": "alice"})");
  REQUIRE(placed.status == 201);

  json why = api.get(order + "/why").json_body();
  CHECK(why["order"] == "tmall/s1/3004");
  CHECK(why["summary"] == "Held by operator alice: check the address first.");

  const std::string id = std::to_string(placed.json_body()["id"].get<long>());
  REQUIRE(api.send("DELETE", order + "/holds/" + id + "?by=bob&reason=address+confirmed").status == 200);
  why = api.get(order + "/why").json_body();
  CHECK(why["summary"].get<std::string>().find("Released to the warehouse at ") == 0);
  std::vector<std::string> texts;
  for (const auto& e : why["entries"]) {
    texts.push_back(e["text"].get<std::string>());
    CHECK(e["at"].is_string());
    CHECK(e["at_local"].get<std::string>().size() == 19);
  }
  REQUIRE(texts.size() == 4);
  CHECK(texts[0].find("Order received from the platform: paid, 3 lines") == 0);
  CHECK(texts[1] == "Held by operator alice: check the address first");
  CHECK(texts[2] == "Hold #" + id + " (check the address first) lifted by operator bob: address confirmed");
  CHECK(texts[3] == "Released to the warehouse: no hold remains");
  CHECK(why["entries"][1]["actor"] == "operator:alice");
  CHECK(why["entries"][3]["kind"] == "order.released");

  CHECK(api.get(order_path("s1", "nope") + "/why").status == 404);
}

TEST_CASE("outbox: list by state, retry a dead item (waking the dispatcher), 404 and 409 otherwise") {
  Api api;
  api.seed(make_order("s1", "5001"));
  const Instant now = now_utc();
  std::int64_t dead_id = 0;
  std::int64_t done_id = 0;
  {
    auto tx = api.store->begin();
    dead_id = api.store->enqueue(
        *tx,
        store::NewOutboxItem{"warehouse.deliver:tmall/s1/5001", "warehouse.deliver", "warehouse",
                             OrderKey{"tmall", "s1", "5001"},
                             json{{"order", {{"receiver", {{"ciphertext", kCiphertext}, {"name", "张*"}}}}}}},
        now);
    done_id = api.store->enqueue(
        *tx, store::NewOutboxItem{"memo:1", "platform.memo", "s1", std::nullopt, json::object()}, now);
    tx->commit();
  }
  api.store->mark_failed(dead_id, "warehouse answered HTTP 422", std::nullopt, true, now);
  const auto claimed = api.store->claim_due(now, 10);
  REQUIRE(claimed.size() == 1);
  api.store->mark_done(done_id, now);

  const auto all = api.get("/v1/outbox");
  REQUIRE(all.status == 200);
  CHECK(all.json_body()["items"].size() == 2);
  CHECK(all.body.find(kCiphertext) == std::string::npos);

  const json dead = api.get("/v1/outbox?state=dead").json_body()["items"];
  REQUIRE(dead.size() == 1);
  CHECK(dead[0]["id"] == dead_id);
  CHECK(dead[0]["kind"] == "warehouse.deliver");
  CHECK(dead[0]["order"] == "tmall/s1/5001");
  CHECK(dead[0]["state"] == "dead");
  CHECK(dead[0]["last_error"] == "warehouse answered HTTP 422");
  CHECK(dead[0]["payload"]["order"]["receiver"]["name"] == "张*");

  const auto retried = api.send("POST", "/v1/outbox/" + std::to_string(dead_id) + "/retry");
  REQUIRE(retried.status == 200);
  CHECK(retried.json_body()["state"] == "pending");
  CHECK(retried.json_body()["attempts"] == 0);
  CHECK(api.wakes == 1);
  CHECK(api.get("/v1/outbox?state=dead").json_body()["items"].empty());

  CHECK(api.send("POST", "/v1/outbox/" + std::to_string(done_id) + "/retry").status == 409);
  CHECK(api.send("POST", "/v1/outbox/999999/retry").status == 404);
  CHECK(api.send("POST", "/v1/outbox/x/retry").status == 400);
  CHECK(api.wakes == 1);
}

TEST_CASE("metrics: Prometheus text, requests counted by route pattern and status code") {
  Api api;
  api.seed(make_order("s1", "6001"));
  api.get(order_path("s1", "6001"));
  api.get(order_path("s1", "6002"));
  api.get("/v1/status", std::nullopt);
  api.get("/no/such/route");

  const auto r = api.get("/metrics");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type").find("text/plain; version=0.0.4") == 0);
  CHECK(r.body.find("# TYPE erpd_api_requests_total counter\n") != std::string::npos);
  CHECK(r.body.find("erpd_api_requests_total{code=\"200\",route=\"/v1/orders/{platform}/{shop}/{order_id}\"} 1\n") !=
        std::string::npos);
  CHECK(r.body.find("erpd_api_requests_total{code=\"404\",route=\"/v1/orders/{platform}/{shop}/{order_id}\"} 1\n") !=
        std::string::npos);
  CHECK(r.body.find("erpd_api_requests_total{code=\"401\",route=\"/v1/status\"} 1\n") != std::string::npos);
  CHECK(r.body.find("erpd_api_requests_total{code=\"404\",route=\"other\"} 1\n") != std::string::npos);
  // Raw paths never become labels.
  CHECK(r.body.find("6001") == std::string::npos);
}

TEST_CASE("a request body over 1 MiB is refused with 413") {
  Api api;
  api.seed(make_order("s1", "7001"));
  const std::string big = R"({"reason": ")" + std::string(1024 * 1024 + 10, 'x') + R"("})";
  const auto r = api.send("POST", order_path("s1", "7001") + "/holds", big);
  CHECK(r.status == 413);
  CHECK(r.error_code() == "payload_too_large");
  CHECK(api.get(order_path("s1", "7001") + "/holds").json_body()["holds"].empty());

  // Announced too large and the body still streaming in: the 413 still reaches the client.
  const std::string raw = raw_exchange(
      api.server->port(), "POST /v1/orders/tmall/s1/7001/holds HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                              std::string(kToken) + "\r\nContent-Length: 5000000\r\n\r\n" + std::string(100000, 'x'));
  CHECK(raw.find("HTTP/1.1 413") == 0);
  CHECK(raw.find("payload_too_large") != std::string::npos);
}

TEST_CASE("malformed HTTP gets a 400 JSON error and the server keeps serving") {
  Api api;
  const std::string garbage = raw_exchange(api.server->port(), "THIS IS NOT HTTP\r\n\r\n");
  CHECK(garbage.find("HTTP/1.1 400") == 0);
  CHECK(garbage.find("\"error\"") != std::string::npos);
  const std::string bad_length =
      raw_exchange(api.server->port(), "POST /v1/status HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n");
  CHECK(bad_length.find("HTTP/1.1 400") == 0);
  const std::string huge_header = raw_exchange(
      api.server->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n");
  CHECK(huge_header.find("HTTP/1.1 431") == 0);
  // Half a request, then the client goes away.
  raw_exchange(api.server->port(), "GET /healthz HTTP/1.1\r\nHo", true);
  CHECK(api.get("/healthz", std::nullopt).status == 200);
}

TEST_CASE("keep-alive: one connection serves several requests") {
  Api api;
  HttpClient client;
  const auto first = client.request("GET", api.url("/healthz"), std::nullopt);
  const auto second = client.request("GET", api.url("/v1/status"), std::string(kToken));
  const auto third = client.request("GET", api.url("/v1/nothing"), std::string(kToken));
  CHECK(first.new_connections == 1);
  CHECK(second.new_connections == 0);
  CHECK(third.status == 404);
  CHECK(third.new_connections == 0);  // an error answer keeps the connection too
}

TEST_CASE("a client that sends no request is disconnected after the header timeout") {
  api::ServerOptions options;
  options.header_timeout = std::chrono::milliseconds{200};
  Api api(options);
  const auto start = std::chrono::steady_clock::now();
  const std::string nothing = raw_exchange(api.server->port(), "");
  CHECK(nothing.empty());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds{3});
  CHECK(api.get("/healthz", std::nullopt).status == 200);
}

TEST_CASE("several clients at once on the thread pool") {
  Api api;
  for (int i = 0; i < 20; ++i) api.seed(make_order("s1", "80" + std::to_string(i)));
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&api, &ok, c] {
      HttpClient client;
      for (int i = 0; i < 10; ++i) {
        const auto r = client.request("POST", api.url(order_path("s1", "80" + std::to_string((c + i) % 20)) + "/holds"),
                                      std::string(kToken), R"({"reason": "load"})");
        if (r.status == 201) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  CHECK(ok == 80);
  CHECK(api.store->counts().active_holds == 80);
}

TEST_CASE("stop closes idle keep-alive connections at once and accepts no new ones") {
  Api api;
  HttpClient client;
  REQUIRE(client.request("GET", api.url("/healthz"), std::nullopt).status == 200);  // stays open, idle
  const auto start = std::chrono::steady_clock::now();
  std::string idle;
  std::thread waiter([&] { idle = raw_exchange(api.server->port(), ""); });
  std::this_thread::sleep_for(std::chrono::milliseconds{100});
  api.server->stop();
  waiter.join();
  CHECK(idle.empty());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds{3});  // not the 30 s header timeout
  for (int i = 0; i < 50 && api.server->connections() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  CHECK(api.server->connections() == 0);
}

TEST_CASE("a stored order the daemon cannot read answers 500 as JSON, and the server keeps serving") {
  Api api;
  api.seed(make_order("s1", "901"));
  {
    auto tx = api.store->begin();
    tx->db().exec("UPDATE orders SET payload = 'not json' WHERE order_id = '901'");
    tx->commit();
  }
  const auto broken = api.get("/v1/orders/tmall/s1/901");
  CHECK(broken.status == 500);
  CHECK(broken.error_code() == "internal");
  CHECK(broken.error_message().find("unreadable payload") != std::string::npos);
  CHECK(api.get("/healthz").status == 200);
}
