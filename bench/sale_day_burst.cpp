// bench_sale_day_burst [--shops S] [--orders N] [--seconds T] [--drain-goal G] [--timeout-min M]
// The sale-day run of issue [9/10]: S Tmall shops (default 10) receive a burst of N orders
// (default 1,000,000) over T seconds (default 600) from platform-sim's rate generator while erpd
// syncs them live, as on a sale day. Goal: nothing lost (erpd stores every generated order, each
// shop its share) and the backlog drained within G seconds (default 60) of the burst's end; the
// peak RSS of erpd and of the simulator are reported. Prints figures; not a test.
//
// 1. starts build/bin/platform-sim and creates shops gen-tmall-1..S (no orders yet);
// 2. starts build/bin/erpd on a fresh database with those shops: polled every second, a request
//    budget that never throttles, and a 5 s overlap (the default minute would re-read a minute
//    of a sale day's orders on every poll);
// 3. starts the generator (`POST /admin/generate` in rate mode: N/T orders a second, round-robin
//    over the shops) and samples every 2 s: generated, stored (`GET /v1/status`), the backlog,
//    erpd's RSS;
// 4. when the generator stops, waits until erpd stored all N; the drain time is from the burst's
//    end to the sample that shows all N stored; then counts each shop's orders in the database.

#include <SQLiteCpp/SQLiteCpp.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "bench_support.hpp"
#include "integration/harness.hpp"

using namespace erp::test;
using namespace erp::bench;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

struct Options {
  int shops = 10;
  long long orders = 1000000;
  double seconds = 600;
  double drain_goal = 60;
  int timeout_min = 30;
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return false;
    if (arg == "--shops") {
      o.shops = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--orders") {
      o.orders = std::max(1LL, std::atoll(argv[++i]));
    } else if (arg == "--seconds") {
      o.seconds = std::max(1.0, std::atof(argv[++i]));
    } else if (arg == "--drain-goal") {
      o.drain_goal = std::atof(argv[++i]);
    } else if (arg == "--timeout-min") {
      o.timeout_min = std::max(1, std::atoi(argv[++i]));
    } else {
      return false;
    }
  }
  return true;
}

std::string config_yaml(const TempDir& dir, const PlatformSim& sim, int shops) {
  std::string yaml = erpd_config_head(dir);
  yaml += "sync:\n  backfill: 1h\n  window: 1h\n  lag: 1s\n  overlap: 5s\n";
  yaml += "shops:\n";
  for (int i = 1; i <= shops; ++i) {
    const std::string id = "gen-tmall-" + std::to_string(i);
    yaml += "  - id: " + id + "\n    platform: tmall\n    base_url: " + sim.url() + "/router/rest\n    app_key: " + id +
            "-key\n    app_secret: " + id + "-secret\n    session: " + id +
            "-session\n    poll_interval: 1s\n    requests_per_minute: 100000\n";
  }
  return yaml;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr, "usage: %s [--shops S] [--orders N] [--seconds T] [--drain-goal G] [--timeout-min M]\n",
                 argv[0]);
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  TempDir dir;
  PlatformSim sim(dir.path());
  if (!sim.start()) {
    std::fprintf(stderr, "platform-sim did not start:\n%s\n", sim.log().c_str());
    return 1;
  }
  if (http("POST", sim.url() + "/admin/generate", "",
           json{{"platform", "tmall"}, {"shops", o.shops}, {"orders", 0}}.dump())
          .status != 200) {
    std::fprintf(stderr, "platform-sim did not create the shops\n");
    return 1;
  }
  const auto config = dir / "erpd.yaml";
  write_file(config, config_yaml(dir, sim, o.shops), fs::perms::owner_read | fs::perms::owner_write);
  Erpd erpd(config, dir.path());
  if (!erpd.start(30s)) {
    std::fprintf(stderr, "erpd did not become ready:\n%s\n", tail(erpd.log(), 4000).c_str());
    return 1;
  }
  const std::string api = "http://127.0.0.1:" + trimmed(read_file(dir / "api.port"));
  const std::string token = trimmed(read_file(dir / "api.token"));

  const double rate = static_cast<double>(o.orders) / o.seconds;
  const auto started =
      http("POST", sim.url() + "/admin/generate", "",
           json{{"platform", "tmall"}, {"shops", o.shops}, {"orders_per_second", rate}, {"seconds", o.seconds}}.dump());
  if (started.status != 200) {
    std::fprintf(stderr, "the generator did not start: %d %s\n", started.status, started.body.c_str());
    return 1;
  }
  const auto t0 = Clock::now();
  const auto since = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  std::printf("burst: %lld orders over %.0f s (%.0f a second) into %d Tmall shops\n", o.orders, o.seconds, rate,
              o.shops);

  double burst_end = -1, drained_at = -1, max_backlog = 0, max_backlog_at = 0, next_report = 0;
  long long generated = 0, stored = 0;
  while (drained_at < 0) {
    std::this_thread::sleep_for(2s);
    const auto gen = http("GET", sim.url() + "/admin/generate");
    const auto status = http("GET", api + "/v1/status", token);
    const double now = since();
    if (gen.status == 200) {
      const json state = json::parse(gen.body);
      generated = state.value("generated", 0LL);
      if (burst_end < 0 && !state.value("running", true)) burst_end = now;
    }
    if (status.status == 200) stored = json::parse(status.body)["counts"]["orders"].get<long long>();
    const double backlog = static_cast<double>(generated - stored);
    if (backlog > max_backlog) {
      max_backlog = backlog;
      max_backlog_at = now;
    }
    if (now >= next_report) {
      std::printf(
          "  %5.0f s: generated %8lld, stored %8lld, backlog %6.0f, erpd RSS %.0f MiB, platform-sim RSS %.0f MiB\n",
          now, generated, stored, backlog, mib(status_kib(erpd.pid(), "VmRSS")), mib(status_kib(sim.pid(), "VmRSS")));
      next_report += 30;
    }
    if (burst_end >= 0 && stored >= generated) drained_at = now;
    if (!erpd.running()) {
      std::fprintf(stderr, "erpd exited:\n%s\n", tail(erpd.log(), 4000).c_str());
      return 1;
    }
    if (now > o.timeout_min * 60.0) {
      std::fprintf(stderr, "timed out: generated %lld, stored %lld\n%s\n", generated, stored,
                   tail(erpd.log(), 4000).c_str());
      return 1;
    }
  }
  const long erpd_hwm = status_kib(erpd.pid(), "VmHWM");
  const long sim_hwm = status_kib(sim.pid(), "VmHWM");
  const double erpd_cpu = cpu_seconds(erpd.pid());
  erpd.signal(SIGTERM);
  const auto code = erpd.wait(60s);
  (void)sim.stop();

  // Nothing lost: every shop's share is in the database, each order once (the primary key).
  std::map<std::string, long long> per_shop;
  long long rows = 0;
  {
    SQLite::Database db(dir / "erpd.db", SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT shop, COUNT(*) FROM orders GROUP BY shop ORDER BY shop");
    while (q.executeStep()) {
      per_shop[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
      rows += q.getColumn(1).getInt64();
    }
  }
  const double drain = drained_at - burst_end;
  std::printf("\nsale-day burst: %lld orders generated into %d shops in %.1f s\n", generated, o.shops, burst_end);
  std::printf("  stored %lld rows; per shop:", rows);
  for (const auto& [shop, n] : per_shop) std::printf(" %s %lld", shop.c_str(), n);
  std::printf("\n  largest backlog %.0f orders at %.0f s; all stored %.1f s after the burst ended (goal %.0f s)\n",
              max_backlog, max_backlog_at, drain, o.drain_goal);
  std::printf("  erpd peak RSS (VmHWM) %.1f MiB, CPU %.0f s; platform-sim peak RSS %.0f MiB; erpd exit code %d\n",
              mib(erpd_hwm), erpd_cpu, mib(sim_hwm), code.value_or(-1));
  long long fewest = rows, most = 0;
  for (const auto& [shop, n] : per_shop) {
    fewest = std::min(fewest, n);
    most = std::max(most, n);
  }
  // The generator deals orders round-robin: every shop holds its share, give or take one.
  const bool shares = static_cast<int>(per_shop.size()) == o.shops && most - fewest <= 1;
  const bool lost_none = rows == generated && generated == o.orders && shares;
  const bool drained = drain <= o.drain_goal;
  std::printf("  nothing lost: %s; drained within the goal: %s\n", lost_none ? "PASS" : "FAIL",
              drained ? "PASS" : "FAIL");
  return lost_none && drained ? 0 : 1;
}
