#include "warehouse/webhook_connector.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

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
  auto outcome = s.connector.lock({"9001", {"9001-1"}, "lock:9001"});
  REQUIRE(outcome.ok());
  CHECK(*outcome == sdk::LockOutcome::pending);
  CHECK(header(s.http->last, "X-Erpd-Event") == "order.lock_requested");
}
