// Storing the platform's orders: insert, update, unchanged, stale, round trip.

#include <SQLiteCpp/SQLiteCpp.h>

#include "unit/store/store_fixture.hpp"

using namespace erp;
using namespace erp::test;
using daemon::store::Store;
using daemon::store::UpsertOutcome;

namespace {

UpsertOutcome upsert(Store& store, const sdk::Order& order, Instant now) {
  auto tx = store.begin();
  const auto outcome = store.upsert_order(*tx, order, now);
  tx->commit();
  return outcome;
}

}  // namespace

TEST_CASE("a new order is inserted and the log says it was received from the platform") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto order = sample_order("2001");
  const auto now = at("2026-11-10T16:00:30Z");
  CHECK(upsert(*store, order, now) == UpsertOutcome::inserted);

  auto stored = store->get_order(key_of(order));
  REQUIRE(stored.has_value());
  CHECK(stored->stored_at == now);
  CHECK(stored->updated_at == now);
  CHECK_FALSE(stored->released);
  CHECK(stored->holds.empty());
  const auto events = store->events(key_of(order));
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == "order.received");
  CHECK(events[0].actor == "platform");
  CHECK(events[0].at == now);
  CHECK(events[0].reason == "received from the platform: paid, 3 lines, total 299.00");
  CHECK(events[0].detail["status"] == "paid");
  CHECK(events[0].detail["line_count"] == 3);
  CHECK(events[0].detail["total_fen"] == 29900);
}

TEST_CASE("the same version again is unchanged and writes nothing") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto order = sample_order("2002");
  upsert(*store, order, at("2026-11-10T16:00:30Z"));
  CHECK(upsert(*store, order, at("2026-11-10T16:05:00Z")) == UpsertOutcome::unchanged);
  auto stored = store->get_order(key_of(order));
  CHECK(stored->updated_at == at("2026-11-10T16:00:30Z"));
  CHECK(store->events(key_of(order)).size() == 1);
}

TEST_CASE("a newer version replaces the stored one and the log says what changed") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto order = sample_order("2003");
  upsert(*store, order, at("2026-11-10T16:00:30Z"));

  order.status = sdk::OrderStatus::shipped;
  order.platform_status = "WAIT_BUYER_CONFIRM_GOODS";
  order.modified_at = at("2026-11-11T09:00:00Z");
  for (auto& line : order.lines) line.status = sdk::OrderStatus::shipped;
  order.lines[1].refund_status = sdk::RefundStatus::requested;
  CHECK(upsert(*store, order, at("2026-11-11T09:00:05Z")) == UpsertOutcome::updated);

  auto stored = store->get_order(key_of(order));
  CHECK(same_order(stored->order, order));
  CHECK(stored->stored_at == at("2026-11-10T16:00:30Z"));
  CHECK(stored->updated_at == at("2026-11-11T09:00:05Z"));
  const auto events = store->events(key_of(order));
  REQUIRE(events.size() == 2);
  CHECK(events[1].kind == "order.updated");
  CHECK(events[1].actor == "platform");
  CHECK(events[1].reason.find("status paid -> shipped") == 0);
  CHECK(events[1].reason.find("platform status WAIT_SELLER_SEND_GOODS -> WAIT_BUYER_CONFIRM_GOODS") !=
        std::string::npos);
  CHECK(events[1].reason.find("line 2003-2 refund none -> requested") != std::string::npos);
  CHECK(events[1].detail["status"]["from"] == "paid");
  CHECK(events[1].detail["status"]["to"] == "shipped");
}

TEST_CASE("an older platform update never overwrites a newer one") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto newer = sample_order("2004");
  newer.status = sdk::OrderStatus::shipped;
  newer.modified_at = at("2026-11-11T09:00:00Z");
  auto older = sample_order("2004");  // A poll result that was in flight before the ship.
  older.memo = "stale memo";
  older.modified_at = at("2026-11-11T08:00:00Z");

  upsert(*store, newer, at("2026-11-11T09:00:05Z"));
  CHECK(upsert(*store, older, at("2026-11-11T09:00:06Z")) == UpsertOutcome::stale_ignored);
  auto stored = store->get_order(key_of(newer));
  CHECK(same_order(stored->order, newer));
  CHECK(stored->order.status == sdk::OrderStatus::shipped);
  CHECK(stored->updated_at == at("2026-11-11T09:00:05Z"));
  CHECK(store->events(key_of(newer)).size() == 1);
}

TEST_CASE("same modified time with different content is taken as an update") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto order = sample_order("2005");
  upsert(*store, order, at("2026-11-10T16:00:30Z"));
  order.memo = "gift wrap please";
  CHECK(upsert(*store, order, at("2026-11-10T16:00:40Z")) == UpsertOutcome::updated);
  CHECK(store->get_order(key_of(order))->order.memo == "gift wrap please");
  CHECK(store->events(key_of(order)).back().reason == "seller memo changed");
}

TEST_CASE("a full order comes back exactly as stored") {
  TempDir dir;
  const auto path = dir / "erpd.db";
  auto order = sample_order("2006");
  order.kind = sdk::OrderKind::presale;
  order.cross_border = sdk::CrossBorderType::bonded_import;
  order.ship_by = at("2026-11-13T15:59:59.999Z");
  order.memo = "备注: 送礼品";
  order.memo_flag = 4;
  order.reservation_order_ids = {"R-1", "R-2", "R-3"};
  order.extras = {{"step_trade_status", "FRONT_PAID_FINAL_NOPAID"}, {"tmall_global", "true"}};
  order.lines[0].refund_status = sdk::RefundStatus::refunded;
  order.lines[2].status = sdk::OrderStatus::shipped;
  order.status = sdk::OrderStatus::partially_shipped;
  {
    auto store = open_store(path);
    upsert(*store, order, at("2026-11-10T16:00:30Z"));
  }
  auto store = open_store(path);  // From the file, not from any cache.
  auto stored = store->get_order(key_of(order));
  REQUIRE(stored.has_value());
  const auto& back = stored->order;
  CHECK(same_order(back, order));
  CHECK(back.receiver.ciphertext == order.receiver.ciphertext);
  CHECK(back.receiver.masked_name == "张*");
  CHECK(back.reservation_order_ids == order.reservation_order_ids);
  CHECK(back.extras == order.extras);
  CHECK(back.ship_by == order.ship_by);
  CHECK(back.paid_at == order.paid_at);
  REQUIRE(back.lines.size() == 3);
  CHECK(back.lines[0].refund_status == sdk::RefundStatus::refunded);
  CHECK(back.lines[2].paid.fen == 9000);
  CHECK(back.kind == sdk::OrderKind::presale);
  CHECK(back.cross_border == sdk::CrossBorderType::bonded_import);
}

TEST_CASE("lines follow the latest version, also in the line table") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto order = sample_order("2007");
  upsert(*store, order, at("2026-11-10T16:00:30Z"));
  order.lines.pop_back();
  order.modified_at = at("2026-11-10T17:00:00Z");
  CHECK(upsert(*store, order, at("2026-11-10T17:00:05Z")) == UpsertOutcome::updated);
  CHECK(store->get_order(key_of(order))->order.lines.size() == 2);
  CHECK(store->events(key_of(order)).back().reason.find("line 2007-3 removed") != std::string::npos);
  auto tx = store->begin();
  CHECK(tx->db().execAndGet("SELECT COUNT(*) FROM order_lines").getInt() == 2);
}

TEST_CASE("an order id shared by two shops is found in both") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  upsert(*store, sample_order("3001", "shop-a"), at("2026-11-10T16:00:30Z"));
  upsert(*store, sample_order("3001", "shop-b"), at("2026-11-10T16:00:31Z"));
  upsert(*store, sample_order("3002", "shop-a"), at("2026-11-10T16:00:32Z"));
  const auto keys = store->find_orders("3001");
  REQUIRE(keys.size() == 2);
  CHECK(keys[0].shop == "shop-a");
  CHECK(keys[1].shop == "shop-b");
  CHECK(store->find_orders("9999").empty());
  CHECK_FALSE(store->get_order(OrderKey{"tmall", "shop-c", "3001"}).has_value());
}

TEST_CASE("a decision that is not committed leaves nothing behind") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto order = sample_order("2008");
  {
    auto tx = store->begin();
    store->upsert_order(*tx, order, at("2026-11-10T16:00:30Z"));
    store->add_hold(*tx, key_of(order), {"MANUAL", "operator:li", "", "", {}}, at("2026-11-10T16:00:30Z"));
  }  // No commit: rolled back.
  CHECK_FALSE(store->get_order(key_of(order)).has_value());
  CHECK(store->events(key_of(order)).empty());
  CHECK(store->counts().active_holds == 0);
}

TEST_CASE("events and holds need a stored order") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto tx = store->begin();
  const OrderKey unknown{"tmall", "s", "nope"};
  CHECK_THROWS_AS(store->append_event(*tx, unknown, {"note", "x", "", "daemon", {}}, at("2026-11-10T16:00:30Z")),
                  std::out_of_range);
  CHECK_THROWS_AS(store->add_hold(*tx, unknown, {"MANUAL", "operator:li", "", "", {}}, at("2026-11-10T16:00:30Z")),
                  std::out_of_range);
  CHECK_THROWS_AS(store->mark_released(*tx, unknown, at("2026-11-10T16:00:30Z")), std::out_of_range);
}

TEST_CASE("an order without its key is refused, not stored under an empty id") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto order = sample_order("");
  auto tx = store->begin();
  CHECK_THROWS_AS(store->upsert_order(*tx, order, at("2026-11-10T16:00:30Z")), std::invalid_argument);
}

TEST_CASE("the stored order count follows commits, ignores rollbacks and updates, and survives a reopen") {
  TempDir dir;
  const auto path = dir / "erpd.db";
  const auto now = at("2026-11-10T16:00:30Z");
  {
    auto store = open_store(path);
    CHECK(store->counts().orders == 0);
    upsert(*store, sample_order("3001"), now);
    upsert(*store, sample_order("3002"), now);
    auto newer = sample_order("3001");
    newer.memo = "changed";
    newer.modified_at += std::chrono::minutes(1);
    CHECK(upsert(*store, newer, now) == UpsertOutcome::updated);
    CHECK(store->counts().orders == 2);
    {
      auto tx = store->begin();
      store->upsert_order(*tx, sample_order("3003"), now);
      // Inside its own transaction a writer sees its insert, as COUNT(*) would.
      CHECK(store->counts().orders == 3);
    }  // rolled back
    CHECK(store->counts().orders == 2);
    upsert(*store, sample_order("3004"), now);
    CHECK(store->counts().orders == 3);
  }
  auto reopened = open_store(path);
  CHECK(reopened->counts().orders == 3);
  auto tx = reopened->begin();
  CHECK(tx->db().execAndGet("SELECT COUNT(*) FROM orders").getInt64() == 3);
}

TEST_CASE("an order of many lines has every line in the line table, in the order given") {
  // Lines are written several to a statement; 19 lines cross that batch size twice.
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto order = sample_order("2010");
  const auto model = order.lines.front();
  order.lines.clear();
  for (int i = 0; i < 19; ++i) {
    auto line = model;
    line.line_id = "2010-" + std::to_string(i);
    line.sku = "SKU-" + std::to_string(i);
    line.quantity = i + 1;
    order.lines.push_back(line);
  }
  CHECK(upsert(*store, order, at("2026-11-10T16:00:30Z")) == UpsertOutcome::inserted);
  CHECK(same_order(store->get_order(key_of(order))->order, order));
  auto tx = store->begin();
  SQLite::Statement rows(tx->db(), "SELECT position, line_id, sku, quantity FROM order_lines ORDER BY position");
  int expected = 0;
  while (rows.executeStep()) {
    CHECK(rows.getColumn(0).getInt() == expected);
    CHECK(rows.getColumn(1).getString() == "2010-" + std::to_string(expected));
    CHECK(rows.getColumn(2).getString() == "SKU-" + std::to_string(expected));
    CHECK(rows.getColumn(3).getInt() == expected + 1);
    ++expected;
  }
  CHECK(expected == 19);
}
