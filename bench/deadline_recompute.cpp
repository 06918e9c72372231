// Deadline recompute (issue [8/10] "Performance": 1,000,000 open orders in at most 1 s).
// Two figures:
//  1. recompute: compute_ship_by over N open orders' facts (Tmall in and out of both Spring
//     Festival windows, Tmall Global, activity shops, Douyin with the platform's own ship-by,
//     Taobao) plus the state each is in at `now` (open, at risk, late) — what a reload of the
//     calendars or settings costs for every open order, in memory.
//  2. sweep: DeadlineService::sweep on a store holding M open orders when the clock has moved so
//     that 1 % of them turn at risk and 1 % late: what the daemon does every sweep_every.
// Usage: bench_deadline_recompute [N=1000000] [M=100000] [rounds=5]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <vector>

#include <unistd.h>

#include "config/calendar_file.hpp"
#include "core/time_format.hpp"
#include "deadline/ship_by.hpp"
#include "store/store.hpp"
#include "workflows/deadline/deadline_service.hpp"

namespace {

using namespace erp;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using sdk::Instant;
namespace engine = daemon::deadline;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::vector<engine::ShipByFacts> make_facts(std::size_t n, std::mt19937_64& rng) {
  const auto from = *daemon::parse_cst("2023-01-01 00:00:00");
  const auto span = std::chrono::duration_cast<std::chrono::seconds>(*daemon::parse_cst("2026-12-31 00:00:00") - from);
  std::uniform_int_distribution<std::int64_t> second(0, span.count());
  std::uniform_int_distribution<int> pick(0, 99);
  std::vector<engine::ShipByFacts> out(n);
  for (auto& f : out) {
    const int p = pick(rng);
    f.platform = p < 50 ? "tmall" : p < 80 ? "taobao" : "douyin";
    f.paid_at = from + std::chrono::seconds{second(rng)};
    if (f.platform == "tmall" && pick(rng) < 10) f.cross_border = sdk::CrossBorderType::bonded_import;
    if (f.platform == "douyin") f.platform_ship_by = *f.paid_at + 48h;
    f.in_activity = pick(rng) < 5;
    f.promised = pick(rng) < 20 ? 24h : 48h;
  }
  return out;
}

double recompute(const std::vector<engine::ShipByFacts>& facts, const engine::Calendar& calendar, Instant now,
                 std::size_t& late) {
  const auto start = Clock::now();
  late = 0;
  for (const auto& f : facts) {
    const auto s = engine::compute_ship_by(f, calendar);
    if (s.deadline && *s.deadline < now) ++late;
  }
  return seconds_since(start);
}

sdk::Order open_order(std::size_t i, Instant paid) {
  sdk::Order o;
  o.platform = "taobao";
  o.shop = "tb-1";
  o.order_id = "B" + std::to_string(i);
  o.status = sdk::OrderStatus::paid;
  o.created_at = paid - 1min;
  o.paid_at = paid;
  o.modified_at = paid;
  sdk::OrderLine line;
  line.line_id = o.order_id + "-1";
  line.quantity = 1;
  o.lines.push_back(line);
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  const std::size_t m = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 100000;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 5;
  auto loaded = daemon::config::load_calendars(std::string(ERP_SOURCE_DIR) + "/config/calendars");
  if (!loaded.issues.empty()) {
    std::fprintf(stderr, "calendar problem: %s\n", loaded.issues.front().to_string().c_str());
    return 1;
  }
  std::mt19937_64 rng(20240202);
  const auto facts = make_facts(n, rng);
  const auto now = *daemon::parse_cst("2025-06-01 12:00:00");
  double best = 1e9;
  std::size_t late = 0;
  for (int r = 0; r < rounds; ++r) best = std::min(best, recompute(facts, loaded.calendar, now, late));
  std::printf("recompute: %zu open orders in %.3f s (best of %d), %.0f orders/s; %zu late at %s\n", n, best, rounds,
              static_cast<double>(n) / best, late, daemon::format_cst(now).c_str());

  // The sweep on a store: M open orders paid over 10 days before `t0`.
  const auto dir = std::filesystem::temp_directory_path() / ("erp-bench-deadline-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    auto store = std::move(daemon::store::Store::open(dir / "erpd.db")).value();
    daemon::workflows::deadline::DeadlineService service(*store, {});
    daemon::workflows::deadline::Settings settings;
    settings.calendar = loaded.calendar;
    service.apply(settings);
    const auto t0 = *daemon::parse_cst("2026-05-01 00:00:00");
    const auto fill = Clock::now();
    for (std::size_t i = 0; i < m;) {
      auto tx = store->begin();
      for (std::size_t k = 0; k < 5000 && i < m; ++k, ++i) {
        // Spread over 10 days so that a 2.4 h step moves 1 % into the at-risk lead and 1 % late.
        const auto paid = t0 - std::chrono::milliseconds{static_cast<std::int64_t>(i * (10 * 86400000LL / m))};
        const auto order = open_order(i, paid);
        store->upsert_order(*tx, order, t0);
        service.on_order_changed(*tx, *store->get_order(*tx, daemon::OrderKey{order.platform, order.shop, order.order_id}), t0);
      }
      tx->commit();
    }
    std::printf("store: %zu open orders with deadlines written in %.1f s\n", m, seconds_since(fill));
    service.sweep(t0);  // settle what is due at t0 already
    const auto start = Clock::now();
    const auto swept = service.sweep(t0 + std::chrono::minutes{144});
    std::printf("sweep after 2.4 h: %.3f s for %d newly at risk and %d newly late of %zu open orders\n",
                seconds_since(start), swept.at_risk, swept.late, m);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
