// TOP signing (PLATFORMS.md 1.3), against the official worked example.
#include "top/top_sign.hpp"

#include <doctest/doctest.h>

#include "top/top_time.hpp"

using namespace erp::sim::top;

namespace {

std::map<std::string, std::string> example(const std::string& sign_method) {
  return {{"method", "taobao.item.seller.get"},
          {"app_key", "12345678"},
          {"session", "test"},
          {"timestamp", "2016-01-01 12:00:00"},
          {"format", "json"},
          {"v", "2.0"},
          {"sign_method", sign_method},
          {"fields", "num_iid,title,nick,price,num"},
          {"num_iid", "11223344"}};
}

}  // namespace

TEST_CASE("the public TOP signature example reproduces byte for byte") {
  const auto params = example("md5");
  CHECK(string_to_sign(params) ==
        "app_key12345678fieldsnum_iid,title,nick,price,numformatjsonmethodtaobao.item.seller.getnum_iid11223344"
        "sessiontestsign_methodmd5timestamp2016-01-01 12:00:00v2.0");
  CHECK(sign(params, "helloworld", SignMethod::md5) == "66987CB115214E59E6EC978214934FB8");
}

TEST_CASE("the doc's concatenation example: sorted by name, no separators") {
  CHECK(string_to_sign({{"foo", "1"}, {"bar", "2"}, {"foo_bar", "3"}, {"foobar", "4"}}) == "bar2foo1foo_bar3foobar4");
}

TEST_CASE("sign and empty values are left out of the signed string") {
  auto params = example("md5");
  params["sign"] = "ANYTHING";
  params["partner_id"] = "";
  CHECK(sign(params, "helloworld", SignMethod::md5) == "66987CB115214E59E6EC978214934FB8");
}

TEST_CASE("hmac (HMAC-MD5) and hmac-sha256 over the same example, upper-case hex") {
  // Vectors computed independently with Python's hmac module.
  CHECK(sign(example("hmac"), "helloworld", SignMethod::hmac_md5) == "D56D7858309C31B6251083A874D48273");
  CHECK(sign(example("hmac-sha256"), "helloworld", SignMethod::hmac_sha256) ==
        "04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8");
}

TEST_CASE("sign_method names") {
  CHECK(sign_method_from_string("md5") == SignMethod::md5);
  CHECK(sign_method_from_string("hmac") == SignMethod::hmac_md5);
  CHECK(sign_method_from_string("hmac-sha256") == SignMethod::hmac_sha256);
  CHECK_FALSE(sign_method_from_string("sha1").has_value());
  CHECK_FALSE(sign_method_from_string("MD5").has_value());
}

TEST_CASE("TOP times are China time") {
  const auto t = parse_china_time("2016-01-01 12:00:00");
  REQUIRE(t.has_value());
  CHECK(t->time_since_epoch().count() == 1451620800000);  // 2016-01-01T04:00:00Z
  CHECK(format_china_time(*t) == "2016-01-01 12:00:00");
  CHECK(format_china_time(Instant{std::chrono::milliseconds{1451664000999}}) == "2016-01-02 00:00:00");
  CHECK(parse_china_time("1451620800000", true) == t);
  CHECK_FALSE(parse_china_time("1451620800000").has_value());
  CHECK_FALSE(parse_china_time("2016-02-30 12:00:00").has_value());
  CHECK_FALSE(parse_china_time("2016-01-01T12:00:00").has_value());
  CHECK_FALSE(parse_china_time("2016-01-01 24:00:00").has_value());
  CHECK_FALSE(parse_china_time("").has_value());
}

TEST_CASE("scenario durations") {
  CHECK(parse_duration("90") == std::chrono::seconds{90});
  CHECK(parse_duration("3h") == std::chrono::seconds{10800});
  CHECK(parse_duration("2h30m") == std::chrono::seconds{9000});
  CHECK(parse_duration("1d") == std::chrono::seconds{86400});
  CHECK_FALSE(parse_duration("2h30").has_value());
  CHECK_FALSE(parse_duration("h").has_value());
  CHECK_FALSE(parse_duration("3x").has_value());
}
