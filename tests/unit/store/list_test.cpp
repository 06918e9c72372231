// Listing orders the way the API and erpctl page through them.

#include <SQLiteCpp/SQLiteCpp.h>

#include <set>

#include "store/order_list_sql.hpp"
#include "unit/store/store_fixture.hpp"

using namespace erp;
using namespace erp::test;
using daemon::store::OrderFilter;
using daemon::store::Store;

namespace {

const Instant kNow = *daemon::parse_rfc3339("2026-11-10T16:00:30Z");

void insert(Store& store, const sdk::Order& order) {
  auto tx = store.begin();
  store.upsert_order(*tx, order, kNow);
  tx->commit();
}

// Walks every page; fails on a repeated order.
std::vector<std::string> walk(Store& store, OrderFilter filter) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (int pages = 0; pages < 1000; ++pages) {
    auto page = store.list_orders(filter);
    CHECK(static_cast<int>(page.orders.size()) <= filter.limit);
    for (const auto& o : page.orders) {
      CHECK(seen.insert(o.order.shop + "/" + o.order.order_id).second);
      ids.push_back(o.order.order_id);
    }
    if (page.next_cursor.empty()) break;
    filter.cursor = page.next_cursor;
  }
  return ids;
}

}  // namespace

TEST_CASE("pages cover every order once, in the order they were stored") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  for (int i = 0; i < 250; ++i) insert(*store, sample_order(std::to_string(10000 + i), i % 2 ? "shop-a" : "shop-b"));

  OrderFilter filter;
  filter.limit = 40;
  const auto ids = walk(*store, filter);
  REQUIRE(ids.size() == 250);
  for (int i = 0; i < 250; ++i) CHECK(ids[static_cast<std::size_t>(i)] == std::to_string(10000 + i));

  filter.limit = 50;  // Exactly five full pages: the last one says there is no more.
  auto page = store->list_orders(filter);
  int pages = 1;
  while (!page.next_cursor.empty()) {
    filter.cursor = page.next_cursor;
    page = store->list_orders(filter);
    ++pages;
  }
  CHECK(pages == 5);
  CHECK(page.orders.size() == 50);
}

TEST_CASE("orders stored while a client pages are neither skipped nor repeated") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  for (int i = 0; i < 30; ++i) insert(*store, sample_order(std::to_string(20000 + i)));

  OrderFilter filter;
  filter.limit = 10;
  std::vector<std::string> ids;
  auto page = store->list_orders(filter);
  for (const auto& o : page.orders) ids.push_back(o.order.order_id);
  for (int i = 30; i < 35; ++i) insert(*store, sample_order(std::to_string(20000 + i)));  // Arrive mid-walk.
  while (!page.next_cursor.empty()) {
    filter.cursor = page.next_cursor;
    page = store->list_orders(filter);
    for (const auto& o : page.orders) ids.push_back(o.order.order_id);
  }
  REQUIRE(ids.size() == 35);
  for (int i = 0; i < 35; ++i) CHECK(ids[static_cast<std::size_t>(i)] == std::to_string(20000 + i));
}

TEST_CASE("filters by platform, shop and state") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  insert(*store, sample_order("1", "shop-a"));
  insert(*store, sample_order("2", "shop-b"));
  auto douyin = sample_order("3", "dy-shop", "douyin");
  insert(*store, douyin);
  auto shipped = sample_order("4", "shop-a");
  shipped.status = sdk::OrderStatus::shipped;
  insert(*store, shipped);
  auto unpaid = sample_order("5", "shop-a");
  unpaid.status = sdk::OrderStatus::pending_payment;
  unpaid.paid_at.reset();
  insert(*store, unpaid);
  {
    auto tx = store->begin();
    store->add_hold(*tx, OrderKey{"tmall", "shop-a", "1"}, {"MANUAL", "operator:li", "", "", {}}, kNow);
    store->mark_released(*tx, OrderKey{"tmall", "shop-b", "2"}, kNow);
    store->mark_released(*tx, key_of(shipped), kNow);  // Released, then shipped: no longer "released".
    tx->commit();
  }

  auto ids = [&](OrderFilter f) {
    f.limit = 100;
    return walk(*store, f);
  };
  using V = std::vector<std::string>;
  CHECK(ids({}) == V{"1", "2", "3", "4", "5"});
  CHECK(ids({"douyin", "", "", "", 0}) == V{"3"});
  CHECK(ids({"tmall", "shop-a", "", "", 0}) == V{"1", "4", "5"});
  CHECK(ids({"", "shop-a", "", "", 0}) == V{"1", "4", "5"});
  CHECK(ids({"", "", "paid", "", 0}) == V{"1", "2", "3"});
  CHECK(ids({"", "", "shipped", "", 0}) == V{"4"});
  CHECK(ids({"", "", "pending_payment", "", 0}) == V{"5"});
  CHECK(ids({"", "", "held", "", 0}) == V{"1"});
  CHECK(ids({"", "", "released", "", 0}) == V{"2"});
  CHECK(ids({"", "", "unreleased", "", 0}) == V{"1", "3", "5"});
  CHECK(ids({"tmall", "shop-a", "unreleased", "", 0}) == V{"1", "5"});

  const auto held = store->list_orders({"", "", "held", "", 10});
  REQUIRE(held.orders.size() == 1);
  CHECK(held.orders[0].holds.size() == 1);
  CHECK(held.orders[0].holds[0].owner == "operator:li");

  const auto counts = store->counts();
  CHECK(counts.orders == 5);
  CHECK(counts.held_orders == 1);
  CHECK(counts.released_orders == 1);
  CHECK(counts.active_holds == 1);
}

TEST_CASE("a bad state or cursor is refused, and the limit is kept within 1..1000") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  for (int i = 0; i < 3; ++i) insert(*store, sample_order(std::to_string(i)));

  CHECK_FALSE(daemon::store::is_valid_state_filter("shipping"));
  CHECK(daemon::store::is_valid_state_filter("held"));
  CHECK(daemon::store::is_valid_state_filter("partially_shipped"));
  CHECK(daemon::store::is_valid_state_filter(""));
  CHECK_THROWS_AS(store->list_orders({"", "", "shipping", "", 10}), std::invalid_argument);

  CHECK_FALSE(daemon::store::is_valid_cursor("42"));
  CHECK_THROWS_AS(store->list_orders({"", "", "", "42", 10}), std::invalid_argument);
  const auto first = store->list_orders({"", "", "", "", 1});
  CHECK(first.orders.size() == 1);
  CHECK(daemon::store::is_valid_cursor(first.next_cursor));

  CHECK(store->list_orders({"", "", "", "", 0}).orders.size() == 1);
  CHECK(store->list_orders({"", "", "", "", 5000}).orders.size() == 3);
}

namespace {

/// How SQLite will run the listing for `filter`, one line per plan step.
std::string plan_of(SQLite::Database& db, const OrderFilter& filter) {
  SQLite::Statement plan(db, "EXPLAIN QUERY PLAN " + daemon::store::order_list_sql(filter));
  std::string detail;
  while (plan.executeStep()) detail += plan.getColumn(3).getString() + "\n";
  return detail;
}

}  // namespace

TEST_CASE("listings of orders that may still ship walk the open-orders index, not every order stored") {
  // Orders pile up for years but a warehouse pulling its queue, and a merchant looking at what
  // is still to ship, only need the open ones. No statistics: the daemon never runs ANALYZE.
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto tx = store->begin();
  for (const char* state : {"released", "unreleased", "paid", "pending_payment", "partially_shipped"}) {
    for (const char* shop : {"", "shop-a"}) {
      const auto detail = plan_of(tx->db(), {"", shop, state, "", 100});
      CAPTURE(state);
      CAPTURE(shop);
      CAPTURE(detail);
      CHECK(detail.find("orders_open") != std::string::npos);
      CHECK(detail.find("TEMP B-TREE") == std::string::npos);
    }
  }
}

TEST_CASE("every other listing walks the table in id order and never sorts it") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto tx = store->begin();
  for (const char* state : {"", "held", "shipped", "completed", "closed"}) {
    for (const auto& [platform, shop] : {std::pair{"", ""}, std::pair{"tmall", ""}, std::pair{"tmall", "shop-a"}}) {
      const auto detail = plan_of(tx->db(), {platform, shop, state, "", 100});
      CAPTURE(state);
      CAPTURE(shop);
      CAPTURE(detail);
      CHECK(detail.find("TEMP B-TREE") == std::string::npos);
      CHECK(detail.find("SCAN o") == std::string::npos);  // a search from the cursor, not a full scan
    }
  }
}
