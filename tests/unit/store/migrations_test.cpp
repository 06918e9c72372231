// Opening and upgrading the database file: data survives upgrades; foreign files are refused
// and left exactly as they were.

#include "store/migrations.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include "unit/store/store_fixture.hpp"

using namespace erp;
using namespace erp::test;
using daemon::store::OpenOptions;
using daemon::store::Store;

namespace {

// Databases of an older schema are written the way that erpd wrote them, in SQL: today's store
// code speaks only the latest schema.

std::int64_t millis(const char* rfc3339) { return daemon::to_millis(at(rfc3339)); }

void write_old_event(SQLite::Database& db, std::int64_t row, const char* kind, const char* when) {
  SQLite::Statement insert(db, "INSERT INTO order_events (order_row, at, kind, reason, rule_id, actor, detail) "
                               "VALUES (?1, ?2, ?3, 'written by an older erpd', '', 'daemon', '{}')");
  insert.bind(1, row);
  insert.bind(2, millis(when));
  insert.bind(3, kind);
  insert.exec();
}

/// An order row with its lines and its "order.received" event, as schemas 1 and 2 hold them.
std::int64_t write_old_order(SQLite::Database& db, const sdk::Order& o, const char* when, bool released = false) {
  SQLite::Statement insert(db,
                           "INSERT INTO orders (platform, shop, order_id, status, platform_status, kind, created_at, "
                           "paid_at, modified_at, total_fen, memo, ship_by, released, released_at, stored_at, "
                           "updated_at, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULL, ?12, ?13, "
                           "?14, ?14, ?15)");
  insert.bind(1, o.platform);
  insert.bind(2, o.shop);
  insert.bind(3, o.order_id);
  insert.bind(4, std::string(sdk::to_string(o.status)));
  insert.bind(5, o.platform_status);
  insert.bind(6, std::string(sdk::to_string(o.kind)));
  insert.bind(7, daemon::to_millis(o.created_at));
  insert.bind(8, daemon::to_millis(o.paid_at.value_or(o.created_at)));
  insert.bind(9, daemon::to_millis(o.modified_at));
  insert.bind(10, o.total.fen);
  insert.bind(11, o.memo);
  insert.bind(12, released ? 1 : 0);
  if (released) {
    insert.bind(13, millis(when));
  } else {
    insert.bind(13);
  }
  insert.bind(14, millis(when));
  insert.bind(15, daemon::order_to_json(o, true).dump());
  insert.exec();
  const std::int64_t row = db.getLastInsertRowid();
  int position = 0;
  for (const auto& line : o.lines) {
    SQLite::Statement add(db, "INSERT INTO order_lines VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    add.bind(1, row);
    add.bind(2, position++);
    add.bind(3, line.line_id);
    add.bind(4, line.item_id);
    add.bind(5, line.sku);
    add.bind(6, line.outer_sku);
    add.bind(7, line.title);
    add.bind(8, line.quantity);
    add.bind(9, line.price.fen);
    add.bind(10, line.paid.fen);
    add.bind(11, std::string(sdk::to_string(line.status)));
    add.bind(12, std::string(sdk::to_string(line.refund_status)));
    add.exec();
  }
  write_old_event(db, row, "order.received", when);
  return row;
}

/// An active hold on `row` with its "hold.added" event.
std::int64_t write_old_hold(SQLite::Database& db, std::int64_t row, const char* reason, const char* owner,
                            const char* rule_id, const char* when) {
  SQLite::Statement insert(db, "INSERT INTO holds (order_row, reason_code, owner, rule_id, note, created_at) "
                               "VALUES (?1, ?2, ?3, ?4, 'written by an older erpd', ?5)");
  insert.bind(1, row);
  insert.bind(2, reason);
  insert.bind(3, owner);
  insert.bind(4, rule_id);
  insert.bind(5, millis(when));
  insert.exec();
  const std::int64_t hold = db.getLastInsertRowid();
  write_old_event(db, row, "hold.added", when);
  return hold;
}

}  // namespace

TEST_CASE("a database made by the first schema is upgraded and keeps its orders, holds and events") {
  TempDir dir;
  const auto path = dir / "erpd.db";
  const auto order = sample_order("1001");
  std::int64_t hold_id = 0;
  {
    auto store = open_store(path, OpenOptions{1});
    CHECK(store->schema_version() == 1);
  }
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    const auto row = write_old_order(db, order, "2026-11-10T16:01:00Z");
    hold_id = write_old_hold(db, row, "TAG_WINDOW", "workflow:gift", "G2", "2026-11-10T16:01:00Z");
    // v1 has no outbox yet.
    CHECK_FALSE(db.tableExists("outbox"));
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
  { open_store(path, OpenOptions{2}); }
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    write_old_order(db, sample_order("1000"), "2026-11-10T16:00:00Z");
    const auto row = write_old_order(db, order, "2026-11-10T16:01:00Z");
    write_old_order(db, other_shop, "2026-11-10T16:01:00Z", /*released=*/true);
    write_old_hold(db, row, "MANUAL", "operator:li", "", "2026-11-10T16:02:00Z");
  }
  auto store = open_store(path, OpenOptions{3});
  CHECK(store->schema_version() == 3);
  const auto stored = store->get_order(key_of(order));
  REQUIRE(stored.has_value());
  CHECK(same_order(stored->order, order));
  REQUIRE(stored->holds.size() == 1);
  // The history keeps its order (the two orders' events were interleaved) and goes on from there.
  const auto events = store->events(key_of(order));
  REQUIRE(events.size() == 2);
  CHECK(events[0].kind == "order.received");
  CHECK(events[0].id == 1);
  CHECK(events[1].kind == "hold.added");
  CHECK(events[1].id == 2);
  {
    auto tx = store->begin();
    CHECK(store->append_event(*tx, key_of(order), {"note", "after the upgrade", "", "operator:li", {}},
                              at("2026-11-10T16:03:00Z")) == 3);
    tx->commit();
  }
  CHECK(store->events(key_of(order)).back().reason == "after the upgrade");
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
  // The event log is still append-only.
  CHECK_THROWS_AS(db.exec("UPDATE order_events SET reason = 'nothing happened'"), SQLite::Exception);
  CHECK_THROWS_AS(db.exec("DELETE FROM order_events"), SQLite::Exception);
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
