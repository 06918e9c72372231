#pragma once
// A TOP module with a taobao and a tmall shop on a fixed simulated clock, and a client that signs
// requests the way the official SDKs do (PLATFORMS.md 1.3), all through PlatformModule::handle.

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/module.hpp"
#include "top/top_module.hpp"
#include "top/top_sign.hpp"
#include "top/top_time.hpp"

namespace sim_top_test {

using erp::sim::Request;
using erp::sim::Response;
using nlohmann::json;
using Params = std::map<std::string, std::string>;

class Fixture {
 public:
  Fixture() {
    clock.set(*erp::sim::top::parse_china_time("2026-11-11 10:00:00"));
    module = erp::sim::make_top_module(context);
    taobao = shop("tb1", "taobao", "APPKEY1", "SECRET1", "SESSION-TB1");
    tmall = shop("tm1", "tmall", "APPKEY1", "SECRET1", "SESSION-TM1");
    module->add_shop(taobao);
    module->add_shop(tmall);
  }

  static erp::sim::Shop shop(std::string id, std::string platform, std::string key, std::string secret,
                             std::string session) {
    erp::sim::Shop s;
    s.id = std::move(id);
    s.platform = std::move(platform);
    s.app_key = std::move(key);
    s.app_secret = std::move(secret);
    s.session = std::move(session);
    return s;
  }

  /// The system parameters of a call, signed with `sign_method`.
  Params signed_params(const std::string& method, Params business, const erp::sim::Shop& s,
                       const std::string& sign_method = "md5") {
    Params p = std::move(business);
    p["method"] = method;
    p["app_key"] = s.app_key;
    if (!s.session.empty()) p["session"] = s.session;
    p["timestamp"] = erp::sim::top::format_china_time(clock.now());
    p["format"] = "json";
    p["v"] = "2.0";
    p["sign_method"] = sign_method;
    p.erase("sign");
    const auto m = *erp::sim::top::sign_method_from_string(sign_method);
    p["sign"] = erp::sim::top::sign(p, s.app_secret, m);
    return p;
  }

  static Request get(const Params& params) {
    Request r;
    r.method = "GET";
    r.path = "/router/rest";
    r.target = "/router/rest";
    for (const auto& [k, v] : params) r.query.emplace_back(k, v);
    return r;
  }

  Response raw(const Request& request) { return module->handle(request); }

  json send(const Params& params) {
    const Response response = module->handle(get(params));
    CHECK(response.status == 200);
    return json::parse(response.body);
  }

  json call(const std::string& method, Params business, const erp::sim::Shop& s, const std::string& sm = "md5") {
    return send(signed_params(method, std::move(business), s, sm));
  }
  json call(const std::string& method, Params business) { return call(method, std::move(business), taobao); }

  /// The error code of an error_response, or 0 for a success.
  static int code(const json& body) {
    if (!body.contains("error_response")) return 0;
    return body["error_response"]["code"].get<int>();
  }
  static std::string sub_code(const json& body) {
    return body.contains("error_response") ? body["error_response"].value("sub_code", "") : "";
  }

  std::optional<std::string> event(const erp::sim::Shop& s, const std::string& yaml) {
    return module->apply(s, YAML::Load(yaml));
  }
  void must(const erp::sim::Shop& s, const std::string& yaml) {
    const auto error = event(s, yaml);
    INFO(yaml);
    REQUIRE_FALSE(error.has_value());
  }

  json fullinfo(const std::string& tid, const std::string& fields = "tid,status,modified,orders",
                const erp::sim::Shop* s = nullptr) {
    const json body = call("taobao.trade.fullinfo.get", {{"tid", tid}, {"fields", fields}}, s ? *s : taobao);
    REQUIRE_MESSAGE(code(body) == 0, body.dump());
    return body["trade_fullinfo_get_response"]["trade"];
  }

  void advance(std::chrono::milliseconds d) {
    clock.advance(d);
    module->on_clock(clock.now());
  }

  erp::sim::Clock clock;
  erp::sim::Counters counters;
  erp::sim::Faults faults;
  erp::sim::Context context{clock, counters, faults};
  std::unique_ptr<erp::sim::PlatformModule> module;
  erp::sim::Shop taobao;
  erp::sim::Shop tmall;
};

/// A paid trade in `s` with `lines` lines (oids 1001, 1002, ... unless single).
inline std::string paid_order(const std::string& tid, int lines) {
  std::string y = "type: order\ntid: \"" + tid + "\"\nbuyer: buyer-" + tid + "\npaid: true\nlines:\n";
  for (int i = 0; i < lines; ++i) {
    y += "  - {oid: \"" + tid + std::to_string(i + 1) + "\", sku: \"SKU" + std::to_string(i) + "\", outer_sku: \"OS" +
         std::to_string(i) + "\", qty: 1, price: \"10.50\"}\n";
  }
  return y;
}

}  // namespace sim_top_test
