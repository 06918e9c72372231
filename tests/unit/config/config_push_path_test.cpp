// shops[].push_path (rule D11): where a platform pushes a shop's messages on the daemon's API.

#include <doctest/doctest.h>

#include "config/loader.hpp"
#include "config/push_path.hpp"
#include "config_test_support.hpp"

namespace erp::daemon::config {
namespace {

using detail::check_push_path;
using testing::all_issues;
using testing::kFile;
using testing::kMinimal;
using testing::with_shop;
using testing::yaml;

TEST_CASE("D11 push_path: absent means /push/<shop id>") {
  const auto result = parse_config(with_shop(""), kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  REQUIRE(result.config->shops.size() == 1);
  CHECK(result.config->shops[0].push_path == "/push/s1");
}

TEST_CASE("D11 push_path: a configured path is kept, and several shops may share one") {
  const auto result = parse_config(std::string(kMinimal) + yaml(R"(
shops:
  - id: dy-a
    platform: douyin
    base_url: https://openapi-fxg.jinritemai.com
    app_key: k
    app_secret: s
    push_path: /push/douyin-app
  - id: dy-b
    platform: douyin
    base_url: https://openapi-fxg.jinritemai.com
    app_key: k
    app_secret: s
    push_path: /push/douyin-app
  - id: dy-c
    platform: douyin
    base_url: https://openapi-fxg.jinritemai.com
    app_key: k
    app_secret: s
    push_path: "/hooks/douyin_2.0/~shop:c@x/"
)"),
                                   kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  REQUIRE(result.config->shops.size() == 3);
  CHECK(result.config->shops[0].push_path == "/push/douyin-app");
  CHECK(result.config->shops[1].push_path == "/push/douyin-app");
  CHECK(result.config->shops[2].push_path == "/hooks/douyin_2.0/~shop:c@x/");
}

TEST_CASE("D11 push_path: a bad path is one issue at its line, as FILE:LINE: shops[i].push_path: problem") {
  struct Bad {
    std::string value;
    const char* says;
  };
  const std::vector<Bad> cases{
      {"push/s1", "must start with '/'"},
      {"\"\"", "must start with '/'"},
      {"/" + std::string(200, 'a'), "at most 200 characters"},
      {"\"/push/my shop\"", "only letters, digits"},
      {"/push/a%2Fb", "no spaces, '%'"},
      {"\"/push?shop=1\"", "'?'"},
      {"/push/天猫", "only letters, digits"},
      {"/v1/push", "must not be under /v1/"},
      {"/v1", "must not be under /v1/"},
      {"/healthz", "must not start with /healthz"},
      {"/healthz/push", "must not start with /healthz"},
      {"/metrics", "must not start with /metrics"},
      {"/metricsx", "must not start with /metrics"},
      {"/push//s1", "'//'"},
      {"/push/../v1/status", "'..'"},
      {"/push/./s1", "'.'"},
      {"[/a, /b]", "must be a single value"},
  };
  for (const auto& bad : cases) {
    CAPTURE(bad.value);
    const auto result = parse_config(with_shop("    push_path: " + bad.value + "\n"), kFile);
    CHECK_FALSE(result.config);
    REQUIRE(result.issues.size() == 1);
    ERP_CHECK_ISSUE(result, "shops[0].push_path", 11, bad.says);
    CHECK(result.issues[0].to_string().starts_with(kFile.string() + ":11: shops[0].push_path: "));
  }
}

TEST_CASE("D11 push_path: the rule on its own") {
  CHECK(check_push_path("/push/dy-main").empty());
  CHECK(check_push_path("/").empty());
  CHECK(check_push_path("/douyin/push/").empty());
  CHECK(check_push_path("/v1x/push").empty());  // only /v1 and /v1/... are the API's
  CHECK(check_push_path("/" + std::string(199, 'a')).empty());
  CHECK_FALSE(check_push_path("/" + std::string(200, 'a')).empty());
  CHECK_FALSE(check_push_path("/push/\t").empty());
  CHECK_FALSE(check_push_path("/push#x").empty());
  CHECK(detail::default_push_path("dy-1") == "/push/dy-1");
}

}  // namespace
}  // namespace erp::daemon::config
