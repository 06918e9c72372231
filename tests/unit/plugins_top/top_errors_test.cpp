// Error classification of TOP answers (PLATFORMS.md §1.4) into the host's ErrorCode vocabulary.

#include "plugins/top/top_errors.hpp"

#include <doctest/doctest.h>

#include "plugins/top/top_response.hpp"

using namespace erp::plugins::top;
using erp::sdk::ErrorCode;

namespace {
erp::sdk::Error classify(long code, std::string sub_code = {}, std::string sub_msg = {}, std::string msg = "m") {
  return classify_top_error(TopError{code, std::move(msg), std::move(sub_code), std::move(sub_msg)});
}

erp::sdk::Result<nlohmann::json> unwrap(std::string body, int status = 200) {
  erp::sdk::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return unwrap_response("taobao.trade.fullinfo.get", response);
}
}  // namespace

TEST_CASE("rate limits: code 7 with accesscontrol.* waits the ban's N seconds") {
  auto e = classify(7, "accesscontrol.limited-by-app-access-count", "This ban will last for 17 more seconds",
                    "App Call Limited");
  CHECK(e.code == ErrorCode::rate_limited);
  CHECK(e.retryable);
  REQUIRE(e.retry_after);
  CHECK(e.retry_after->count() == 17);
}

TEST_CASE("rate limits: every call-limit code and sub_code, default wait 1 s") {
  for (long code : {4L, 5L, 6L, 7L, 8L}) {
    auto e = classify(code);
    CHECK(e.code == ErrorCode::rate_limited);
    REQUIRE(e.retry_after);
    CHECK(e.retry_after->count() == 1);
  }
  CHECK(classify(15, "isp.call-limited").code == ErrorCode::rate_limited);
  CHECK(classify(15, "accesscontrol.limited-by-dynamic-access-count").code == ErrorCode::rate_limited);
  CHECK(parse_ban_seconds("This ban will last for 3600 more seconds")->count() == 3600);
  CHECK_FALSE(parse_ban_seconds("This ban will last for a while"));
}

TEST_CASE("sessions: 26/27 need re-authorization, not a retry") {
  for (long code : {26L, 27L}) {
    auto e = classify(code, "sessionkey-not-generated-by-server", "RealSession don't belong app and user !");
    CHECK(e.code == ErrorCode::needs_reauth);
    CHECK_FALSE(e.retryable);
    CHECK(e.message.find("re-authoriz") != std::string::npos);
  }
}

TEST_CASE("configuration: signature, app key, permissions and clock name what to check") {
  auto sig = classify(25, "", "", "Invalid signature");
  CHECK(sig.code == ErrorCode::config_error);
  CHECK(sig.message.find("app_secret") != std::string::npos);
  CHECK(sig.message.find("sign_method") != std::string::npos);
  CHECK(classify(24).code == ErrorCode::config_error);
  for (long code : {28L, 29L}) {
    auto e = classify(code);
    CHECK(e.code == ErrorCode::config_error);
    CHECK(e.message.find("app_key") != std::string::npos);
  }
  for (long code : {11L, 12L, 13L}) {
    auto e = classify(code, "isv.permission-api-package-limit");
    CHECK(e.code == ErrorCode::config_error);
    CHECK(e.message.find("permission") != std::string::npos);
  }
  auto clock = classify(31, "", "", "Invalid timestamp");
  CHECK(clock.code == ErrorCode::config_error);
  CHECK(clock.message.find("clock") != std::string::npos);
  CHECK(clock.message.find("10 minutes") != std::string::npos);
}

TEST_CASE("platform faults: code 10, isp.* and 15 with isp.* are transient") {
  CHECK(classify(10, "isp.top-remote-service-unavailable").code == ErrorCode::transient);
  CHECK(classify(15, "isp.unknown-error").code == ErrorCode::transient);
  CHECK(classify(15, "isp.remote-connection-error").retryable);
  CHECK(classify(15).code == ErrorCode::transient);
}

TEST_CASE("business answers: trade-not-exist, B04, invalid arguments") {
  CHECK(classify(15, "isv.trade-not-exist").code == ErrorCode::not_found);
  CHECK(classify(15, "isv.logistics-offline-service-error:B04").code == ErrorCode::already_shipped);
  CHECK(classify(15, "isv.logistics-offline-service-error:B01").code == ErrorCode::not_found);
  CHECK(classify(40, "isv.missing-parameter").code == ErrorCode::invalid_input);
  CHECK(classify(41, "isv.invalid-parameter").code == ErrorCode::invalid_input);
  CHECK_FALSE(classify(41).retryable);
}

TEST_CASE("messages carry code and sub_code but never sub_msg (it may echo request values)") {
  auto e = classify(41, "isv.invalid-parameter", "memo=张三 13812345678", "Invalid Arguments:memo");
  CHECK(e.message.find("41") != std::string::npos);
  CHECK(e.message.find("isv.invalid-parameter") != std::string::npos);
  CHECK(e.message.find("13812345678") == std::string::npos);
}

TEST_CASE("unwrap: success root, error_response, truncated body, 5xx") {
  auto ok = unwrap(R"({"trade_fullinfo_get_response":{"trade":{"tid":1},"request_id":"x"}})");
  REQUIRE(ok.ok());
  CHECK((*ok)["trade"]["tid"] == 1);

  auto err = unwrap(
      R"({"error_response":{"code":27,"msg":"Invalid session","sub_code":"invalid-sessionkey","request_id":"x"}})");
  REQUIRE_FALSE(err.ok());
  CHECK(err.error().code == ErrorCode::needs_reauth);

  auto cut = unwrap(R"({"trade_fullinfo_get_response":{"trade":{"tid":1,"stat)");
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.error().code == ErrorCode::transient);

  auto html = unwrap("<html>502 Bad Gateway</html>", 502);
  REQUIRE_FALSE(html.ok());
  CHECK(html.error().code == ErrorCode::transient);

  auto wrapped5xx =
      unwrap(R"({"error_response":{"code":15,"msg":"Remote service error","sub_code":"isp.unknown-error"}})", 503);
  REQUIRE_FALSE(wrapped5xx.ok());
  CHECK(wrapped5xx.error().code == ErrorCode::transient);

  auto wrong_root = unwrap(R"({"trades_sold_get_response":{}})");
  REQUIRE_FALSE(wrong_root.ok());
  CHECK(wrong_root.error().code == ErrorCode::transient);

  auto not_found = unwrap("not found", 404);
  REQUIRE_FALSE(not_found.ok());
  CHECK(not_found.error().code == ErrorCode::config_error);
}
