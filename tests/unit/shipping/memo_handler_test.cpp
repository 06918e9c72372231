// "platform.memo" outbox items (rules I3, I6): the intercept text goes in front of the merchant's
// memo within the platform's limit, comes off again leaving the rest, and nothing is written
// for an intercept that ended first.

#include "memo/memo_handler.hpp"

#include <doctest/doctest.h>

#include "unit/store/store_fixture.hpp"

using namespace erp::daemon;
using erp::sdk::ErrorCode;
using erp::test::sample_order;
using erp::test::TempDir;
namespace intercept = erp::daemon::workflows::intercept;

namespace {

/// A platform with one order whose memo it keeps: writes change it, reads show it.
class MemoAdapter : public erp::sdk::PlatformAdapter {
 public:
  std::vector<erp::sdk::MemoUpdate> written;
  std::optional<erp::sdk::Error> fail_with;
  std::string platform_memo = "客服小王记得送礼品";
  bool lose_answers = false;  ///< Writes are applied, but their answer is lost (a timeout).

  erp::sdk::Capabilities capabilities() const override { return {}; }
  erp::sdk::Result<erp::sdk::OrderPage> list_modified(const erp::sdk::ModifiedWindow&, const std::string&) override {
    return erp::sdk::OrderPage{};
  }
  erp::sdk::Result<erp::sdk::Order> get_order(const std::string& order_id) override {
    if (fail_with) return *fail_with;
    auto order = sample_order(order_id);
    order.memo = platform_memo;
    return order;
  }
  erp::sdk::Result<erp::sdk::ShipmentReceipt> ship(const erp::sdk::Shipment&) override {
    return erp::sdk::fail(ErrorCode::unsupported, "not here");
  }
  erp::sdk::Result<void> write_memo(const erp::sdk::MemoUpdate& update) override {
    if (fail_with) return *fail_with;
    written.push_back(update);
    platform_memo = update.memo;
    if (lose_answers) return erp::sdk::fail(ErrorCode::transient, "operation timed out");
    return {};
  }
};

struct MemoFixture {
  TempDir dir;
  std::unique_ptr<store::Store> store = std::move(store::Store::open(dir / "erpd.db")).value();
  holds::ReleaseGate gate{*store, [](store::Tx&, const store::StoredOrder&, Instant) {}};
  intercept::ShopSettings settings;
  intercept::InterceptService service{*store, gate, [this](const std::string&) { return std::optional(settings); }, {}};
  std::shared_ptr<MemoAdapter> adapter = std::make_shared<MemoAdapter>();
  memo::MemoHandler handler{*store, service, [this](const std::string&) { return adapter; }};
  OrderKey key{"tmall", "tmall-flagship", "1001"};

  MemoFixture() {
    settings.enabled = true;
    settings.memo = "拦截发货";
    settings.flag = 1;
    settings.memo_max_chars = 8;
    auto order = sample_order("1001");
    order.memo = "客服小王记得送礼品";
    auto tx = store->begin();
    store->upsert_order(*tx, order, now_utc());
    tx->commit();
  }
  /// The memo items the store owes for the order, oldest first.
  std::vector<store::OutboxItem> items() {
    std::vector<store::OutboxItem> out;
    for (const auto& item : store->list_outbox(store::OutboxState::pending, 100)) out.insert(out.begin(), item);
    return out;
  }
};

}  // namespace

TEST_CASE("intercept_I3_memo_handler_puts_the_text_first_within_the_platforms_limit") {
  MemoFixture f;
  auto requested = f.service.request(intercept::NewRequest{f.key, {}, "api", "operator:alice", ""}, now_utc());
  REQUIRE(requested);
  const auto items = f.items();
  REQUIRE(items.size() == 1);
  REQUIRE(f.handler.execute(items[0]).ok());
  REQUIRE(f.adapter->written.size() == 1);
  CHECK(f.adapter->written[0].order_id == "1001");
  CHECK(f.adapter->written[0].memo == "拦截发货 客服小");  // 8 characters: the text is never the part cut
  CHECK(f.adapter->written[0].flag == 1);
  CHECK(f.store->get_intercept(requested.value->intercept.id)->memo_written_at.has_value());
}

TEST_CASE("intercept_I6_memo_handler_takes_the_text_off_and_skips_a_memo_for_an_ended_intercept") {
  MemoFixture f;
  auto requested = f.service.request(intercept::NewRequest{f.key, {}, "api", "operator:alice", ""}, now_utc());
  REQUIRE(requested);
  const auto id = requested.value->intercept.id;
  REQUIRE(f.service.cancel(id, "operator:alice", "", now_utc()));
  const auto items = f.items();
  REQUIRE(items.size() == 2);
  // The intercept ended before its memo went out: nothing is written, and nothing is taken off.
  REQUIRE(f.handler.execute(items[0]).ok());
  REQUIRE(f.handler.execute(items[1]).ok());
  CHECK(f.adapter->written.empty());

  // Once the text is on the platform, a clear writes the memo back without it.
  auto again = f.service.request(intercept::NewRequest{f.key, {}, "api", "operator:alice", ""}, now_utc());
  REQUIRE(again);
  auto order = *f.store->get_order(f.key);
  order.order.memo = "拦截发货 客服小王记得送礼品";
  f.adapter->platform_memo = order.order.memo;
  order.order.modified_at += std::chrono::minutes{1};
  {
    auto tx = f.store->begin();
    f.store->upsert_order(*tx, order.order, now_utc());
    tx->commit();
  }
  f.service.memo_written(again.value->intercept.id, now_utc());
  REQUIRE(f.service.cancel(again.value->intercept.id, "operator:alice", "", now_utc()));
  const auto clear = f.items().back();
  CHECK(clear.payload["purpose"] == "clear");
  REQUIRE(f.handler.execute(clear).ok());
  REQUIRE(f.adapter->written.size() == 1);
  CHECK(f.adapter->written[0].memo == "客服小王记得送礼品");
  CHECK(f.adapter->written[0].flag == 0);
  CHECK_FALSE(f.store->get_intercept(again.value->intercept.id)->memo_written_at.has_value());
}

TEST_CASE("intercept_I3_memo_handler_keeps_a_write_owed_while_the_shop_needs_reauthorization") {
  MemoFixture f;
  REQUIRE(f.service.request(intercept::NewRequest{f.key, {}, "api", "operator:alice", ""}, now_utc()));
  f.adapter->fail_with = erp::sdk::Error::make(ErrorCode::needs_reauth, "session expired");
  const auto result = f.handler.execute(f.items()[0]);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().retryable);
}

TEST_CASE("intercept_I3_a_memo_write_whose_answer_was_lost_is_not_written_again") {
  MemoFixture f;
  auto requested = f.service.request(intercept::NewRequest{f.key, {}, "api", "operator:alice", ""}, now_utc());
  REQUIRE(requested);
  const auto item = f.items()[0];
  f.adapter->lose_answers = true;
  const auto first = f.handler.execute(item);
  REQUIRE_FALSE(first.ok());  // the outbox retries it ...
  CHECK(first.error().retryable);
  f.adapter->lose_answers = false;
  REQUIRE(f.handler.execute(item).ok());  // ... and the retry finds the text already there
  CHECK(f.adapter->written.size() == 1);
  CHECK(f.adapter->platform_memo == "拦截发货 客服小");
  CHECK(f.store->get_intercept(requested.value->intercept.id)->memo_written_at.has_value());
}

TEST_CASE("intercept_I3_memo_handler_writes_in_front_of_the_merchants_latest_memo_not_the_synced_one") {
  MemoFixture f;
  REQUIRE(f.service.request(intercept::NewRequest{f.key, {}, "api", "operator:alice", ""}, now_utc()));
  f.adapter->platform_memo = "改地址";  // edited on the platform after erpd's last sync
  REQUIRE(f.handler.execute(f.items()[0]).ok());
  REQUIRE(f.adapter->written.size() == 1);
  CHECK(f.adapter->written[0].memo == "拦截发货 改地址");
}
