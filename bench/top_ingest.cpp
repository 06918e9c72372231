// bench_top_ingest [--pages N] [--rounds R] [--push] [--breakdown] [--only store|raw]
// Ingest of recorded TOP pages (issue 3 "Performance": at least 0.6 of the baseline). Prints
// figures; not a test.
//
// Pages: N (default 200) real taobao.trades.sold.increment.get answers of 100 Tmall trades each,
// with the fields the adapter asks for, recorded from the simulator's TOP module before any
// clock starts (top_pages.hpp).
//
// store:    parse_trade_page (JSON parse + trade mapping + normalization) -> OrderPipeline::ingest
//           per order (upsert, release gate, one transaction per order) into a fresh database,
//           the way the daemon wires them. The gate's OnRelease does what the daemon's does with
//           a pull warehouse (connector: api): nothing; --push adds the outbox delivery the
//           daemon enqueues for a pushing connector.
// raw:      nlohmann::json::parse of the same bodies, then one plain INSERT of each trade's own
//           JSON text per transaction, with the store's PRAGMAs, into another fresh database.
//
// Each round runs both (alternating which goes first, so neither always meets a warm cache);
// figures are the median of the rounds.

#include <SQLiteCpp/SQLiteCpp.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/time_format.hpp"
#include "holds/release_gate.hpp"
#include "store/store.hpp"
#include "plugins/top/top_adapter.hpp"
#include "plugins/top/top_trade_page.hpp"
#include "top_pages.hpp"
#include "warehouse/delivery.hpp"
#include "workflows/order_pipeline.hpp"

namespace fs = std::filesystem;
namespace store = erp::daemon::store;

namespace {

/// A fresh directory per measured database, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "bench_top_ingest.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/// Bytes this process has passed to write() so far (/proc/self/io wchar): WAL appends and
/// checkpoints, the part of a commit's cost that instruction counts do not show.
long long written_bytes() {
  std::ifstream io("/proc/self/io");
  std::string key;
  long long value = 0;
  while (io >> key >> value) {
    if (key == "wchar:") return value;
  }
  return 0;
}

struct Run {
  double seconds = 0;
  long long written = 0;   ///< Bytes written while measured.
  long long orders = 0;    ///< Orders (trades) written.
  long long rejected = 0;  ///< Trades the mapper refused (store side only).
  long long released = 0;  ///< Orders the gate released (store side only).
};

// noinline: so callgrind --toggle-collect can attribute each side by name.
[[gnu::noinline]] Run run_store(const erp::bench::RecordedPages& pages, bool push) {
  ScratchDir dir;
  auto opened = store::Store::open(dir.path() / "erpd.db");
  if (!opened) throw std::runtime_error("store open: " + opened.error().message);
  auto db = std::move(opened).value();
  erp::daemon::holds::OnRelease on_release;
  if (push) {
    on_release = erp::daemon::warehouse::enqueue_delivery_on_release(*db);
  } else {
    // As the daemon's OnRelease with a pulling warehouse: the gate still decides and records.
    on_release = [](store::Tx&, const store::StoredOrder&, erp::sdk::Instant) {};
  }
  erp::daemon::holds::ReleaseGate gate(*db, on_release);
  erp::daemon::workflows::OrderPipeline pipeline(*db, gate);

  Run run;
  const auto w0 = written_bytes();
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& body : pages.bodies) {
    auto page = erp::plugins::top::parse_trade_page(body, /*tmall=*/true, pages.shop);
    if (!page) throw std::runtime_error("parse_trade_page: " + page.error().message);
    // One clock read per page, as a sync worker stamps a fetched page.
    const auto now = erp::daemon::now_utc();
    for (const auto& order : page.value().orders) {
      const auto outcome = pipeline.ingest(order, now);
      if (outcome == store::UpsertOutcome::inserted || outcome == store::UpsertOutcome::updated) ++run.orders;
    }
    run.rejected += static_cast<long long>(page.value().rejected.size());
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  run.written = written_bytes() - w0;
  const auto counts = db->counts();
  if (counts.orders != run.orders) throw std::runtime_error("store: row count differs from inserted orders");
  run.released = counts.released_orders;
  return run;
}

// Breakdown (--breakdown): the store path without the gate (upsert + commit per order), and
// parse_trade_page alone, so the cost of each stage shows in wall time on this machine.
[[gnu::noinline]] Run run_upsert_only(const erp::bench::RecordedPages& pages) {
  ScratchDir dir;
  auto opened = store::Store::open(dir.path() / "erpd.db");
  if (!opened) throw std::runtime_error("store open: " + opened.error().message);
  auto db = std::move(opened).value();
  Run run;
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& body : pages.bodies) {
    auto page = erp::plugins::top::parse_trade_page(body, /*tmall=*/true, pages.shop);
    if (!page) throw std::runtime_error("parse_trade_page: " + page.error().message);
    const auto now = erp::daemon::now_utc();
    for (const auto& order : page.value().orders) {
      auto tx = db->begin();
      db->upsert_order(*tx, order, now);
      tx->commit();
      ++run.orders;
    }
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return run;
}

[[gnu::noinline]] Run run_parse_only(const erp::bench::RecordedPages& pages) {
  Run run;
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& body : pages.bodies) {
    auto page = erp::plugins::top::parse_trade_page(body, /*tmall=*/true, pages.shop);
    if (!page) throw std::runtime_error("parse_trade_page: " + page.error().message);
    run.orders += static_cast<long long>(page.value().orders.size());
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return run;
}

[[gnu::noinline]] Run run_raw(const erp::bench::RecordedPages& pages) {
  ScratchDir dir;
  SQLite::Database db(dir.path() / "raw.db", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 5000);
  // The store's settings (daemon/store/store.cpp), so commit costs are the same on both sides.
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("CREATE TABLE raw_trades (tid INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  SQLite::Statement begin(db, "BEGIN IMMEDIATE");
  SQLite::Statement commit(db, "COMMIT");
  SQLite::Statement insert(db, "INSERT INTO raw_trades (tid, body) VALUES (?, ?)");

  Run run;
  const auto w0 = written_bytes();
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& body : pages.bodies) {
    const auto doc = nlohmann::json::parse(body);
    for (const auto& trade : doc["trades_sold_increment_get_response"]["trades"]["trade"]) {
      // The trade's own JSON text: what a "store the raw answer" design would keep.
      const std::string text = trade.dump();
      begin.exec();
      begin.reset();
      insert.bind(1, trade["tid"].get<std::int64_t>());
      insert.bind(2, text);
      insert.exec();
      insert.reset();
      commit.exec();
      commit.reset();
      ++run.orders;
    }
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  run.written = written_bytes() - w0;
  if (db.execAndGet("SELECT COUNT(*) FROM raw_trades").getInt64() != run.orders) {
    throw std::runtime_error("raw: row count differs from inserted trades");
  }
  return run;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double rate(const Run& r) { return static_cast<double>(r.orders) / r.seconds; }

}  // namespace

int main(int argc, char** argv) {
  int pages = 200;
  int rounds = 3;
  bool push = false;
  bool breakdown = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--pages" && i + 1 < argc) {
      pages = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--rounds" && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--push") {
      push = true;
    } else if (arg == "--breakdown") {
      breakdown = true;
    } else if (arg == "--only" && i + 1 < argc) {
      only = argv[++i];  // for profiling one side (valgrind --tool=callgrind)
    } else {
      std::fprintf(stderr, "usage: %s [--pages N] [--rounds R] [--push] [--breakdown] [--only store|raw]\n", argv[0]);
      return 2;
    }
  }

  const auto r0 = std::chrono::steady_clock::now();
  const auto recorded = erp::bench::record_tmall_pages(pages, erp::plugins::top::trade_fields(true),
                                                       erp::plugins::top::all_trade_types());
  std::size_t bytes = 0;
  for (const auto& b : recorded.bodies) bytes += b.size();
  std::printf("TOP ingest: %d recorded increment.get pages, %lld Tmall trades, %.1f KiB per page (recorded in %.1f s)\n",
              pages, recorded.trades, static_cast<double>(bytes) / 1024.0 / static_cast<double>(pages),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - r0).count());
  std::printf("  store: parse_trade_page -> OrderPipeline::ingest (release gate, %s), one transaction per order\n",
              push ? "pushing warehouse: outbox delivery per release" : "pulling warehouse");
  std::printf("  raw:   json::parse -> one INSERT of the trade's JSON per transaction; WAL, synchronous=NORMAL\n");

  std::vector<double> store_rates, raw_rates, ratios;
  for (int round = 0; round < rounds; ++round) {
    Run s, r;
    const bool store_first = round % 2 == 0;
    if (only != "raw" && store_first) s = run_store(recorded, push);
    if (only != "store") r = run_raw(recorded);
    if (only != "raw" && !store_first) s = run_store(recorded, push);
    if (only == "raw" || only == "store") {
      const Run& one = only == "raw" ? r : s;
      std::printf("  round %d: %s %.0f orders/s\n", round + 1, only.c_str(), rate(one));
      continue;
    }
    if (breakdown) {
      const Run u = run_upsert_only(recorded);
      const Run p = run_parse_only(recorded);
      // Per-order microseconds of each stage: parse, upsert + commit, and what the gate adds.
      const double us_store = 1e6 / rate(s), us_upsert = 1e6 / rate(u), us_parse = 1e6 / rate(p);
      std::printf("  round %d breakdown, us per order: parse_trade_page %.1f | + upsert + commit %.1f | + gate %.1f"
                  " (store path %.1f, raw %.1f)\n",
                  round + 1, us_parse, us_upsert - us_parse, us_store - us_upsert, us_store, 1e6 / rate(r));
      std::printf("  round %d written per order: store %.1f KiB, raw %.1f KiB\n", round + 1,
                  static_cast<double>(s.written) / 1024.0 / static_cast<double>(s.orders),
                  static_cast<double>(r.written) / 1024.0 / static_cast<double>(r.orders));
    }
    store_rates.push_back(rate(s));
    raw_rates.push_back(rate(r));
    ratios.push_back(rate(s) / rate(r));
    std::printf("  round %d: store %8.0f orders/s (%lld orders, %lld released, %lld rejected) | raw %8.0f orders/s | %.2f\n",
                round + 1, rate(s), s.orders, s.released, s.rejected, rate(r), ratios.back());
  }
  if (!only.empty()) return 0;
  const double store_median = median(store_rates);
  const double raw_median = median(raw_rates);
  const double ratio = store_median / raw_median;
  std::printf("median of %d: store %.0f orders/s, raw %.0f orders/s, store/raw %.2f (median of round ratios %.2f)\n",
              rounds, store_median, raw_median, ratio, median(ratios));
  std::printf("goal store/raw >= 0.60: %s\n", ratio >= 0.6 ? "PASS" : "FAIL");
  return ratio >= 0.6 ? 0 : 1;
}
