#include "warehouse/webhook_connector.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "unit/store/store_fixture.hpp"
#include "warehouse/alert_webhook.hpp"

using namespace erp;
using namespace erp::daemon;

namespace {

// Records the request and answers with a scripted status (or a network failure).
class FakeHttp : public sdk::HttpClient {
 public:
  int status = 200;
  bool network_down = false;
  sdk::HttpRequest last;
  sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest& request) noexcept override {
    last = request;
    if (network_down) return sdk::fail(sdk::ErrorCode::transient, "connection refused");
    return sdk::HttpResponse{status, {}, "{}"};
  }
};

std::optional<std::string> header(const sdk::HttpRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return std::nullopt;
}

sdk::DeliveryOrder delivery() {
  sdk::DeliveryOrder d;
  d.order.platform = "tmall";
  d.order.shop = "tm1";
  d.order.order_id = "9001";
  d.order.receiver.ciphertext = "#cipher#";
  d.order.receiver.masked_phone = "138****0000";
  d.idempotency_key = "warehouse.deliver:tmall/tm1/9001";
  return d;
}

struct Setup {
  std::shared_ptr<FakeHttp> http = std::make_shared<FakeHttp>();
  warehouse::WebhookConnector connector;
  explicit Setup(std::optional<config::Secret> token = std::nullopt)
      : connector(make_config(std::move(token)), http) {}
  static config::WarehouseConfig make_config(std::optional<config::Secret> token) {
    config::WarehouseConfig c;
    c.webhook_url = "http://127.0.0.1:9/hook";
    c.webhook_token = std::move(token);
    return c;
  }
};

}  // namespace

TEST_CASE("a delivery posts order.released with the idempotency key and the masked order only") {
  Setup s(config::Secret{"tok", "literal in config"});
  REQUIRE(s.connector.deliver(delivery()).ok());
  CHECK(s.http->last.method == "POST");
  CHECK(header(s.http->last, "Idempotency-Key") == "warehouse.deliver:tmall/tm1/9001");
  CHECK(header(s.http->last, "X-Erpd-Event") == "order.released");
  CHECK(header(s.http->last, "Authorization") == "Bearer tok");
  const auto body = nlohmann::json::parse(s.http->last.body);
  CHECK(body["order"]["order_id"] == "9001");
  CHECK(body["order"]["receiver"]["phone"] == "138****0000");
  CHECK(s.http->last.body.find("#cipher#") == std::string::npos);
}

TEST_CASE("G4: an added gift line arrives with gift, rule and the reservation orders it fulfils") {
  Setup s;
  auto d = delivery();
  sdk::OrderLine main;
  main.line_id = "9001-1";
  main.outer_sku = "BAG-1";
  main.quantity = 1;
  main.price = sdk::Money{299900};
  main.paid = sdk::Money{299900};
  d.order.lines.push_back(main);
  sdk::AddedLine gift;
  gift.line.line_id = "gift:8001:8001-1";
  gift.line.outer_sku = "GIFT-1";
  gift.line.title = "赠品";
  gift.line.quantity = 1;
  gift.rule_id = "G4";
  gift.fulfils = {"8001", "8002"};
  d.added_lines.push_back(gift);
  REQUIRE(s.connector.deliver(d).ok());
  const auto body = nlohmann::json::parse(s.http->last.body);
  const auto& order = body["order"];
  REQUIRE(order["lines"].size() == 1);
  CHECK_FALSE(order["lines"][0].contains("gift"));
  REQUIRE(order["added_lines"].size() == 1);
  const auto& added = order["added_lines"][0];
  CHECK(added["gift"] == true);
  CHECK(added["rule"] == "G4");
  CHECK(added["fulfils"] == nlohmann::json::array({"8001", "8002"}));
  CHECK(added["line_id"] == "gift:8001:8001-1");
  CHECK(added["outer_sku"] == "GIFT-1");
  CHECK(added["quantity"] == 1);
  CHECK(added["price_fen"] == 0);
  CHECK(added["paid_fen"] == 0);
  CHECK(added["shipped_at"].is_null());
  CHECK(added["waybill"] == "");
  // Without a gift the key is still there, as an empty list.
  REQUIRE(s.connector.deliver(delivery()).ok());
  CHECK(nlohmann::json::parse(s.http->last.body)["order"]["added_lines"] == nlohmann::json::array());
}

TEST_CASE("the warehouse's answer decides retry: 409 means already delivered, 5xx and 429 retry, 4xx does not") {
  Setup s;
  s.http->status = 409;
  CHECK(s.connector.deliver(delivery()).ok());
  s.http->status = 503;
  auto r = s.connector.deliver(delivery());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == sdk::ErrorCode::transient);
  s.http->status = 429;
  CHECK(s.connector.deliver(delivery()).error().retryable);
  s.http->status = 422;
  r = s.connector.deliver(delivery());
  CHECK(r.error().code == sdk::ErrorCode::invalid_input);
  CHECK_FALSE(r.error().retryable);
  CHECK(r.error().message.find("422") != std::string::npos);
  s.http->network_down = true;
  CHECK(s.connector.deliver(delivery()).error().code == sdk::ErrorCode::transient);
}

TEST_CASE("a lock request is posted and reported pending until the warehouse confirms through the API") {
  Setup s;
  auto outcome = s.connector.lock({.order_id = "9001",
                                   .line_ids = {"9001-1"},
                                   .idempotency_key = "lock:9001",
                                   .platform = "tmall",
                                   .shop = "tm1",
                                   .intercept_id = 1,
                                   .delivery_codes = {}});
  REQUIRE(outcome.ok());
  CHECK(*outcome == sdk::LockOutcome::pending);
  CHECK(header(s.http->last, "X-Erpd-Event") == "order.lock_requested");
}

namespace {

sdk::LockRequest intercept_request(std::string key) {
  sdk::LockRequest r;
  r.platform = "taobao";
  r.shop = "tb-1";
  r.order_id = "3100000000000000001";
  r.line_ids = {"3100000000000000002"};
  r.idempotency_key = std::move(key);
  r.intercept_id = 7;
  return r;
}

}  // namespace

TEST_CASE("intercept_I4_lock_request_names_the_intercept_platform_and_shop") {
  Setup s;
  auto outcome = s.connector.lock(intercept_request("warehouse.lock:7"));
  REQUIRE(outcome.ok());
  CHECK(*outcome == sdk::LockOutcome::pending);
  CHECK(header(s.http->last, "Idempotency-Key") == "warehouse.lock:7");
  const auto body = nlohmann::json::parse(s.http->last.body);
  CHECK(body == nlohmann::json{{"event", "order.lock_requested"},
                               {"idempotency_key", "warehouse.lock:7"},
                               {"intercept_id", 7},
                               {"platform", "taobao"},
                               {"shop", "tb-1"},
                               {"order_id", "3100000000000000001"},
                               {"line_ids", {"3100000000000000002"}}});
  CHECK(body["intercept_id"].is_number_integer());
}

TEST_CASE("intercept_I2_a_whole_order_lock_sends_no_line_ids") {
  Setup s;
  auto request = intercept_request("warehouse.lock:8");
  request.line_ids.clear();
  REQUIRE(s.connector.lock(request).ok());
  const auto body = nlohmann::json::parse(s.http->last.body);
  CHECK(body["line_ids"] == nlohmann::json::array());
}

TEST_CASE("intercept_I6_unlock_tells_the_warehouse") {
  Setup s(config::Secret{"tok", "literal in config"});
  REQUIRE(s.connector.unlock(intercept_request("warehouse.unlock:7")).ok());
  CHECK(s.http->last.method == "POST");
  CHECK(s.http->last.url == "http://127.0.0.1:9/hook");
  CHECK(header(s.http->last, "X-Erpd-Event") == "order.unlocked");
  CHECK(header(s.http->last, "Idempotency-Key") == "warehouse.unlock:7");
  CHECK(header(s.http->last, "Authorization") == "Bearer tok");
  const auto body = nlohmann::json::parse(s.http->last.body);
  CHECK(body == nlohmann::json{{"event", "order.unlocked"},
                               {"idempotency_key", "warehouse.unlock:7"},
                               {"intercept_id", 7},
                               {"platform", "taobao"},
                               {"shop", "tb-1"},
                               {"order_id", "3100000000000000001"},
                               {"line_ids", {"3100000000000000002"}}});
}

TEST_CASE("intercept_I7_unlock_repeated_or_refused: 409 is an unlock the warehouse already has, 5xx retries") {
  Setup s;
  s.http->status = 409;
  CHECK(s.connector.unlock(intercept_request("warehouse.unlock:7")).ok());
  s.http->status = 503;
  auto r = s.connector.unlock(intercept_request("warehouse.unlock:7"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == sdk::ErrorCode::transient);
  s.http->status = 422;
  r = s.connector.unlock(intercept_request("warehouse.unlock:7"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == sdk::ErrorCode::invalid_input);
  CHECK_FALSE(r.error().retryable);
  s.http->network_down = true;
  CHECK(s.connector.unlock(intercept_request("warehouse.unlock:7")).error().code == sdk::ErrorCode::transient);
}

TEST_CASE("unlock without a webhook url is a config error, not a silent success") {
  Setup s;
  config::WarehouseConfig empty;
  warehouse::WebhookConnector connector(empty, s.http);
  auto r = connector.unlock(intercept_request("warehouse.unlock:7"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == sdk::ErrorCode::config_error);
}

TEST_CASE("a deadline alert reaches the warehouse's webhook once, as its kind, with its order and rule") {
  using namespace std::chrono_literals;
  test::TempDir dir;
  auto store = test::open_store(dir / "erpd.db");
  const auto order = test::sample_order("7001");
  const sdk::Instant now{std::chrono::milliseconds{1'700'000'000'000}};
  store::NewAlert alert{"deadline.at_risk", test::key_of(order).to_string(), test::key_of(order), "S7",
                        "not shipped, and due at 2024-02-19 23:59:59", {{"ship_by", "2024-02-19T15:59:59Z"}}};
  {
    auto tx = store->begin();
    store->upsert_order(*tx, order, now);
    warehouse::enqueue_alert(*store, *tx, alert, now);
    warehouse::enqueue_alert(*store, *tx, alert, now);  // the same raising, queued twice: one item
    tx->commit();
  }
  const auto items = store->claim_due(now + 1s, 10);
  REQUIRE(items.size() == 1);
  CHECK(items[0].kind == warehouse::kAlertKind);

  Setup s;
  warehouse::AlertWebhookHandler handler(std::make_shared<warehouse::WebhookConnector>(Setup::make_config({}), s.http));
  REQUIRE(handler.execute(items[0]).ok());
  CHECK(header(s.http->last, "X-Erpd-Event") == "deadline.at_risk");
  CHECK(header(s.http->last, "Idempotency-Key") == items[0].idempotency_key);
  const auto body = nlohmann::json::parse(s.http->last.body);
  CHECK(body["event"] == "deadline.at_risk");
  CHECK(body["alert"]["rule"] == "S7");
  CHECK(body["alert"]["order"]["order_id"] == "7001");
  CHECK(body["alert"]["detail"]["ship_by"] == "2024-02-19T15:59:59Z");
  s.http->status = 503;
  CHECK(handler.execute(items[0]).error().code == sdk::ErrorCode::transient);  // the outbox retries
}
