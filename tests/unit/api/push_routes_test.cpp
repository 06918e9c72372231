// Platform pushes over HTTP (rule D11): no bearer token on a push path, the platform's headers and
// raw body reach the shop's adapter, and the platform gets the adapter's answer.

#include <doctest/doctest.h>

#include "api/router.hpp"
#include "unit/api/push_api_fixture.hpp"

using namespace erp::test::api_support;
using erp::test::push::kAck;
using erp::test::push::kFail;
using erp::test::push::push_body;
using nlohmann::json;

TEST_CASE("D11 a push needs no bearer token and is acknowledged with the adapter's reply; its order is stored") {
  PushApi api;
  const auto reply = api.push("/push/dy-1", push_body({{"m-1", "1001"}}));
  CHECK(reply.status == 200);
  CHECK(reply.body == kAck);
  CHECK(reply.header("content-type") == "application/json");
  REQUIRE(api.intake->wait_idle(std::chrono::seconds{10}));

  const auto order = api.get("/v1/orders/douyin/dy-1/1001");
  REQUIRE(order.status == 200);
  CHECK(order.json_body()["shop"] == "dy-1");
  CHECK(api.adapter().fetches("1001") == 1);

  // Delivered twice: acknowledged again, not fetched again.
  CHECK(api.push("/push/dy-1", push_body({{"m-1", "1001"}})).body == kAck);
  REQUIRE(api.intake->wait_idle(std::chrono::seconds{10}));
  CHECK(api.adapter().fetches("1001") == 1);
  CHECK(api.metrics.value(erp::daemon::sync::kPushMetric, {{"shop", "dy-1"}, {"outcome", "duplicate"}}) == 1);
  // Counted under the push path as its route.
  CHECK(api.metrics.value(erp::daemon::api::kRequestsMetric, {{"route", "/push/dy-1"}, {"code", "200"}}) == 2);
}

TEST_CASE("D11 the push path matches exactly, the query is ignored, and the signature header arrives") {
  PushApi api;
  // Header names arrive in lower case whatever the platform wrote ("Event-Sign").
  CHECK(api.push("/push/dy-1?sign_method=md5&x=1", push_body({{"m-1", "1001"}})).body == kAck);
  CHECK(api.adapter().parses == 1);
  // Not the push path: the daemon's usual rules (token first, so nothing is learnt about paths).
  CHECK(api.push("/push/dy-1/", push_body({{"m-2", "1002"}})).status == 401);
  CHECK(api.push("/push/DY-1", push_body({{"m-2", "1002"}})).status == 401);
  CHECK(api.push("/push/dy-2", push_body({{"m-2", "1002"}})).status == 401);
  // A shop whose adapter takes no pushes (TOP) has no open path.
  CHECK(api.push("/push/tb-1", push_body({{"m-2", "1002"}})).status == 401);
  CHECK(api.adapter().parses == 1);
}

TEST_CASE("D11 other methods on a push path are 405 with Allow: POST") {
  PushApi api;
  for (const char* method : {"GET", "PUT", "DELETE"}) {
    CAPTURE(method);
    const auto reply = api.request(method, "/push/dy-1", {});
    CHECK(reply.status == 405);
    CHECK(reply.header("allow") == "POST");
    CHECK(reply.error_code() == "method_not_allowed");
  }
  CHECK(api.adapter().parses == 0);
}

TEST_CASE("D11 a push with a bad signature gets the adapter's refusal, and the log has neither body nor signature") {
  PushApi api;
  erp::test::push::CapturedLog log;
  const auto reply = api.push("/push/dy-1", push_body({{"m-body-42", "order-body-42"}}), "forged-0xdeadbeef");
  CHECK(reply.status == 403);
  CHECK(reply.body == kFail);
  REQUIRE(api.intake->wait_idle(std::chrono::seconds{10}));
  CHECK(api.adapter().all_fetches() == 0);
  const std::string text = log.text();
  INFO(text);
  CHECK(text.find("push on /push/dy-1 refused") != std::string::npos);
  CHECK(text.find("event-sign does not match") != std::string::npos);
  CHECK(text.find("order-body-42") == std::string::npos);
  CHECK(text.find("m-body-42") == std::string::npos);
  CHECK(text.find("forged-0xdeadbeef") == std::string::npos);
}
