// The warehouse connector's rows: delivery codes claimed once per outbox item, stock changes and
// inbound messages kept once, and a database of schema 8 gaining the tables with its orders kept.

#include <doctest/doctest.h>

#include "unit/store/store_fixture.hpp"

using namespace erp::daemon::store;
using erp::test::at;
using erp::test::open_store;
using erp::test::sample_order;
using erp::test::TempDir;

namespace {
const erp::daemon::OrderKey kKey{"tmall", "tmall-flagship", "1001"};
}

TEST_CASE("a delivery code is claimed once per source; the next free candidate goes to another source") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto now = at("2026-11-11T00:00:00Z");
  CHECK(store->claim_delivery_code("deliver:a", kKey, {"1001", "1001-x"}, {"1001-1"}, now) == "1001");
  CHECK(store->claim_delivery_code("deliver:a", kKey, {"other"}, {"1001-1"}, now) == "1001");
  CHECK(store->claim_delivery_code("deliver:b", kKey, {"1001", "1001-x"}, {}, now) == "1001-x");
  CHECK_THROWS_AS(store->claim_delivery_code("deliver:c", kKey, {"1001", "1001-x"}, {}, now), std::runtime_error);
  const auto deliveries = store->deliveries_of(kKey);
  REQUIRE(deliveries.size() == 2);
  CHECK(deliveries[0].line_ids == std::vector<std::string>{"1001-1"});
  auto tx = store->begin();
  store->cancel_deliveries(*tx, kKey, now);
  CHECK(store->record_warehouse_message(*tx, "m1", now));
  CHECK_FALSE(store->record_warehouse_message(*tx, "m1", now));
  tx->commit();
  CHECK(store->find_delivery("1001")->cancelled);
  CHECK(store->find_delivery("1001-x")->cancelled);
}

TEST_CASE("a database of schema 8 gains the warehouse tables and keeps its orders") {
  TempDir dir;
  const auto path = dir / "erpd.db";
  {
    auto old = open_store(path, OpenOptions{8});
    REQUIRE(old->schema_version() == 8);
    auto tx = old->begin();
    old->upsert_order(*tx, sample_order("1001"), at("2026-11-20T00:00:00Z"));
    tx->commit();
    CHECK_FALSE(tx->db().tableExists("warehouse_deliveries"));
  }
  auto store = open_store(path);
  CHECK(store->schema_version() == Store::latest_schema_version());
  CHECK(store->get_order(kKey).has_value());
  CHECK(store->claim_delivery_code("deliver:a", kKey, {"1001"}, {}, at("2026-11-21T00:00:00Z")) == "1001");
}
