// Douyin v2 signing (PLATFORMS.md §3.2). The expected signatures were computed outside this code
// base (Python hashlib/hmac over the pattern the four public SDKs build), not by the code under test.

#include "plugins/douyin/douyin_sign.hpp"

#include <doctest/doctest.h>

using namespace erp::plugins::douyin;
using nlohmann::json;

namespace {

constexpr std::string_view kSecret = "s3cr3t-app-secret";
constexpr std::string_view kAppKey = "7123456789012345678";
constexpr std::string_view kTimestamp = "1732400012";

/// An order.searchList request in the order a caller might build it: keys unsorted at two depths,
/// Chinese text and a '/' that must go out unescaped.
json search_params() {
  return json::parse(R"({"size":100,"page":0,"update_time_end":1732400000,"update_time_start":1732396400,
                         "order_by":"update_time","order_asc":false,
                         "combine_status":[{"order_status":"2","main_status":"103"}],"memo":"拦截/不要发货"})");
}

}  // namespace

TEST_CASE("param_json is sorted at every depth, compact, and leaves non-ASCII and slashes alone") {
  const auto text = canonical_param_json(search_params());
  REQUIRE(text);
  CHECK(*text ==
        R"({"combine_status":[{"main_status":"103","order_status":"2"}],"memo":"拦截/不要发货","order_asc":false,)"
        R"("order_by":"update_time","page":0,"size":100,"update_time_end":1732400000,"update_time_start":1732396400})");
}

TEST_CASE("array order is kept while the objects inside are sorted") {
  const auto text = canonical_param_json(json::parse(R"({"b":[3,1,{"z":1,"a":[{"y":0,"x":0}]}],"a":"1"})"));
  REQUIRE(text);
  CHECK(*text == R"({"a":"1","b":[3,1,{"a":[{"x":0,"y":0}],"z":1}]})");
}

TEST_CASE("no parameters are sent and signed as {}") {
  CHECK(*canonical_param_json(json()) == "{}");
  CHECK(*canonical_param_json(json::object()) == "{}");
}

TEST_CASE("a parameter that is not UTF-8 is refused, not sent") {
  const auto text = canonical_param_json(json{{"memo", std::string("\xff\xfe")}});
  REQUIRE_FALSE(text);
  CHECK(text.error().code == erp::sdk::ErrorCode::invalid_input);
}

TEST_CASE("the signed text wraps app_key, method, param_json, timestamp and v=2 in the secret, without the token") {
  const SignedFields fields{kAppKey, "order.searchList", R"({"page":0})", kTimestamp};
  CHECK(string_to_sign(fields, kSecret) ==
        "s3cr3t-app-secretapp_key7123456789012345678methodorder.searchListparam_json{\"page\":0}"
        "timestamp1732400012v2s3cr3t-app-secret");
}

TEST_CASE("md5 and hmac-sha256 signatures match an independent computation, in lower-case hex") {
  const auto param_json = canonical_param_json(search_params());
  REQUIRE(param_json);
  const SignedFields fields{kAppKey, "order.searchList", *param_json, kTimestamp};
  CHECK(sign(fields, kSecret, SignMethod::md5) == "70fa0c51241ebda62dc24057aea3178c");
  CHECK(sign(fields, kSecret, SignMethod::hmac_sha256) ==
        "f9de91de8e832b37243279a23283acda4726c94683c39a518b796de5de88b030");

  const SignedFields refresh{kAppKey, "token.refresh", "{}", kTimestamp};
  CHECK(sign(refresh, kSecret, SignMethod::md5) == "6178d9d1bbe360f4fad6839fa3c129c6");
  CHECK(sign(refresh, kSecret, SignMethod::hmac_sha256) ==
        "a45faec3b09dad1e29aa97c7acc7d82f300a7394dfcfcf990bb05b78b81a40b7");
}

TEST_CASE("a changed byte anywhere in what is signed changes the signature") {
  const SignedFields fields{kAppKey, "order.searchList", R"({"page":0})", kTimestamp};
  const auto base = sign(fields, kSecret, SignMethod::hmac_sha256);
  CHECK(sign({kAppKey, "order.searchList", R"({"page":1})", kTimestamp}, kSecret, SignMethod::hmac_sha256) != base);
  CHECK(sign({kAppKey, "order.orderDetail", R"({"page":0})", kTimestamp}, kSecret, SignMethod::hmac_sha256) != base);
  CHECK(sign({kAppKey, "order.searchList", R"({"page":0})", "1732400013"}, kSecret, SignMethod::hmac_sha256) != base);
  CHECK(sign(fields, "another-secret", SignMethod::hmac_sha256) != base);
}

TEST_CASE("sign methods are named as the gateway names them") {
  CHECK(sign_method_from_string("md5") == SignMethod::md5);
  CHECK(sign_method_from_string("hmac-sha256") == SignMethod::hmac_sha256);
  CHECK_FALSE(sign_method_from_string("hmac").has_value());  // TOP's HMAC-MD5 is not a Douyin method
  CHECK_FALSE(sign_method_from_string("HMAC-SHA256").has_value());
  CHECK(sign_method_name(SignMethod::md5) == "md5");
  CHECK(sign_method_name(SignMethod::hmac_sha256) == "hmac-sha256");
}
