// The /router/rest gateway: signatures, timestamps, sessions, faults and malformed requests, all
// answered in TOP's error_response shape (PLATFORMS.md 1.2-1.4).
#include "top_fixture.hpp"

using namespace sim_top_test;

TEST_CASE_FIXTURE(Fixture, "every sign method is accepted and a wrong signature is code 25") {
  must(taobao, paid_order("100", 1));
  for (const char* method : {"md5", "hmac", "hmac-sha256"}) {
    CAPTURE(method);
    const json ok = call("taobao.trade.fullinfo.get", {{"tid", "100"}, {"fields", "tid"}}, taobao, method);
    CHECK(code(ok) == 0);
    CHECK(ok["trade_fullinfo_get_response"]["trade"]["tid"] == 100);
    CHECK(ok["trade_fullinfo_get_response"].contains("request_id"));

    auto params = signed_params("taobao.trade.fullinfo.get", {{"tid", "100"}, {"fields", "tid"}}, taobao, method);
    params["tid"] = "101";  // changed after signing
    const json bad = send(params);
    CHECK(code(bad) == 25);
    CHECK(bad["error_response"]["msg"] == "Invalid Signature");
    CHECK(bad["error_response"].contains("request_id"));

    auto lower = signed_params("taobao.trade.fullinfo.get", {{"tid", "100"}, {"fields", "tid"}}, taobao, method);
    for (auto& c : lower["sign"]) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(code(send(lower)) == 25);  // the documented form is upper-case hex
  }
  auto no_sign = signed_params("taobao.trade.fullinfo.get", {{"tid", "100"}, {"fields", "tid"}}, taobao);
  no_sign.erase("sign");
  CHECK(code(send(no_sign)) == 24);
  auto wrong_secret = taobao;
  wrong_secret.app_secret = "nope";
  CHECK(code(call("taobao.trade.fullinfo.get", {{"tid", "100"}, {"fields", "tid"}}, wrong_secret)) == 25);
  auto bad_method = signed_params("taobao.trade.fullinfo.get", {{"tid", "100"}, {"fields", "tid"}}, taobao);
  bad_method["sign_method"] = "sha1";
  CHECK(code(send(bad_method)) == 41);
}

TEST_CASE_FIXTURE(Fixture, "business parameters in a form body are signed and read like query ones") {
  must(taobao, paid_order("100", 1));
  const auto params = signed_params("taobao.trade.fullinfo.get", {{"tid", "100"}, {"fields", "tid,status"}}, taobao);
  Request r;
  r.method = "POST";
  r.path = "/router/rest";
  r.headers["content-type"] = "application/x-www-form-urlencoded;charset=utf-8";
  for (const auto& [k, v] : params) {
    if (k == "tid" || k == "fields") continue;
    r.query.emplace_back(k, v);
  }
  r.body = "tid=100&fields=tid%2Cstatus";
  const json body = json::parse(raw(r).body);
  REQUIRE(code(body) == 0);
  CHECK(body["trade_fullinfo_get_response"]["trade"]["status"] == "WAIT_SELLER_SEND_GOODS");
}

TEST_CASE_FIXTURE(Fixture, "timestamps more than 10 minutes off are code 31") {
  must(taobao, paid_order("100", 1));
  const Params business = {{"tid", "100"}, {"fields", "tid"}};
  auto at = [&](std::chrono::seconds offset) {
    auto p = signed_params("taobao.trade.fullinfo.get", business, taobao);
    p["timestamp"] = erp::sim::top::format_china_time(clock.now() + offset);
    p.erase("sign");
    p["sign"] = erp::sim::top::sign(p, taobao.app_secret, erp::sim::top::SignMethod::md5);
    return code(send(p));
  };
  CHECK(at(std::chrono::seconds{-540}) == 0);
  CHECK(at(std::chrono::seconds{540}) == 0);
  CHECK(at(std::chrono::seconds{-660}) == 31);
  CHECK(at(std::chrono::seconds{660}) == 31);

  auto garbled = signed_params("taobao.trade.fullinfo.get", business, taobao);
  garbled["timestamp"] = "yesterday";
  garbled.erase("sign");
  garbled["sign"] = erp::sim::top::sign(garbled, taobao.app_secret, erp::sim::top::SignMethod::md5);
  CHECK(code(send(garbled)) == 31);

  // The Python SDK sends epoch milliseconds (PLATFORMS.md 1.2).
  auto epoch = signed_params("taobao.trade.fullinfo.get", business, taobao);
  epoch["timestamp"] = std::to_string(clock.now().time_since_epoch().count());
  epoch.erase("sign");
  epoch["sign"] = erp::sim::top::sign(epoch, taobao.app_secret, erp::sim::top::SignMethod::md5);
  CHECK(code(send(epoch)) == 0);

  auto missing = signed_params("taobao.trade.fullinfo.get", business, taobao);
  missing.erase("timestamp");
  CHECK(code(send(missing)) == 30);
}

TEST_CASE_FIXTURE(Fixture, "sessions: missing 26, unknown or another app's 27, expired (fault) 27") {
  must(taobao, paid_order("100", 1));
  const Params business = {{"tid", "100"}, {"fields", "tid"}};
  auto no_session = taobao;
  no_session.session.clear();
  CHECK(code(call("taobao.trade.fullinfo.get", business, no_session)) == 26);

  auto unknown = taobao;
  unknown.session = "SESSION-NOBODY";
  const json invalid = call("taobao.trade.fullinfo.get", business, unknown);
  CHECK(code(invalid) == 27);
  CHECK(sub_code(invalid) == "sessionkey-not-generated-by-server");

  // A session of this app's other shop sees only that shop's trades.
  const json other = call("taobao.trade.fullinfo.get", business, tmall);
  CHECK(code(other) == 15);
  CHECK(sub_code(other) == "isv.trade-not-exist");

  faults.set(erp::sim::Fault::expired_session, 1.0);
  const json expired = call("taobao.trade.fullinfo.get", business);
  CHECK(code(expired) == 27);
  faults.clear();
  CHECK(code(call("taobao.trade.fullinfo.get", business)) == 0);
}

TEST_CASE_FIXTURE(Fixture, "app keys and methods") {
  auto p = signed_params("taobao.trades.sold.get", {{"fields", "tid"}}, taobao);
  p.erase("app_key");
  CHECK(code(send(p)) == 28);
  auto stranger = taobao;
  stranger.app_key = "UNKNOWN";
  CHECK(code(call("taobao.trades.sold.get", {{"fields", "tid"}}, stranger)) == 29);
  CHECK(code(call("taobao.item.seller.get", {{"fields", "tid"}})) == 22);
  auto v1 = signed_params("taobao.trades.sold.get", {{"fields", "tid"}}, taobao);
  v1["v"] = "1.0";
  v1.erase("sign");
  v1["sign"] = erp::sim::top::sign(v1, taobao.app_secret, erp::sim::top::SignMethod::md5);
  CHECK(code(send(v1)) == 33);
  const json missing = call("taobao.trades.sold.get", {});
  CHECK(code(missing) == 40);
  CHECK(sub_code(missing) == "isv.missing-parameter");
}

TEST_CASE_FIXTURE(Fixture, "faults render TOP errors") {
  must(taobao, paid_order("100", 1));
  const Params business = {{"tid", "100"}, {"fields", "tid"}};

  faults.set(erp::sim::Fault::rate_limit, 1.0);
  const json limited = call("taobao.trade.fullinfo.get", business);
  CHECK(code(limited) == 7);
  CHECK(limited["error_response"]["msg"] == "App Call Limited");
  CHECK(sub_code(limited).rfind("accesscontrol.limited-by-", 0) == 0);
  const std::string ban = limited["error_response"]["sub_msg"];
  CHECK(ban.find("This ban will last for ") == 0);
  CHECK(ban.find(" more seconds") != std::string::npos);
  faults.clear();

  faults.set(erp::sim::Fault::server_error, 1.0);
  const json down = call("taobao.trade.fullinfo.get", business);
  CHECK(code(down) == 10);
  CHECK(sub_code(down).rfind("isp.", 0) == 0);
  faults.clear();

  faults.set(erp::sim::Fault::timeout, 1.0);
  CHECK(raw(get(signed_params("taobao.trade.fullinfo.get", business, taobao))).hang);
  faults.clear();

  faults.set(erp::sim::Fault::truncated, 1.0);
  const Response cut = raw(get(signed_params("taobao.trade.fullinfo.get", business, taobao)));
  CHECK(cut.truncate);
  CHECK(json::parse(cut.body).contains("trade_fullinfo_get_response"));
  faults.clear();

  // Faults never hide authentication errors.
  faults.set(erp::sim::Fault::rate_limit, 1.0);
  auto wrong = taobao;
  wrong.app_secret = "nope";
  CHECK(code(call("taobao.trade.fullinfo.get", business, wrong)) == 25);
  faults.clear();
}

TEST_CASE_FIXTURE(Fixture, "garbage requests get an error_response, never a crash") {
  auto is_error = [](const Response& r) {
    const json body = json::parse(r.body);
    return body.contains("error_response") && body["error_response"].contains("code") &&
           body["error_response"].contains("request_id");
  };
  Request empty;
  empty.method = "GET";
  empty.path = "/router/rest";
  CHECK(code(json::parse(raw(empty).body)) == 21);

  Request json_body = empty;
  json_body.method = "POST";
  json_body.headers["content-type"] = "application/json";
  json_body.body = "{\"method\": \"taobao.trades.sold.get\", ";
  CHECK(code(json::parse(raw(json_body).body)) == 21);

  Request form_garbage = empty;
  form_garbage.method = "POST";
  form_garbage.body = "method=taobao.trade.fullinfo.get&%%%=&&=x&tid=%zz%4&\xff\xfe=\x01";
  CHECK(is_error(raw(form_garbage)));

  Request put = empty;
  put.method = "PUT";
  CHECK(code(json::parse(raw(put).body)) == 9);

  Request huge = get(signed_params("taobao.trades.sold.get", {{"fields", "tid"}}, taobao));
  huge.query.emplace_back("padding", std::string(2 << 20, 'x'));
  CHECK(code(json::parse(raw(huge).body)) == 41);

  Request many = get(signed_params("taobao.trades.sold.get", {{"fields", "tid"}}, taobao));
  for (int i = 0; i < 2000; ++i) many.query.emplace_back("p" + std::to_string(i), "v");
  CHECK(code(json::parse(raw(many).body)) == 41);

  // A huge but signed fields list is just a list of unknown fields.
  const json wide = call("taobao.trades.sold.get", {{"fields", std::string(200000, ',') + "tid"}});
  CHECK(code(wide) == 0);

  // Non-UTF-8 bytes in a parameter still give valid JSON back.
  const json bytes = call("taobao.trade.fullinfo.get", {{"tid", "\xff\xfe"}, {"fields", "tid"}});
  CHECK(code(bytes) == 41);
  const json big_tid = call("taobao.trade.fullinfo.get", {{"tid", "99999999999999999999999"}, {"fields", "tid"}});
  CHECK(code(big_tid) == 41);
  CHECK(code(call("taobao.trades.sold.get", {{"fields", "tid"}, {"page_size", "101"}})) == 41);
  CHECK(code(call("taobao.trades.sold.get", {{"fields", "tid"}, {"page_no", "-1"}})) == 41);
  const json far = call("taobao.trades.sold.get", {{"fields", "tid"}, {"page_no", "9223372036854775807"}});
  CHECK(code(far) == 0);
  CHECK_FALSE(far["trades_sold_get_response"].contains("trades"));
  CHECK(code(call("taobao.trades.sold.get", {{"fields", "tid"}, {"start_created", "soon"}})) == 41);
}

TEST_CASE_FIXTURE(Fixture, "requests the transport refused are answered in TOP's shape too") {
  Request partial;
  partial.method = "POST";
  partial.path = "/router/rest";
  const Response large = module->transport_error(partial, 413, "body over the limit");
  CHECK(large.status == 413);
  CHECK(code(json::parse(large.body)) == 41);
  const Response broken = module->transport_error(partial, 500, "handler threw");
  CHECK(code(json::parse(broken.body)) == 15);
  CHECK(sub_code(json::parse(broken.body)).rfind("isp.", 0) == 0);
}

TEST_CASE_FIXTURE(Fixture, "random bytes never get anything but a JSON error_response") {
  must(taobao, paid_order("100", 2));
  std::mt19937 rng{42};
  auto bytes = [&](std::size_t max) {
    std::string s(std::uniform_int_distribution<std::size_t>(0, max)(rng), '\0');
    for (auto& c : s) c = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
    return s;
  };
  const std::vector<std::string> names = {"method",  "app_key", "session",     "timestamp", "v",
                                          "format",  "sign",    "sign_method", "tid",       "fields",
                                          "page_no", "sub_tid", "memo",        "flag"};
  for (int i = 0; i < 3000; ++i) {
    // Half start from a valid signed call and break one thing; half are noise.
    Request r = get(signed_params(i % 3 == 0 ? "taobao.logistics.offline.send" : "taobao.trade.fullinfo.get",
                                  {{"tid", "100"}, {"fields", "tid,orders"}, {"out_sid", "X"}, {"company_code", "SF"}},
                                  taobao));
    if (i % 2 == 0) {
      r.query[std::uniform_int_distribution<std::size_t>(0, r.query.size() - 1)(rng)].second = bytes(40);
    } else {
      r.query.clear();
      for (int k = 0; k < 5; ++k) {
        r.query.emplace_back(names[std::uniform_int_distribution<std::size_t>(0, names.size() - 1)(rng)], bytes(30));
      }
      r.method = i % 4 == 1 ? "POST" : "GET";
      r.body = bytes(200);
    }
    const Response response = raw(r);
    json body;
    REQUIRE_NOTHROW(body = json::parse(response.body));
    CHECK((body.contains("error_response") || body.contains("trade_fullinfo_get_response") ||
           body.contains("logistics_offline_send_response")));
    if (body.contains("error_response")) CHECK(body["error_response"]["code"].get<int>() > 0);
  }
}
