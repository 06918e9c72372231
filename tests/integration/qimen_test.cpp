// Issue [10/10] proof: the Qimen warehouse connector end to end. The real erpd with the erp-qimen
// and erp-tmall plugins, against platform-sim playing both Tmall and a Qimen WMS: a platform order
// becomes a deliveryorder.create, the WMS's deliveryorder.confirm (partial, repeated) becomes a
// waybill upload to Tmall exactly once; intercepts go out as order.cancel (a success locks, a failure
// is too late, an answer reported later through deliveryorder.confirm is applied); and bad calls on
// the inbound path are answered with the standard's failure response, never a crash.

#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "integration/douyin_day.hpp"
#include "integration/platform_calls.hpp"
#include "integration/scenario_shop.hpp"
#include "integration/top_day.hpp"

using namespace erp::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const ScenarioShop kTmall{"tmall", "tm-qm", "4200"};
const std::string kCustomer = "C100";
const std::string kAppKey = "qimen-app";
const std::string kSecret = "test-secret-qimen";

/// How erpd's connector and the simulated WMS are set up in one test.
struct Setup {
  std::string format = "xml";        ///< What erpd sends (options.format) and the WMS answers in.
  bool method_prefix = true;         ///< taobao.qimen.* names, or the short ones.
  std::string cancel_mode = "sync";  ///< The WMS: answer order.cancel at once, or report later.
  int outbox_attempts = 3;           ///< outbox.max_attempts: more when the WMS is made to fail.
};

/// One platform-sim (Tmall and the WMS) and one erpd with the Qimen connector.
struct World {
  TempDir sim_dir;
  PlatformSim sim{sim_dir.path()};
  TempDir dir;
  std::unique_ptr<Erpd> erpd;
  std::string api, token;

  explicit World(const Setup& setup) {
    REQUIRE(sim.start());
    // The WMS first, so nothing erpd delivers is refused; its push URL is set once erpd listens.
    register_wms("http://127.0.0.1:9/nowhere");
    sim_admin(sim, "POST", "/admin/scenario?name=shops.yaml", "shops:\n" + kTmall.scenario_shop());
    wms_settings("format: " + setup.format + ", cancel_mode: " + setup.cancel_mode + ", cancel_after: never");

    ConfigOptions options;
    options.outbox_yaml = "  max_attempts: " + std::to_string(setup.outbox_attempts) +
                          "\n  backoff_initial: 100ms\n  backoff_max: 500ms\n";
    options.shops_yaml = top_shops_yaml(sim, {kTmall.top()});
    options.warehouse_yaml = "  connector: qimen\n  options:\n    url: " + sim.url() +
                             "/router/qimen/service\n    app_key: " + kAppKey + "\n    app_secret: " + kSecret +
                             "\n    customer_id: " + kCustomer +
                             "\n    owner_code: OWNER1\n    format: " + setup.format +
                             "\n    method_prefix: " + (setup.method_prefix ? "true" : "false") +
                             "\n    logistics_code: YTO\n    timeout: 3s\n    cancel_outcome: " +
                             (setup.cancel_mode == "sync" ? "answer" : "report") + "\n";
    options.extra_yaml =
        "sync:\n  backfill: 1d\n  window: 2h\n  lag: 0s\n  overlap: 1m\n  reconcile_every: 1h\n  reconcile_span: 1d\n"
        "workflows:\n  release_delay: 0s\n  intercept:\n    memo: \"拦截发货\"\n    level: lock\n";
    write_config(dir, options);
    erpd = std::make_unique<Erpd>(dir / "erpd.yaml", dir.path());
    REQUIRE_MESSAGE(erpd->start(), erpd->log());
    api = api_url(dir);
    token = api_token(dir);
    register_wms(inbound_url());
  }

  std::string inbound_url() const { return api + "/warehouse/qimen"; }

  void register_wms(const std::string& push_url) {
    sim_admin(sim, "POST", "/admin/scenario?name=wms.yaml",
              "shops:\n  - {id: " + kCustomer + ", platform: qimen, app_key: " + kAppKey + ", app_secret: " + kSecret +
                  ", push_url: \"" + push_url + "\"}\n");
  }
  void wms_settings(const std::string& keys) { wms("settings", keys); }

  /// One WMS event now (ship, process, stock, cancel_outcome, settings); fails when refused.
  void wms(const std::string& type, const std::string& keys) {
    const json answer =
        sim_admin(sim, "POST", "/admin/scenario?name=wms-events.yaml",
                  "events:\n  - {at: \"+0s\", shop: " + kCustomer + ", type: " + type + ", " + keys + "}\n");
    INFO(answer.dump());
    REQUIRE(answer["refused"].empty());
  }
  void platform(const std::string& events) {
    const json answer = sim_admin(sim, "POST", "/admin/scenario?name=events.yaml", "events:\n" + events);
    INFO(answer.dump());
    REQUIRE(answer["refused"].empty());
  }

  json wms_state() const { return sim_admin(sim, "GET", "/admin/state")["modules"]["qimen"]["wms"][kCustomer]; }
  /// The WMS's delivery order of this code, or null.
  json delivery_order(const std::string& code) const {
    const json orders = wms_state()["delivery_orders"];
    return orders.contains(code) ? orders[code] : json(nullptr);
  }
  /// The calls the WMS made to erpd (confirms and reports), with erpd's answers.
  json calls() const { return wms_state()["calls"]; }
  bool calls_answered() const {
    for (const auto& c : calls()) {
      if (c["state"] == "queued" || c["state"] == "retrying") return false;
    }
    return true;
  }

  HttpReply call(const std::string& method, const std::string& path, const json& body = nullptr) const {
    return http(method, api + path, token, body.is_null() ? "" : body.dump());
  }
  json get(const std::string& path) const {
    const auto reply = call("GET", path);
    INFO("GET " << path << " -> " << reply.status << " " << reply.body);
    REQUIRE(reply.status == 200);
    return json::parse(reply.body);
  }
  bool outbox_idle() const {
    const auto reply = call("GET", "/v1/outbox?limit=1000");
    if (reply.status != 200) return false;
    const json outbox = json::parse(reply.body);  // named: a range-for over a temporary's member dangles
    for (const auto& item : outbox["items"]) {
      if (item["state"] == "pending" || item["state"] == "in_flight") return false;
    }
    return true;
  }
  template <class F>
  bool until(F predicate, std::chrono::milliseconds timeout = 15s) const {
    return eventually_nudging(
        predicate, [&] { call("POST", "/v1/shops/" + kTmall.id + "/sync"); }, timeout);
  }

  /// A paid Tmall order with `lines` lines, waited for until the WMS holds its delivery order.
  json order_at_wms(const std::string& order, int lines) {
    platform(kTmall.order_event(order, lines));
    json at_wms;
    const bool delivered = until([&] { return (at_wms = delivery_order(order)).is_object(); });
    INFO(log_tail(*erpd));
    REQUIRE(delivered);
    return at_wms;
  }
  /// Asks erpd to intercept the whole order; returns the intercept.
  json intercept(const std::string& order) const {
    const auto reply = call("POST", "/v1/orders/" + kTmall.key(order) + "/intercepts", json::object());
    INFO(reply.body);
    REQUIRE((reply.status == 201 || reply.status == 200 || reply.status == 202));
    return json::parse(reply.body)["intercept"];
  }
  std::string intercept_state(std::int64_t id) const {
    return get("/v1/intercepts/" + std::to_string(id))["state"].get<std::string>();
  }
  int counter(const std::string& kind, const std::string& key = "total") const { return sim_counter(sim, kind, key); }
};

/// POSTs a signed Qimen call to erpd's inbound path, as a WMS would; `sign` replaces the signature.
HttpReply qimen_call(const World& world, const std::string& method, const std::string& body,
                     const std::string& format = "xml", const std::string& sign = "") {
  std::map<std::string, std::string> params{{"method", method},
                                            {"timestamp", "2026-11-24 20:00:00"},
                                            {"format", format},
                                            {"app_key", kAppKey},
                                            {"v", "2.0"},
                                            {"sign_method", "md5"},
                                            {"customerId", kCustomer}};
  std::string text = kSecret;
  for (const auto& [k, v] : params) text += k + v;
  text += body + kSecret;
  params["sign"] = sign.empty() ? md5_hex(text, true) : sign;
  std::string query;
  for (const auto& [k, v] : params) query += (query.empty() ? "" : "&") + k + "=" + form_encode(v);
  return http("POST", world.inbound_url() + "?" + query, "", body,
              format == "json" ? "application/json;charset=utf-8" : "text/xml;charset=utf-8");
}

std::string confirm_xml(const std::string& code, const std::string& out_biz, const std::string& waybill,
                        const std::string& line) {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?><request><deliveryOrder><deliveryOrderCode>" + code +
         "</deliveryOrderCode><warehouseCode>WH01</warehouseCode><orderType>JYCK</orderType><status>DELIVERED</status>"
         "<outBizCode>" +
         out_biz +
         "</outBizCode><confirmType>0</confirmType></deliveryOrder><packages><package><logisticsCode>YTO"
         "</logisticsCode><expressCode>" +
         waybill + "</expressCode><items><item><itemCode>SKU-1</itemCode><quantity>1</quantity><orderLineNo>" + line +
         "</orderLineNo></item></items></package></packages></request>";
}

bool failure_reply(const HttpReply& reply, const std::string& code = "") {
  return reply.status == 200 && reply.body.find("<flag>failure</flag>") != std::string::npos &&
         (code.empty() || reply.body.find("<code>" + code + "</code>") != std::string::npos);
}

}  // namespace

TEST_CASE("qimen_end_to_end_platform_order_to_wms_delivery_to_confirmed_shipment_uploaded_exactly_once") {
  World world(Setup{});
  const std::string order = kTmall.order_id(1);
  const json at_wms = world.order_at_wms(order, 2);

  // deliveryorder.create: the order id as the code, Tmall's platform code, one line per order line.
  CHECK(at_wms["source_platform_code"] == "TM");
  CHECK(at_wms["shop_nick"] == kTmall.id);
  REQUIRE(at_wms["lines"].size() == 2);
  CHECK(at_wms["lines"][0]["orderLineNo"] == kTmall.line_id(order, 1));
  CHECK(at_wms["lines"][0]["itemCode"] == "SKU-1");
  CHECK(at_wms["lines"][0]["sourceOrderCode"] == order);
  CHECK(at_wms["lines"][1]["subSourceOrderCode"] == kTmall.line_id(order, 2));
  CHECK(world.counter("qimen.create", order) == 1);

  // The WMS picks it (orderprocess.report), ships line 1 alone (a partial confirm), then line 2 in a
  // second parcel, sending the final confirm three times.
  world.wms("process", "code: \"" + order + "\", status: PICK, info: \"picker 12\"");
  world.wms("ship", "code: \"" + order +
                        "\", partial: true, out_biz_code: OB-1, packages: [{carrier: YTO, waybill: "
                        "YT" +
                        order + "1, lines: [\"" + kTmall.line_id(order, 1) + "\"]}]");
  world.wms("ship", "code: \"" + order + "\", out_biz_code: OB-2, repeat: 3, packages: [{carrier: YTO, waybill: YT" +
                        order + "2, lines: [\"" + kTmall.line_id(order, 2) + "\"]}]");
  world.wms("stock", "item_code: SKU-1, quantity: -1, out_biz_code: SC-" + order);

  const bool settled = world.until(
      [&] { return world.calls_answered() && world.outbox_idle() && world.counter("ship.upload", order) >= 2; }, 30s);
  INFO("calls: " << world.calls().dump());
  INFO(log_tail(*world.erpd));
  REQUIRE(settled);
  // Every call the WMS made was answered success, the repeats too.
  int confirms = 0;
  for (const auto& c : world.calls()) {
    CHECK(c["flag"] == "success");
    if (c["method"].get<std::string>().find("deliveryorder.confirm") != std::string::npos) ++confirms;
  }
  CHECK(confirms == 4);
  // Two parcels, each uploaded to Tmall once, whatever the repeats.
  CHECK(world.counter("ship.upload", order) == 2);
  CHECK(world.counter("ship", order + "/" + kTmall.line_id(order, 1)) == 1);
  CHECK(world.counter("ship", order + "/" + kTmall.line_id(order, 2)) == 1);
  std::this_thread::sleep_for(1s);  // nothing more is owed: a late duplicate would show here
  CHECK(world.counter("ship.upload", order) == 2);

  const json deliveries = world.get("/v1/orders/" + kTmall.key(order) + "/deliveries")["deliveries"];
  REQUIRE(deliveries.size() == 1);
  CHECK(deliveries[0]["code"] == order);
  const json why = world.get("/v1/orders/" + kTmall.key(order) + "/why");
  CHECK(why.dump().find("the warehouse reports PICK: picker 12") != std::string::npos);
  const json stock = world.get("/v1/warehouse/stock-changes?item=SKU-1")["changes"];
  REQUIRE(stock.size() == 1);
  CHECK(stock[0]["quantity"] == -1);
  CHECK(world.erpd->running());
}

TEST_CASE("qimen_json_wms_intercept_I4_order_cancel_locks_and_I6_cancelling_the_intercept_delivers_again") {
  World world(Setup{"json", false, "sync"});
  const std::string order = kTmall.order_id(2);
  world.order_at_wms(order, 2);

  const json intercept = world.intercept(order);
  const auto id = intercept["id"].get<std::int64_t>();
  REQUIRE(world.until([&] { return world.intercept_state(id) == "locked"; }));
  CHECK(world.delivery_order(order)["status"] == "CANCELED");
  CHECK(world.counter("qimen.cancel", order) == 1);

  // The buyer changes their mind (I6): the cancelled delivery is made again under a new code.
  const auto cancelled = world.call("POST", "/v1/intercepts/" + std::to_string(id) + "/cancel",
                                    json{{"by", "operator:test"}, {"reason", "buyer wants it after all"}});
  INFO(cancelled.body);
  REQUIRE(cancelled.status == 200);
  const std::string again = order + "-R" + std::to_string(id);
  json redelivered;
  REQUIRE(world.until([&] { return (redelivered = world.delivery_order(again)).is_object(); }));
  CHECK(redelivered["lines"].size() == 2);
  CHECK(world.counter("qimen.create", "total") == 2);

  // The new delivery ships; one upload.
  world.wms("ship", "code: \"" + again + "\", out_biz_code: OB-9");
  REQUIRE(world.until([&] { return world.calls_answered() && world.counter("ship.upload", order) == 1; }));
  for (const auto& c : world.calls()) CHECK(c["flag"] == "success");
  const json deliveries = world.get("/v1/orders/" + kTmall.key(order) + "/deliveries")["deliveries"];
  REQUIRE(deliveries.size() == 2);
  CHECK(deliveries[0]["state"] == "cancelled");
  CHECK(deliveries[1]["code"] == again);
}

TEST_CASE("qimen_intercept_I4_a_cancel_the_wms_refuses_is_too_late") {
  World world(Setup{});
  const std::string order = kTmall.order_id(3);
  world.order_at_wms(order, 1);
  // The WMS ships, but its confirm does not reach erpd (a network cut): erpd still thinks it waits.
  world.register_wms("http://127.0.0.1:9/unreachable");
  world.wms("ship", "code: \"" + order + "\", out_biz_code: OB-3");
  const json intercept = world.intercept(order);
  const auto id = intercept["id"].get<std::int64_t>();
  REQUIRE(world.until([&] { return world.intercept_state(id) == "too_late"; }));
  CHECK(world.counter("qimen.cancel", order) == 0);
  CHECK(world.delivery_order(order)["status"] == "DELIVERED");
  CHECK(world.counter("ship.upload", order) == 0);
}

TEST_CASE("qimen_intercept_I4_cancel_outcomes_the_wms_reports_later_are_applied") {
  World world(Setup{"xml", true, "async"});
  const std::string refused = kTmall.order_id(4), accepted = kTmall.order_id(5);
  world.order_at_wms(refused, 1);
  world.order_at_wms(accepted, 1);
  const auto first = world.intercept(refused)["id"].get<std::int64_t>();
  const auto second = world.intercept(accepted)["id"].get<std::int64_t>();
  // The WMS took both requests and has not decided: the intercepts wait for it.
  REQUIRE(world.until([&] { return world.counter("qimen.cancel", "total") == 2 && world.outbox_idle(); }));
  CHECK(world.intercept_state(first) == "awaiting_warehouse");
  CHECK(world.intercept_state(second) == "awaiting_warehouse");
  world.wms("cancel_outcome", "code: \"" + refused + "\", result: failed");     // deliveryorder.confirm CANCELEDFAIL
  world.wms("cancel_outcome", "code: \"" + accepted + "\", result: canceled");  // deliveryorder.confirm CANCELED
  REQUIRE(world.until([&] { return world.calls_answered(); }));
  CHECK(world.intercept_state(first) == "too_late");
  CHECK(world.intercept_state(second) == "locked");
  for (const auto& c : world.calls()) CHECK(c["flag"] == "success");
}

TEST_CASE("qimen_wms_faults_every_order_reaches_the_wms_under_one_code_and_every_parcel_is_uploaded_once") {
  World world(Setup{"xml", true, "sync", 30});
  // A third of erpd's calls fail: a 502, a throttle answered as a failure, an answer cut short
  // after the WMS took the order (so erpd sends it again).
  sim_admin(world.sim, "POST", "/admin/faults",
            json{{"server_error", 0.1},
                 {"rate_limit", 0.1},
                 {"truncated", 0.1},
                 {"methods", {"taobao.qimen.deliveryorder.create", "taobao.qimen.order.cancel"}}}
                .dump());
  constexpr int kOrders = 8;
  std::string events;
  for (int n = 1; n <= kOrders; ++n) events += kTmall.order_event(kTmall.order_id(100 + n), 1);
  world.platform(events);
  const bool delivered = world.until(
      [&] {
        for (int n = 1; n <= kOrders; ++n) {
          if (!world.delivery_order(kTmall.order_id(100 + n)).is_object()) return false;
        }
        return true;
      },
      60s);
  INFO(log_tail(*world.erpd));
  REQUIRE(delivered);
  sim_admin(world.sim, "DELETE", "/admin/faults");
  for (int n = 1; n <= kOrders; ++n) {
    world.wms("ship",
              "code: \"" + kTmall.order_id(100 + n) + "\", out_biz_code: OB-" + std::to_string(n) + ", repeat: 2");
  }
  const bool shipped = world.until(
      [&] {
        if (!world.calls_answered()) return false;
        for (int n = 1; n <= kOrders; ++n) {
          if (world.counter("ship.upload", kTmall.order_id(100 + n)) < 1) return false;
        }
        return true;
      },
      60s);
  REQUIRE(shipped);
  const json wms = world.wms_state()["delivery_orders"];
  CHECK(wms.size() == kOrders);  // one delivery order per platform order: no second code, nothing lost
  int retried = 0;
  for (int n = 1; n <= kOrders; ++n) {
    const std::string order = kTmall.order_id(100 + n);
    INFO(order);
    CHECK(world.counter("qimen.create", order) == 1);
    CHECK(world.counter("ship.upload", order) == 1);
    if (wms[order]["create_calls"].get<int>() > 1) ++retried;
  }
  MESSAGE(retried << " of " << kOrders << " creates were sent again after a cut answer");
  // A create retried after a cut answer may still be on its way; it goes out, nothing dies.
  CHECK(world.until([&] { return world.outbox_idle(); }, 30s));
  const auto dead = world.call("GET", "/v1/outbox?state=dead");
  CHECK(json::parse(dead.body)["items"].empty());
}

TEST_CASE("qimen_inbound_bad_signatures_and_malformed_bodies_get_a_failure_response_never_a_crash") {
  World world(Setup{});
  const std::string order = kTmall.order_id(6);
  world.order_at_wms(order, 1);
  const std::string good = confirm_xml(order, "OB-6", "YT6", order);  // a one-line TOP order's line id is its tid

  // A bad signature: the standard's sign-check-failure, nothing applied.
  CHECK(failure_reply(
      qimen_call(world, "taobao.qimen.deliveryorder.confirm", good, "xml", "0123456789ABCDEF0123456789ABCDEF"),
      "sign-check-failure"));
  // Correctly signed, but broken bodies of every kind.
  for (const std::string& body :
       {std::string("<request><deliveryOrder><deliveryOrderCode>1</deliveryOrder>"), good.substr(0, good.size() / 2),
        std::string(), std::string("\x01\xff\xfe<<<", 6),
        std::string("<!DOCTYPE r [<!ENTITY a \"aaaa\">]><request>&a;&a;</request>"), std::string(20000, '<')}) {
    const auto reply = qimen_call(world, "taobao.qimen.deliveryorder.confirm", body);
    INFO(reply.status << " " << reply.body);
    CHECK(failure_reply(reply));
  }
  const auto json_reply = qimen_call(world, "taobao.qimen.deliveryorder.confirm", "{\"deliveryOrder\":", "json");
  INFO(json_reply.body);
  CHECK(json_reply.status == 200);
  CHECK(json::parse(json_reply.body)["response"]["flag"] == "failure");  // answered in the call's format
  CHECK(failure_reply(qimen_call(world, "taobao.qimen.nosuch.method", good)));
  // A confirm of a delivery erpd never sent is refused with the reason.
  const auto unknown = qimen_call(world, "taobao.qimen.deliveryorder.confirm", confirm_xml("999", "OB-X", "YTX", "1"));
  CHECK(failure_reply(unknown));
  CHECK(unknown.body.find("999") != std::string::npos);
  // Only POST.
  CHECK(http("GET", world.inbound_url(), "").status == 405);
  // Nothing of that shipped anything, and erpd is still here to take the real confirm.
  CHECK(world.counter("ship.upload", order) == 0);
  CHECK(http("GET", world.api + "/healthz").status == 200);
  const auto accepted = qimen_call(world, "deliveryorder.confirm", good);
  INFO(accepted.body);
  CHECK(accepted.body.find("<flag>success</flag>") != std::string::npos);
  REQUIRE(world.until([&] { return world.counter("ship.upload", order) == 1; }));
  const std::string metrics_text = world.call("GET", "/metrics").body;
  CHECK(metrics_text.find("erpd_warehouse_inbound_total{event=\"unread\",outcome=\"rejected\"}") != std::string::npos);
  CHECK(world.erpd->running());
}
