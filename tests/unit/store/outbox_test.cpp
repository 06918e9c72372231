// The outbox table as the dispatcher drives it, plus sync cursors and quarantine.

#include "unit/store/store_fixture.hpp"

using namespace erp;
using namespace erp::test;
using daemon::store::NewOutboxItem;
using daemon::store::OutboxState;
using daemon::store::Store;

namespace {

std::int64_t enqueue(Store& store, const std::string& key, Instant now, nlohmann::json payload = {}) {
  auto tx = store.begin();
  const auto id =
      store.enqueue(*tx,
                    NewOutboxItem{key, "platform.ship", "tmall-flagship", OrderKey{"tmall", "tmall-flagship", "5001"},
                                  payload.is_null() ? nlohmann::json::object() : payload},
                    now);
  tx->commit();
  return id;
}

const Instant kT0 = *daemon::parse_rfc3339("2026-11-11T02:00:00Z");

}  // namespace

TEST_CASE("an effect enqueued twice under one idempotency key exists once, unchanged") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto first = enqueue(*store, "ship:5001:SF123", kT0, {{"waybill", "SF123"}});
  const auto second = enqueue(*store, "ship:5001:SF123", kT0 + std::chrono::minutes(5), {{"waybill", "OTHER"}});
  CHECK(first == second);
  CHECK(store->list_outbox(std::nullopt).size() == 1);
  auto item = store->get_outbox_item(first);
  REQUIRE(item.has_value());
  CHECK(item->payload["waybill"] == "SF123");
  CHECK(item->created_at == kT0);
  CHECK(item->state == OutboxState::pending);
  CHECK(item->key == OrderKey{"tmall", "tmall-flagship", "5001"});
  CHECK(item->kind == "platform.ship");
  CHECK(item->target == "tmall-flagship");

  auto tx = store->begin();
  CHECK_THROWS_AS(store->enqueue(*tx, NewOutboxItem{"", "x", "y", std::nullopt, {}}, kT0), std::invalid_argument);
}

TEST_CASE("an effect enqueued in a decision that rolls back is not owed") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  {
    auto tx = store->begin();
    store->enqueue(*tx, NewOutboxItem{"memo:1", "platform.memo", "shop", std::nullopt, {}}, kT0);
  }
  CHECK(store->list_outbox(std::nullopt).empty());
  CHECK_FALSE(store->next_outbox_due().has_value());
}

TEST_CASE("claiming moves due items in flight once; failures back off; dead letters wait for a retry") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto a = enqueue(*store, "a", kT0);
  const auto b = enqueue(*store, "b", kT0 + std::chrono::seconds(1));
  const auto c = enqueue(*store, "c", kT0 + std::chrono::hours(1));  // Enqueued later, due later.
  CHECK(store->next_outbox_due() == kT0);

  auto claimed = store->claim_due(kT0 + std::chrono::seconds(10), 10);
  REQUIRE(claimed.size() == 2);
  CHECK(claimed[0].id == a);
  CHECK(claimed[1].id == b);
  CHECK(claimed[0].state == OutboxState::in_flight);
  CHECK(store->get_outbox_item(a)->state == OutboxState::in_flight);
  CHECK(store->claim_due(kT0 + std::chrono::seconds(10), 10).empty());  // Never handed out twice.
  CHECK(store->next_outbox_due() == kT0 + std::chrono::hours(1));

  store->mark_done(a, kT0 + std::chrono::seconds(11));
  auto done = store->get_outbox_item(a);
  CHECK(done->state == OutboxState::done);
  CHECK(done->attempts == 1);

  const auto retry_at = kT0 + std::chrono::minutes(2);
  store->mark_failed(b, "transient: HTTP 502", retry_at, false, kT0 + std::chrono::seconds(12));
  auto failed = store->get_outbox_item(b);
  CHECK(failed->state == OutboxState::pending);
  CHECK(failed->attempts == 1);
  CHECK(failed->last_error == "transient: HTTP 502");
  CHECK(failed->next_attempt_at == retry_at);
  CHECK(failed->updated_at == kT0 + std::chrono::seconds(12));
  CHECK(store->claim_due(retry_at - std::chrono::milliseconds(1), 10).empty());  // Not before its time.

  claimed = store->claim_due(retry_at, 10);
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].id == b);
  CHECK(claimed[0].attempts == 1);
  store->mark_failed(b, "invalid_input: waybill refused", std::nullopt, true, retry_at + std::chrono::seconds(1));
  auto dead = store->get_outbox_item(b);
  CHECK(dead->state == OutboxState::dead);
  CHECK(dead->attempts == 2);
  CHECK(dead->last_error == "invalid_input: waybill refused");
  CHECK(store->claim_due(kT0 + std::chrono::hours(2), 10).size() == 1);  // Only c; the dead one stays.

  const auto dead_list = store->list_outbox(OutboxState::dead);
  REQUIRE(dead_list.size() == 1);
  CHECK(dead_list[0].id == b);
  CHECK(store->counts().outbox_dead == 1);

  const auto later = kT0 + std::chrono::hours(3);
  CHECK(store->retry_outbox_item(b, later));
  auto retried = store->get_outbox_item(b);
  CHECK(retried->state == OutboxState::pending);
  CHECK(retried->attempts == 0);
  CHECK(retried->next_attempt_at == later);
  CHECK_FALSE(store->retry_outbox_item(a, later));    // Done: the effect happened.
  CHECK_FALSE(store->retry_outbox_item(c, later));    // In flight: the dispatcher has it.
  CHECK_FALSE(store->retry_outbox_item(999, later));  // Unknown.

  const auto all = store->list_outbox(std::nullopt);
  REQUIRE(all.size() == 3);
  CHECK(all[0].id == c);  // Newest first.
}

TEST_CASE("items left in flight by a crash go back to pending at start-up") {
  TempDir dir;
  const auto path = dir / "erpd.db";
  std::int64_t id = 0;
  {
    auto store = open_store(path);
    id = enqueue(*store, "ship:5001", kT0);
    CHECK(store->claim_due(kT0, 5).size() == 1);
  }  // The daemon died with the upload in flight.
  auto store = open_store(path);
  CHECK(store->claim_due(kT0 + std::chrono::minutes(1), 5).empty());
  CHECK(store->counts().outbox_in_flight == 1);
  CHECK(store->recover_in_flight(kT0 + std::chrono::minutes(1)) == 1);
  auto item = store->get_outbox_item(id);
  CHECK(item->state == OutboxState::pending);
  CHECK(item->idempotency_key == "ship:5001");  // Retried under the same key.
  const auto claimed = store->claim_due(kT0 + std::chrono::minutes(1), 5);
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].id == id);
  CHECK(store->recover_in_flight(kT0 + std::chrono::minutes(2)) == 1);
  CHECK(store->recover_in_flight(kT0 + std::chrono::minutes(2)) == 0);
}

TEST_CASE("outbox calls made while the thread has a decision open join that decision") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto id = enqueue(*store, "k", kT0);
  {
    auto tx = store->begin();
    CHECK(store->claim_due(kT0, 1).size() == 1);
  }  // Rolled back with the decision.
  CHECK(store->get_outbox_item(id)->state == OutboxState::pending);
}

TEST_CASE("sync cursors are kept per shop and replaced") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  CHECK_FALSE(store->cursor("douyin", "dy-1", "update_time").has_value());
  auto tx = store->begin();
  store->set_cursor(*tx, "douyin", "dy-1", "update_time", "1731290000", kT0);
  store->set_cursor(*tx, "douyin", "dy-2", "update_time", "1", kT0);
  store->set_cursor(*tx, "douyin", "dy-1", "update_time", "1731290100", kT0);
  tx->commit();
  CHECK(store->cursor("douyin", "dy-1", "update_time") == "1731290100");
  CHECK(store->cursor("douyin", "dy-2", "update_time") == "1");
}

TEST_CASE("unparseable payloads are quarantined with the reason, newest first") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  auto tx = store->begin();
  store->quarantine(*tx, {0, "taobao", "tb-1", "", "trade: missing tid", R"({"trade":{}})", kT0});
  const auto id = store->quarantine(
      *tx, {0, "taobao", "tb-1", "777", "payment: not a decimal", R"({"tid":777})", kT0 + std::chrono::seconds(1)});
  tx->commit();
  const auto entries = store->list_quarantine();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].id == id);
  CHECK(entries[0].order_id == "777");
  CHECK(entries[0].reason == "payment: not a decimal");
  CHECK(entries[0].payload == R"({"tid":777})");
  CHECK(entries[0].received_at == kT0 + std::chrono::seconds(1));
  CHECK(entries[1].order_id.empty());
  CHECK(store->counts().quarantined == 2);
}
