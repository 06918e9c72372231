// Scenario files and the timeline (tests/sim/core/scenario.hpp, simulator.hpp).
#include <doctest/doctest.h>

#include "core/simulator.hpp"
#include "core/time_format.hpp"
#include "fake_module.hpp"

using namespace erp::sim;
using erp::sim::testing::FakeModule;
using namespace std::chrono_literals;

namespace {

const char* kScenario = R"(clock: "2026-11-11 00:00:00"
shops:
  - id: tm1
    platform: tmall
    app_key: "12345678"
    app_secret: s3cret
    session: sess-1
  - id: dy1
    platform: douyin
    app_key: dk
    app_secret: ds
    access_token: tok
    refresh_token: ref
    role: factory
events:
  - at: "+2h"
    shop: tm1
    type: later
  - at: "2026-11-11 00:30:00"
    shop: tm1
    type: middle
    tid: "1001"
  - at: "+0s"
    shop: tm1
    type: first
  - at: "2026-11-10T17:00:00Z"
    shop: tm1
    type: refuse
)";

bool none(const std::string&) { return false; }

}  // namespace

TEST_CASE("a scenario reads shops, absolute and relative times") {
  const auto parsed = parse_scenario(kScenario, "s.yaml", Instant{}, none);
  REQUIRE(parsed.errors.empty());
  const auto& s = parsed.scenario;
  const auto base = *parse_sim_time("2026-11-11 00:00:00");
  REQUIRE(s.clock);
  CHECK(*s.clock == base);
  REQUIRE(s.shops.size() == 2);
  CHECK(s.shops[0].session == "sess-1");
  CHECK(s.shops[1].session == "tok");
  CHECK(s.shops[1].refresh_token == "ref");
  CHECK(s.shops[1].role == "factory");
  CHECK(s.shops[0].role == "merchant");
  REQUIRE(s.events.size() == 4);
  CHECK(s.events[0].at == base + 2h);
  CHECK(s.events[1].at == base + 30min);
  CHECK(s.events[1].node["tid"].as<std::string>() == "1001");
  CHECK(s.events[2].at == base);
  CHECK(s.events[3].at == base + 1h);
  CHECK(s.events[1].index == 1);
  CHECK(s.events[1].line == 19);
}

TEST_CASE("relative times without a clock count from now") {
  const auto now = *parse_sim_time("2026-06-18 12:00:00");
  const auto parsed = parse_scenario("events:\n  - at: \"+5m\"\n    shop: known\n    type: x\n", "s.yaml", now,
                                     [](const std::string& id) { return id == "known"; });
  REQUIRE(parsed.errors.empty());
  CHECK_FALSE(parsed.scenario.clock);
  REQUIRE(parsed.scenario.events.size() == 1);
  CHECK(parsed.scenario.events[0].at == now + 5min);
}

TEST_CASE("bad YAML is answered with the line") {
  const auto parsed = parse_scenario("shops:\n  - id: a\n    platform: [tmall\n", "bad.yaml", Instant{}, none);
  REQUIRE(parsed.errors.size() == 1);
  CHECK(parsed.errors[0].find("bad.yaml:") == 0);
  CHECK(parsed.errors[0].find("invalid YAML") != std::string::npos);
}

TEST_CASE("every problem is named with file, line and key") {
  const char* text = R"(clock: "someday"
colour: blue
shops:
  - id: a
    platform: jd
    app_key: k
    app_secret: s
  - id: b
    platform: tmall
    app_secret: s
events:
  - at: "+5x"
    shop: a
    type: t
  - at: "+5m"
    shop: nobody
    type: t
  - shop: a
    type: t
)";
  const auto parsed = parse_scenario(text, "p.yaml", Instant{}, none);
  const auto& e = parsed.errors;
  auto has = [&](const std::string& needle) {
    return std::any_of(e.begin(), e.end(), [&](const std::string& x) { return x.find(needle) != std::string::npos; });
  };
  CHECK(has("p.yaml:1: clock: 'someday' is not a time"));
  CHECK(has("p.yaml:2: colour: unknown key"));
  CHECK(has("p.yaml:5: shops[0].platform: 'jd' is not taobao, tmall, douyin, example or qimen"));
  CHECK(has("p.yaml:8: shops[1].app_key: missing"));
  CHECK(has("p.yaml:12: events[0].at: '+5x' is not a relative time"));
  CHECK(has("p.yaml:16: events[1].shop: unknown shop 'nobody'"));
  CHECK(has("p.yaml:18: events[2].at: missing"));
  CHECK(parsed.scenario.events.empty());
  CHECK(parsed.scenario.shops.empty());
}

TEST_CASE("the timeline applies events in time order as the clock moves") {
  Simulator sim;
  auto owned = std::make_unique<FakeModule>(sim.context());
  FakeModule& fake = *owned;
  sim.add_module(std::move(owned));
  const auto base = *parse_sim_time("2026-11-11 00:00:00");

  const auto loaded = sim.load_scenario(kScenario, "s.yaml");
  REQUIRE(loaded.errors.empty());
  CHECK(loaded.answer["applied"] == 1);  // "first" at +0s is due at once
  CHECK(loaded.answer["pending"] == 3);
  CHECK(loaded.answer["warnings"].size() == 1);  // no module for douyin here
  REQUIRE(fake.applied.size() == 1);
  CHECK(fake.applied[0].type == "first");
  CHECK(fake.shops.size() == 1);
  CHECK(sim.clock().now() == base);

  auto moved = sim.advance_clock(45min);
  CHECK(moved["applied"] == 1);
  REQUIRE(fake.applied.size() == 2);
  CHECK(fake.applied[1].type == "middle");
  CHECK(fake.applied[1].clock == base + 30min);  // the clock stood at the event's time
  CHECK(sim.clock().now() == base + 45min);
  CHECK(fake.clocks.back() == base + 45min);

  moved = sim.set_clock(base + 3h);
  CHECK(moved["applied"] == 1);
  REQUIRE(moved["refused"].size() == 1);
  CHECK(moved["refused"][0]["index"] == 3);
  CHECK(moved["refused"][0]["line"] == 26);
  CHECK(moved["refused"][0]["message"] == "fake refuses this event");
  REQUIRE(fake.applied.size() == 3);
  CHECK(fake.applied[2].type == "later");
  CHECK(fake.applied[2].clock == base + 2h);
  CHECK(sim.pending_events() == 0);
  CHECK(sim.state()["refused_events"].size() == 1);

  sim.reset();
  CHECK(fake.resets == 1);
  CHECK(fake.shops.size() == 1);  // registered again after the module forgot them
  CHECK(sim.state()["refused_events"].empty());
}

TEST_CASE("events for shops loaded earlier, and refusals reported at load") {
  Simulator sim;
  sim.add_module(std::make_unique<FakeModule>(sim.context()));
  REQUIRE(sim.load_scenario(kScenario, "s.yaml").errors.empty());
  const auto second = sim.load_scenario(
      "events:\n  - at: \"+0s\"\n    shop: tm1\n    type: refuse\n"
      "  - at: \"+0s\"\n    shop: dy1\n    type: x\n",
      "second.yaml");
  REQUIRE(second.errors.empty());
  REQUIRE(second.answer["refused"].size() == 2);
  CHECK(second.answer["refused"][0]["index"] == 0);
  CHECK(second.answer["refused"][0]["source"] == "second.yaml");
  CHECK(second.answer["refused"][1]["message"].get<std::string>().find("no module serves platform douyin") !=
        std::string::npos);
  const auto bad = sim.load_scenario("events:\n  - at: \"+0s\"\n    shop: ghost\n    type: x\n", "third.yaml");
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0] == "third.yaml:3: events[0].shop: unknown shop 'ghost' (not in shops: nor loaded before)");
}
