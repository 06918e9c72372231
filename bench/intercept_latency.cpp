// bench_intercept_latency [--rate R] [--seconds S] [--connections C] [--orders N] [--max-p99-ms M]
// Intercept decision latency (issue 5 "Performance"): the HTTP round trip of
// POST /v1/orders/{platform}/{shop}/{order_id}/intercepts for orders the daemon still holds, at
// R requests a second (default 500) for S seconds (default 10), each to a different order.
// Exits 3 when the round trip's p99 is over M ms (default 5), 4 when an answer was not
// 201 locked, 1 when the setup fails.
//
// 1. starts the build tree's platform-sim (integration harness) and generates N Taobao orders in
//    shop gen-taobao-1 (POST /admin/generate; paid 1-30 minutes ago), N = 1.05 x R x S + 100 by
//    default (a generated order whose only line is already refunded is closed, not held);
// 2. starts the build tree's erpd with that shop (erp-taobao plugin, poll_interval 1s,
//    requests_per_minute 100000, sync backfill 1d), `workflows.release_delay: 2h` (every order is
//    held as RELEASE_DELAY) and `workflows.intercept.memo`, a pulling warehouse (`connector: api`,
//    no webhook); waits until GET /v1/status counts N orders;
// 3. lists the held orders (GET /v1/orders?state=held), sends one warm-up intercept (checks
//    201 locked; not in the figures);
// 4. open loop: request i is due at start + i / R; C threads, each with one keep-alive libcurl
//    handle, take the next due request whenever they are free, sleep until it is due and send it,
//    so a slow answer delays at most the requests that find every connection busy, never the
//    schedule. Round trip = answer received - request sent (steady_clock); "from schedule" =
//    answer received - due time, which also counts the wait for a free connection;
// 5. prints the figures, erpd's CPU over the run, erpd_intercepts_total, and how long the outbox
//    took to write every memo to the platform after the last request (the simulator's memo count).

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/harness.hpp"
#include "latency_support.hpp"

using namespace erp::bench;
using namespace erp::test;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kShop = "gen-taobao-1";  // platform-sim's generated shop and its derived credentials
const std::string kMemo = "拦截发货";

/// A keep-alive connection that POSTs JSON with the API token.
class Poster {
 public:
  explicit Poster(const std::string& token) {
    curl_slist* h = curl_slist_append(nullptr, ("Authorization: Bearer " + token).c_str());
    headers_.reset(curl_slist_append(h, "Content-Type: application/json"));
  }

  /// POST `body` to `url`: the status (0 when the request failed) and the answer.
  std::pair<int, std::string> post(const std::string& url, const std::string& body) {
    return conn_.request("POST", url, headers_.get(), body);
  }

 private:
  struct FreeList {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
  };
  std::unique_ptr<curl_slist, FreeList> headers_;
  Conn conn_;  // Declared last: its handle is cleaned up before the headers are freed.
};

/// Sum of the samples of `metric` whose line contains `label`.
double metric_sum(const std::string& text, const std::string& metric, const std::string& label) {
  std::istringstream in(text);
  double sum = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(metric + "{", 0) == 0 && line.find(label) != std::string::npos)
      sum += std::atof(line.substr(line.rfind(' ') + 1).c_str());
  }
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  double rate = 500, seconds = 10, max_p99_ms = 5;
  int connections = 8;
  long long orders = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> double { return std::atof(argv[++i]); };
    if (arg == "--rate" && i + 1 < argc) {
      rate = std::max(1.0, next());
    } else if (arg == "--seconds" && i + 1 < argc) {
      seconds = std::max(0.1, next());
    } else if (arg == "--connections" && i + 1 < argc) {
      connections = std::max(1, static_cast<int>(next()));
    } else if (arg == "--orders" && i + 1 < argc) {
      orders = static_cast<long long>(next());
    } else if (arg == "--max-p99-ms" && i + 1 < argc) {
      max_p99_ms = next();
    } else {
      std::fprintf(stderr,
                   "usage: %s [--rate R=500] [--seconds S=10] [--connections C=8] [--orders N=1.05*R*S+100] "
                   "[--max-p99-ms M=5]\n",
                   argv[0]);
      return 2;
    }
  }
  begin_run();
  const auto n = static_cast<std::size_t>(std::llround(rate * seconds));
  // Spares: a generated order whose only line the buyer already got refunded is closed, not held.
  if (orders < static_cast<long long>(n) + 1) orders = static_cast<long long>(n) * 21 / 20 + 100;

  // --- platform-sim and its orders ---------------------------------------------------------
  TempDir dir;
  PlatformSim sim(dir.path());
  if (!start_sim(sim)) return 1;
  const auto g0 = Clock::now();
  for (long long made = 0; made < orders;) {
    const long long chunk = std::min<long long>(5000, orders - made);  // the harness client gives up after 10 s
    const auto reply = http("POST", sim.url() + "/admin/generate", "",
                            json{{"platform", "taobao"}, {"shops", 1}, {"orders", chunk}}.dump());
    if (reply.status != 200) {
      std::fprintf(stderr, "POST /admin/generate answered %d: %s\n", reply.status, tail(reply.body, 2000).c_str());
      return 1;
    }
    made += chunk;
  }
  std::printf("platform-sim: %lld Taobao orders generated in %.1f s\n", orders,
              std::chrono::duration<double>(Clock::now() - g0).count());

  // --- erpd -----------------------------------------------------------------------------------
  std::string yaml = erpd_config_head(dir.path(), ERP_PLUGIN_DIR);
  yaml += "sync:\n  backfill: 1d\n  window: 1d\n  lag: 1s\n  reconcile_every: 1h\n  reconcile_span: 1h\n";
  yaml += "workflows:\n  release_delay: 2h\n  intercept:\n    memo: \"" + kMemo + "\"\n";
  yaml += "shops:\n  - id: " + kShop + "\n    platform: taobao\n    base_url: " + sim.url() +
          "/router/rest\n    app_key: " + kShop + "-key\n    app_secret: " + kShop + "-secret\n    session: " + kShop +
          "-session\n    poll_interval: 1s\n    requests_per_minute: 100000\n";
  const auto config = dir / "erpd.yaml";
  write_file(config, yaml, fs::perms::owner_read | fs::perms::owner_write);
  Erpd erpd(config, dir.path());
  const auto e0 = Clock::now();
  const auto access = start_erpd(erpd, dir.path());
  if (!access) return 1;
  const std::string api = access->url;
  const std::string token = access->token;

  json counts;
  const bool synced = eventually(
      [&] {
        const auto reply = http("GET", api + "/v1/status", token);
        const json status = json::parse(reply.body, nullptr, false);
        if (reply.status != 200 || !status.is_object()) return false;
        counts = status["counts"];
        return counts.value("orders", 0LL) == orders;  // the release delay holds each in the same transaction
      },
      120s);
  if (!synced) {
    std::fprintf(stderr, "erpd did not store all %lld orders within 120 s (counts %s)\n%s\n", orders,
                 counts.dump().c_str(), tail(erpd.log(), 4000).c_str());
    return 1;
  }
  std::printf("erpd: %lld orders synced, %lld held (RELEASE_DELAY), %.1f s after spawn\n", orders,
              counts.value("held_orders", 0LL), std::chrono::duration<double>(Clock::now() - e0).count());

  std::vector<std::string> held;  // "/v1/orders/taobao/gen-taobao-1/<tid>/intercepts"
  for (std::string cursor;;) {
    const auto reply =
        http("GET",
             api + "/v1/orders?shop=" + kShop + "&state=held&limit=1000" + (cursor.empty() ? "" : "&cursor=" + cursor),
             token);
    const json page = json::parse(reply.body, nullptr, false);
    if (reply.status != 200 || !page.is_object()) {
      std::fprintf(stderr, "GET /v1/orders answered %d: %s\n", reply.status, tail(reply.body, 1000).c_str());
      return 1;
    }
    for (const auto& o : page["orders"])
      held.push_back(api + "/v1/orders/taobao/" + kShop + "/" + o["order_id"].get<std::string>() + "/intercepts");
    if (!page["next_cursor"].is_string()) break;
    cursor = page["next_cursor"].get<std::string>();
  }
  if (held.size() < n + 1) {
    std::fprintf(stderr, "only %zu held orders for %zu requests and a warm-up\n", held.size(), n);
    return 1;
  }

  const std::string body = json{{"reason", "bench"}, {"by", "bench"}}.dump();
  {
    Poster conn(token);
    const auto [status, answer] = conn.post(held.back(), body);
    const json a = json::parse(answer, nullptr, false);
    if (status != 201 || !a.is_object() || a["intercept"].value("state", "") != "locked") {
      std::fprintf(stderr, "warm-up intercept answered %d: %s\nerpd log tail:\n%s\n", status, answer.c_str(),
                   tail(erpd.log(), 4000).c_str());
      return 1;
    }
  }

  // --- the run ----------------------------------------------------------------------------------
  std::vector<Clock::time_point> due(n), sent(n), answered(n);
  std::vector<int> status(n, 0);
  std::vector<char> locked(n, 0);
  std::atomic<std::size_t> next{0};
  const double cpu0 = cpu_seconds(erpd.pid());
  const auto start = Clock::now() + 100ms;
  const auto period = std::chrono::duration<double>(1.0 / rate);
  for (std::size_t i = 0; i < n; ++i)
    due[i] = start + std::chrono::duration_cast<Clock::duration>(period * static_cast<double>(i));

  std::vector<std::thread> senders;
  for (int c = 0; c < connections; ++c) {
    senders.emplace_back([&] {
      Poster conn(token);
      for (std::size_t i = next++; i < n; i = next++) {
        std::this_thread::sleep_until(due[i]);
        sent[i] = Clock::now();
        auto [code, answer] = conn.post(held[i], body);
        answered[i] = Clock::now();
        status[i] = code;
        const json a = json::parse(answer, nullptr, false);
        locked[i] = code == 201 && a.is_object() && a["intercept"].value("state", "") == "locked";
      }
    });
  }
  for (auto& t : senders) t.join();
  const double cpu1 = cpu_seconds(erpd.pid());
  const auto end = Clock::now();

  // --- figures ------------------------------------------------------------------------------------
  std::vector<double> round_trip, from_due, lateness;
  std::map<int, std::size_t> wrong;
  for (std::size_t i = 0; i < n; ++i) {
    round_trip.push_back(ms(answered[i] - sent[i]));
    from_due.push_back(ms(answered[i] - due[i]));
    lateness.push_back(ms(sent[i] - due[i]));
    if (!locked[i]) ++wrong[status[i]];
  }
  const Stats rt = stats(round_trip), fd = stats(from_due), late = stats(lateness);
  const auto first_sent = *std::min_element(sent.begin(), sent.end());
  const auto last_sent = *std::max_element(sent.begin(), sent.end());
  const double achieved =
      n > 1 ? static_cast<double>(n - 1) / std::chrono::duration<double>(last_sent - first_sent).count() : kNaN;
  const double run_s = std::chrono::duration<double>(end - start).count();
  std::size_t wrong_total = 0;
  for (const auto& [code, count] : wrong) wrong_total += count;

  std::printf(
      "\nintercept decisions: %zu requests asked at %.0f/s for %.0f s on %d keep-alive connections, sent at %.1f/s\n",
      n, rate, seconds, connections, achieved);
  std::printf("SUMMARY requests=%zu rate=%.1f/s p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms not_201_locked=%zu\n", n,
              achieved, rt.p50, rt.p90, rt.p99, rt.max, wrong_total);
  std::printf("\n| figure | count | p50 ms | p90 ms | p99 ms | max ms | mean ms |\n|---|---|---|---|---|---|---|\n");
  std::printf("| round trip (sent -> answered) | %zu | %.2f | %.2f | %.2f | %.2f | %.2f |\n", rt.n, rt.p50, rt.p90,
              rt.p99, rt.max, rt.mean);
  std::printf("| from schedule (due -> answered) | %zu | %.2f | %.2f | %.2f | %.2f | %.2f |\n", fd.n, fd.p50, fd.p90,
              fd.p99, fd.max, fd.mean);
  std::printf("| sent late (due -> sent) | %zu | %.2f | %.2f | %.2f | %.2f | %.2f |\n", late.n, late.p50, late.p90,
              late.p99, late.max, late.mean);
  if (wrong_total > 0) {
    std::printf("\n  answers other than 201 locked:");
    for (const auto& [code, count] : wrong) std::printf(" HTTP %d: %zu", code, count);
    std::printf("\n");
  }
  std::printf("  erpd CPU %.2f s over the run (%.0f %% of one core); load average now %s\n", cpu1 - cpu0,
              100.0 * (cpu1 - cpu0) / run_s, loadavg().c_str());

  // The memos the run asked for, written by the outbox after the answers.
  const auto memos_start = Clock::now();
  int memos = 0;
  const bool drained = eventually(
      [&] {
        const auto reply = http("GET", sim.url() + "/admin/counters", "");
        const json c = json::parse(reply.body, nullptr, false);
        memos = c.is_object() && c.contains("memo") ? c["memo"].value("total", 0) : 0;
        return memos >= static_cast<int>(n) + 1;
      },
      60s);
  std::printf("  memos written on the platform: %d of %zu (with the warm-up), %s %.1f s after the last answer\n", memos,
              n + 1, drained ? "all" : "not all", std::chrono::duration<double>(Clock::now() - memos_start).count());
  const std::string metrics = http("GET", api + "/metrics", token).body;
  std::printf("  erpd_intercepts_total: locked %.0f, refused %.0f, too_late %.0f (includes the warm-up)\n",
              metric_sum(metrics, "erpd_intercepts_total", "outcome=\"locked\""),
              metric_sum(metrics, "erpd_intercepts_total", "outcome=\"refused\""),
              metric_sum(metrics, "erpd_intercepts_total", "outcome=\"too_late\""));
  {
    std::istringstream in(erpd.log());
    std::size_t shown = 0, total = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.find("warn") == std::string::npos && line.find("error") == std::string::npos) continue;
      if (++total <= 10) std::printf("  erpd log: %s\n", line.c_str());
      shown = std::min<std::size_t>(total, 10);
    }
    if (total > shown) std::printf("  erpd log: ... %zu warning/error lines in all\n", total);
  }

  erpd.signal(SIGTERM);
  erpd.wait(30s);
  sim.stop();
  curl_global_cleanup();
  if (wrong_total > 0) {
    std::printf("FAIL: %zu answers were not 201 locked\n", wrong_total);
    return 4;
  }
  if (!(rt.p99 <= max_p99_ms)) {
    std::printf("FAIL: round-trip p99 %.2f ms is over %.2f ms\n", rt.p99, max_p99_ms);
    return 3;
  }
  std::printf("OK: round-trip p99 %.2f ms <= %.2f ms\n", rt.p99, max_p99_ms);
  return 0;
}
