// Douyin answers (PLATFORMS.md §3.3) in both envelopes, classified into the host's error codes.

#include "plugins/douyin/douyin_errors.hpp"

#include <doctest/doctest.h>

using namespace erp::plugins::douyin;
using erp::sdk::ErrorCode;
using nlohmann::json;

namespace {

/// The new envelope, as the gateway answers with `x-open-no-old-err-code: 1`.
json answer(long code, const char* sub_code, const char* sub_msg = "") {
  return json{{"code", code}, {"msg", "msg"}, {"sub_code", sub_code}, {"sub_msg", sub_msg},
              {"log_id", "20261124080000abcdef"}, {"data", json::object()}};
}

ErrorCode classified(const json& body) {
  const auto error = read_error(body);
  REQUIRE(error.has_value());
  return classify_douyin_error(*error).code;
}

}  // namespace

TEST_CASE("code 10000 and legacy err_no 0 are successes") {
  CHECK_FALSE(read_error(answer(10000, "")).has_value());
  CHECK_FALSE(read_error(json{{"err_no", 0}, {"message", "success"}, {"data", {{"total", 0}}}}).has_value());
  // Both envelopes at once (the gateway fills the legacy fields unless asked not to): code decides.
  CHECK_FALSE(read_error(json{{"code", 10000}, {"err_no", 0}, {"message", "success"}}).has_value());
}

TEST_CASE("60000 is rate limiting, in either envelope, retried after a second (Douyin's quotas are per second)") {
  CHECK(classified(answer(60000, "isv.traffic-limited", "请求太频繁,请稍后再试")) == ErrorCode::rate_limited);
  CHECK(classified(json{{"err_no", 60000}, {"message", "请求太频繁"}}) == ErrorCode::rate_limited);
  const auto error = classify_douyin_error(*read_error(answer(60000, "isv.traffic-limited")));
  CHECK(error.retry_after == std::chrono::seconds{1});
}

TEST_CASE("an expired access token is auth_expired so the adapter refreshes it; a missing one needs re-authorization") {
  CHECK(classified(answer(40003, "isv.access-token-expired", "access_token已过期")) == ErrorCode::auth_expired);
  CHECK(classified(answer(40003, "isv.access-token-no-existed")) == ErrorCode::needs_reauth);
  CHECK(classified(answer(40003, "isv.access-token-invalid")) == ErrorCode::needs_reauth);
  CHECK(classified(answer(30001, "dop.authorization-no-existed")) == ErrorCode::needs_reauth);
  CHECK(classified(answer(30001, "dop.authorization-closed")) == ErrorCode::needs_reauth);
  CHECK(classified(answer(40003, "dop.token-generate-failed:token-expired", "refresh_token已过期")) ==
        ErrorCode::needs_reauth);
  CHECK(classified(answer(40003, "dop.token-generate-failed:token-invalid")) == ErrorCode::needs_reauth);
}

TEST_CASE("a bad signature, app key, permission, IP or clock is a configuration error said plainly") {
  const auto signature = classify_douyin_error(*read_error(answer(40003, "isv.signature-invalid", "签名不合法")));
  CHECK(signature.code == ErrorCode::config_error);
  CHECK_FALSE(signature.retryable);
  CHECK(signature.message.find("app_secret") != std::string::npos);
  CHECK(classified(answer(40003, "isv.app-id-invalid")) == ErrorCode::config_error);
  CHECK(classified(answer(30001, "dop.no-permissions")) == ErrorCode::config_error);
  CHECK(classified(answer(30002, "isv.invalid_ip")) == ErrorCode::config_error);
  CHECK(classified(answer(40003, "isv.timestamp-invalid")) == ErrorCode::config_error);
}

TEST_CASE("platform failures are transient and retried; a body that is no Douyin answer too") {
  const auto failed = classify_douyin_error(*read_error(answer(20000, "isp.service-error")));
  CHECK(failed.code == ErrorCode::transient);
  CHECK(failed.retryable);
  CHECK(classified(answer(90000, "dop.unknown-error")) == ErrorCode::transient);
  CHECK(classified(json{{"data", json::object()}}) == ErrorCode::transient);
  CHECK(classified(json::array()) == ErrorCode::transient);
}

TEST_CASE("refused business rules are conflicts, bad parameters invalid input, an offline API unsupported") {
  CHECK(classified(answer(50002, "isv.business-failed:12345")) == ErrorCode::conflict);
  CHECK(classified(answer(10001, "isv.business-part-failed")) == ErrorCode::conflict);
  CHECK(classified(answer(40003, "isv.parameter-invalid", "参数不合法: order_id")) == ErrorCode::invalid_input);
  CHECK(classified(json{{"err_no", 40002}, {"message", "缺少参数"}}) == ErrorCode::invalid_input);
  CHECK(classified(answer(70000, "isp.api-service-off")) == ErrorCode::unsupported);
}

TEST_CASE("messages name the code and sub_code but never echo the platform's text") {
  // sub_msg and message may quote request values, receiver data included.
  const auto error = classify_douyin_error(
      *read_error(answer(40003, "isv.parameter-invalid", "参数不合法: post_tel 13812345678")));
  CHECK(error.message.find("40003") != std::string::npos);
  CHECK(error.message.find("isv.parameter-invalid") != std::string::npos);
  CHECK(error.message.find("13812345678") == std::string::npos);
  const auto legacy = classify_douyin_error(*read_error(json{{"err_no", 40003}, {"message", "post_tel 13812345678"}}));
  CHECK(legacy.message.find("13812345678") == std::string::npos);
}
