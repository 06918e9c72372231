#pragma once
// A Douyin module with one merchant shop, and signed requests built the way the Go SDK builds
// them (query: app_key, method, v=2, timestamp, sign, sign_method, access_token; body: param JSON).

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/douyin/douyin_module.hpp"
#include "sim/douyin/douyin_sign.hpp"

namespace erp::sim::douyin::test {

using nlohmann::json;

inline constexpr const char* kAppKey = "7152331588175513101";
inline constexpr const char* kSecret = "test-secret-douyin";

struct Fixture {
  Clock clock;
  Counters counters;
  Faults faults;
  Context context{clock, counters, faults};
  std::unique_ptr<PlatformModule> module = make_douyin_module(context);
  Shop shop = make_shop("4463798", "token-merchant", "merchant");

  Fixture() {
    clock.set(Instant(std::chrono::seconds(1767225600)));  // 2026-01-01 00:00 UTC
    module->add_shop(shop);
  }

  static Shop make_shop(const std::string& id, const std::string& token, const std::string& role) {
    Shop s;
    s.id = id;
    s.platform = "douyin";
    s.app_key = kAppKey;
    s.app_secret = kSecret;
    s.session = token;
    s.refresh_token = "refresh-" + token;
    s.role = role;
    return s;
  }

  DouyinModule& douyin() { return dynamic_cast<DouyinModule&>(*module); }

  std::int64_t now_s() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
  }

  Request request(const std::string& method, const std::string& body, const std::string& token,
                  const std::string& sign_method = "hmac-sha256") const {
    Request r;
    r.method = "POST";
    r.path = "/" + method;
    for (auto& c : r.path)
      if (c == '.') c = '/';
    const std::string ts = std::to_string(now_s());
    const auto canonical = canonical_param_json(body);
    const std::string sig = canonical ? *sign(sign_method, kSecret, kAppKey, method, *canonical, ts) : "00";
    r.query = {{"app_key", kAppKey}, {"method", method}, {"v", "2"},
               {"timestamp", ts},    {"sign", sig},      {"sign_method", sign_method}};
    if (!token.empty()) r.query.emplace_back("access_token", token);
    r.target = r.path + "?method=" + method;
    r.headers["content-type"] = "application/json";
    r.headers["x-open-no-old-err-code"] = "1";
    r.body = body;
    return r;
  }

  json call(const std::string& method, const json& params, const std::string& token = "token-merchant") {
    return call_raw(method, params.dump(), token);
  }

  json call_raw(const std::string& method, const std::string& body, const std::string& token = "token-merchant") {
    const Response r = module->handle(request(method, body, token));
    return json::parse(r.body);
  }

  /// Applies a scenario event written in YAML; fails the test on an error.
  void event(const std::string& yaml, const Shop* on = nullptr) {
    const auto err = module->apply(on ? *on : shop, YAML::Load(yaml));
    if (err) throw std::runtime_error("event refused: " + *err);
  }

  /// One paid order 1001 with sku orders 1001-1 (2 x 12.50) and 1001-2 (1 x 30.00).
  void paid_order(const std::string& id = "1001") {
    event(
        "type: order\norder_id: '" + id + "'\npaid: true\nbuyer: b1\n" +
        "receiver: {name: 张三丰, phone: '13812345678', province: 浙江省, city: 杭州市, town: 西湖区, street: 文新街道,"
        " detail: 文一西路100号}\n"
        "skus:\n"
        "  - {sku_order_id: '" +
        id +
        "-1', sku_id: '11', code: A-1, product_name: 杯子, qty: 2, price: '12.50'}\n"
        "  - {sku_order_id: '" +
        id + "-2', sku_id: '12', code: B-2, product_name: 毛巾, qty: 1, price: 3000}\n");
  }
};

}  // namespace erp::sim::douyin::test
