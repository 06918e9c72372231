// Opening and upgrading the database file: data survives upgrades; foreign files are refused
// and left exactly as they were.

#include "store/migrations.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include "unit/store/store_fixture.hpp"

using namespace erp;
using namespace erp::test;
using daemon::store::OpenOptions;
using daemon::store::Store;

TEST_CASE("a database made by the first schema is upgraded and keeps its orders, holds and events") {
  TempDir dir;
  const auto path = dir / "erpd.db";
  const auto order = sample_order("1001");
  std::int64_t hold_id = 0;
  {
    auto store = open_store(path, OpenOptions{1});
    CHECK(store->schema_version() == 1);
    auto tx = store->begin();
    CHECK(store->upsert_order(*tx, order, at("2026-11-10T16:01:00Z")) == daemon::store::UpsertOutcome::inserted);
    hold_id = store->add_hold(*tx, key_of(order), {"TAG_WINDOW", "workflow:gift", "G2", "waiting for the tag", {}},
                              at("2026-11-10T16:01:00Z"));
    tx->commit();
    // v1 has no outbox yet.
    CHECK_FALSE(tx->db().tableExists("outbox"));
  }
  {
    auto store = open_store(path);
    CHECK(store->schema_version() == Store::latest_schema_version());
    CHECK(Store::latest_schema_version() >= 2);

    auto stored = store->get_order(key_of(order));
    REQUIRE(stored.has_value());
    CHECK(same_order(stored->order, order));
    REQUIRE(stored->holds.size() == 1);
    CHECK(stored->holds[0].id == hold_id);
    CHECK(stored->holds[0].rule_id == "G2");
    const auto events = store->events(key_of(order));
    REQUIRE(events.size() == 2);
    CHECK(events[0].kind == "order.received");
    CHECK(events[1].kind == "hold.added");

    // The tables v2 added work on the upgraded file.
    auto tx = store->begin();
    const auto id = store->enqueue(*tx, {"memo:1001", "platform.memo", "tmall-flagship", key_of(order), {}},
                                   at("2026-11-10T16:02:00Z"));
    store->set_cursor(*tx, "tmall", "tmall-flagship", "modified", "2026-11-10 16:00:00", at("2026-11-10T16:02:00Z"));
    store->quarantine(
        *tx, {0, "tmall", "tmall-flagship", "1002", "total_fee: not a number", "{}", at("2026-11-10T16:02:00Z")});
    tx->commit();
    CHECK(store->get_outbox_item(id).has_value());
    CHECK(store->cursor("tmall", "tmall-flagship", "modified") == "2026-11-10 16:00:00");
    CHECK(store->list_quarantine().size() == 1);
    CHECK(store->find_orders("1001").size() == 1);
    CHECK(store->counts().held_orders == 1);
  }
  {
    // Reopening a current database changes nothing.
    auto store = open_store(path);
    CHECK(store->schema_version() == Store::latest_schema_version());
    CHECK(store->counts().orders == 1);
  }
}

TEST_CASE("the orders rebuild of schema 3 keeps every order's row, its lines, events and holds, and the checks") {
  TempDir dir;
  const auto path = dir / "erpd.db";
  const auto order = sample_order("1001");
  const auto other_shop = sample_order("1001", "tmall-outlet");
  {
    auto store = open_store(path, OpenOptions{2});
    auto tx = store->begin();
    store->upsert_order(*tx, sample_order("1000"), at("2026-11-10T16:00:00Z"));
    store->upsert_order(*tx, order, at("2026-11-10T16:01:00Z"));
    store->upsert_order(*tx, other_shop, at("2026-11-10T16:01:00Z"));
    store->add_hold(*tx, key_of(order), {"MANUAL", "operator:li", "", "checking the address", {}},
                    at("2026-11-10T16:02:00Z"));
    store->mark_released(*tx, key_of(other_shop), at("2026-11-10T16:02:00Z"));
    tx->commit();
  }
  auto store = open_store(path);
  CHECK(store->schema_version() == 3);
  const auto stored = store->get_order(key_of(order));
  REQUIRE(stored.has_value());
  CHECK(same_order(stored->order, order));
  REQUIRE(stored->holds.size() == 1);
  CHECK(store->events(key_of(order)).size() == 2);
  CHECK(store->find_orders("1001").size() == 2);
  const auto counts = store->counts();
  CHECK(counts.orders == 3);
  CHECK(counts.held_orders == 1);
  CHECK(counts.released_orders == 1);

  auto tx = store->begin();
  auto& db = tx->db();
  CHECK(db.execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK(db.execAndGet("SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.id = l.order_row "
                      "WHERE o.order_id = '1001' AND o.shop = 'tmall-flagship'")
            .getInt() == static_cast<int>(order.lines.size()));
  // The same key twice and an unknown status are still refused.
  CHECK_THROWS_AS(db.exec("INSERT INTO orders (platform, shop, order_id, status, platform_status, kind, created_at, "
                          "modified_at, total_fen, memo, stored_at, updated_at, payload) "
                          "SELECT platform, shop, order_id, status, '', '', 0, 0, 0, '', 0, 0, '{}' FROM orders LIMIT 1"),
                  SQLite::Exception);
  CHECK_THROWS_AS(db.exec("UPDATE orders SET status = 'lost' WHERE order_id = '1000'"), SQLite::Exception);
  // A bare platform id is found through the key index, not by reading every order.
  SQLite::Statement plan(db, "EXPLAIN QUERY PLAN SELECT platform, shop, order_id FROM orders WHERE order_id = ?1");
  REQUIRE(plan.executeStep());
  const std::string detail = plan.getColumn(3).getString();
  CAPTURE(detail);
  CHECK(detail.find("(order_id=?)") != std::string::npos);
  CHECK(detail.find("autoindex") != std::string::npos);
}

TEST_CASE("an upgrade that would break a reference is refused and leaves the database at its version") {
  TempDir dir;
  const auto path = dir / "erpd.db";
  { open_store(path, OpenOptions{2}); }
  {
    // Damage made outside erpd: a line of an order that does not exist.
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("INSERT INTO order_lines (order_row, position, line_id, item_id, sku, outer_sku, title, quantity, "
             "price_fen, paid_fen, status, refund_status) VALUES (999, 0, 'x', '', '', '', '', 1, 0, 0, 'paid', 'none')");
  }
  auto refused = Store::open(path);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("schema step 3") != std::string::npos);
  CHECK(refused.error().message.find("order_lines") != std::string::npos);
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("PRAGMA user_version").getInt() == 2);
  CHECK(raw.tableExists("orders"));
  CHECK_FALSE(raw.tableExists("orders_v3"));
}

TEST_CASE("each schema step is recorded only once it is fully applied") {
  const auto steps = daemon::store::migrations();
  REQUIRE_FALSE(steps.empty());
  for (std::size_t i = 0; i < steps.size(); ++i) CHECK(steps[i].version == static_cast<int>(i) + 1);
  CHECK(steps.back().version == Store::latest_schema_version());
}

TEST_CASE("a new database is in WAL mode with foreign keys enforced") {
  TempDir dir;
  auto store = open_store(dir / "new.db");
  auto tx = store->begin();
  CHECK(tx->db().execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(tx->db().execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK_THROWS_AS(tx->db().exec("INSERT INTO order_lines (order_row, position, line_id, item_id, sku, outer_sku, "
                                "title, quantity, price_fen, paid_fen, status, refund_status) "
                                "VALUES (999, 0, 'x', '', '', '', '', 1, 0, 0, 'paid', 'none')"),
                  SQLite::Exception);
}

TEST_CASE("a file that is not a database is refused by name and left byte-identical") {
  TempDir dir;
  const auto path = dir / "orders.db";
  {
    std::ofstream out(path, std::ios::binary);
    out << "database:\n  path: /var/lib/erpd/erpd.db\n";  // Someone pointed database.path at a YAML file.
    for (int i = 0; i < 200; ++i) out << "# padding line " << i << "\n";
  }
  const std::string before = read_bytes(path);

  auto opened = Store::open(path);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().message.find(path.string()) != std::string::npos);
  CHECK(opened.error().message.find("not an SQLite database") != std::string::npos);
  CHECK(read_bytes(path) == before);
  CHECK_FALSE(std::filesystem::exists(path.string() + "-wal"));
}

TEST_CASE("a schema newer than this binary is refused by name and the file is not modified") {
  TempDir dir;
  const auto path = dir / "erpd.db";
  open_store(path).reset();
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA user_version = " + std::to_string(Store::latest_schema_version() + 1));
  }
  const std::string before = read_bytes(path);

  auto opened = Store::open(path);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().message.find(path.string()) != std::string::npos);
  CHECK(opened.error().message.find("newer") != std::string::npos);
  CHECK(read_bytes(path) == before);
}

TEST_CASE("another program's SQLite database is refused and left alone") {
  TempDir dir;
  const auto path = dir / "other.db";
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, whatever TEXT)");
  }
  const std::string before = read_bytes(path);
  auto opened = Store::open(path);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().message.find(path.string()) != std::string::npos);
  CHECK(read_bytes(path) == before);
}

TEST_CASE("an empty file becomes a new database") {
  TempDir dir;
  const auto path = dir / "empty.db";
  std::ofstream(path).close();
  auto store = open_store(path);
  CHECK(store->schema_version() == Store::latest_schema_version());
}

TEST_CASE("a damaged SQLite file is refused by name and left byte-identical") {
  TempDir dir;
  const auto path = dir / "damaged.db";
  {
    std::ofstream out(path, std::ios::binary);
    out.write("SQLite format 3\0", 16);
    for (int i = 0; i < 4096; ++i) out.put(static_cast<char>((i * 7919) % 251));
  }
  const std::string before = read_bytes(path);
  auto opened = Store::open(path);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().message.find(path.string()) != std::string::npos);
  CHECK(read_bytes(path) == before);
}

TEST_CASE("a directory is not a database file") {
  TempDir dir;
  auto opened = Store::open(dir.path());
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().message.find(dir.path().string()) != std::string::npos);
}
