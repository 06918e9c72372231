// Schema 4: plugin instances' durable values and the ids of pushes already taken over.

#include <doctest/doctest.h>

#include "store_fixture.hpp"

using namespace erp::test;
using erp::daemon::store::OpenOptions;

TEST_CASE("plugin state survives reopening the database and is kept per platform, shop and key") {
  TempDir dir;
  const auto path = dir / "erpd.db";
  const Instant now = at("2026-11-11T00:00:00Z");
  {
    auto store = open_store(path);
    CHECK_FALSE(store->plugin_state("douyin", "dy-1", "douyin.tokens").has_value());
    store->set_plugin_state("douyin", "dy-1", "douyin.tokens", "pair-1", now);
    store->set_plugin_state("douyin", "dy-1", "douyin.tokens", "pair-2", now);  // replaces
    store->set_plugin_state("douyin", "dy-2", "douyin.tokens", "other-shop", now);
  }
  auto store = open_store(path);
  CHECK(store->plugin_state("douyin", "dy-1", "douyin.tokens") == std::optional<std::string>("pair-2"));
  CHECK(store->plugin_state("douyin", "dy-2", "douyin.tokens") == std::optional<std::string>("other-shop"));
  CHECK_FALSE(store->plugin_state("tmall", "dy-1", "douyin.tokens").has_value());
}

TEST_CASE("D11 a push message id is recorded once per shop, and old ids are pruned") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const Instant day1 = at("2026-11-11T00:00:00Z");
  const Instant day9 = at("2026-11-19T00:00:00Z");
  CHECK_FALSE(store->push_seen("douyin", "dy-1", "7001"));
  CHECK(store->record_push("douyin", "dy-1", "7001", day1));
  CHECK_FALSE(store->record_push("douyin", "dy-1", "7001", day9));  // a duplicate delivery
  CHECK(store->push_seen("douyin", "dy-1", "7001"));
  CHECK_FALSE(store->push_seen("douyin", "dy-2", "7001"));
  CHECK(store->record_push("douyin", "dy-1", "7002", day9));
  CHECK(store->prune_pushes(at("2026-11-12T00:00:00Z")) == 1);
  CHECK_FALSE(store->push_seen("douyin", "dy-1", "7001"));
  CHECK(store->push_seen("douyin", "dy-1", "7002"));
}

TEST_CASE("a database of schema 3 gains the plugin state and push tables and keeps its orders") {
  TempDir dir;
  const auto path = dir / "erpd.db";
  const auto order = sample_order("1001");
  {
    auto old = open_store(path, OpenOptions{3});
    auto tx = old->begin();
    old->upsert_order(*tx, order, at("2026-11-11T00:00:00Z"));
    tx->commit();
  }
  auto store = open_store(path);
  CHECK(store->schema_version() == Store::latest_schema_version());
  CHECK(store->get_order(key_of(order)).has_value());
  store->set_plugin_state("douyin", "dy-1", "k", "v", at("2026-11-11T00:00:00Z"));
  CHECK(store->record_push("douyin", "dy-1", "m", at("2026-11-11T00:00:00Z")));
}
