// The intercept workflow's decisions (rules I1-I9) on a real store: what locks, what waits for
// the warehouse, what is too late, and what ends an intercept. Outbox rows stand for the memo
// and warehouse effects (their handlers are tested where they live).

#include "workflows/intercept/intercept_service.hpp"

#include "holds/release_gate.hpp"
#include "unit/store/store_fixture.hpp"
#include "workflows/intercept/intercept_workflow.hpp"
#include "workflows/intercept/memo_text.hpp"
#include "workflows/release_delay.hpp"

using namespace erp;
using namespace erp::test;
using namespace std::chrono_literals;
using daemon::holds::HoldService;
using daemon::holds::ReleaseGate;
using daemon::store::Intercept;
using daemon::store::InterceptState;
using daemon::store::Store;
using daemon::workflows::OrderPipeline;
using daemon::workflows::ReleaseDelay;
namespace intercept = daemon::workflows::intercept;

namespace {

const Instant kNow = *daemon::parse_rfc3339("2026-11-10T16:00:20Z");  // 11.11 00:00:20 China time
constexpr const char* kMemo = "拦截发货";

struct Fixture {
  TempDir dir;
  std::unique_ptr<Store> store = open_store(dir / "erpd.db");
  ReleaseGate gate{*store, [](daemon::store::Tx&, const daemon::store::StoredOrder&, Instant) {}};
  OrderPipeline pipeline{*store, gate};
  HoldService holds{*store, gate};
  std::shared_ptr<ReleaseDelay> delay = std::make_shared<ReleaseDelay>(*store);
  std::map<std::string, intercept::ShopSettings> shops;
  bool warehouse_pushes = true;
  std::map<std::string, int> outcomes;
  intercept::InterceptService service{
      *store, gate,
      [this](const std::string& shop) -> std::optional<intercept::ShopSettings> {
        const auto it = shops.find(shop);
        if (it == shops.end()) return std::nullopt;
        return it->second;
      },
      intercept::ServiceHooks{{}, [this] { return warehouse_pushes; },
                              [this](const std::string&, std::string_view outcome) { ++outcomes[std::string(outcome)]; }}};

  /// `held`: orders wait an hour after payment (RELEASE_DELAY), so the daemon still holds them.
  explicit Fixture(bool held = true) {
    intercept::ShopSettings settings;
    settings.enabled = true;
    settings.memo = kMemo;
    settings.memo_max_chars = 60;
    shops["tmall-flagship"] = settings;
    delay->set_delay(held ? 1h : 0ms);
    pipeline.add(delay);
    pipeline.add(std::make_shared<intercept::InterceptWorkflow>(service));
  }

  sdk::Order ingest(sdk::Order order, Instant at = kNow) {
    pipeline.ingest(order, at);
    return order;
  }
  daemon::store::StoredOrder stored(const std::string& id) { return *store->get_order(key_of(sample_order(id))); }

  intercept::Decision<intercept::Requested> request(const std::string& id, std::vector<std::string> lines = {}) {
    return service.request(intercept::NewRequest{key_of(sample_order(id)), std::move(lines), "api", "operator:alice",
                                                 "buyer ordered twice"},
                           kNow);
  }

  /// Outbox items of `kind` for the order, oldest first.
  std::vector<daemon::store::OutboxItem> effects(const std::string& id, const std::string& kind) {
    std::vector<daemon::store::OutboxItem> out;
    for (const auto& item : store->list_outbox(std::nullopt, 1000)) {
      if (item.kind == kind && item.key && item.key->order_id == id) out.insert(out.begin(), item);
    }
    return out;
  }
};

sdk::Order newer(sdk::Order order, std::chrono::milliseconds later = 1min) {
  order.modified_at += later;
  return order;
}

}  // namespace

TEST_CASE("intercept_I4_held_order_locks_at_once_and_the_memo_is_owed_once") {
  Fixture f;
  f.ingest(sample_order("9001"));
  auto decision = f.request("9001");
  REQUIRE(decision);
  const Intercept& made = decision.value->intercept;
  CHECK(made.state == InterceptState::locked);
  CHECK(made.was_locked);
  REQUIRE(made.hold_id.has_value());
  const auto order = f.stored("9001");
  CHECK_FALSE(order.released);
  CHECK(std::any_of(order.holds.begin(), order.holds.end(), [](const auto& h) { return h.reason_code == "INTERCEPT"; }));
  const auto memos = f.effects("9001", intercept::kMemoKind);
  REQUIRE(memos.size() == 1);
  CHECK(memos[0].payload["purpose"] == "intercept");
  CHECK(f.effects("9001", intercept::kLockKind).empty());  // nothing to ask the warehouse: it never had it
  CHECK(f.outcomes["locked"] == 1);

  // Asking again is answered with the same intercept; nothing new is owed.
  auto again = f.request("9001");
  REQUIRE(again);
  CHECK(again.value->duplicate);
  CHECK(again.value->intercept.id == made.id);
  CHECK(f.effects("9001", intercept::kMemoKind).size() == 1);

  const auto events = f.store->events(key_of(sample_order("9001")));
  CHECK(std::any_of(events.begin(), events.end(),
                    [](const auto& e) { return e.kind == "intercept.locked" && e.rule_id == "I4"; }));
}

TEST_CASE("intercept_I4_released_order_succeeds_only_when_the_warehouse_confirms") {
  Fixture f(false);
  f.ingest(sample_order("9002"));
  REQUIRE(f.stored("9002").released);
  auto decision = f.request("9002");
  REQUIRE(decision);
  const auto id = decision.value->intercept.id;
  CHECK(decision.value->intercept.state == InterceptState::awaiting_warehouse);
  CHECK(f.effects("9002", intercept::kLockKind).size() == 1);

  auto confirmed = f.service.confirm(id, true, "warehouse:wms", "", kNow + 1min);
  REQUIRE(confirmed);
  CHECK(confirmed.value->state == InterceptState::locked);
  CHECK(confirmed.value->was_locked);
  // The warehouse repeating itself is harmless; changing its answer is not accepted.
  CHECK(f.service.confirm(id, true, "warehouse:wms", "", kNow + 2min));
  auto changed = f.service.confirm(id, false, "warehouse:wms", "", kNow + 3min);
  REQUIRE_FALSE(changed);
  CHECK(changed.refusal->kind == intercept::Refusal::Kind::conflict);
}

TEST_CASE("intercept_I4_a_pulling_warehouse_gets_no_lock_item_and_confirms_through_the_api") {
  Fixture f(false);
  f.warehouse_pushes = false;
  f.ingest(sample_order("9003"));
  auto decision = f.request("9003");
  REQUIRE(decision);
  CHECK(decision.value->intercept.state == InterceptState::awaiting_warehouse);
  CHECK(f.effects("9003", intercept::kLockKind).empty());
  daemon::store::InterceptFilter awaiting;
  awaiting.states = {InterceptState::awaiting_warehouse};
  CHECK(f.store->list_intercepts(awaiting).size() == 1);
  auto too_late = f.service.confirm(decision.value->intercept.id, false, "warehouse:wms", "packed", kNow);
  REQUIRE(too_late);
  CHECK(too_late.value->state == InterceptState::too_late);
  CHECK_FALSE(too_late.value->was_locked);
}

TEST_CASE("intercept_I4_I9_shipped_order_is_too_late_and_suggests_a_parcel_interception") {
  Fixture f;
  auto order = sample_order("9004");
  order.status = sdk::OrderStatus::shipped;
  order.platform_status = "WAIT_BUYER_CONFIRM_GOODS";
  for (auto& line : order.lines) line.status = sdk::OrderStatus::shipped;
  f.ingest(order);
  auto decision = f.request("9004");
  REQUIRE_FALSE(decision);
  CHECK(decision.refusal->kind == intercept::Refusal::Kind::too_late);
  REQUIRE(decision.refusal->intercept.has_value());
  CHECK(decision.refusal->intercept->state == InterceptState::too_late);
  CHECK(decision.refusal->message.find("parcel interception") != std::string::npos);
  CHECK(f.effects("9004", intercept::kMemoKind).empty());
  CHECK(f.store->intercepts_of(key_of(order)).size() == 1);  // the result is recorded (I4)
}

TEST_CASE("intercept_I2_chosen_lines_and_shipments_of_them_are_refused") {
  Fixture f;
  f.ingest(sample_order("9005"));
  auto decision = f.request("9005", {"9005-2"});
  REQUIRE(decision);
  CHECK(decision.value->intercept.line_ids == std::vector<std::string>{"9005-2"});

  auto tx = f.store->begin();
  const auto key = key_of(sample_order("9005"));
  CHECK(f.service.settle_shipment(*tx, key, {"9005-1"}, kNow));  // not intercepted
  auto refused = f.service.settle_shipment(*tx, key, {"9005-1", "9005-2"}, kNow);
  REQUIRE_FALSE(refused);
  CHECK(refused.refusal->message.find("line 9005-2 of order 9005 is intercepted") != std::string::npos);
  CHECK_FALSE(f.service.settle_shipment(*tx, key, {}, kNow));  // the whole order includes it
  tx.reset();

  auto unknown = f.request("9005", {"9005-9"});
  REQUIRE_FALSE(unknown);
  CHECK(unknown.refusal->kind == intercept::Refusal::Kind::invalid_input);
  auto wider = f.request("9005", {"9005-1"});
  REQUIRE_FALSE(wider);
  CHECK(wider.refusal->kind == intercept::Refusal::Kind::conflict);
}

TEST_CASE("intercept_I4_race_a_shipment_posted_before_the_warehouse_confirms_wins") {
  Fixture f(false);
  f.ingest(sample_order("9006"));
  auto decision = f.request("9006");
  REQUIRE(decision);
  {
    auto tx = f.store->begin();
    auto settled = f.service.settle_shipment(*tx, key_of(sample_order("9006")), {}, kNow + 1s);
    REQUIRE(settled);
    REQUIRE(settled.value->has_value());
    CHECK((*settled.value)->state == InterceptState::too_late);
    tx->commit();
  }
  // The warehouse's late confirmation loses: the parcel has left.
  auto late = f.service.confirm(decision.value->intercept.id, true, "warehouse:wms", "", kNow + 2s);
  REQUIRE_FALSE(late);
  CHECK(late.refusal->kind == intercept::Refusal::Kind::conflict);
  CHECK(f.store->get_intercept(decision.value->intercept.id)->state == InterceptState::too_late);
}

TEST_CASE("intercept_I8_memo_only_shop_writes_the_memo_and_locks_nothing") {
  Fixture f;
  f.shops["tmall-flagship"].level = intercept::Level::memo_only;
  f.ingest(sample_order("9007"));
  auto decision = f.request("9007");
  REQUIRE(decision);
  CHECK(decision.value->intercept.state == InterceptState::memo_only);
  CHECK_FALSE(decision.value->intercept.hold_id.has_value());
  CHECK(decision.value->intercept.detail.find("memo only") != std::string::npos);
  CHECK(f.effects("9007", intercept::kMemoKind).size() == 1);
  const auto holds = f.stored("9007").holds;
  CHECK(std::none_of(holds.begin(), holds.end(), [](const auto& h) { return h.reason_code == "INTERCEPT"; }));
}

TEST_CASE("intercept_I1_a_shop_without_intercept_refuses_requests") {
  Fixture f;
  f.shops["tmall-flagship"].enabled = false;
  f.ingest(sample_order("9008"));
  auto decision = f.request("9008");
  REQUIRE_FALSE(decision);
  CHECK(decision.refusal->kind == intercept::Refusal::Kind::not_enabled);
}

TEST_CASE("intercept_I6_cancel_releases_the_order_clears_the_memo_and_tells_the_warehouse") {
  Fixture f;
  f.ingest(sample_order("9009"));
  auto decision = f.request("9009");
  REQUIRE(decision);
  // An operator cannot lift the intercept's lock as if it were a plain hold.
  auto by_hand = f.holds.release(key_of(sample_order("9009")), *decision.value->intercept.hold_id, "operator:bob", "",
                                 true, kNow);
  REQUIRE_FALSE(by_hand.ok());
  CHECK(by_hand.error().message.find("erpctl intercept cancel") != std::string::npos);

  auto cancelled = f.service.cancel(decision.value->intercept.id, "operator:alice", "buyer wants it", kNow + 1min);
  REQUIRE(cancelled);
  CHECK(cancelled.value->state == InterceptState::cancelled);
  const auto memos = f.effects("9009", intercept::kMemoKind);
  REQUIRE(memos.size() == 2);
  CHECK(memos[1].payload["purpose"] == "clear");
  const auto holds = f.stored("9009").holds;
  CHECK(std::none_of(holds.begin(), holds.end(), [](const auto& h) { return h.reason_code == "INTERCEPT"; }));
  CHECK_FALSE(f.service.cancel(decision.value->intercept.id, "operator:alice", "", kNow + 2min));  // not open

  Fixture released(false);
  released.ingest(sample_order("9010"));
  auto asked = released.request("9010");
  REQUIRE(asked);
  REQUIRE(released.service.cancel(asked.value->intercept.id, "operator:alice", "", kNow + 1min));
  CHECK(released.effects("9010", intercept::kUnlockKind).size() == 1);
}

TEST_CASE("intercept_I3_I6_the_memo_text_on_the_platform_starts_and_its_removal_cancels") {
  Fixture f;
  auto order = sample_order("9011");
  order.memo = std::string(kMemo) + " 客服小王";
  f.ingest(order);
  auto open = f.store->open_intercept(key_of(order));
  REQUIRE(open.has_value());
  CHECK(open->source == "memo");
  CHECK(open->state == InterceptState::locked);
  CHECK(f.effects("9011", intercept::kMemoKind).empty());  // the text is there already

  // A newer version without the text: the buyer changed their mind on the platform (I6).
  auto removed = newer(order);
  removed.memo = "客服小王";
  f.ingest(removed);
  CHECK_FALSE(f.store->open_intercept(key_of(order)).has_value());
  CHECK(f.store->intercepts_of(key_of(order)).front().state == InterceptState::cancelled);
  CHECK(f.effects("9011", intercept::kMemoKind).empty());  // nothing to take off
}

TEST_CASE("intercept_I6_a_memo_not_yet_written_is_not_read_as_removed") {
  Fixture f;
  const auto order = f.ingest(sample_order("9012"));
  REQUIRE(f.request("9012"));
  // The sync brings a version from before the memo write: no text yet, and that is expected.
  f.ingest(newer(order));
  CHECK(f.store->open_intercept(key_of(order))->state == InterceptState::locked);
}

TEST_CASE("intercept_I6_a_removal_in_the_same_second_as_the_memo_write_still_cancels") {
  Fixture f;
  auto order = f.ingest(sample_order("9022"));
  auto decision = f.request("9022");
  REQUIRE(decision);
  f.service.memo_written(decision.value->intercept.id, kNow + 500ms);
  // Platforms stamp whole seconds: the version with the text and the one without share one.
  auto shown = newer(order, 1s);
  shown.memo = kMemo;
  f.ingest(shown);
  auto removed = shown;
  removed.memo = "";
  f.ingest(removed);
  CHECK(f.store->get_intercept(decision.value->intercept.id)->state == InterceptState::cancelled);
}

TEST_CASE("intercept_I4_a_too_late_ending_leaves_the_memo_as_it_is") {
  Fixture f(false);
  f.ingest(sample_order("9023"));
  auto decision = f.request("9023");
  REQUIRE(decision);
  f.service.memo_written(decision.value->intercept.id, kNow + 1s);
  auto lost = f.service.confirm(decision.value->intercept.id, false, "warehouse:wms", "", kNow + 2s);
  REQUIRE(lost);
  CHECK(lost.value->memo_written_at.has_value());  // still on the platform, as a record
  CHECK(f.effects("9023", intercept::kMemoKind).size() == 1);  // and not taken off
}

TEST_CASE("intercept_I7_unlock_before_releases_orders_without_refund_requests") {
  Fixture f;
  f.ingest(sample_order("9013"));
  auto with_refund = sample_order("9014");
  f.ingest(with_refund);
  REQUIRE(f.request("9013"));
  REQUIRE(f.request("9014"));
  with_refund = newer(with_refund);
  with_refund.lines[0].refund_status = sdk::RefundStatus::requested;
  f.ingest(with_refund);

  const auto report = f.service.unlock_before(kNow + 1s, "", "operator:alice", kNow + 1min);
  REQUIRE(report.unlocked.size() == 1);
  CHECK(report.unlocked[0].key.order_id == "9013");
  REQUIRE(report.kept.size() == 1);
  CHECK(report.kept[0].first.key.order_id == "9014");
  CHECK(report.kept[0].second.find("refund requested on line 9014-1") != std::string::npos);
  CHECK(f.store->open_intercept(key_of(sample_order("9013"))) == std::nullopt);
  CHECK(f.effects("9013", intercept::kMemoKind).back().payload["purpose"] == "clear");
}

TEST_CASE("intercept_I7_scheduled_unlock_defaults_to_the_end_of_the_next_day_china_time") {
  Fixture f;
  f.ingest(sample_order("9015"));
  REQUIRE(f.request("9015"));  // 2026-11-11 00:00:20 China time
  CHECK(f.service.unlock_due(*daemon::parse_rfc3339("2026-11-12T23:59:00+08:00")) == 0);
  CHECK(f.service.unlock_due(*daemon::parse_rfc3339("2026-11-13T00:00:00+08:00")) == 1);
  CHECK(f.store->intercepts_of(key_of(sample_order("9015"))).front().state == InterceptState::unlocked);

  // A configured time unlocks the intercepts requested before it; a later one waits its day.
  f.shops["tmall-flagship"].unlock_at = kNow + 1h;
  f.ingest(sample_order("9020"));
  REQUIRE(f.request("9020"));
  CHECK(f.service.unlock_due(kNow + 1h) == 1);
  f.ingest(sample_order("9021"));
  REQUIRE(f.service.request(intercept::NewRequest{key_of(sample_order("9021")), {}, "api", "operator:alice", ""},
                            kNow + 2h));
  CHECK(f.service.unlock_due(kNow + 3h) == 0);

  f.shops["tmall-flagship"].unlock_at.reset();
  f.shops["tmall-flagship"].unlock_never = true;
  f.ingest(sample_order("9016"));
  REQUIRE(f.request("9016"));
  CHECK(f.service.unlock_due(kNow + 24h * 30) == 0);
}

TEST_CASE("intercept_I5_the_completed_refund_resolves_and_nothing_but_memos_goes_to_the_platform") {
  Fixture f;
  auto order = f.ingest(sample_order("9017"));
  REQUIRE(f.request("9017", {"9017-1"}));
  order = newer(order);
  order.lines[0].refund_status = sdk::RefundStatus::refunded;
  order.lines[0].status = sdk::OrderStatus::closed;
  f.ingest(order);
  const auto ended = f.store->intercepts_of(key_of(order)).front();
  CHECK(ended.state == InterceptState::resolved);
  // The order goes on with its other lines; the platform saw memo writes only.
  for (const auto& item : f.store->list_outbox(std::nullopt, 1000)) CHECK(item.kind == intercept::kMemoKind);
}

TEST_CASE("intercept_a_refund_request_before_shipment_starts_one_when_the_shop_asks_for_it") {
  Fixture f;
  f.shops["tmall-flagship"].on_refund_request = true;
  auto order = f.ingest(sample_order("9018"));
  order = newer(order);
  order.lines[1].refund_status = sdk::RefundStatus::requested;
  f.ingest(order);
  const auto open = f.store->open_intercept(key_of(order));
  REQUIRE(open.has_value());
  CHECK(open->source == "refund");
  CHECK(open->line_ids == std::vector<std::string>{"9018-2"});
}

TEST_CASE("intercept_I4_shipped_on_the_platform_ends_an_open_intercept_as_too_late") {
  Fixture f;
  auto order = f.ingest(sample_order("9019"));
  REQUIRE(f.request("9019"));
  order = newer(order);
  order.status = sdk::OrderStatus::shipped;
  for (auto& line : order.lines) line.status = sdk::OrderStatus::shipped;
  f.ingest(order);
  CHECK(f.store->intercepts_of(key_of(order)).front().state == InterceptState::too_late);
}

TEST_CASE("intercept_I3_memo_text_goes_first_and_comes_off_leaving_the_merchants_words") {
  using intercept::with_intercept_text;
  using intercept::without_intercept_text;
  CHECK(with_intercept_text("", kMemo, 60) == kMemo);
  CHECK(with_intercept_text("客服小王", kMemo, 60) == std::string(kMemo) + " 客服小王");
  CHECK(with_intercept_text(std::string(kMemo) + " x", kMemo, 60) == std::string(kMemo) + " x");
  CHECK(with_intercept_text("一二三四五六", kMemo, 6) == std::string(kMemo) + " 一");  // cut on characters
  CHECK(without_intercept_text(std::string(kMemo) + " 客服小王", kMemo) == "客服小王");
  CHECK(without_intercept_text(std::string("客服小王 ") + kMemo, kMemo) == "客服小王");
  CHECK(without_intercept_text(kMemo, kMemo).empty());
}
