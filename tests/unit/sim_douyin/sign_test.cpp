// Douyin signing (PLATFORMS.md §3.2). No official Douyin vector exists offline, so the vector
// below was computed here from the documented algorithm with python3's hmac/hashlib and
// json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False) [C]:
//   secret    s3cr3t
//   app_key   7152331588175513101, method order.searchList, timestamp 1700000000, v 2
//   body      {"size":10,"page":0,"b":{"z":"抖店/测试","a":[{"y":1,"x":2}]}}
//   canonical {"b":{"a":[{"x":2,"y":1}],"z":"抖店/测试"},"page":0,"size":10}
//   pattern   s3cr3t app_key7152331588175513101 methodorder.searchList param_json<canonical>
//             timestamp1700000000 v2 s3cr3t   (no separators)
//   hmac-sha256 5ce0c044d54d05673ba7fe9bbc4d0d959af07c9df643cc03f23fd7331a036d51
//   md5         77ecd704fb7d394d5e009f889ef73eb4

#include <doctest/doctest.h>

#include "sim/douyin/douyin_sign.hpp"

using namespace erp::sim::douyin;

namespace {
const char* kBody = R"({"size":10,"page":0,"b":{"z":"抖店/测试","a":[{"y":1,"x":2}]}})";
const char* kCanonical = R"({"b":{"a":[{"x":2,"y":1}],"z":"抖店/测试"},"page":0,"size":10})";
}  // namespace

TEST_CASE("canonical param JSON sorts keys at every depth, keeps arrays, leaves non-ASCII and '/' unescaped") {
  CHECK(canonical_param_json(kBody).value() == kCanonical);
  // Whitespace, escaped non-ASCII and escaped slashes come out in the one canonical form.
  CHECK(canonical_param_json("{ \"size\" : 10 ,\n \"page\":0, \"b\": {\"z\": \"\\u6296\\u5e97\\/\\u6d4b\\u8bd5\","
                             " \"a\": [ {\"y\":1, \"x\":2} ] } }")
            .value() == kCanonical);
  // Number literals stay as sent; keys compare as bytes (upper case before lower case).
  CHECK(canonical_param_json(R"({"b":1.50,"B":12345678901234567890,"a":-0.0e1})").value() ==
        R"({"B":12345678901234567890,"a":-0.0e1,"b":1.50})");
  CHECK(canonical_param_json(R"({"s":"a\"b\\c\nd\u0001"})").value() == R"({"s":"a\"b\\c\nd\u0001"})");
  CHECK(canonical_param_json("").value() == "{}");
  CHECK(canonical_param_json("  ").value() == "{}");
  CHECK(canonical_param_json(R"({"k":1,"k":2})").value() == R"({"k":2})");
}

TEST_CASE("canonical param JSON refuses what is not a JSON object") {
  for (const char* bad : {"[]", "1", "{", R"({"a":})", R"({"a":1}x)", R"({"a":01})", "{\"a\":\"\xff\"}",
                          R"({"a":"\ud800"})", "{\"a\":\"tab\there\"}", R"({'a':1})", "nul"}) {
    CAPTURE(bad);
    std::string why;
    CHECK_FALSE(canonical_param_json(bad, &why).has_value());
    CHECK_FALSE(why.empty());
  }
  std::string deep(100, '[');
  CHECK_FALSE(canonical_param_json("{\"a\":" + deep + std::string(100, ']') + "}").has_value());
}

TEST_CASE("sign reproduces the computed vector for hmac-sha256 and md5") {
  CHECK(sign_pattern("s3cr3t", "7152331588175513101", "order.searchList", kCanonical, "1700000000", "2") ==
        std::string("s3cr3tapp_key7152331588175513101methodorder.searchListparam_json") + kCanonical +
            "timestamp1700000000v2s3cr3t");
  CHECK(sign("hmac-sha256", "s3cr3t", "7152331588175513101", "order.searchList", kCanonical, "1700000000").value() ==
        "5ce0c044d54d05673ba7fe9bbc4d0d959af07c9df643cc03f23fd7331a036d51");
  CHECK(sign("md5", "s3cr3t", "7152331588175513101", "order.searchList", kCanonical, "1700000000").value() ==
        "77ecd704fb7d394d5e009f889ef73eb4");
  CHECK_FALSE(sign("hmac", "s3cr3t", "k", "m", "{}", "1").has_value());
}

TEST_CASE("event-sign is md5(app_key + body + secret) in lowercase hex") {
  // python3: hashlib.md5(b'7152331588175513101' + b'[{"tag":"100"}]' + b's3cr3t').hexdigest()
  CHECK(event_sign("7152331588175513101", R"([{"tag":"100"}])", "s3cr3t") == "e2f1720e3f6a8560ee628dbfe835ca74");
  CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
}
