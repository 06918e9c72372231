// Clock, counters, faults and request parsing (tests/sim/core/module.hpp, sim_server.hpp).
#include <doctest/doctest.h>

#include <map>

#include "core/scenario.hpp"
#include "core/sim_server.hpp"
#include "core/time_format.hpp"

using namespace erp::sim;
using namespace std::chrono_literals;

TEST_CASE("Clock follows real time until set, then moves only when told") {
  Clock clock;
  CHECK(clock.follows_real_time());
  const auto real = clock.now();
  CHECK(std::chrono::abs(
            real - std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now())) < 5s);
  const auto t = *parse_sim_time("2026-11-11 00:00:00");
  CHECK(erp::daemon::format_rfc3339(t) == "2026-11-10T16:00:00Z");
  clock.set(t);
  CHECK_FALSE(clock.follows_real_time());
  CHECK(clock.now() == t);
  clock.advance(90min);
  CHECK(clock.now() == t + 90min);
  clock.advance(std::chrono::milliseconds{-30 * 60 * 1000});
  CHECK(clock.now() == t + 60min);
  clock.follow_real_time();
  CHECK(clock.follows_real_time());
}

TEST_CASE("Clock::advance on a real-time clock fixes it ahead of now") {
  Clock clock;
  const auto before = clock.now();
  clock.advance(2h);
  CHECK_FALSE(clock.follows_real_time());
  CHECK(clock.now() >= before + 2h);
  CHECK(clock.now() < before + 2h + 5s);
}

TEST_CASE("times and durations of scenarios and the admin API") {
  CHECK(parse_sim_time("2026-11-11T00:00:00+08:00") == parse_sim_time("2026-11-11 00:00:00"));
  CHECK(parse_sim_time("2026-11-10T16:00:00Z") == parse_sim_time("2026-11-11 00:00:00"));
  CHECK_FALSE(parse_sim_time("2026-11-11"));
  CHECK_FALSE(parse_sim_time("tomorrow"));
  CHECK(parse_sim_duration("+5m") == std::chrono::milliseconds{5min});
  CHECK(parse_sim_duration("90m") == std::chrono::milliseconds{90min});
  CHECK(parse_sim_duration("2h") == std::chrono::milliseconds{2h});
  CHECK_FALSE(parse_sim_duration("+"));
  CHECK_FALSE(parse_sim_duration("5 minutes"));
}

TEST_CASE("Counters count per order and per line, with totals per kind") {
  Counters c;
  c.add("memo", "shop1", "T1");
  c.add("memo", "shop1", "T1");
  c.add("ship", "shop1", "T1", "L1");
  c.add("ship", "shop1", "T1", "L2");
  c.add("ship", "shop1", "T2");
  CHECK(c.count("memo", "T1") == 2);
  CHECK(c.count("ship", "T1") == 2);
  CHECK(c.count("ship", "T1", "L1") == 1);
  CHECK(c.count("ship", "T1", "L3") == 0);
  CHECK(c.count("ship", "T2") == 1);
  CHECK(c.count("decrypt", "T1") == 0);
  const auto snap = c.snapshot();
  CHECK(snap["memo"]["T1"] == 2);
  CHECK(snap["memo"]["total"] == 2);
  CHECK(snap["ship"]["T1/L2"] == 1);
  CHECK(snap["ship"]["total"] == 3);
  c.clear();
  CHECK(c.count("memo", "T1") == 0);
  CHECK(c.snapshot().empty());
}

TEST_CASE("Faults: shares come out roughly right over 10k draws") {
  Faults f;
  CHECK(f.draw("taobao.trade.fullinfo.get") == Fault::none);
  f.set(Fault::server_error, 0.2);
  f.set(Fault::timeout, 0.05);
  f.set(Fault::rate_limit, 0.1);
  f.set(Fault::truncated, 0.05);
  f.set(Fault::expired_session, 0.05);
  std::map<Fault, int> seen;
  constexpr int kDraws = 10000;
  for (int i = 0; i < kDraws; ++i) ++seen[f.draw("any.method")];
  auto share = [&](Fault k) { return static_cast<double>(seen[k]) / kDraws; };
  CHECK(share(Fault::server_error) == doctest::Approx(0.2).epsilon(0.2));
  CHECK(share(Fault::timeout) == doctest::Approx(0.05).epsilon(0.3));
  CHECK(share(Fault::rate_limit) == doctest::Approx(0.1).epsilon(0.25));
  CHECK(share(Fault::truncated) == doctest::Approx(0.05).epsilon(0.3));
  CHECK(share(Fault::expired_session) == doctest::Approx(0.05).epsilon(0.3));
  CHECK(share(Fault::none) == doctest::Approx(0.55).epsilon(0.1));
  const auto snap = f.snapshot();
  CHECK(snap["server_error"] == doctest::Approx(0.2));
  CHECK(snap["methods"].empty());
}

TEST_CASE("Faults respect methods, and clear() turns them off") {
  Faults f;
  f.set(Fault::server_error, 1.0);
  f.only_methods({"taobao.trade.memo.add"});
  CHECK(f.draw("taobao.trade.memo.add") == Fault::server_error);
  for (int i = 0; i < 1000; ++i) REQUIRE(f.draw("taobao.trade.fullinfo.get") == Fault::none);
  f.clear();
  CHECK(f.draw("taobao.trade.memo.add") == Fault::none);
}

TEST_CASE("targets are split into a decoded path and query") {
  Request r;
  parse_target("/order/orderDetail?app_key=k&param=a%2Bb+c&flag&empty=&bad=%zz", r);
  CHECK(r.path == "/order/orderDetail");
  CHECK(r.query_value("app_key") == "k");
  CHECK(r.query_value("param") == "a+b c");
  CHECK(r.has_query("flag"));
  CHECK(r.query_value("flag").empty());
  CHECK(r.has_query("empty"));
  CHECK(r.query_value("bad") == "%zz");
  CHECK_FALSE(r.has_query("missing"));
  Request p;
  parse_target("/a%20b", p);
  CHECK(p.path == "/a b");
  CHECK(p.query.empty());
}
