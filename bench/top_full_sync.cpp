// bench_top_full_sync [--orders N] [--chunk C] [--timeout-min M] [--samples FILE]
// A full sync of N Tmall orders (default 1,000,000) from platform-sim through the real erpd and
// the real erp-tmall plugin (issue 3 "Performance": wall time and peak RSS; the cost per order
// at N stored orders at most 1.2 times the cost at the start). Prints figures; not a test.
//
// 1. starts build/bin/platform-sim on 127.0.0.1 port 0 and generates N orders in shop
//    gen-tmall-1 with POST /admin/generate, C orders per call (the harness's HTTP client gives up
//    after 10 s, and one call for a million orders takes longer than that);
// 2. writes an erpd config with that one shop (backfill 1d, window 1d, lag 1s, a request budget
//    that never throttles), starts build/bin/erpd on a fresh database and waits for READY;
// 3. polls GET /v1/status until counts.orders reaches N, keeping (time, count) samples;
// 4. reads erpd's VmHWM and both processes' RSS from /proc just before stopping them.
//
// The cost per order is taken from the samples by linear interpolation: over the first 10,000
// orders stored (from the first sample that shows any) and over the last 10,000. The status
// call counts every order table row under the store's lock, which gets dearer as the table
// grows, so the poll interval stretches with the call's own latency (20x) to keep polling under
// about 5 % of the daemon's time at any size; the latency is printed. The same two figures are
// then taken from the stored rows' stored_at (erpd's clock, ms), which also shows when the last
// order landed; the goal must hold both ways.

#include <SQLiteCpp/SQLiteCpp.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.hpp"
#include "integration/harness.hpp"

using namespace erp::test;
using namespace erp::bench;
using Clock = std::chrono::steady_clock;

namespace {

struct Sample {
  double t = 0;    ///< Seconds since erpd was spawned.
  double cpu = 0;  ///< erpd's CPU seconds at that moment.
  long long count = 0;
};

/// When (wall, or erpd CPU with `cpu`) the stored count reached `c`, interpolated between the
/// samples around it.
double time_at(const std::vector<Sample>& s, long long c, bool cpu = false) {
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i].count >= c) {
      const auto& a = s[i - 1];
      const auto& b = s[i];
      const double ta = cpu ? a.cpu : a.t;
      const double tb = cpu ? b.cpu : b.t;
      if (b.count == a.count) return tb;
      return ta + (tb - ta) * static_cast<double>(c - a.count) / static_cast<double>(b.count - a.count);
    }
  }
  return cpu ? s.back().cpu : s.back().t;
}

/// Milliseconds (wall, or erpd CPU) per 1,000 orders between two counts.
double ms_per_1k(const std::vector<Sample>& s, long long from, long long to, bool cpu = false) {
  return (time_at(s, to, cpu) - time_at(s, from, cpu)) * 1000.0 / (static_cast<double>(to - from) / 1000.0);
}

}  // namespace

int main(int argc, char** argv) {
  long long orders = 1000000;
  int chunk = 10000;
  int timeout_min = 180;
  std::string samples_file;  // t,count per status sample, for plotting or a closer look
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--orders" && i + 1 < argc) {
      orders = std::max(1LL, std::atoll(argv[++i]));
    } else if (arg == "--chunk" && i + 1 < argc) {
      chunk = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--timeout-min" && i + 1 < argc) {
      timeout_min = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--samples" && i + 1 < argc) {
      samples_file = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--orders N] [--chunk C] [--timeout-min M] [--samples FILE]\n", argv[0]);
      return 2;
    }
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines show up in a log file as they come

  TempDir dir;
  PlatformSim sim(dir.path());
  if (!sim.start()) {
    std::fprintf(stderr, "platform-sim did not start:\n%s\n", sim.log().c_str());
    return 1;
  }

  // --- generate ---------------------------------------------------------------------------
  const auto g0 = Clock::now();
  for (long long made = 0; made < orders;) {
    const long long n = std::min<long long>(chunk, orders - made);
    const auto reply = http("POST", sim.url() + "/admin/generate", "",
                            nlohmann::json{{"platform", "tmall"}, {"shops", 1}, {"orders", n}}.dump());
    if (reply.status != 200) {
      std::fprintf(stderr, "generate answered %d after %lld orders: %s\n", reply.status, made, reply.body.c_str());
      return 1;
    }
    made += n;
    if (made % 100000 == 0 || made == orders) {
      std::printf("generated %lld orders in %.1f s, platform-sim RSS %.0f MiB\n", made,
                  std::chrono::duration<double>(Clock::now() - g0).count(), mib(status_kib(sim.pid(), "VmRSS")));
    }
  }
  const double generate_s = std::chrono::duration<double>(Clock::now() - g0).count();
  const long sim_rss_generated = status_kib(sim.pid(), "VmRSS");
  // The generator stamps some trades "paid now"; erpd's first window ends at its start minus the
  // 1 s lag (whole seconds), so without this pause those trades fall into the second window and
  // the run ends with a poll_interval of idling that is no cost of storing orders.
  std::this_thread::sleep_for(3s);

  // --- erpd -------------------------------------------------------------------------------
  std::string yaml = erpd_config_head(dir);
  // One window holds the whole backfill: the generated trades were all created in the last 30 min.
  yaml += "sync:\n  backfill: 1d\n  window: 1d\n  lag: 1s\n";
  yaml += "shops:\n  - id: gen-tmall-1\n    platform: tmall\n    base_url: " + sim.url() +
          "/router/rest\n    app_key: gen-tmall-1-key\n    app_secret: gen-tmall-1-secret\n"
          "    session: gen-tmall-1-session\n    poll_interval: 1s\n    requests_per_minute: 100000\n";
  const auto config = dir / "erpd.yaml";
  write_file(config, yaml, fs::perms::owner_read | fs::perms::owner_write);

  Erpd erpd(config, dir.path());
  const auto t0 = Clock::now();
  auto since = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  if (!erpd.start(30s)) {
    std::fprintf(stderr, "erpd did not become ready:\n%s\n", tail(erpd.log(), 4000).c_str());
    return 1;
  }
  const double ready_s = since();
  auto trim = [](std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
  };
  const std::string api = "http://127.0.0.1:" + trim(read_file(dir / "api.port"));
  const std::string token = trim(read_file(dir / "api.token"));

  std::vector<Sample> samples{{ready_s, cpu_seconds(erpd.pid()), 0}};
  // Written as they come, so a run cut short (a long run on a shared machine) still leaves them.
  std::ofstream samples_out;
  if (!samples_file.empty()) {
    samples_out.open(samples_file);
    samples_out << "seconds,erpd_cpu_seconds,orders\n" << ready_s << ',' << samples[0].cpu << ",0" << std::endl;
  }
  double max_status_ms = 0;
  double last_progress = since();
  long long next_report = 100000;
  nlohmann::json last_status;
  bool done = false;
  while (!done) {
    const double before = since();
    const auto reply = http("GET", api + "/v1/status", token);
    const double after = since();
    if (reply.status == 200) {
      last_status = nlohmann::json::parse(reply.body);
      const long long count = last_status["counts"]["orders"].get<long long>();
      samples.push_back({(before + after) / 2, cpu_seconds(erpd.pid()), count});
      if (samples_out.is_open()) {
        samples_out << samples.back().t << ',' << samples.back().cpu << ',' << count << std::endl;
      }
      max_status_ms = std::max(max_status_ms, (after - before) * 1000.0);
      if (count > samples[samples.size() - 2].count) last_progress = after;
      while (count >= next_report) {
        std::printf("stored %lld orders at %.1f s (erpd RSS %.0f MiB, status call %.0f ms)\n", count, after,
                    mib(status_kib(erpd.pid(), "VmRSS")), (after - before) * 1000.0);
        next_report += 100000;
      }
      done = count >= orders;
    }
    if (done) break;
    if (!erpd.running()) {
      std::fprintf(stderr, "erpd exited:\n%s\n", tail(erpd.log(), 4000).c_str());
      return 1;
    }
    if (after - last_progress > 120 || after > timeout_min * 60.0) {
      std::fprintf(stderr, "no progress (stored %lld of %lld); shop status: %s\nerpd log tail:\n%s\n",
                   samples.back().count, orders,
                   last_status.contains("shops") ? last_status["shops"].dump().c_str() : "?",
                   tail(erpd.log(), 4000).c_str());
      return 1;
    }
    double pause = 20 * (after - before);
    if (samples.size() >= 2) {
      // Near the end, wake when the last order should land: the count stops at N, so a late
      // final sample would be read as a slow last stretch.
      const auto& a = samples[samples.size() - 2];
      const auto& b = samples.back();
      if (b.count > a.count) {
        const double rate = static_cast<double>(b.count - a.count) / (b.t - a.t);
        pause = std::min(pause, static_cast<double>(orders - b.count) / rate);
      }
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(std::max(0.05, pause)));
  }
  const double wall_s = samples.back().t;

  const long erpd_hwm = status_kib(erpd.pid(), "VmHWM");
  const long erpd_rss = status_kib(erpd.pid(), "VmRSS");
  const long sim_rss = status_kib(sim.pid(), "VmRSS");
  const long sim_hwm = status_kib(sim.pid(), "VmHWM");
  erpd.signal(SIGTERM);
  const auto code = erpd.wait(60s);
  (void)sim.stop();
  std::error_code ec;
  const auto db_bytes = fs::file_size(dir / "erpd.db", ec);

  // --- figures ----------------------------------------------------------------------------
  long long first = 0;
  for (const auto& s : samples) {
    if (s.count > 0) {
      first = s.count;
      break;
    }
  }
  const long long span = std::min<long long>(10000, (orders - first) / 2);
  const double cost_first = ms_per_1k(samples, first, first + span);
  const double cost_last = ms_per_1k(samples, orders - span, orders);
  const double ratio = cost_last / cost_first;

  // The same figures from erpd's own clock: every order row keeps stored_at (ms), the time the
  // pipeline stored it. Polling cannot see exactly when the last order landed (the final sample
  // comes up to one poll interval late, and the count stops there), the rows can.
  std::vector<long long> stored;
  {
    SQLite::Database db(dir / "erpd.db", SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT stored_at FROM orders ORDER BY stored_at");
    while (q.executeStep()) stored.push_back(q.getColumn(0).getInt64());
  }
  const auto n_stored = static_cast<long long>(stored.size());
  const long long row_span = std::min<long long>(10000, n_stored / 2);
  auto row_cost = [&](long long from, long long to) {  // ms per 1k orders for rows [from, to]
    return static_cast<double>(stored[static_cast<std::size_t>(to)] - stored[static_cast<std::size_t>(from)]) /
           (static_cast<double>(to - from) / 1000.0);
  };
  const double row_first = row_cost(0, row_span);
  const double row_last = row_cost(n_stored - 1 - row_span, n_stored - 1);
  const double row_ratio = row_last / row_first;

  std::printf("\nfull sync of %lld Tmall orders (platform-sim -> erpd with erp-tmall -> SQLite)\n", orders);
  std::printf("  generate: %.1f s in platform-sim (%d per call); platform-sim RSS %.0f MiB after generating\n",
              generate_s, chunk, mib(sim_rss_generated));
  std::printf("  erpd: READY after %.2f s; all %lld stored %.1f s after spawn (%.0f orders/s overall)\n", ready_s,
              orders, wall_s, static_cast<double>(orders) / wall_s);
  std::printf("  erpd peak RSS (VmHWM) %.1f MiB, RSS at the end %.1f MiB; platform-sim RSS %.0f MiB (peak %.0f MiB)\n",
              mib(erpd_hwm), mib(erpd_rss), mib(sim_rss), mib(sim_hwm));
  std::printf("  database %.0f MiB; %zu status samples, slowest status call %.0f ms; erpd exit code %d\n",
              static_cast<double>(db_bytes) / 1048576.0, samples.size(), max_status_ms, code.value_or(-1));
  std::printf("  cost per order by tenths of the run (ms per 1k orders):");
  for (int d = 0; d < 10; ++d) {
    const long long a = std::max(first, orders * d / 10);
    const long long b = orders * (d + 1) / 10;
    if (b > a) std::printf(" %.0f", ms_per_1k(samples, a, b));
  }
  std::printf("\n  cost per order: first %lld stored (from %lld) %.1f ms per 1k, last %lld %.1f ms per 1k\n", span,
              first, cost_first, span, cost_last);
  std::printf("  last / first = %.2f (from the status samples)\n", ratio);
  // The wall figures include the simulator's time per page, which grows with N and is the same
  // at the start and at the end of one run; erpd's own CPU per order is what its store adds.
  const double cpu_first = ms_per_1k(samples, first, first + span, true);
  const double cpu_last = ms_per_1k(samples, orders - span, orders, true);
  std::printf(
      "  erpd CPU per order: first %.1f ms per 1k, last %.1f ms per 1k, last / first = %.2f; whole run %.1f ms per "
      "1k\n",
      cpu_first, cpu_last, cpu_last / cpu_first,
      (samples.back().cpu - samples.front().cpu) * 1000.0 / (static_cast<double>(orders) / 1000.0));
  std::printf(
      "  from stored_at of the %lld rows: first %lld %.1f ms per 1k, last %lld %.1f ms per 1k, last / first = %.2f\n",
      n_stored, row_span, row_first, row_span, row_last, row_ratio);
  const bool pass = ratio <= 1.2 && row_ratio <= 1.2;
  std::printf("  goal last / first <= 1.20 (both ways): %s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
