#pragma once
// Shared by the store, holds and workflows tests: a temp-dir database and sample orders.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "core/order_json.hpp"
#include "core/time_format.hpp"
#include "store/store.hpp"
#include "test_support/temp_dir.hpp"

namespace erp::test {

using daemon::OrderKey;
using sdk::Instant;

inline Instant at(const char* rfc3339) {
  auto t = daemon::parse_rfc3339(rfc3339);
  REQUIRE(t.has_value());
  return *t;
}

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// A paid Tmall order with three lines, a masked receiver with ciphertext and the usual facts.
inline sdk::Order sample_order(const std::string& order_id, const std::string& shop = "tmall-flagship",
                               const std::string& platform = "tmall") {
  sdk::Order o;
  o.platform = platform;
  o.shop = shop;
  o.order_id = order_id;
  o.status = sdk::OrderStatus::paid;
  o.platform_status = "WAIT_SELLER_SEND_GOODS";
  o.created_at = at("2026-11-10T16:00:01Z");
  o.paid_at = at("2026-11-10T16:00:09.250Z");
  o.modified_at = at("2026-11-10T16:00:10Z");
  o.total = sdk::Money{29900};
  for (int i = 1; i <= 3; ++i) {
    sdk::OrderLine line;
    line.line_id = order_id + "-" + std::to_string(i);
    line.item_id = "item-" + std::to_string(i);
    line.sku = "sku-" + std::to_string(i);
    line.outer_sku = "OUT-" + std::to_string(i);
    line.title = "商品 " + std::to_string(i);
    line.quantity = i;
    line.price = sdk::Money{1000 * i};
    line.paid = sdk::Money{1000 * i * i};
    o.lines.push_back(line);
  }
  o.receiver.ciphertext = "~AgAAAAE=~enc~" + order_id;
  o.receiver.masked_name = "张*";
  o.receiver.masked_phone = "138****5678";
  o.receiver.masked_address = "浙江省杭州市西湖区****";
  o.receiver.province = "浙江省";
  o.receiver.city = "杭州市";
  o.receiver.district = "西湖区";
  o.buyer_ref = "buyer-open-uid-1";
  return o;
}

inline OrderKey key_of(const sdk::Order& o) { return OrderKey{o.platform, o.shop, o.order_id}; }

/// SQLite's plan for `sql`, one step per line ("SEARCH d USING INDEX ..."): what the tests that
/// prove a query walks its index read.
inline std::string query_plan(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement plan(db, "EXPLAIN QUERY PLAN " + sql);
  std::string out;
  while (plan.executeStep()) out += plan.getColumn(3).getString() + "\n";
  return out;
}

/// Orders have no operator==; the full JSON (with ciphertext) covers every field.
inline bool same_order(const sdk::Order& a, const sdk::Order& b) {
  return daemon::order_to_json(a, true) == daemon::order_to_json(b, true);
}

inline std::unique_ptr<daemon::store::Store> open_store(const std::filesystem::path& path,
                                                        daemon::store::OpenOptions options = {}) {
  auto opened = daemon::store::Store::open(path, options);
  if (!opened) FAIL("cannot open store: " << opened.error().message);
  return std::move(opened).value();
}

}  // namespace erp::test
