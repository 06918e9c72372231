// The Prometheus registry behind GET /metrics: what a scraper reads.

#include <doctest/doctest.h>

#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

#include "metrics/metrics.hpp"

using erp::daemon::metrics::Registry;

TEST_CASE("render writes HELP and TYPE lines, then one line per labelled sample") {
  Registry r;
  r.describe("erpd_api_requests_total", "counter", "API requests answered.");
  r.add("erpd_api_requests_total", {{"route", "/healthz"}, {"code", "200"}});
  r.add("erpd_api_requests_total", {{"route", "/healthz"}, {"code", "200"}}, 2);
  r.describe("erpd_holds_active", "gauge", "Active holds.");
  r.set("erpd_holds_active", {}, 4);
  CHECK(r.render() ==
        "# HELP erpd_api_requests_total API requests answered.\n"
        "# TYPE erpd_api_requests_total counter\n"
        "erpd_api_requests_total{code=\"200\",route=\"/healthz\"} 3\n"
        "# HELP erpd_holds_active Active holds.\n"
        "# TYPE erpd_holds_active gauge\n"
        "erpd_holds_active 4\n");
}

TEST_CASE("label values escape backslash, quote and newline; help escapes backslash and newline") {
  Registry r;
  r.describe("erpd_shops", "gauge", "Shops\nby state \\ platform");
  r.set("erpd_shops", {{"detail", "say \"hi\"\\\nbye"}}, 1);
  const std::string text = r.render();
  CHECK(text.find("# HELP erpd_shops Shops\\nby state \\\\ platform\n") != std::string::npos);
  CHECK(text.find("erpd_shops{detail=\"say \\\"hi\\\"\\\\\\nbye\"} 1\n") != std::string::npos);
}

TEST_CASE("the same labels in another order are the same series") {
  Registry r;
  r.add("erpd_x_total", {{"a", "1"}, {"b", "2"}});
  r.add("erpd_x_total", {{"b", "2"}, {"a", "1"}});
  CHECK(r.value("erpd_x_total", {{"a", "1"}, {"b", "2"}}) == 2);
}

TEST_CASE("a counter never goes down; a gauge is set") {
  Registry r;
  r.describe("erpd_c_total", "counter", "c");
  r.add("erpd_c_total", {}, 5);
  r.add("erpd_c_total", {}, -3);
  CHECK(r.value("erpd_c_total", {}) == 5);
  r.describe("erpd_g", "gauge", "g");
  r.set("erpd_g", {}, 7);
  r.set("erpd_g", {}, 2);
  CHECK(r.value("erpd_g", {}) == 2);
}

TEST_CASE("values print as Prometheus numbers") {
  CHECK(Registry::format_value(3) == "3");
  CHECK(Registry::format_value(-2) == "-2");
  CHECK(Registry::format_value(0.25) == "0.25");
  CHECK(Registry::format_value(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(Registry::format_value(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(Registry::format_value(std::numeric_limits<double>::quiet_NaN()) == "NaN");
}

TEST_CASE("collectors refresh gauges just before each render, and clear drops stale series") {
  Registry r;
  r.describe("erpd_shops", "gauge", "Shops by state.");
  int calls = 0;
  r.add_collector([&calls](Registry& reg) {
    ++calls;
    reg.clear("erpd_shops");
    reg.set("erpd_shops", {{"state", calls == 1 ? "ok" : "failed"}}, 1);
  });
  CHECK(r.render().find("erpd_shops{state=\"ok\"} 1") != std::string::npos);
  const std::string second = r.render();
  CHECK(second.find("erpd_shops{state=\"failed\"} 1") != std::string::npos);
  CHECK(second.find("state=\"ok\"") == std::string::npos);
  CHECK(calls == 2);
}

TEST_CASE("names Prometheus would reject are refused") {
  Registry r;
  CHECK_THROWS_AS(r.describe("9lives", "counter", ""), std::invalid_argument);
  CHECK_THROWS_AS(r.describe("erpd_ok", "histogram", ""), std::invalid_argument);
  CHECK_THROWS_AS(r.add("erpd-bad", {}), std::invalid_argument);
  CHECK_THROWS_AS(r.add("erpd_ok_total", {{"bad-label", "x"}}), std::invalid_argument);
  CHECK_THROWS_AS(r.add("erpd_ok_total", {{"__reserved", "x"}}), std::invalid_argument);
}

TEST_CASE("concurrent updates from several threads are all counted") {
  Registry r;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&r] {
      for (int i = 0; i < 1000; ++i) {
        r.add("erpd_n_total", {{"k", "v"}});
        if (i % 100 == 0) (void)r.render();
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(r.value("erpd_n_total", {{"k", "v"}}) == 4000);
}
