// Store upsert throughput beside a hand-written SQLiteCpp insert of the same rows (issue 2,
// "Performance"). Not a test: it prints figures; bench/README.md records them.
//
//   bench_store_upsert [orders=20000] [batch=100] [rounds=3]
//
// Both sides write, per order: one `orders` row (normalized columns + the order JSON), three
// `order_lines` rows and one `order_events` row, in transactions of `batch` orders, into the
// same schema (made by the store's migrations) on a temp file in WAL mode with the store's
// pragmas. The raw side builds the same row values (the JSON payload, the event reason and
// detail) but skips everything the store adds: the existing-version lookup, the statement cache
// and the Tx bookkeeping. A second raw figure with payloads serialized before the clock starts
// shows the SQLite floor.

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/order_json_text.hpp"
#include "core/time_format.hpp"
#include "store/store.hpp"

namespace {

namespace fs = std::filesystem;
using erp::sdk::Instant;
using erp::sdk::Order;
using Clock = std::chrono::steady_clock;

struct Options {
  int orders = 20000;
  int batch = 100;
  int rounds = 3;
};

std::vector<Order> make_orders(int n) {
  const Instant base = *erp::daemon::parse_rfc3339("2026-11-10T16:00:00Z");
  std::vector<Order> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    Order o;
    o.platform = i % 3 == 0 ? "douyin" : "tmall";
    o.shop = "shop-" + std::to_string(i % 4);
    o.order_id = std::to_string(4100000000000LL + i);
    o.status = erp::sdk::OrderStatus::paid;
    o.platform_status = "WAIT_SELLER_SEND_GOODS";
    o.created_at = base + std::chrono::milliseconds(i * 37);
    o.paid_at = o.created_at + std::chrono::seconds(9);
    o.modified_at = *o.paid_at + std::chrono::seconds(1);
    o.total = erp::sdk::Money{0};
    for (int l = 1; l <= 3; ++l) {
      erp::sdk::OrderLine line;
      line.line_id = o.order_id + "-" + std::to_string(l);
      line.item_id = "6" + std::to_string(100000 + (i * 7 + l) % 5000);
      line.sku = "5" + std::to_string(200000 + (i * 13 + l) % 20000);
      line.outer_sku = "SKU-" + std::to_string((i * 13 + l) % 20000);
      line.title = "双十一限定礼盒 款式" + std::to_string(l);
      line.quantity = l;
      line.price = erp::sdk::Money{1990 * l};
      line.paid = erp::sdk::Money{1990 * l * l};
      o.total = o.total + line.paid;
      o.lines.push_back(line);
    }
    o.receiver.ciphertext =
        "#" + std::to_string(i) + "#AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8w#";
    o.receiver.masked_name = "张*";
    o.receiver.masked_phone = "138****" + std::to_string(1000 + i % 9000);
    o.receiver.masked_address = "浙江省杭州市西湖区****";
    o.receiver.province = "浙江省";
    o.receiver.city = "杭州市";
    o.receiver.district = "西湖区";
    o.buyer_ref = "AAH" + std::to_string(i % 7919);
    out.push_back(std::move(o));
  }
  return out;
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void remove_db(const fs::path& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
}

std::unique_ptr<erp::daemon::store::Store> open_store(const fs::path& path) {
  auto opened = erp::daemon::store::Store::open(path);
  if (!opened) {
    std::fprintf(stderr, "cannot open %s: %s\n", path.c_str(), opened.error().message.c_str());
    std::exit(1);
  }
  return std::move(opened).value();
}

double run_store(const fs::path& path, const std::vector<Order>& orders, int batch, Instant now) {
  remove_db(path);
  auto store = open_store(path);
  const auto start = Clock::now();
  for (std::size_t i = 0; i < orders.size();) {
    auto tx = store->begin();
    for (int b = 0; b < batch && i < orders.size(); ++b, ++i) store->upsert_order(*tx, orders[i], now);
    tx->commit();
  }
  return seconds_since(start);
}

// The event row the store writes for a new order, built the plain way. (Not sdk::format_yuan:
// GCC 12 reports a false -Wrestrict in it at -O2, bug 105329.)
std::string received_reason(const Order& o) {
  char total[32];
  std::snprintf(total, sizeof total, "%lld.%02lld", static_cast<long long>(o.total.fen / 100),
                static_cast<long long>(o.total.fen % 100));
  return "received from the platform: " + std::string(erp::sdk::to_string(o.status)) + ", " +
         std::to_string(o.lines.size()) + " lines, total " + total;
}

double run_raw(const fs::path& path, const std::vector<Order>& orders, int batch, Instant now, bool preserialized) {
  remove_db(path);
  open_store(path).reset();  // The very same schema, indexes and triggers.
  SQLite::Database db(path, SQLite::OPEN_READWRITE, 5000);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");

  std::vector<std::string> payloads;
  if (preserialized) {
    for (const auto& o : orders) payloads.push_back(erp::daemon::order_to_json_text(o, true));
  }
  const std::int64_t now_ms = erp::daemon::to_millis(now);

  const auto start = Clock::now();
  SQLite::Statement insert_order(
      db,
      "INSERT INTO orders (platform, shop, order_id, status, platform_status, kind, created_at, paid_at, "
      "modified_at, total_fen, memo, ship_by, stored_at, updated_at, payload) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14)");
  SQLite::Statement insert_line(
      db,
      "INSERT INTO order_lines (order_row, position, line_id, item_id, sku, outer_sku, title, quantity, price_fen, "
      "paid_fen, status, refund_status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  SQLite::Statement insert_event(db,
                                 "INSERT INTO order_events (order_row, seq, at, kind, reason, rule_id, actor, detail) "
                                 "VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7)");  // a new order's first event
  for (std::size_t i = 0; i < orders.size();) {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (int b = 0; b < batch && i < orders.size(); ++b, ++i) {
      const Order& o = orders[i];
      const std::string payload = preserialized ? std::string() : erp::daemon::order_to_json_text(o, true);
      insert_order.bind(1, o.platform);
      insert_order.bind(2, o.shop);
      insert_order.bind(3, o.order_id);
      insert_order.bind(4, std::string(erp::sdk::to_string(o.status)));
      insert_order.bind(5, o.platform_status);
      insert_order.bind(6, std::string(erp::sdk::to_string(o.kind)));
      insert_order.bind(7, erp::daemon::to_millis(o.created_at));
      insert_order.bind(8, erp::daemon::to_millis(*o.paid_at));
      insert_order.bind(9, erp::daemon::to_millis(o.modified_at));
      insert_order.bind(10, o.total.fen);
      insert_order.bind(11, o.memo);
      insert_order.bind(12);
      insert_order.bind(13, now_ms);
      insert_order.bindNoCopy(14, preserialized ? payloads[i] : payload);
      insert_order.exec();
      insert_order.reset();
      const std::int64_t row = db.getLastInsertRowid();
      int position = 0;
      for (const auto& line : o.lines) {
        insert_line.bind(1, row);
        insert_line.bind(2, position++);
        insert_line.bind(3, line.line_id);
        insert_line.bind(4, line.item_id);
        insert_line.bind(5, line.sku);
        insert_line.bind(6, line.outer_sku);
        insert_line.bind(7, line.title);
        insert_line.bind(8, line.quantity);
        insert_line.bind(9, line.price.fen);
        insert_line.bind(10, line.paid.fen);
        insert_line.bind(11, std::string(erp::sdk::to_string(line.status)));
        insert_line.bind(12, std::string(erp::sdk::to_string(line.refund_status)));
        insert_line.exec();
        insert_line.reset();
      }
      const nlohmann::json detail{{"status", erp::sdk::to_string(o.status)},
                                  {"platform_status", o.platform_status},
                                  {"line_count", o.lines.size()},
                                  {"total_fen", o.total.fen}};
      insert_event.bind(1, row);
      insert_event.bind(2, now_ms);
      insert_event.bind(3, "order.received");
      insert_event.bind(4, received_reason(o));
      insert_event.bind(5, "");
      insert_event.bind(6, "platform");
      insert_event.bind(7, detail.dump());
      insert_event.exec();
      insert_event.reset();
    }
    tx.commit();
  }
  return seconds_since(start);
}

// Proves both sides wrote the same number of rows.
std::string row_counts(const fs::path& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return std::to_string(db.execAndGet("SELECT COUNT(*) FROM orders").getInt64()) + " orders, " +
         std::to_string(db.execAndGet("SELECT COUNT(*) FROM order_lines").getInt64()) + " lines, " +
         std::to_string(db.execAndGet("SELECT COUNT(*) FROM order_events").getInt64()) + " events";
}

int arg(int argc, char** argv, int index, int fallback) {
  if (argc <= index) return fallback;
  const int value = std::atoi(argv[index]);
  return value > 0 ? value : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt{arg(argc, argv, 1, 20000), arg(argc, argv, 2, 100), arg(argc, argv, 3, 3)};
  const auto orders = make_orders(opt.orders);
  const Instant now = erp::daemon::now_utc();

  const fs::path dir = fs::temp_directory_path() / ("erp-bench-store-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path store_db = dir / "store.db";
  const fs::path raw_db = dir / "raw.db";
  const fs::path floor_db = dir / "raw-preserialized.db";

  std::printf("store upsert benchmark: %d orders x 3 lines + 1 event each, %d orders per transaction, best of %d\n",
              opt.orders, opt.batch, opt.rounds);
  std::printf("files in %s (WAL, synchronous=NORMAL, foreign_keys=ON)\n", dir.c_str());

  double best_store = 1e100, best_raw = 1e100, best_floor = 1e100;
  for (int round = 1; round <= opt.rounds; ++round) {
    // Alternate which side runs first so page-cache warmth favours neither.
    double store_s, raw_s;
    if (round % 2) {
      store_s = run_store(store_db, orders, opt.batch, now);
      raw_s = run_raw(raw_db, orders, opt.batch, now, false);
    } else {
      raw_s = run_raw(raw_db, orders, opt.batch, now, false);
      store_s = run_store(store_db, orders, opt.batch, now);
    }
    const double floor_s = run_raw(floor_db, orders, opt.batch, now, true);
    std::printf("round %d: store %.0f orders/s, raw %.0f orders/s, raw pre-serialized %.0f orders/s\n", round,
                opt.orders / store_s, opt.orders / raw_s, opt.orders / floor_s);
    best_store = std::min(best_store, store_s);
    best_raw = std::min(best_raw, raw_s);
    best_floor = std::min(best_floor, floor_s);
  }
  std::printf("store:                     %.0f orders/s  (%s)\n", opt.orders / best_store,
              row_counts(store_db).c_str());
  std::printf("raw SQLiteCpp:             %.0f orders/s  (%s)\n", opt.orders / best_raw, row_counts(raw_db).c_str());
  std::printf("raw, payload pre-built:    %.0f orders/s\n", opt.orders / best_floor);
  std::printf("ratio store/raw:           %.2f (goal >= 0.60)\n", best_raw / best_store);
  std::printf("ratio store/raw pre-built: %.2f\n", best_floor / best_store);

  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
