// Path, query and bearer handling: what decides which order a URL names and who may call.

#include "api/http_util.hpp"

#include <doctest/doctest.h>

using namespace erp::daemon::api;

TEST_CASE("path segments are percent-decoded one by one, so an order id may hold a slash") {
  auto segments = split_path("/v1/orders/tmall/shop%201/A%2FB%E8%AE%A2");
  REQUIRE(segments);
  CHECK(*segments == std::vector<std::string>{"v1", "orders", "tmall", "shop 1", "A/B\xe8\xae\xa2"});
  CHECK(split_path("/healthz/")->size() == 1);
  CHECK(split_path("/")->empty());
  CHECK_FALSE(split_path("v1/orders"));
  CHECK_FALSE(split_path("/v1//orders"));
  CHECK_FALSE(split_path("/v1/%zz"));
  CHECK_FALSE(split_path("/v1/%2"));
  CHECK_FALSE(split_path("/v1/a%00b"));
}

TEST_CASE("query values decode '+' and escapes; a broken escape names the parameter") {
  std::string bad;
  auto q = parse_query("shop=%E5%BA%97+one&state=held&flag&limit=5&limit=7", bad);
  REQUIRE(q);
  CHECK(q->at("shop") == "\xe5\xba\x97 one");
  CHECK(q->at("state") == "held");
  CHECK(q->at("flag").empty());
  CHECK(q->at("limit") == "7");
  CHECK_FALSE(parse_query("a=1&cursor=%G1", bad));
  CHECK(bad == "cursor");
}

TEST_CASE("percent_encode keeps unreserved characters only") {
  CHECK(percent_encode("a/b c~_.-") == "a%2Fb%20c~_.-");
  CHECK(*percent_decode(percent_encode("订单/1"), false) == "订单/1");
}

TEST_CASE("bearer tokens: scheme in any case, nothing else accepted") {
  CHECK(bearer_token("Bearer abc") == std::optional<std::string_view>{"abc"});
  CHECK(bearer_token("bearer   abc  ") == std::optional<std::string_view>{"abc"});
  CHECK_FALSE(bearer_token("Basic abc"));
  CHECK_FALSE(bearer_token("Bearer "));
  CHECK_FALSE(bearer_token("abc"));
}

TEST_CASE("constant_time_equal compares whole strings") {
  CHECK(constant_time_equal("secret", "secret"));
  CHECK_FALSE(constant_time_equal("secret", "secreT"));
  CHECK_FALSE(constant_time_equal("secret", "secret2"));
  CHECK_FALSE(constant_time_equal("", "x"));
  CHECK(constant_time_equal("", ""));
}

TEST_CASE("error bodies have the one documented shape, and invalid UTF-8 never throws") {
  const auto j = error_json("not_found", "order x not found");
  CHECK(j == nlohmann::json::parse(R"({"error":{"code":"not_found","message":"order x not found"}})"));
  CHECK_NOTHROW(dump_json(nlohmann::json{{"memo", std::string("bad \xff utf8")}}));
}
