// bench_douyin_push_latency [--rate R] [--seconds S] [--poll-ms P] [--grace-s G] [--rpm N]
// Douyin push -> order visible in GET /v1/orders (issue 4 "Performance": p99 at most 200 ms at
// 200 pushes/s). Prints figures; not a test: it exits non-zero only when the setup fails.
//
// 1. starts the build tree's platform-sim (integration harness) and loads a scenario: the clock
//    two days back, one Douyin shop without push_url (the benchmark sends the pushes itself, so it
//    knows when each was sent) and R x S + 1 paid orders B0000000, B0000001, ... with 1-2 sku
//    orders each; then sets the clock to now, so every order lies two days in the past;
// 2. starts the build tree's erpd with that shop (erp-douyin plugin), poll_interval 1h, sync
//    backfill 1h, reconcile_span 1h, lag 1s: polling never finds those orders, only a push brings each in;
//    requests_per_minute N (default 100000): each push costs one order.orderDetail, and the
//    shop's default budget of 600 a minute would hold fetches to 10 a second (--rpm 600 shows it);
// 3. warm-up: one signed push for B0000000, waits until the order is listed (this proves the
//    whole path: push path served, signature accepted, orderDetail fetched, order stored);
// 4. a sender thread POSTs one signed push per order (tag 101, unique msg_id, data = JSON text
//    with p_id) at a steady R per second for S seconds to erpd's push path, on one keep-alive
//    libcurl handle, taking each send time (steady_clock) right before the POST; a watcher
//    thread walks GET /v1/orders?platform=douyin&shop=ID with the cursor every P ms (from the
//    start of one poll to the start of the next) and takes the time each order id first shows
//    up in an answer (when the answer has arrived). Latency = seen - sent.
// 5. stops when every order was seen or G seconds after the last send; reads erpd's
//    erp_push_messages_total from /metrics.
//
// The watcher cannot see an order earlier than the poll after it was stored, so every latency
// is over-stated by up to one poll period plus one list call (printed as the watcher's
// resolution). GET /v1/orders gives no cursor on its last page, so to follow the tail the
// watcher re-asks a page of k orders with limit k-1 (which does carry the cursor of its last
// row): every poll re-reads about one order, not the whole tail.

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
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

const std::string kShop = "dy-bench";
const std::string kAppKey = "7100000000000000001";
const std::string kAppSecret = "dy-bench-secret";
const std::string kAccessToken = "dy-bench-access";
const std::string kRefreshToken = "dy-bench-refresh";

std::string order_id(long long i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "B%07lld", i);
  return buf;
}

/// The index of "B0000123", or -1 for any other id.
long long order_index(const std::string& id) {
  if (id.size() != 8 || id[0] != 'B') return -1;
  long long v = 0;
  for (std::size_t i = 1; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9') return -1;
    v = v * 10 + (id[i] - '0');
  }
  return v;
}

std::string md5_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_md5(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

/// One push as Douyin sends it (PLATFORMS.md §3.6): a JSON array of one message whose data is
/// JSON text, signed md5(app_key + body + app_secret) in lower-case hex.
struct Push {
  std::string body;
  std::string sign;
};

Push make_push(long long i, std::int64_t update_time) {
  const json data{{"p_id", order_id(i)},
                  {"s_ids", json::array({order_id(i) + "1"})},
                  {"shop_id", 4463798},
                  {"order_status", 2},
                  {"order_type", 0},
                  {"pay_amount", 0},
                  {"update_time", update_time},
                  {"biz", 2}};
  const json message{{"tag", "101"}, {"msg_id", std::to_string(7300000000000000000LL + i)}, {"data", data.dump()}};
  Push p;
  p.body = json::array({message}).dump();
  p.sign = md5_hex(kAppKey + p.body + kAppSecret);
  return p;
}

/// Scenario text: the shop (first chunk only, with the clock) and orders [from, to).
std::string scenario(long long from, long long to, const std::string& clock) {
  std::string y;
  if (!clock.empty()) {
    y += "clock: \"" + clock + "\"\n";
    y += "description: bench_douyin_push_latency\n";
    y += "shops:\n  - id: " + kShop + "\n    platform: douyin\n    app_key: \"" + kAppKey +
         "\"\n    app_secret: " + kAppSecret + "\n    access_token: " + kAccessToken +
         "\n    refresh_token: " + kRefreshToken + "\n";
  }
  y += "events:\n";
  for (long long i = from; i < to; ++i) {
    const std::string id = order_id(i);
    y += "  - at: \"+0s\"\n    shop: " + kShop + "\n    type: order\n    order_id: \"" + id + "\"\n    paid: true\n";
    y += "    buyer: buyer" + std::to_string(i % 997) + "\n";
    y += "    receiver: {name: 王小明, phone: \"138" + std::to_string(10000000 + i % 89999999) +
         "\", province: 浙江省, city: 杭州市, town: 西湖区, street: 文三路, detail: \"文三路" +
         std::to_string(i % 500 + 1) + "号\"}\n";
    y += "    skus:\n";
    const int skus = 1 + static_cast<int>(i % 2);
    for (int k = 1; k <= skus; ++k) {
      y += "      - {sku_order_id: \"" + id + std::to_string(k) + "\", sku_id: \"17" + std::to_string(k) +
           "\", code: OUT-" + std::to_string(k) + ", product_name: 商品" + std::to_string(k) +
           ", qty: " + std::to_string(k) + ", price: \"" + std::to_string(9 + k * 10) + ".90\"}\n";
    }
  }
  return y;
}

}  // namespace

int main(int argc, char** argv) {
  double rate = 200;
  double seconds = 30;
  double poll_ms = 5;
  double grace_s = 10;
  int rpm = 100000;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> double { return std::atof(argv[++i]); };
    if (arg == "--rate" && i + 1 < argc) {
      rate = std::max(0.1, next());
    } else if (arg == "--seconds" && i + 1 < argc) {
      seconds = std::max(0.1, next());
    } else if (arg == "--poll-ms" && i + 1 < argc) {
      poll_ms = std::max(0.0, next());
    } else if (arg == "--grace-s" && i + 1 < argc) {
      grace_s = std::max(1.0, next());
    } else if (arg == "--rpm" && i + 1 < argc) {
      rpm = std::max(1, static_cast<int>(next()));
    } else {
      std::fprintf(stderr,
                   "usage: %s [--rate R=200] [--seconds S=30] [--poll-ms P=5] [--grace-s G=10] [--rpm N=100000]\n",
                   argv[0]);
      return 2;
    }
  }
  begin_run();
  const auto pushes = static_cast<long long>(std::llround(rate * seconds));
  const long long total = pushes + 1;  // B0000000 is the warm-up order.

  // --- platform-sim and its orders ---------------------------------------------------------
  TempDir dir;
  PlatformSim sim(dir.path());
  if (!start_sim(sim)) return 1;
  const auto real_now = std::chrono::system_clock::now();
  const std::string back = rfc3339(real_now - std::chrono::hours{48});
  const auto g0 = Clock::now();
  constexpr long long kChunk = 1000;  // Orders per scenario load (the harness client gives up after 10 s).
  for (long long from = 0; from < total; from += kChunk) {
    const long long to = std::min(total, from + kChunk);
    const auto reply =
        http("POST", sim.url() + "/admin/scenario", "", scenario(from, to, from == 0 ? back : ""), "application/yaml");
    if (reply.status != 200) {
      std::fprintf(stderr, "scenario load [%lld, %lld) answered %d: %s\n", from, to, reply.status,
                   tail(reply.body, 2000).c_str());
      return 1;
    }
    const json answer = json::parse(reply.body, nullptr, false);
    if (!answer.is_object() || answer.value("applied", -1) != to - from || !answer["refused"].empty()) {
      std::fprintf(stderr, "scenario load [%lld, %lld): not every order applied: %s\n", from, to,
                   tail(reply.body, 2000).c_str());
      return 1;
    }
  }
  {
    const auto reply = http("POST", sim.url() + "/admin/clock", "", json{{"set", rfc3339(real_now)}}.dump());
    if (reply.status != 200) {
      std::fprintf(stderr, "setting the clock answered %d: %s\n", reply.status, reply.body.c_str());
      return 1;
    }
  }
  std::printf("platform-sim: %lld Douyin orders created two days back (%s) in %.1f s, clock set to %s\n", total,
              back.c_str(), std::chrono::duration<double>(Clock::now() - g0).count(), rfc3339(real_now).c_str());

  // --- erpd ---------------------------------------------------------------------------------
  std::string yaml = erpd_config_head(dir.path(), ERP_PLUGIN_DIR);
  // Polling never reaches back two days: only pushes bring the orders in.
  yaml += "sync:\n  backfill: 1h\n  lag: 1s\n  reconcile_every: 1h\n  reconcile_span: 1h\n";
  yaml += "shops:\n  - id: " + kShop + "\n    platform: douyin\n    base_url: " + sim.url() + "\n    app_key: \"" +
          kAppKey + "\"\n    app_secret: " + kAppSecret + "\n    access_token: " + kAccessToken +
          "\n    poll_interval: 1h\n    requests_per_minute: " + std::to_string(rpm) +
          "\n    options:\n      refresh_token: " + kRefreshToken + "\n";
  const auto config = dir / "erpd.yaml";
  write_file(config, yaml, fs::perms::owner_read | fs::perms::owner_write);
  Erpd erpd(config, dir.path());
  const auto access = start_erpd(erpd, dir.path());
  if (!access) return 1;
  const std::string api = access->url;
  const std::string token = access->token;
  const std::string push_url = api + "/push/" + kShop;
  const std::string list_url = api + "/v1/orders?platform=douyin&shop=" + kShop;

  curl_slist* api_headers = curl_slist_append(nullptr, ("Authorization: Bearer " + token).c_str());

  // Give the shop's first (empty) poll time to finish, then check it found nothing.
  std::this_thread::sleep_for(1s);
  {
    const auto reply = http("GET", list_url, token);
    const json page = json::parse(reply.body, nullptr, false);
    if (reply.status != 200 || !page.is_object() || !page.contains("orders") || !page["orders"].empty()) {
      std::fprintf(stderr, "before any push GET /v1/orders answered %d with %s (expected no orders)\n", reply.status,
                   tail(reply.body, 1000).c_str());
      return 1;
    }
  }

  // --- warm-up: one push end to end -----------------------------------------------------------
  const std::int64_t update_time =
      std::chrono::duration_cast<std::chrono::seconds>((real_now - std::chrono::hours{48}).time_since_epoch()).count();
  {
    Conn conn;
    const Push p = make_push(0, update_time);
    curl_slist* h = curl_slist_append(nullptr, "Content-Type: application/json");
    h = curl_slist_append(h, ("app-id: " + kAppKey).c_str());
    h = curl_slist_append(h, ("event-sign: " + p.sign).c_str());
    const auto [status, body] = conn.request("POST", push_url, h, p.body);
    curl_slist_free_all(h);
    const json ack = json::parse(body, nullptr, false);
    if (status != 200 || !ack.is_object() || ack.value("code", -1) != 0) {
      std::fprintf(stderr, "warm-up push to %s answered %d: %s\nerpd log tail:\n%s\n", push_url.c_str(), status,
                   body.c_str(), tail(erpd.log(), 4000).c_str());
      return 1;
    }
    const bool seen = eventually(
        [&] {
          const auto reply = http("GET", list_url, token);
          const json page = json::parse(reply.body, nullptr, false);
          return reply.status == 200 && page.is_object() && page.contains("orders") && page["orders"].size() == 1;
        },
        10s);
    if (!seen) {
      std::fprintf(stderr, "the warm-up order never became visible\nerpd log tail:\n%s\n",
                   tail(erpd.log(), 4000).c_str());
      return 1;
    }
  }

  // --- the run ------------------------------------------------------------------------------
  std::vector<Push> bodies;
  bodies.reserve(static_cast<std::size_t>(pushes));
  for (long long i = 1; i <= pushes; ++i) bodies.push_back(make_push(i, update_time));

  const auto n = static_cast<std::size_t>(pushes);
  std::vector<Clock::time_point> sent(n), acked(n);
  std::vector<int> ack_status(n, 0);
  std::vector<char> ack_ok(n, 0);
  std::vector<std::optional<Clock::time_point>> seen(n);  // Written by the watcher only.
  std::atomic<bool> sender_done{false};
  std::atomic<long long> last_sent_ns{0};

  const double cpu0 = cpu_seconds(erpd.pid());
  const auto start = Clock::now() + 50ms;

  std::thread sender([&] {
    Conn conn;
    const auto period = std::chrono::duration<double>(1.0 / rate);
    for (std::size_t i = 0; i < n; ++i) {
      std::this_thread::sleep_until(start +
                                    std::chrono::duration_cast<Clock::duration>(period * static_cast<double>(i)));
      curl_slist* h = curl_slist_append(nullptr, "Content-Type: application/json");
      h = curl_slist_append(h, ("app-id: " + kAppKey).c_str());
      h = curl_slist_append(h, ("event-sign: " + bodies[i].sign).c_str());
      sent[i] = Clock::now();
      auto [status, body] = conn.request("POST", push_url, h, bodies[i].body);
      acked[i] = Clock::now();
      curl_slist_free_all(h);
      ack_status[i] = status;
      const json ack = json::parse(body, nullptr, false);
      ack_ok[i] = status == 200 && ack.is_object() && ack.value("code", -1) == 0;
      last_sent_ns.store(sent[i].time_since_epoch().count());
    }
    sender_done = true;
  });

  std::size_t polls = 0, list_calls = 0, list_errors = 0, seen_count = 0;
  double max_gap_ms = 0, max_list_ms = 0, sum_list_ms = 0;
  std::thread watcher([&] {
    Conn conn;
    std::string cursor;
    auto next_poll = start;
    std::optional<Clock::time_point> previous;
    auto list = [&](int limit) -> std::optional<json> {
      std::string url = list_url + "&limit=" + std::to_string(limit);
      if (!cursor.empty()) url += "&cursor=" + cursor;
      const auto t0 = Clock::now();
      auto [status, body] = conn.request("GET", url, api_headers);
      const double took = ms(Clock::now() - t0);
      ++list_calls;
      sum_list_ms += took;
      max_list_ms = std::max(max_list_ms, took);
      json page = json::parse(body, nullptr, false);
      if (status != 200 || !page.is_object() || !page["orders"].is_array()) {
        ++list_errors;
        return std::nullopt;
      }
      return page;
    };
    auto note = [&](const json& page, Clock::time_point at) {
      for (const auto& o : page["orders"]) {
        const long long idx = order_index(o.value("order_id", ""));
        if (idx < 1 || idx > pushes) continue;  // The warm-up order.
        auto& slot = seen[static_cast<std::size_t>(idx - 1)];
        if (!slot) {
          slot = at;
          ++seen_count;
        }
      }
    };
    while (true) {
      std::this_thread::sleep_until(next_poll);
      const auto poll_start = Clock::now();
      if (previous) max_gap_ms = std::max(max_gap_ms, ms(poll_start - *previous));
      previous = poll_start;
      next_poll =
          poll_start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(poll_ms));
      ++polls;
      // Walk every page that is there now.
      while (true) {
        const auto page = list(1000);
        if (!page) break;
        note(*page, Clock::now());
        const auto k = (*page)["orders"].size();
        if ((*page)["next_cursor"].is_string()) {
          cursor = (*page)["next_cursor"].get<std::string>();
          continue;
        }
        // The last page carries no cursor: step to its last-but-one row, so the next poll
        // re-reads one order instead of the whole tail.
        if (k >= 2) {
          const auto shorter = list(static_cast<int>(k - 1));
          if (shorter && (*shorter)["next_cursor"].is_string()) {
            note(*shorter, Clock::now());
            cursor = (*shorter)["next_cursor"].get<std::string>();
          }
        }
        break;
      }
      if (seen_count == n) break;
      if (sender_done) {
        const Clock::time_point last{Clock::duration{last_sent_ns.load()}};
        if (Clock::now() - last > std::chrono::duration<double>(grace_s)) break;
      }
    }
  });
  sender.join();
  watcher.join();
  const double cpu1 = cpu_seconds(erpd.pid());
  const auto end = Clock::now();

  // --- figures ------------------------------------------------------------------------------
  const auto metrics = http("GET", api + "/metrics", token);
  std::vector<std::string> push_lines;
  {
    std::istringstream in(metrics.body);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("erp_push_messages_total", 0) == 0) push_lines.push_back(line);
    }
  }
  const auto status_reply = http("GET", api + "/v1/status", token);
  std::string shop_status = "?";
  if (const json st = json::parse(status_reply.body, nullptr, false); st.is_object() && st.contains("shops")) {
    shop_status = st["shops"].dump();
  }

  std::vector<double> latency, acks;
  std::size_t late = 0, missing = 0, not_acked = 0;
  std::map<int, std::size_t> statuses;
  for (std::size_t i = 0; i < n; ++i) {
    acks.push_back(ms(acked[i] - sent[i]));
    if (!ack_ok[i]) {
      ++not_acked;
      ++statuses[ack_status[i]];
    }
    if (!seen[i]) {
      ++missing;
      continue;
    }
    const double l = ms(*seen[i] - sent[i]);
    if (l > grace_s * 1000.0) ++late;
    latency.push_back(l);
  }
  const Stats lat = stats(latency);
  const Stats ack = stats(acks);
  const double send_span = std::chrono::duration<double>(sent[n - 1] - sent[0]).count();
  const double achieved = n > 1 ? static_cast<double>(n - 1) / send_span : kNaN;
  const double run_s = std::chrono::duration<double>(end - start).count();
  const double poll_period =
      static_cast<double>(ms(end - start)) / static_cast<double>(std::max<std::size_t>(polls, 1));

  std::printf("\nDouyin push -> visible in GET /v1/orders: %zu pushes asked at %.0f/s for %.0f s, sent at %.1f/s\n", n,
              rate, seconds, achieved);
  std::printf(
      "SUMMARY pushes=%zu rate=%.1f/s p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms not_seen_within_%.0fs=%zu "
      "watcher_poll=%.1fms (max gap %.1fms)\n",
      n, achieved, lat.p50, lat.p90, lat.p99, lat.max, grace_s, late + missing, poll_period, max_gap_ms);
  std::printf("\n| figure | count | p50 ms | p90 ms | p99 ms | max ms | mean ms |\n|---|---|---|---|---|---|---|\n");
  std::printf("| push sent -> order listed | %zu | %.1f | %.1f | %.1f | %.1f | %.1f |\n", lat.n, lat.p50, lat.p90,
              lat.p99, lat.max, lat.mean);
  std::printf("| push sent -> acknowledged | %zu | %.2f | %.2f | %.2f | %.2f | %.2f |\n", ack.n, ack.p50, ack.p90,
              ack.p99, ack.max, ack.mean);
  std::printf("\n  never listed: %zu; listed later than %.0f s: %zu; pushes not acknowledged {\"code\":0}: %zu",
              missing, grace_s, late, not_acked);
  for (const auto& [s, c] : statuses) std::printf(" (HTTP %d: %zu)", s, c);
  std::printf(
      "\n  watcher: %zu polls over %.1f s = one every %.2f ms (asked %.1f ms), longest gap %.1f ms; %zu list calls, "
      "mean %.2f ms, slowest %.1f ms, %zu failed\n",
      polls, run_s, poll_period, poll_ms, max_gap_ms, list_calls,
      sum_list_ms / static_cast<double>(std::max<std::size_t>(list_calls, 1)), max_list_ms, list_errors);
  std::printf("  erpd CPU %.2f s over the run (%.0f %% of one core); requests_per_minute %d; load average now %s\n",
              cpu1 - cpu0, 100.0 * (cpu1 - cpu0) / run_s, rpm, loadavg().c_str());
  std::printf("  erpd /metrics (includes the 1 warm-up push):\n");
  if (push_lines.empty()) std::printf("    (no erp_push_messages_total line; /metrics answered %d)\n", metrics.status);
  for (const auto& line : push_lines) std::printf("    %s\n", line.c_str());
  std::printf("  shop status: %s\n", shop_status.c_str());

  // Warnings and errors erpd logged, which would explain lost or late orders.
  {
    std::istringstream in(erpd.log());
    std::string line;
    std::size_t shown = 0, total_warn = 0;
    while (std::getline(in, line)) {
      if (line.find("warn") != std::string::npos || line.find("error") != std::string::npos) {
        ++total_warn;
        if (shown < 10) {
          std::printf("  erpd log: %s\n", line.c_str());
          ++shown;
        }
      }
    }
    if (total_warn > shown) std::printf("  erpd log: ... %zu warning/error lines in all\n", total_warn);
  }

  curl_slist_free_all(api_headers);
  erpd.signal(SIGTERM);
  erpd.wait(30s);
  sim.stop();
  curl_global_cleanup();
  return 0;
}
