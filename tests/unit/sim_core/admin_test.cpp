// The control API under /admin/ over real HTTP (tests/sim/core/admin.cpp).
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "core/time_format.hpp"
#include "sim_fixture.hpp"

using namespace erp::sim;
using namespace erp::sim::testing;

namespace {

const char* kScenario = R"(clock: "2026-11-11 00:00:00"
shops:
  - id: tm1
    platform: tmall
    app_key: "12345678"
    app_secret: s3cret
    session: sess-1
events:
  - at: "+0s"
    shop: tm1
    type: created
  - at: "+90m"
    shop: tm1
    type: paid
  - at: "+2h"
    shop: tm1
    type: refuse
)";

}  // namespace

TEST_CASE("POST /admin/scenario loads shops and events; GET/POST /admin/clock moves the timeline") {
  RunningSim s;
  auto r = s.call("POST", "/admin/scenario?name=demo.yaml", kScenario);
  REQUIRE(r.status == 200);
  auto j = r.json();
  CHECK(j["source"] == "demo.yaml");
  CHECK(j["shops"] == nlohmann::json::array({"tm1"}));
  CHECK(j["events"] == 3);
  CHECK(j["applied"] == 1);
  CHECK(j["pending"] == 2);
  CHECK(j["now_cst"] == "2026-11-11 00:00:00");

  r = s.call("GET", "/admin/clock");
  CHECK(r.status == 200);
  CHECK(r.json()["now"] == "2026-11-10T16:00:00Z");
  CHECK(r.json()["follows_real_time"] == false);
  CHECK(r.json()["pending_events"] == 2);

  r = s.call("POST", "/admin/clock", R"({"advance": "90m"})");
  REQUIRE(r.status == 200);
  CHECK(r.json()["applied"] == 1);
  CHECK(r.json()["now_cst"] == "2026-11-11 01:30:00");

  r = s.call("POST", "/admin/clock", R"({"set": "2026-11-11T03:00:00+08:00"})");
  REQUIRE(r.status == 200);
  CHECK(r.json()["applied"] == 0);
  REQUIRE(r.json()["refused"].size() == 1);
  CHECK(r.json()["refused"][0]["index"] == 2);
  CHECK(r.json()["refused"][0]["line"] == 15);
  CHECK(s.fake->applied.size() == 2);

  r = s.call("GET", "/admin/state");
  REQUIRE(r.status == 200);
  j = r.json();
  CHECK(j["shops"][0]["id"] == "tm1");
  CHECK(j["shops"][0]["session"] == "sess-1");
  CHECK(j["modules"]["fake"]["applied"] == 2);
  CHECK(j["refused_events"].size() == 1);
}

TEST_CASE("bad admin input answers 400 naming the problem") {
  RunningSim s;
  auto r = s.call("POST", "/admin/scenario", "shops:\n  - id: [x\n");
  CHECK(r.status == 400);
  CHECK(r.json()["error"]["code"] == "bad_scenario");
  CHECK(r.json()["error"]["message"].get<std::string>().find("scenario:") == 0);

  r = s.call("POST", "/admin/scenario", "events:\n  - at: \"+1m\"\n    shop: ghost\n    type: x\n");
  CHECK(r.status == 400);
  CHECK(r.json()["error"]["problems"][0] ==
        "scenario:3: events[0].shop: unknown shop 'ghost' (not in shops: nor "
        "loaded before)");

  struct Case {
    const char* method;
    const char* target;
    const char* body;
    const char* needle;
  };
  const Case cases[] = {
      {"POST", "/admin/clock", "", "body: expected a JSON object"},
      {"POST", "/admin/clock", "{not json", "body: not valid JSON"},
      {"POST", "/admin/clock", "[1]", "body: expected a JSON object"},
      {"POST", "/admin/clock", "{}", "exactly one of"},
      {"POST", "/admin/clock", R"({"set": "x", "advance": "1m"})", "exactly one of"},
      {"POST", "/admin/clock", R"({"set": "yesterday"})", "set: 'yesterday' is not a time"},
      {"POST", "/admin/clock", R"({"advance": 5})", "advance: expected a duration"},
      {"POST", "/admin/clock", R"({"advance": "5 min"})", "advance: '5 min' is not a duration"},
      {"POST", "/admin/clock", R"({"follow_real_time": false})", "follow_real_time: expected true"},
      {"POST", "/admin/clock", R"({"follow_real_time": true, "advance": "1m"})", "exactly one of"},
      {"POST", "/admin/faults", R"({"server_error": 1.5})", "server_error: 1.5 is not a share"},
      {"POST", "/admin/faults", R"({"server_error": "lots"})", "server_error: expected a share"},
      {"POST", "/admin/faults", R"({"meltdown": 0.1})", "unknown key \"meltdown\""},
      {"POST", "/admin/faults", R"({"server_error": 0.7, "timeout": 0.5})", "add up to"},
      {"POST", "/admin/faults", R"({"methods": "x"})", "methods: expected a list"},
      {"POST", "/admin/generate", R"({"shops": 1})", "platform: missing"},
      {"POST", "/admin/generate", R"({"platform": "jd", "orders": 1})", "platform: 'jd' is not"},
      {"POST", "/admin/generate", R"({"platform": "douyin", "orders": 1})", "no module serves douyin"},
      {"POST", "/admin/generate", R"({"platform": "tmall", "shops": 0})", "shops: must be 1 to 10000"},
      {"POST", "/admin/generate", R"({"platform": "tmall", "orders": -1})", "orders: must be 0 to 1000000"},
      {"POST", "/admin/generate", R"({"platform": "tmall", "orders_per_second": 10})", "seconds: missing"},
      {"POST", "/admin/generate", R"({"platform": "tmall", "orders_per_second": 0, "seconds": 1})",
       "orders_per_second: must be above 0"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.target);
    CAPTURE(c.body);
    r = s.call(c.method, c.target, c.body);
    CHECK(r.status == 400);
    CHECK(r.json()["error"]["code"] == "bad_request");
    CHECK(r.json()["error"]["message"].get<std::string>().find(c.needle) != std::string::npos);
  }
  r = s.call("DELETE", "/admin/clock");
  CHECK(r.status == 405);
  r = s.call("GET", "/admin/nothing");
  CHECK(r.status == 404);
  CHECK(r.json()["error"]["code"] == "not_found");
}

TEST_CASE("requests go to the module that serves them, others get a JSON 404") {
  RunningSim s;
  auto r = s.call("POST", "/router/rest?method=taobao.trade.fullinfo.get", "a=b");
  REQUIRE(r.status == 200);
  CHECK(r.json()["method"] == "taobao.trade.fullinfo.get");
  CHECK(r.json()["body"] == "a=b");
  r = s.call("GET", "/order/orderDetail");
  CHECK(r.status == 404);
  CHECK(r.json()["error"]["message"].get<std::string>().find("modules in this build: fake") != std::string::npos);
}

TEST_CASE("/admin/faults sets, reads and clears fault shares the modules draw") {
  RunningSim s;
  auto r = s.call("POST", "/admin/faults", R"({"server_error": 1, "methods": ["taobao.trade.memo.add"]})");
  REQUIRE(r.status == 200);
  CHECK(r.json()["server_error"] == 1.0);
  CHECK(r.json()["timeout"] == 0.0);
  CHECK(r.json()["methods"] == nlohmann::json::array({"taobao.trade.memo.add"}));
  CHECK(s.call("GET", "/router/rest?method=taobao.trade.memo.add").status == 500);
  CHECK(s.call("GET", "/router/rest?method=taobao.trade.fullinfo.get").status == 200);
  CHECK(s.call("GET", "/admin/faults").json()["server_error"] == 1.0);
  r = s.call("DELETE", "/admin/faults");
  CHECK(r.json()["server_error"] == 0.0);
  CHECK(s.call("GET", "/router/rest?method=taobao.trade.memo.add").status == 200);
}

TEST_CASE("/admin/counters reports write calls per order, filters by order and resets") {
  RunningSim s;
  s.call("GET", "/router/rest?method=memo&tid=T1");
  s.call("GET", "/router/rest?method=memo&tid=T1");
  s.call("GET", "/router/rest?method=memo&tid=T2");
  s.sim.counters().add("ship", "tm1", "T1", "L1");
  auto r = s.call("GET", "/admin/counters");
  REQUIRE(r.status == 200);
  CHECK(r.json()["memo"]["T1"] == 2);
  CHECK(r.json()["memo"]["total"] == 3);
  r = s.call("GET", "/admin/counters?order_id=T1");
  CHECK(r.json()["memo"] == nlohmann::json{{"T1", 2}});
  CHECK(r.json()["ship"] == nlohmann::json{{"T1", 1}, {"T1/L1", 1}});
  r = s.call("POST", "/admin/counters/reset");
  CHECK(r.status == 200);
  CHECK(s.call("GET", "/admin/counters").json().empty());
}

TEST_CASE("/admin/generate makes deterministic shops and orders, and runs a rate mode") {
  RunningSim s;
  auto r = s.call("POST", "/admin/generate", R"({"shops": 2, "orders": 5, "platform": "tmall"})");
  REQUIRE(r.status == 200);
  auto j = r.json();
  CHECK(j["orders"] == 10);
  REQUIRE(j["shops"].size() == 2);
  CHECK(j["shops"][1]["id"] == "gen-tmall-2");
  CHECK(j["shops"][1]["app_key"] == "gen-tmall-2-key");
  CHECK(j["shops"][1]["app_secret"] == "gen-tmall-2-secret");
  CHECK(j["shops"][1]["session"] == "gen-tmall-2-session");
  CHECK(s.fake->generated == 10);
  CHECK(s.fake->shops.size() == 2);
  // Again: the shops are reused, not duplicated.
  r = s.call("POST", "/admin/generate", R"({"shops": 2, "orders": 1, "platform": "tmall"})");
  CHECK(s.fake->shops.size() == 2);
  CHECK(s.fake->generated == 12);

  r = s.call("POST", "/admin/generate", R"({"platform": "taobao", "orders_per_second": 100, "seconds": 0.5})");
  REQUIRE(r.status == 200);
  CHECK(r.json()["running"] == true);
  for (int i = 0; i < 50 && s.call("GET", "/admin/generate").json()["running"] == true; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  j = s.call("GET", "/admin/generate").json();
  CHECK(j["running"] == false);
  CHECK(j["generated"] == 50);
  CHECK(s.fake->generated == 62);

  r = s.call("POST", "/admin/reset");
  CHECK(r.status == 200);
  CHECK(s.fake->generated == 0);
  CHECK(s.fake->shops.size() == 3);
}

TEST_CASE("POST /admin/clock follow_real_time: a clock set in the past runs due events and follows real time again") {
  RunningSim s;
  // The day's history was loaded with the clock set back; the sale itself happens now.
  auto r = s.call("POST", "/admin/scenario?name=demo.yaml", kScenario);
  REQUIRE(r.status == 200);
  REQUIRE(s.call("GET", "/admin/clock").json()["follows_real_time"] == false);
  r = s.call("POST", "/admin/clock", R"({"follow_real_time": true})");
  REQUIRE(r.status == 200);
  CHECK(r.json()["follows_real_time"] == true);
  CHECK(r.json()["applied"] == 1);  // the event due in between (the third is refused)
  const auto first = s.call("GET", "/admin/clock").json();
  CHECK(first["follows_real_time"] == true);
  std::this_thread::sleep_for(std::chrono::milliseconds{1100});
  const auto second = s.call("GET", "/admin/clock").json();
  CHECK(second["now"] != first["now"]);  // it moves by itself

  // A clock set ahead of real time stays there.
  REQUIRE(s.call("POST", "/admin/clock", R"({"set": "2099-01-01T00:00:00Z"})").status == 200);
  r = s.call("POST", "/admin/clock", R"({"follow_real_time": true})");
  REQUIRE(r.status == 200);
  CHECK(r.json()["follows_real_time"] == false);
  CHECK(s.call("GET", "/admin/clock").json()["now"] == "2099-01-01T00:00:00Z");
}
