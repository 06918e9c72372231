// The Qimen signature (WAREHOUSE-QIMEN.md §2) against values computed outside this code, and the
// gateway's checks of the ERP's calls.

#include <doctest/doctest.h>

#include "qimen_fixture.hpp"

using namespace erp::sim;
using namespace erp::sim::qimen;
using namespace erp::sim::qimen::test;

namespace {

const Params kVectorParams = {{"method", "taobao.qimen.deliveryorder.create"},
                              {"timestamp", "2026-11-11 10:00:00"},
                              {"format", "xml"},
                              {"app_key", "qimen-app"},
                              {"v", "2.0"},
                              {"sign_method", "md5"},
                              {"customerId", "C100"}};
const std::string kVectorBody =
    "<request><deliveryOrder><deliveryOrderCode>DO-1</deliveryOrderCode></deliveryOrder></request>";

}  // namespace

TEST_CASE("md5 and hmac signatures match values computed independently with Python's hashlib") {
  CHECK(sorted_pairs(kVectorParams) ==
        "app_keyqimen-appcustomerIdC100formatxmlmethodtaobao.qimen.deliveryorder.createsign_methodmd5"
        "timestamp2026-11-11 10:00:00v2.0");
  // python3: s = ''.join(k + v for k, v in sorted(params.items()))
  //          hashlib.md5((secret + s + body + secret).encode()).hexdigest().upper()
  // with params = kVectorParams, body = kVectorBody, secret = "test-secret-qimen".
  CHECK(sign(kVectorParams, kVectorBody, kSecret, SignMethod::md5) == "4F36413072C1A60E577DB54DC0743B1F");

  // python3: hmac.new(secret.encode(), (s + body).encode(), hashlib.md5).hexdigest().upper(),
  // s computed with sign_method=hmac.
  Params hmac_params = kVectorParams;
  hmac_params[5].second = "hmac";
  CHECK(sign(hmac_params, kVectorBody, kSecret, SignMethod::hmac_md5) == "457BED6A987467A8EB00BF7B973E74E7");

  // Non-ASCII bodies are signed as their UTF-8 bytes. python3 as the md5 case above, with
  // body = '{"orderCode":"DO-1","cancelReason":"买家取消"}'.
  CHECK(sign(kVectorParams, R"({"orderCode":"DO-1","cancelReason":"买家取消"})", kSecret, SignMethod::md5) ==
        "24E3C56EAEEDF67B63F1F812FD7826AB");
}

TEST_CASE("the sign itself, empty values and a repeated name stay out of the signed string") {
  Params params = kVectorParams;
  params.emplace_back("sign", "whatever");
  params.emplace_back("session", "");
  params.emplace_back("method", "second-value-ignored");
  CHECK(sign(params, kVectorBody, kSecret, SignMethod::md5) == "4F36413072C1A60E577DB54DC0743B1F");
  CHECK(same_signature("4f36413072c1a60e577db54dc0743b1f", "4F36413072C1A60E577DB54DC0743B1F"));
  CHECK_FALSE(same_signature("4F36413072C1A60E577DB54DC0743B1", "4F36413072C1A60E577DB54DC0743B1F"));
}

TEST_CASE("a correctly signed call is accepted: md5 in either letter case, hmac, extra parameters signed") {
  Fixture f;
  CHECK(f.call("deliveryorder.create", two_line_order("DO-S1")).flag == "success");

  Request lower = f.request("deliveryorder.create", two_line_order("DO-S2"));
  for (auto& [name, value] : lower.query) {
    if (name != "sign") continue;
    for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  CHECK(f.answer_of(f.module->handle(lower)).flag == "success");

  CHECK(f.answer_of(f.module->handle(f.request("deliveryorder.create", two_line_order("DO-S3"), "xml", "hmac"))).flag ==
        "success");
  // The Java SDK adds partner_id: the WMS verifies over whatever was sent.
  CHECK(f.answer_of(f.module->handle(f.request("deliveryorder.create", two_line_order("DO-S4"), "xml", "md5", kSecret,
                                               {{"partner_id", "top-sdk-java"}})))
            .flag == "success");
  CHECK(f.wms()["delivery_orders"].size() == 4);
}

TEST_CASE("a bad signature is refused with sign-check-failure / Illegal request and stores nothing") {
  Fixture f;
  auto refused = [&](const Request& r) {
    const Response response = f.module->handle(r);
    CHECK(response.status == 200);
    const Answer a = f.answer_of(response);
    CHECK(a.flag == "failure");
    CHECK(a.code == "sign-check-failure");
    CHECK(a.message == "Illegal request");
  };
  refused(f.request("deliveryorder.create", two_line_order("DO-B1"), "xml", "md5", "wrong-secret"));
  Request tampered = f.request("deliveryorder.create", two_line_order("DO-B2"));
  tampered.body = two_line_order("DO-B3");
  refused(tampered);
  Request unsigned_call = f.request("deliveryorder.create", two_line_order("DO-B4"));
  std::erase_if(unsigned_call.query, [](const auto& p) { return p.first == "sign"; });
  refused(unsigned_call);
  // The signature covers the query: changing a parameter after signing breaks it.
  Request moved = f.request("deliveryorder.create", two_line_order("DO-B5"));
  for (auto& [name, value] : moved.query)
    if (name == "timestamp") value = "2026-11-11 10:00:01";
  refused(moved);
  CHECK(f.wms()["delivery_orders"].empty());
  CHECK(f.counters.count("qimen.create", "DO-B1") == 0);
}

TEST_CASE("unknown customerId, a foreign app_key and an unknown sign_method are refused before the body") {
  Fixture f;
  Request stranger = f.request("deliveryorder.create", two_line_order("DO-C1"));
  for (auto& [name, value] : stranger.query)
    if (name == "customerId") value = "C999";
  Answer a = f.answer_of(f.module->handle(stranger));
  CHECK(a.flag == "failure");
  CHECK(a.code == "invalid-customerId");

  Request other_app = f.request("deliveryorder.create", two_line_order("DO-C2"));
  for (auto& [name, value] : other_app.query)
    if (name == "app_key") value = "another-app";
  a = f.answer_of(f.module->handle(other_app));
  CHECK(a.flag == "failure");
  CHECK(a.code == "invalid-app-key");

  Request sha = f.request("deliveryorder.create", two_line_order("DO-C3"));
  for (auto& [name, value] : sha.query)
    if (name == "sign_method") value = "hmac-sha256";
  a = f.answer_of(f.module->handle(sha));
  CHECK(a.code == "invalid-sign-method");
  CHECK(f.wms()["delivery_orders"].empty());
}
