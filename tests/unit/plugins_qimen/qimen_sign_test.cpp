// The Qimen signature (WAREHOUSE-QIMEN.md §2). The expected digests were computed outside this
// code base with Python's hashlib/hmac from the standard's description (secret + the non-empty
// parameters but sign, sorted by name, as name+value + body + secret, upper-case MD5; HmacMD5 of
// the same without the secrets, keyed with the secret), not by the code under test.

#include "plugins/qimen/qimen_sign.hpp"

#include <doctest/doctest.h>

using namespace erp::plugins::qimen;

namespace {

constexpr const char* kSignSecret = "qimen-secret-42";

/// A confirm call's parameters in the order a sender might list them; partner_id is empty and
/// so left out of the signature.
Params confirm_params(const char* sign_method) {
  return {{"method", "taobao.qimen.deliveryorder.confirm"},
          {"timestamp", "2026-11-11 10:30:00"},
          {"format", "xml"},
          {"app_key", "23456789"},
          {"v", "2.0"},
          {"sign_method", sign_method},
          {"customerId", "c1001"},
          {"partner_id", ""}};
}

const std::string kConfirmBody =
    R"(<?xml version="1.0" encoding="utf-8"?><request><deliveryOrder><deliveryOrderCode>5010</deliveryOrderCode>)"
    R"(<remark>已发货 &amp; 签收</remark></deliveryOrder></request>)";

Params create_params(const char* sign_method) {
  return {{"method", "deliveryorder.create"},
          {"timestamp", "2026-11-11 12:30:00"},
          {"format", "json"},
          {"app_key", "23456789"},
          {"v", "2.0"},
          {"sign_method", sign_method},
          {"customerId", "c1001"},
          {"target_app_key", "wms-7"}};
}

const std::string kCreateBody = R"({"deliveryOrder":{"deliveryOrderCode":"5010","remark":"礼品袋"}})";

}  // namespace

TEST_CASE("qimen_sign_string: secret, sorted non-empty name+value pairs without sign, body, secret") {
  Params params = confirm_params("md5");
  params.emplace_back("sign", "WHATEVER");
  CHECK(string_to_sign(params, "<b/>", "S", SignMethod::md5) ==
        "Sapp_key23456789customerIdc1001formatxmlmethodtaobao.qimen.deliveryorder.confirmsign_methodmd5"
        "timestamp2026-11-11 10:30:00v2.0<b/>S");
  CHECK(string_to_sign(params, "<b/>", "S", SignMethod::hmac) ==
        "app_key23456789customerIdc1001formatxmlmethodtaobao.qimen.deliveryorder.confirmsign_methodmd5"
        "timestamp2026-11-11 10:30:00v2.0<b/>");
}

TEST_CASE("qimen_sign_md5 matches an independent computation over a UTF-8 body, the empty parameter left out") {
  // python3 -c 'import
  // hashlib;s="qimen-secret-42";p={"method":"taobao.qimen.deliveryorder.confirm","timestamp":"2026-11-11
  // 10:30:00","format":"xml","app_key":"23456789","v":"2.0","sign_method":"md5","customerId":"c1001","partner_id":""};b="<?xml
  // version=\"1.0\"
  // encoding=\"utf-8\"?><request><deliveryOrder><deliveryOrderCode>5010</deliveryOrderCode><remark>已发货 &amp;
  // 签收</remark></deliveryOrder></request>";print(hashlib.md5((s+"".join(k+v for k,v in sorted(p.items()) if
  // v)+b+s).encode()).hexdigest().upper())'
  CHECK(sign(confirm_params("md5"), kConfirmBody, kSignSecret, SignMethod::md5) == "4410F6C60927ADD8F7DA432740E19193");
  // python3 -c 'import hashlib;s="qimen-secret-42";p={"method":"deliveryorder.create","timestamp":"2026-11-11
  // 12:30:00","format":"json","app_key":"23456789","v":"2.0","sign_method":"md5","customerId":"c1001","target_app_key":"wms-7"};b="{\"deliveryOrder\":{\"deliveryOrderCode\":\"5010\",\"remark\":\"礼品袋\"}}";print(hashlib.md5((s+"".join(k+v
  // for k,v in sorted(p.items()) if v)+b+s).encode()).hexdigest().upper())'
  CHECK(sign(create_params("md5"), kCreateBody, kSignSecret, SignMethod::md5) == "85D3D9C6DF03AB9C0BFE06E9E799CE85");
}

TEST_CASE("qimen_sign_hmac is HmacMD5 keyed with the secret, matching an independent computation") {
  // python3 -c 'import
  // hashlib,hmac;s="qimen-secret-42";p={"method":"taobao.qimen.deliveryorder.confirm","timestamp":"2026-11-11
  // 10:30:00","format":"xml","app_key":"23456789","v":"2.0","sign_method":"hmac","customerId":"c1001","partner_id":""};b="<?xml
  // version=\"1.0\"
  // encoding=\"utf-8\"?><request><deliveryOrder><deliveryOrderCode>5010</deliveryOrderCode><remark>已发货 &amp;
  // 签收</remark></deliveryOrder></request>";print(hmac.new(s.encode(),("".join(k+v for k,v in sorted(p.items()) if
  // v)+b).encode(),hashlib.md5).hexdigest().upper())'
  CHECK(sign(confirm_params("hmac"), kConfirmBody, kSignSecret, SignMethod::hmac) ==
        "DBEE8D93A867BD36C7455890D6525449");
  // python3 -c 'import hashlib,hmac;s="qimen-secret-42";p={"method":"deliveryorder.create","timestamp":"2026-11-11
  // 12:30:00","format":"json","app_key":"23456789","v":"2.0","sign_method":"hmac","customerId":"c1001","target_app_key":"wms-7"};b="{\"deliveryOrder\":{\"deliveryOrderCode\":\"5010\",\"remark\":\"礼品袋\"}}";print(hmac.new(s.encode(),("".join(k+v
  // for k,v in sorted(p.items()) if v)+b).encode(),hashlib.md5).hexdigest().upper())'
  CHECK(sign(create_params("hmac"), kCreateBody, kSignSecret, SignMethod::hmac) == "B0A3DB172C9A288A921785FEE48164B5");
}

TEST_CASE("qimen_sign_verify ignores the case of the hex and fails on one changed body byte or parameter") {
  const Params params = confirm_params("md5");
  CHECK(verify(params, kConfirmBody, kSignSecret, SignMethod::md5, "4410F6C60927ADD8F7DA432740E19193"));
  CHECK(verify(params, kConfirmBody, kSignSecret, SignMethod::md5, "4410f6c60927add8f7da432740e19193"));
  CHECK(verify(params, kConfirmBody, kSignSecret, SignMethod::md5, "4410f6C60927ADD8F7DA432740E19193"));
  std::string changed = kConfirmBody;
  changed[changed.find("5010")] = '6';
  CHECK_FALSE(verify(params, changed, kSignSecret, SignMethod::md5, "4410F6C60927ADD8F7DA432740E19193"));
  Params other = params;
  other[1].second = "2026-11-11 10:30:01";
  CHECK_FALSE(verify(other, kConfirmBody, kSignSecret, SignMethod::md5, "4410F6C60927ADD8F7DA432740E19193"));
  CHECK_FALSE(verify(params, kConfirmBody, "another-secret", SignMethod::md5, "4410F6C60927ADD8F7DA432740E19193"));
  CHECK_FALSE(verify(params, kConfirmBody, kSignSecret, SignMethod::hmac, "4410F6C60927ADD8F7DA432740E19193"));
  CHECK_FALSE(verify(params, kConfirmBody, kSignSecret, SignMethod::md5, "4410F6C60927ADD8F7DA432740E1919"));
  CHECK_FALSE(verify(params, kConfirmBody, kSignSecret, SignMethod::md5, ""));
  // A parameter with a value joins the signature; an empty one does not.
  Params with_partner = params;
  with_partner.back().second = "top-sdk-java";
  CHECK_FALSE(verify(with_partner, kConfirmBody, kSignSecret, SignMethod::md5, "4410F6C60927ADD8F7DA432740E19193"));
}

TEST_CASE("qimen_sign_methods: md5, hmac (also hmac-md5) and hmac-sha256 by name, any case") {
  CHECK(sign_method_from_string("md5") == SignMethod::md5);
  CHECK(sign_method_from_string("MD5") == SignMethod::md5);
  CHECK(sign_method_from_string("hmac") == SignMethod::hmac);
  CHECK(sign_method_from_string("hmac-md5") == SignMethod::hmac);
  CHECK(sign_method_from_string("HMAC-SHA256") == SignMethod::hmac_sha256);
  CHECK_FALSE(sign_method_from_string("sha1"));
  CHECK_FALSE(sign_method_from_string(""));
}

TEST_CASE("qimen_query: values are percent-encoded going out and decoded coming in, '+' as a space") {
  const Params params{
      {"timestamp", "2026-11-11 10:30:00"}, {"method", "taobao.qimen.deliveryorder.confirm"}, {"note", "a&b=c/中"}};
  const std::string query = build_query(params);
  CHECK(query ==
        "timestamp=2026-11-11%2010%3A30%3A00&method=taobao.qimen.deliveryorder.confirm&note=a%26b%3Dc%2F%E4%B8%AD");
  CHECK(parse_query(query) == params);
  CHECK(parse_query("timestamp=2026-11-11+10%3a30%3A00&&flag&bad=%zz%4") ==
        Params{{"timestamp", "2026-11-11 10:30:00"}, {"flag", ""}, {"bad", "%zz%4"}});
  CHECK(parse_query("").empty());
}
