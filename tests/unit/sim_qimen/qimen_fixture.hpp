#pragma once
// A Qimen module with one WMS (customerId C100), and the ERP's calls to it built the way the
// Qimen SDK builds them: system parameters in the query, signed over the query and the raw body.

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/time_format.hpp"
#include "sim/qimen/qimen_module.hpp"
#include "sim/qimen/qimen_payload.hpp"
#include "sim/qimen/qimen_sign.hpp"

namespace erp::sim::qimen::test {

using nlohmann::json;

inline constexpr const char* kCustomer = "C100";
inline constexpr const char* kAppKey = "qimen-app";
inline constexpr const char* kSecret = "test-secret-qimen";

/// One order line of a create body.
struct TestLine {
  std::string line_no;
  std::string item_code;
  int qty = 1;
  std::string price = "10.00";
  std::string sub_source = "";
  std::string extra = "";  ///< Raw XML inside <orderLine> (extendProps, remark ...).
};

/// A complete deliveryorder.create body in XML; `drop` leaves out the element of that name.
inline std::string create_xml(const std::string& code, const std::vector<TestLine>& lines,
                              const std::string& drop = "") {
  auto field = [&](const std::string& name, const std::string& value) {
    return name == drop ? std::string() : "<" + name + ">" + value + "</" + name + ">";
  };
  std::string xml = R"(<?xml version="1.0" encoding="utf-8"?><request><deliveryOrder>)";
  xml += field("deliveryOrderCode", code) + field("orderType", "JYCK") + field("warehouseCode", "WH-HZ") +
         field("sourcePlatformCode", "TB") + field("createTime", "2026-11-11 10:00:00") +
         field("placeOrderTime", "2026-11-11 09:58:00") + field("operateTime", "2026-11-11 10:00:00") +
         field("shopNick", "test-shop") + field("logisticsCode", "YTO");
  if (drop != "receiverInfo") {
    xml +=
        "<receiverInfo><name>张**</name><mobile>*******5678</mobile><province>浙江省</province>"
        "<city>杭州市</city><detailAddress>文三路****</detailAddress><oaid>OAID-1</oaid></receiverInfo>";
  }
  xml += "</deliveryOrder><orderLines>";
  for (const auto& l : lines) {
    xml += "<orderLine>" + field("orderLineNo", l.line_no) + field("sourceOrderCode", "T-" + code) +
           field("subSourceOrderCode", l.sub_source.empty() ? "O-" + l.line_no : l.sub_source) +
           field("ownerCode", "OWNER") + field("itemCode", l.item_code) + field("planQty", std::to_string(l.qty)) +
           field("actualPrice", l.price) + l.extra + "</orderLine>";
  }
  xml += "</orderLines></request>";
  return xml;
}

/// Two lines: 1 = SKU-A x2, 2 = SKU-B x1 (a gift, marked in extendProps and remark).
inline std::string two_line_order(const std::string& code) {
  return create_xml(code,
                    {{"1", "SKU-A", 2, "25.00", "", ""},
                     {"2", "SKU-B", 1, "0", "", "<extendProps><isGift>1</isGift></extendProps><remark>gift</remark>"}});
}

struct Fixture {
  Clock clock;
  Counters counters;
  Faults faults;
  Context context{clock, counters, faults};
  std::unique_ptr<PlatformModule> module = make_qimen_module(context);
  Shop shop;

  explicit Fixture(const std::string& push_url = "") {
    clock.set(*daemon::parse_cst("2026-11-11 10:00:00"));
    shop.id = kCustomer;
    shop.platform = "qimen";
    shop.app_key = kAppKey;
    shop.app_secret = kSecret;
    shop.push_url = push_url;
    module->add_shop(shop);
  }

  QimenModule& qimen() { return dynamic_cast<QimenModule&>(*module); }

  /// A signed call as the ERP makes it; `extra` parameters are sent (and signed) too.
  Request request(const std::string& method, const std::string& body, const std::string& format = "xml",
                  const std::string& sign_method = "md5", const std::string& secret = kSecret,
                  const Params& extra = {}) const {
    Request r;
    r.method = "POST";
    r.path = "/router/qimen/service";
    r.target = r.path + "?method=" + method;
    r.query = {{"method", method}, {"timestamp", "2026-11-11 10:00:00"}, {"format", format},       {"app_key", kAppKey},
               {"v", "2.0"},       {"sign_method", sign_method},         {"customerId", kCustomer}};
    for (const auto& p : extra) r.query.push_back(p);
    r.query.emplace_back("sign", sign(r.query, body, secret, *sign_method_from_string(sign_method)));
    r.headers["content-type"] = format == "json" ? "application/json;charset=utf-8" : "text/xml;charset=utf-8";
    r.body = body;
    return r;
  }

  Answer answer_of(const Response& response) const {
    const auto a = parse_answer(response.body);
    if (!a) throw std::runtime_error("not a Qimen answer: " + response.body);
    return *a;
  }

  Answer call(const std::string& method, const std::string& body, const std::string& format = "xml") {
    return answer_of(module->handle(request(method, body, format)));
  }

  /// Applies an event written in YAML; nullopt when applied, else the refusal.
  std::optional<std::string> try_event(const std::string& yaml) { return module->apply(shop, YAML::Load(yaml)); }
  void event(const std::string& yaml) {
    if (auto error = try_event(yaml)) throw std::runtime_error("event refused: " + *error);
  }

  json wms() const { return module->state()["wms"][kCustomer]; }
  json order(const std::string& code) const { return wms()["delivery_orders"][code]; }
  /// Moves the clock and lets the module act on it, as the core does.
  void advance(std::chrono::milliseconds by) {
    clock.advance(by);
    module->on_clock(clock.now());
  }
};

}  // namespace erp::sim::qimen::test
