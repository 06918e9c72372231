// The single-value rules and the typo suggestion, tested directly.

#include <doctest/doctest.h>

#include <array>

#include "config/suggest.hpp"
#include "config/value_rules.hpp"

namespace erp::daemon::config::detail {
namespace {

using namespace std::chrono_literals;

TEST_CASE("edit distance counts a swapped pair of letters as one typo") {
  CHECK(edit_distance("app_secret", "app_secret") == 0);
  CHECK(edit_distance("app_secrt", "app_secret") == 1);
  CHECK(edit_distance("app_secert", "app_secret") == 1);
  CHECK(edit_distance("APP_SECRET", "app_secret") == 0);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("a suggestion is offered only for a plausible typo") {
  constexpr std::array<std::string_view, 4> keys{"id", "platform", "app_secret", "app_secret_file"};
  CHECK(nearest("platfrom", keys) == "platform");
  CHECK(nearest("app_secret_fil", keys) == "app_secret_file");
  CHECK(nearest("ip", keys) == "id");
  CHECK_FALSE(nearest("x", keys));
  CHECK_FALSE(nearest("colour", keys));
  CHECK_FALSE(nearest(std::string(1000, 'a'), keys));
  CHECK(did_you_mean("platfrom", keys) == " (did you mean 'platform'?)");
  CHECK(did_you_mean("zzz", keys).empty());
}

TEST_CASE("durations take one number and one unit") {
  CHECK(*parse_config_duration("250ms").value == 250ms);
  CHECK(*parse_config_duration("2d").value == 48h);
  CHECK(*parse_config_duration("999999999d").value == 999999999 * 24h);
  CHECK_FALSE(parse_config_duration("1000000000d").value);
  CHECK(parse_config_duration("1000000000d").error == "is too large");
  for (const char* bad : {"", "s", "5", "5 s", "1.5s", "-5s", "5S", "5min", "5s "}) {
    INFO(bad);
    CHECK_FALSE(parse_config_duration(bad).value);
  }
}

TEST_CASE("whole numbers fit in an int") {
  CHECK(*parse_whole_number("10").value == 10);
  CHECK(*parse_whole_number("-1").value == -1);
  CHECK(parse_whole_number("2147483648").error == "is out of range");
  CHECK(parse_whole_number("1x").error == "must be a whole number");
  CHECK(parse_whole_number("").error == "must be a whole number");
}

TEST_CASE("shop ids and plugin names follow their patterns") {
  CHECK(check_shop_id("Shop_1-a").empty());
  CHECK(check_shop_id(std::string(64, 'a')).empty());
  CHECK_FALSE(check_shop_id(std::string(65, 'a')).empty());
  CHECK_FALSE(check_shop_id("a/b").empty());
  CHECK_FALSE(check_shop_id("").empty());
  CHECK(check_plugin_name("douyin").empty());
  CHECK(check_plugin_name("my_plugin2").empty());
  CHECK_FALSE(check_plugin_name("Douyin").empty());
  CHECK_FALSE(check_plugin_name("dou-yin").empty());
  CHECK_FALSE(check_plugin_name("../x").empty());
}

TEST_CASE("listen addresses split host and port") {
  const auto v4 = parse_listen("127.0.0.1:7878");
  REQUIRE(v4.value);
  CHECK(v4.value->host == "127.0.0.1");
  CHECK(v4.value->port == 7878);
  const auto v6 = parse_listen("[::]:0");
  REQUIRE(v6.value);
  CHECK(v6.value->host == "::");
  CHECK(v6.value->port == 0);
  for (const char* bad : {"", ":", "host", "host:", "host:-1", "host:65536", "[::1]", "[::1]x:1", "[zz]:1", "a b:1"}) {
    INFO(bad);
    CHECK_FALSE(parse_listen(bad).value);
  }
}

}  // namespace
}  // namespace erp::daemon::config::detail
