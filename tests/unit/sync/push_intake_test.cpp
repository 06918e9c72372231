// Platform pushes (rule D11): verification by the shop's adapter, the platform's answer, dedupe by
// message id, fetching the order at once, retries, and what is left to the sync.

#include "sync/push_intake.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <thread>

#include "holds/release_gate.hpp"
#include "unit/store/store_fixture.hpp"
#include "unit/sync/push_fakes.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::test {
namespace {

using daemon::sync::kPushMetric;
using daemon::sync::PushDeps;
using daemon::sync::PushIntake;
using daemon::sync::PushOptions;
using daemon::sync::PushShop;
using push::CapturedLog;
using push::FakePushAdapter;
using push::kAck;
using push::kFail;
using push::push_body;

constexpr auto kQuiet = std::chrono::seconds{10};

struct PushFixture {
  TempDir dir;
  std::unique_ptr<daemon::store::Store> store = open_store(dir / "erpd.db");
  daemon::holds::ReleaseGate gate{*store, [](daemon::store::Tx&, const daemon::store::StoredOrder&, Instant) {}};
  daemon::workflows::OrderPipeline pipeline{*store, gate};
  daemon::metrics::Registry metrics;
  std::mutex adapters_mutex;
  std::map<std::string, std::shared_ptr<FakePushAdapter>> adapters{{"dy-1", std::make_shared<FakePushAdapter>()}};
  std::unique_ptr<PushIntake> intake;

  explicit PushFixture(PushOptions options = quick()) {
    intake =
        std::make_unique<PushIntake>(PushDeps{*store, pipeline, metrics,
                                              [this](const std::string& shop) -> std::shared_ptr<sdk::PlatformAdapter> {
                                                std::lock_guard lock(adapters_mutex);
                                                auto it = adapters.find(shop);
                                                return it == adapters.end() ? nullptr : it->second;
                                              }},
                                     std::make_shared<daemon::sync::SystemSyncClock>(), options);
    intake->configure({{"douyin", "dy-1", "/push/dy-1"}});
  }
  ~PushFixture() { intake->stop(); }

  static PushOptions quick() {
    PushOptions o;
    o.fetch_attempts = 3;
    o.first_backoff = std::chrono::milliseconds{5};
    o.max_backoff = std::chrono::milliseconds{20};
    return o;
  }
  FakePushAdapter& adapter(const std::string& shop = "dy-1") {
    std::lock_guard lock(adapters_mutex);
    return *adapters.at(shop);
  }
  sdk::PushReply push(const std::string& body, const std::string& sign = "app-secret-1",
                      const std::string& path = "/push/dy-1") {
    sdk::PushRequest request;
    request.headers = {{"content-type", "application/json"}, {"event-sign", sign}};
    request.body = body;
    return intake->receive(path, request);
  }
  void quiet() { REQUIRE(intake->wait_idle(kQuiet)); }
  std::optional<daemon::store::StoredOrder> stored(const std::string& id, const std::string& shop = "dy-1") {
    return store->get_order(OrderKey{"douyin", shop, id});
  }
  double counted(const std::string& outcome, const std::string& shop = "dy-1") {
    return metrics.value(kPushMetric, {{"shop", shop}, {"outcome", outcome}});
  }
};

TEST_CASE("D11 a verified push is acknowledged with the adapter's reply and its order is fetched and stored") {
  PushFixture f;
  CHECK(f.intake->is_push_path("/push/dy-1"));
  CHECK_FALSE(f.intake->is_push_path("/push/dy-2"));

  const auto reply = f.push(push_body({{"m-1", "1001"}}));
  CHECK(reply.status == 200);
  CHECK(reply.body == kAck);
  CHECK(reply.content_type == "application/json");
  f.quiet();

  const auto order = f.stored("1001");
  REQUIRE(order);
  // Filed under the shop it was pushed for, whatever the adapter filled in.
  CHECK(order->order.platform == "douyin");
  CHECK(order->order.shop == "dy-1");
  CHECK(f.adapter().fetches("1001") == 1);
  CHECK(f.store->push_seen("douyin", "dy-1", "m-1"));
  CHECK(f.counted("accepted") == 1);
  CHECK(f.counted("fetched") == 1);
}

TEST_CASE("D11 a message id seen before is acknowledged and its order is not fetched again") {
  PushFixture f;
  REQUIRE(f.push(push_body({{"m-1", "1001"}})).body == kAck);
  f.quiet();
  REQUIRE(f.adapter().fetches("1001") == 1);

  // The platform delivers the same message again (and again in a batch with a new one).
  CHECK(f.push(push_body({{"m-1", "1001"}})).body == kAck);
  CHECK(f.push(push_body({{"m-1", "1001"}, {"m-2", "1002"}})).body == kAck);
  f.quiet();
  CHECK(f.adapter().fetches("1001") == 1);
  CHECK(f.adapter().fetches("1002") == 1);
  CHECK(f.counted("duplicate") == 2);
  CHECK(f.counted("accepted") == 2);
}

TEST_CASE("D11 a duplicate arriving while the first is still waiting to be fetched is not fetched twice") {
  PushFixture f;
  f.adapter().gate.close();
  REQUIRE(f.push(push_body({{"m-0", "1000"}})).body == kAck);  // holds the worker at the gate
  REQUIRE(f.adapter().gate.held(1));
  // While the worker is busy: the same message twice, and two more about one order.
  CHECK(f.push(push_body({{"m-1", "1001"}})).body == kAck);
  CHECK(f.push(push_body({{"m-1", "1001"}})).body == kAck);
  CHECK(f.push(push_body({{"m-2", "1001"}, {"m-3", "1001"}})).body == kAck);
  f.adapter().gate.open();
  f.quiet();
  CHECK(f.adapter().fetches("1000") == 1);
  CHECK(f.adapter().fetches("1001") == 1);  // three messages, one fetch
  for (const char* id : {"m-1", "m-2", "m-3"}) CHECK(f.store->push_seen("douyin", "dy-1", id));
  CHECK(f.counted("duplicate") == 1);
  CHECK(f.counted("fetched") == 4);
}

TEST_CASE("D11 a message about an order being fetched right now fetches it once more afterwards") {
  PushFixture f;
  f.adapter().gate.close();
  REQUIRE(f.push(push_body({{"m-1", "1001"}})).body == kAck);
  REQUIRE(f.adapter().gate.held(1));
  // The order changed again while its first fetch was on the wire: its state may be newer.
  REQUIRE(f.push(push_body({{"m-2", "1001"}})).body == kAck);
  f.adapter().gate.open();
  f.quiet();
  CHECK(f.adapter().fetches("1001") == 2);
}

TEST_CASE("D11 a push with a bad signature gets the adapter's refusal and one warn line without the body") {
  PushFixture f;
  CapturedLog log;
  const std::string body = push_body({{"m-secret-1", "order-in-body-777"}});
  const auto reply = f.push(body, "forged-signature-xyz");
  CHECK(reply.status == 403);
  CHECK(reply.body == kFail);
  f.quiet();
  CHECK(f.adapter().all_fetches() == 0);
  CHECK_FALSE(f.store->push_seen("douyin", "dy-1", "m-secret-1"));
  CHECK(f.counted("refused") == 1);

  const std::string text = log.text();
  INFO(text);
  CHECK(text.find("warning push on /push/dy-1 refused") != std::string::npos);
  CHECK(text.find("dy-1: invalid_input: event-sign does not match") != std::string::npos);
  CHECK(text.find("order-in-body-777") == std::string::npos);
  CHECK(text.find("m-secret-1") == std::string::npos);
  CHECK(text.find("forged-signature-xyz") == std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') == 1);
}

TEST_CASE("D11 one push path for two shops: messages go to every shop whose adapter accepts the signature") {
  PushFixture f;
  {
    std::lock_guard lock(f.adapters_mutex);
    f.adapters["dy-2"] = std::make_shared<FakePushAdapter>();                  // same app: same secret
    f.adapters["dy-3"] = std::make_shared<FakePushAdapter>("another-secret");  // another app on the path
  }
  f.intake->configure(
      {{"douyin", "dy-1", "/push/app"}, {"douyin", "dy-2", "/push/app"}, {"douyin", "dy-3", "/push/app"}});
  CHECK(f.intake->is_push_path("/push/app"));
  CHECK_FALSE(f.intake->is_push_path("/push/dy-1"));  // moved

  CHECK(f.push(push_body({{"m-1", "1001"}}), "app-secret-1", "/push/app").body == kAck);
  f.quiet();
  CHECK(f.stored("1001", "dy-1"));
  CHECK(f.stored("1001", "dy-2"));
  CHECK_FALSE(f.stored("1001", "dy-3"));
  CHECK(f.adapter("dy-3").all_fetches() == 0);
  CHECK(f.store->push_seen("douyin", "dy-2", "m-1"));
  CHECK_FALSE(f.store->push_seen("douyin", "dy-3", "m-1"));
  CHECK(f.counted("refused", "dy-3") == 0);  // refused only when nobody accepts

  // Signed for the third shop's app only: that shop takes it.
  CHECK(f.push(push_body({{"m-2", "1002"}}), "another-secret", "/push/app").body == kAck);
  f.quiet();
  CHECK(f.stored("1002", "dy-3"));
  CHECK_FALSE(f.stored("1002", "dy-1"));

  // Nobody's signature: refused once, counted for each shop on the path.
  CapturedLog log;
  CHECK(f.push(push_body({{"m-3", "1003"}}), "nobody", "/push/app").body == kFail);
  CHECK(log.has("dy-1: invalid_input: event-sign does not match; dy-2: invalid_input"));
  CHECK(f.counted("refused", "dy-1") == 1);
  CHECK(f.counted("refused", "dy-3") == 1);
}

TEST_CASE("D11 a rate-limited or failing fetch is retried with backoff, then given up and left to the sync") {
  PushFixture f;
  f.adapter().fail_fetch("1001", {sdk::fail(sdk::ErrorCode::rate_limited, "60000 too many calls"),
                                  sdk::fail(sdk::ErrorCode::transient, "timeout")});
  REQUIRE(f.push(push_body({{"m-1", "1001"}})).body == kAck);
  f.quiet();
  CHECK(f.adapter().fetches("1001") == 3);
  CHECK(f.stored("1001"));
  CHECK(f.counted("fetched") == 1);

  CapturedLog log;
  f.adapter().fail_fetch("1002", std::vector<sdk::Error>(3, sdk::fail(sdk::ErrorCode::transient, "timeout")));
  REQUIRE(f.push(push_body({{"m-2", "1002"}})).body == kAck);
  f.quiet();
  CHECK(f.adapter().fetches("1002") == 3);
  CHECK_FALSE(f.stored("1002"));
  CHECK(f.counted("fetch_failed") == 1);
  CHECK(log.has("warning shop dy-1: gave up fetching pushed order 1002 after 3 attempt(s): transient: timeout"));
  // Not recorded: should the platform deliver it again, it is fetched again.
  CHECK_FALSE(f.store->push_seen("douyin", "dy-1", "m-2"));
  REQUIRE(f.push(push_body({{"m-2", "1002"}})).body == kAck);
  f.quiet();
  CHECK(f.stored("1002"));

  // Errors no retry can fix are given up at once.
  f.adapter().fail_fetch("1003", {sdk::fail(sdk::ErrorCode::needs_reauth, "authorization revoked")});
  REQUIRE(f.push(push_body({{"m-3", "1003"}})).body == kAck);
  f.quiet();
  CHECK(f.adapter().fetches("1003") == 1);
  CHECK(f.counted("fetch_failed") == 2);
}

TEST_CASE("D11 an order the platform does not have is recorded and dropped; an unmappable one is quarantined") {
  PushFixture f;
  REQUIRE(f.push(push_body({{"m-1", "gone-1"}, {"m-2", "bad-1"}})).body == kAck);
  f.quiet();
  CHECK_FALSE(f.stored("gone-1"));
  CHECK(f.store->push_seen("douyin", "dy-1", "m-1"));
  CHECK_FALSE(f.stored("bad-1"));
  CHECK(f.store->push_seen("douyin", "dy-1", "m-2"));
  const auto quarantined = f.store->list_quarantine("dy-1", 10);
  REQUIRE(quarantined.size() == 1);
  CHECK(quarantined[0].order_id == "bad-1");
  CHECK(quarantined[0].platform == "douyin");
  CHECK(quarantined[0].reason.find("pay_time is not a time") != std::string::npos);
  // Seen again: not fetched again.
  REQUIRE(f.push(push_body({{"m-1", "gone-1"}, {"m-2", "bad-1"}})).body == kAck);
  f.quiet();
  CHECK(f.adapter().fetches("gone-1") == 1);
  CHECK(f.adapter().fetches("bad-1") == 1);
}

TEST_CASE("D11 a message about no order is only recorded") {
  PushFixture f;
  REQUIRE(f.push(push_body({{"m-product", ""}})).body == kAck);
  f.quiet();
  CHECK(f.adapter().all_fetches() == 0);
  CHECK(f.store->push_seen("douyin", "dy-1", "m-product"));
  CHECK(f.counted("accepted") == 1);
  REQUIRE(f.push(push_body({{"m-product", ""}})).body == kAck);
  CHECK(f.counted("duplicate") == 1);
}

TEST_CASE("D11 shops whose adapter takes no pushes have no push path; removed shops lose theirs; stop refuses") {
  PushFixture f;
  {
    std::lock_guard lock(f.adapters_mutex);
    f.adapters["tb-1"] = std::make_shared<FakePushAdapter>();
    f.adapters["tb-1"]->pushes = false;
  }
  f.intake->configure(
      {{"douyin", "dy-1", "/push/dy-1"}, {"taobao", "tb-1", "/push/tb-1"}, {"douyin", "gone", "/push/x"}});
  CHECK(f.intake->is_push_path("/push/dy-1"));
  CHECK_FALSE(f.intake->is_push_path("/push/tb-1"));
  CHECK_FALSE(f.intake->is_push_path("/push/x"));  // no adapter

  // A reload that removes the shop drops what it had queued: the sync reads those orders.
  f.adapter().gate.close();
  REQUIRE(f.push(push_body({{"m-1", "1001"}, {"m-2", "1002"}})).body == kAck);
  REQUIRE(f.adapter().gate.held(1));
  std::thread reload([&] { f.intake->configure({}); });
  // The path goes once the queue is dropped; the reload then waits for the fetch in flight.
  for (int i = 0; i < 2000 && f.intake->is_push_path("/push/dy-1"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
  CHECK_FALSE(f.intake->is_push_path("/push/dy-1"));
  f.adapter().gate.open();
  reload.join();
  CHECK(f.stored("1001"));
  CHECK_FALSE(f.stored("1002"));

  f.intake->configure({{"douyin", "dy-1", "/push/dy-1"}});
  CHECK(f.intake->is_push_path("/push/dy-1"));
  f.intake->stop();
  CHECK_FALSE(f.intake->is_push_path("/push/dy-1"));
  CHECK(f.push(push_body({{"m-3", "1003"}})).status == 503);
}

TEST_CASE("D11 message ids older than seven days are forgotten, at most once an hour") {
  PushFixture f;
  const auto now = daemon::now_utc();
  REQUIRE(f.store->record_push("douyin", "dy-1", "old", now - std::chrono::hours{24 * 7 + 1}));
  REQUIRE(f.store->record_push("douyin", "dy-1", "recent", now - std::chrono::hours{24 * 6}));
  CHECK(f.intake->prune_if_due() == 1);
  CHECK_FALSE(f.store->push_seen("douyin", "dy-1", "old"));
  CHECK(f.store->push_seen("douyin", "dy-1", "recent"));
  REQUIRE(f.store->record_push("douyin", "dy-1", "old-2", now - std::chrono::hours{24 * 8}));
  CHECK(f.intake->prune_if_due() == 0);  // within the hour
  CHECK(f.store->push_seen("douyin", "dy-1", "old-2"));
}

}  // namespace
}  // namespace erp::test
