// lock(): one order.cancel per delivery the WMS holds; the outcome by the answers and the
// cancel_outcome option; unlock() calls nothing.

#include <doctest/doctest.h>

#include "qimen_test_host.hpp"

using namespace erp::plugins::qimen;
using namespace erp::plugins::qimen::testing;
using erp::sdk::ErrorCode;
using erp::sdk::LockOutcome;

namespace {

erp::sdk::LockRequest lock_request(std::vector<std::string> codes, std::vector<std::string> lines = {}) {
  erp::sdk::LockRequest request;
  request.order_id = "5010";
  request.line_ids = std::move(lines);
  request.idempotency_key = "lock:17";
  request.platform = "tmall";
  request.shop = "tm-1";
  request.intercept_id = 17;
  request.delivery_codes = std::move(codes);
  return request;
}

}  // namespace

TEST_CASE("qimen_lock: every delivery cancelled is locked; the cancel body names the code and the intercept") {
  QimenHost host;
  auto connector = host.connector();
  CHECK(connector->lock_cancels_delivery());
  const auto outcome = connector->lock(lock_request({"5010", "5010-r1"}));
  REQUIRE(outcome.ok());
  CHECK(*outcome == LockOutcome::locked);
  REQUIRE(host.web.requests.size() == 2);
  CHECK(
      host.web.requests[0].body ==
      R"(<?xml version="1.0" encoding="utf-8"?><request><warehouseCode>OTHER</warehouseCode><ownerCode>OWNER1</ownerCode>)"
      R"(<orderCode>5010</orderCode><orderType>JYCK</orderType>)"
      R"(<cancelReason>buyer asked not to ship (intercept 17)</cancelReason></request>)");
  CHECK(host.web.requests[1].body.find("<orderCode>5010-r1</orderCode>") != std::string::npos);
  const Params params = query_params(host.web.requests[0].url);
  CHECK(param(params, "method") == "taobao.qimen.order.cancel");
  CHECK(verify(params, host.web.requests[0].body, kSecret, SignMethod::md5, param(params, "sign")));
}

TEST_CASE("qimen_lock: a refusal is too_late (the standard has no 'already shipped' code)") {
  QimenHost host;
  host.web.answer_failure("B0012", "订单已出库,不能取消");
  const auto outcome = host.connector()->lock(lock_request({"5010"}));
  REQUIRE(outcome.ok());
  CHECK(*outcome == LockOutcome::too_late);
  REQUIRE_FALSE(host.log.lines.empty());
  CHECK(host.log.lines.back() ==
        "order.cancel for intercept 17 of order 5010 refused: 5010 (code B0012: 订单已出库,不能取消)");
}

TEST_CASE("qimen_lock: with one of two deliveries refused the lock is too_late and the log says what was cancelled") {
  QimenHost host;
  host.web.answers.push_back({});  // success for 5010
  host.web.answer_failure("", "packed");
  const auto outcome = host.connector()->lock(lock_request({"5010", "5010-r1"}));
  REQUIRE(outcome.ok());
  CHECK(*outcome == LockOutcome::too_late);
  CHECK(host.log.lines.back() ==
        "order.cancel for intercept 17 of order 5010 refused: 5010-r1 (code (none): packed); cancelled all the same: "
        "5010");
}

TEST_CASE("qimen_lock: a failure about the call, not the order, is retried or the operator's, never too_late") {
  // A throttled, unavailable or misconfigured call says nothing about the parcel: taking it for
  // "too late" would fail an intercept the warehouse could still honour.
  const std::vector<std::pair<std::string, ErrorCode>> cases{{"isv.access-limit", ErrorCode::rate_limited},
                                                             {"isp.remote-service-unavailable", ErrorCode::transient},
                                                             {"SYSTEM_BUSY", ErrorCode::transient},
                                                             {"sign-check-failure", ErrorCode::config_error},
                                                             {"invalid-customerId", ErrorCode::config_error}};
  for (const auto& [code, expected] : cases) {
    QimenHost host;
    host.web.answer_failure(code, "not now");
    const auto outcome = host.connector()->lock(lock_request({"5010"}));
    INFO(code);
    REQUIRE_FALSE(outcome.ok());
    CHECK(outcome.error().code == expected);
    CHECK(outcome.error().message.find(code) != std::string::npos);
  }
}

TEST_CASE("qimen_lock: cancel_outcome report leaves a successful cancel pending") {
  QimenHost host;
  host.fake_config.values["cancel_outcome"] = "report";
  const auto outcome = host.connector()->lock(lock_request({"5010"}));
  REQUIRE(outcome.ok());
  CHECK(*outcome == LockOutcome::pending);
  QimenHost refused;
  refused.fake_config.values["cancel_outcome"] = "report";
  refused.web.answer_failure("1", "shipped");
  CHECK(*refused.connector()->lock(lock_request({"5010"})) == LockOutcome::too_late);
}

TEST_CASE("qimen_lock: 5xx and transport failures are transient; a retry does not cancel an accepted code again") {
  QimenHost host;
  auto connector = host.connector();
  host.web.answers.push_back({});                // 5010 cancelled
  host.web.answers.push_back({502, "", false});  // 5010-r1: unknown
  const auto first = connector->lock(lock_request({"5010", "5010-r1"}));
  REQUIRE_FALSE(first.ok());
  CHECK(first.error().code == ErrorCode::transient);
  CHECK(first.error().message == "taobao.qimen.order.cancel: the WMS answered HTTP 502");
  host.web.answers.push_back({200, "", true});
  CHECK(connector->lock(lock_request({"5010", "5010-r1"})).error().code == ErrorCode::transient);
  CHECK(host.web.requests.size() == 3);  // the retry asked for 5010-r1 only
  // A WMS that refuses to cancel a cancelled order again is not asked again.
  host.web.answers.push_back({});
  const auto again = connector->lock(lock_request({"5010", "5010-r1"}));
  REQUIRE(again.ok());
  CHECK(*again == LockOutcome::locked);
  REQUIRE(host.web.requests.size() == 4);
  CHECK(host.web.requests.back().body.find("<orderCode>5010-r1</orderCode>") != std::string::npos);
}

TEST_CASE("qimen_lock: a delivery cancelled whole is not asked again for some of its lines") {
  QimenHost host;
  auto connector = host.connector();
  REQUIRE(*connector->lock(lock_request({"5010"})) == LockOutcome::locked);
  REQUIRE(*connector->lock(lock_request({"5010", "5010-r1"}, {"50101"})) == LockOutcome::locked);
  REQUIRE(host.web.requests.size() == 2);
  CHECK(host.web.requests[1].body.find("<orderCode>5010-r1</orderCode>") != std::string::npos);
}

TEST_CASE("qimen_lock: lines of the order go as subSourceOrders; a gift line by its reservation line") {
  QimenHost host;
  host.fake_config.values["format"] = "json";
  host.web.answers.push_back({200, R"({"response":{"flag":"success","code":"0"}})", false});
  const auto outcome = host.connector()->lock(lock_request({"5010"}, {"50102", "gift:4001:40011"}));
  REQUIRE(outcome.ok());
  CHECK(*outcome == LockOutcome::locked);
  CHECK(host.web.requests.at(0).body ==
        R"({"warehouseCode":"OTHER","ownerCode":"OWNER1","orderCode":"5010","orderType":"JYCK",)"
        R"json("cancelReason":"buyer asked not to ship (intercept 17)",)json"
        R"("subSourceOrders":{"subSourceOrder":[{"subSourceOrderCode":"50102"},{"subSourceOrderCode":"40011"}]}})");

  QimenHost xml;
  REQUIRE(xml.connector()->lock(lock_request({"5010"}, {"50101"})).ok());
  CHECK(xml.web.requests.at(0).body.find("<subSourceOrders><subSourceOrder><subSourceOrderCode>50101"
                                         "</subSourceOrderCode></subSourceOrder></subSourceOrders>") !=
        std::string::npos);
}

TEST_CASE("qimen_lock: nothing delivered yet is transient; unlock calls nothing") {
  QimenHost host;
  auto connector = host.connector();
  const auto outcome = connector->lock(lock_request({}));
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.error().code == ErrorCode::transient);
  CHECK(outcome.error().message == "order 5010 is not delivered to the warehouse yet");
  CHECK(connector->unlock(lock_request({"5010"})).ok());
  CHECK(host.web.requests.empty());
}
