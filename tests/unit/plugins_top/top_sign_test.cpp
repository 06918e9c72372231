// Signing (PLATFORMS.md §1.3), request building (§1.2) and TOP time strings.

#include "plugins/top/top_sign.hpp"

#include <doctest/doctest.h>

#include "plugins/common/percent_encode.hpp"
#include "plugins/top/top_request.hpp"
#include "plugins/top/top_response.hpp"
#include "plugins/top/top_time.hpp"
#include "top_fakes.hpp"

using namespace erp::plugins::top;
using erp::sdk::Instant;

namespace {
std::map<std::string, std::string> official_params(const std::string& method) {
  return {{"method", "taobao.item.seller.get"},
          {"app_key", "12345678"},
          {"session", "test"},
          {"timestamp", "2016-01-01 12:00:00"},
          {"format", "json"},
          {"v", "2.0"},
          {"sign_method", method},
          {"fields", "num_iid,title,nick,price,num"},
          {"num_iid", "11223344"}};
}
Instant utc(long long ms) { return Instant{std::chrono::milliseconds{ms}}; }
}  // namespace

TEST_CASE("sign: the official TOP md5 vector (docId 101617)") {
  const auto params = official_params("md5");
  CHECK(string_to_sign(params) ==
        "app_key12345678fieldsnum_iid,title,nick,price,numformatjsonmethodtaobao.item.seller.getnum_iid11223344"
        "sessiontestsign_methodmd5timestamp2016-01-01 12:00:00v2.0");
  CHECK(sign(params, "helloworld", SignMethod::md5) == "66987CB115214E59E6EC978214934FB8");
}

TEST_CASE("sign: hmac (HMAC-MD5) and hmac-sha256 over the same parameters, secret as key, not wrapped") {
  // Reference values from python3 hmac.new(b"helloworld", concat, md5 / sha256).hexdigest().upper().
  CHECK(sign(official_params("hmac"), "helloworld", SignMethod::hmac_md5) == "D56D7858309C31B6251083A874D48273");
  CHECK(sign(official_params("hmac-sha256"), "helloworld", SignMethod::hmac_sha256) ==
        "04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8");
}

TEST_CASE("sign: the doc's concat example, empty values and sign itself are left out") {
  std::map<std::string, std::string> params{{"foo", "1"},    {"bar", "2"},  {"foo_bar", "3"},
                                            {"foobar", "4"}, {"empty", ""}, {"sign", "XYZ"}};
  CHECK(string_to_sign(params) == "bar2foo1foo_bar3foobar4");
  auto changed = params;
  changed["sign"] = "something else";
  CHECK(sign(params, "k", SignMethod::md5) == sign(changed, "k", SignMethod::md5));
  changed["foo"] = "2";
  CHECK(sign(params, "k", SignMethod::md5) != sign(changed, "k", SignMethod::md5));
}

TEST_CASE("sign methods parse as TOP spells them") {
  CHECK(sign_method_from_string("md5") == SignMethod::md5);
  CHECK(sign_method_from_string("hmac") == SignMethod::hmac_md5);
  CHECK(sign_method_from_string("hmac-sha256") == SignMethod::hmac_sha256);
  CHECK_FALSE(sign_method_from_string("HMAC-SHA256"));
  CHECK_FALSE(sign_method_from_string("sha1"));
}

TEST_CASE("TOP time: GMT+8 yyyy-MM-dd HH:mm:ss both ways") {
  // 2024-03-01 12:00:00 UTC is 20:00:00 in China.
  CHECK(format_china_time(utc(1709294400000)) == "2024-03-01 20:00:00");
  CHECK(format_china_time(utc(1709294400999)) == "2024-03-01 20:00:00");
  // Day rollover: 2024-02-29 16:30:05 UTC -> 2024-03-01 00:30:05 CST (leap year).
  CHECK(format_china_time(utc(1709224205000)) == "2024-03-01 00:30:05");
  CHECK(parse_china_time("2024-03-01 00:30:05") == utc(1709224205000));
  CHECK_FALSE(parse_china_time("2024-02-30 00:00:00"));
  CHECK_FALSE(parse_china_time("2024-03-01T00:30:05"));
  CHECK_FALSE(parse_china_time("2024-03-01 24:00:00"));
  CHECK_FALSE(parse_china_time(""));
}

TEST_CASE("request: system parameters, session signed in, form body to the shop's base_url") {
  TopCredentials creds{"http://gw.example/router/rest", "12345678", "helloworld", "test", SignMethod::hmac_sha256};
  auto request =
      build_request("taobao.trade.fullinfo.get", {{"tid", "123"}, {"fields", "tid,status"}}, creds, utc(1709294400000));
  REQUIRE(request.ok());
  CHECK(request->method == "POST");
  CHECK(request->url == "http://gw.example/router/rest");
  REQUIRE(request->headers.size() == 1);
  CHECK(request->headers[0].first == "Content-Type");
  CHECK(request->headers[0].second.rfind("application/x-www-form-urlencoded", 0) == 0);
  auto params = testing::parse_form(request->body);
  CHECK(params["method"] == "taobao.trade.fullinfo.get");
  CHECK(params["app_key"] == "12345678");
  CHECK(params["session"] == "test");
  CHECK(params["timestamp"] == "2024-03-01 20:00:00");
  CHECK(params["v"] == "2.0");
  CHECK(params["format"] == "json");
  CHECK(params["sign_method"] == "hmac-sha256");
  CHECK(params["fields"] == "tid,status");
  // The signature verifies over everything that was sent, session included (§1.3 pitfall).
  const std::string sent_sign = params["sign"];
  CHECK(sent_sign.size() == 64);
  CHECK(sign(params, "helloworld", SignMethod::hmac_sha256) == sent_sign);
  CHECK(request->body.find("helloworld") == std::string::npos);  // the secret never travels
}

TEST_CASE("request: values with spaces, commas and UTF-8 are percent-encoded") {
  CHECK(erp::plugins::percent_encode("2024-03-01 20:00:00") == "2024-03-01%2020%3A00%3A00");
  CHECK(erp::plugins::percent_encode("a,b") == "a%2Cb");
  CHECK(erp::plugins::percent_encode("\xE5\xA4\x87") == "%E5%A4%87");
  CHECK(erp::plugins::percent_encode("A-z_0.9~") == "A-z_0.9~");
}

TEST_CASE("response root: method minus taobao., dots to underscores") {
  CHECK(response_root("taobao.trades.sold.increment.get") == "trades_sold_increment_get_response");
  CHECK(response_root("taobao.trade.fullinfo.get") == "trade_fullinfo_get_response");
  CHECK(response_root("taobao.logistics.offline.send") == "logistics_offline_send_response");
}
