// Issue [7/10] proof: the dropship hub (DOMAIN.md rules D1-D11; docs/dropship.md) with the real
// erpd and platform plugins against platform-sim:
// - a Taobao shop, whose platform has no factory channel: two factories bind through the daemon,
//   get lines by hand and by rule, and ship through the daemon's factory API;
// - a Douyin merchant shop and a Douyin factory shop run by the same erpd: the binding comes from
//   Douyin, lines go there through iop.sellerDistribute, the factory side reads iop.orderList /
//   iop.orderInfo, decrypts the receiver and ships through iop.waybillReturn.
// platform-sim's write counters prove no line shipped twice and no cancelled line shipped.

#include <doctest/doctest.h>

#include <signal.h>

#include <thread>

#include "integration/douyin_day.hpp"
#include "integration/shipments.hpp"

using namespace erp::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr const char* kBuyerName = "王小明";
constexpr const char* kBuyerPhone = "13812345678";

/// One platform-sim, a factory notify endpoint and one erpd with the dropship hub configured.
struct World {
  TempDir sim_dir;
  PlatformSim sim{sim_dir.path()};
  WebhookReceiver notified;  ///< The factories' notify_url.
  TempDir dir;
  std::unique_ptr<Erpd> erpd;
  std::vector<std::string> shop_ids;
  ConfigOptions options;
  std::string api, token;

  /// With the simulator started (the shops' config points at its port).
  void start(const std::string& scenario_shops, const std::string& shops_yaml, const std::string& dropship_yaml,
             std::vector<std::string> shops) {
    shop_ids = std::move(shops);
    sim_admin(sim, "POST", "/admin/scenario?name=shops.yaml", "shops:\n" + scenario_shops);
    options.shops_yaml = shops_yaml;
    options.extra_yaml = "sync:\n  backfill: 1d\n  window: 2h\n  lag: 0s\n  overlap: 1m\n  reconcile_every: 1h\n"
                         "  reconcile_span: 1d\nworkflows:\n  release_delay: 1h\n  dropship:\n" +
                         dropship_yaml;
    write_config(dir, options);
    erpd = std::make_unique<Erpd>(dir / "erpd.yaml", dir.path());
    REQUIRE_MESSAGE(erpd->start(), erpd->log());
    api = api_url(dir);
    token = api_token(dir);
  }

  void platform(const std::string& events) {
    const json answer = sim_admin(sim, "POST", "/admin/scenario?name=events.yaml", "events:\n" + events);
    INFO(answer.dump());
    REQUIRE(answer["refused"].empty());
  }

  std::string factory_token(const std::string& factory) const { return read_file(dir / (factory + ".token")); }

  HttpReply call(const std::string& method, const std::string& path, const json& body = nullptr) const {
    return http(method, api + path, token, body.is_null() ? "" : body.dump());
  }
  HttpReply as_factory(const std::string& factory, const std::string& method, const std::string& path,
                       const json& body = nullptr) const {
    std::string t = factory_token(factory);
    while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
    return http(method, api + path, t, body.is_null() ? "" : body.dump());
  }
  json get(const std::string& path) const {
    const auto reply = call("GET", path);
    INFO("GET " << path << " -> " << reply.status << " " << reply.body);
    REQUIRE(reply.status == 200);
    return json::parse(reply.body);
  }
  json order_or_null(const std::string& key) const {
    const auto reply = call("GET", "/v1/orders/" + key);
    return reply.status == 200 ? json::parse(reply.body) : json(nullptr);
  }
  json lines_of(const std::string& key) const { return get("/v1/orders/" + key + "/dropship")["lines"]; }
  json factory_lines(const std::string& factory) const {
    const auto reply = as_factory(factory, "GET", "/v1/factory/lines");
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    return json::parse(reply.body)["lines"];
  }

  /// Polls like `eventually`, asking every shop to sync and the dropship state to be read again.
  template <class F>
  bool until(F predicate, std::chrono::milliseconds timeout = 15s) const {
    return eventually_nudging(
        predicate,
        [&] {
          for (const auto& s : shop_ids) call("POST", "/v1/shops/" + s + "/sync");
          call("POST", "/v1/dropship/reconcile");
        },
        timeout);
  }
  void await_order(const std::string& key) const {
    REQUIRE_MESSAGE(until([&] { return order_or_null(key).is_object(); }), log_tail(*erpd));
  }
  /// The order's dropship line for `line_id` (null when none).
  json line(const std::string& key, const std::string& line_id) const {
    json found;
    for (const auto& l : lines_of(key))
      if (l["line_id"] == line_id) found = l;
    return found;
  }
  bool outbox_idle() const {
    const json outbox = get("/v1/outbox?limit=1000");
    for (const auto& item : outbox["items"])
      if (item["state"] == "pending" || item["state"] == "in_flight") return false;
    return true;
  }
};

// --- Taobao: the daemon's own factory channel ------------------------------------------------------

const TopShop kTaobao{"tb-ds", "taobao"};

std::string tb_order(const std::string& tid, int lines) {
  std::string items;
  for (int k = 1; k <= lines; ++k) {
    const std::string n = std::to_string(k);
    items += std::string(k > 1 ? ", " : "") + "{oid: \"" + tid + n + "\", item: \"60" + n + "\", sku: \"70" + n +
             "\", outer_sku: SKU-" + n + ", qty: 1, price: \"" + n + "9.90\"}";
  }
  return "  - {at: \"+0s\", shop: " + kTaobao.id + ", type: order, tid: \"" + tid +
         "\", paid: true, receiver: {name: " + kBuyerName + ", mobile: \"" + kBuyerPhone +
         "\", state: 浙江省, city: 杭州市, district: 西湖区, address: 文三路1号}, lines: [" + items + "]}\n";
}

std::string tb_key(const std::string& tid) { return "taobao/" + kTaobao.id + "/" + tid; }

struct TaobaoWorld : World {
  void start_taobao() {
    const std::string scenario = "  - {id: " + kTaobao.id + ", platform: taobao, app_key: " + kTaobao.app_key() +
                                 ", app_secret: " + kTaobao.app_secret() + ", session: " + kTaobao.session() + "}\n";
    const std::string dropship =
        "    reconcile_every: 10s\n    factories:\n"
        "      - {id: acme, name: Acme Shoes, token_file: " + (dir / "acme.token").string() + "}\n"
        "      - {id: bolt, name: Bolt Bags, token_file: " + (dir / "bolt.token").string() +
        ", notify_url: \"" + notified.url() + "\"}\n"
        "    rules:\n      - {name: bags, skus: [SKU-3], factory: bolt}\n";
    REQUIRE(sim.start());
    start(scenario, top_shops_yaml(sim, {kTaobao}), dropship, {kTaobao.id});
  }
  /// Requests a binding as the merchant and confirms it as the factory (D2); its id.
  std::int64_t bind(const std::string& factory) {
    const auto asked = call("POST", "/v1/dropship/bindings", json{{"shop", kTaobao.id}, {"factory", factory}});
    INFO(asked.body);
    REQUIRE(asked.status == 201);
    const auto id = json::parse(asked.body)["id"].get<std::int64_t>();
    const auto confirmed = as_factory(factory, "POST", "/v1/factory/bindings/" + std::to_string(id) + "/confirm");
    INFO(confirmed.body);
    REQUIRE(confirmed.status == 200);
    CHECK(json::parse(confirmed.body)["state"] == "bound");
    return id;
  }
  json assign(const std::string& factory, const std::string& tid, const std::vector<std::string>& lines) {
    const auto reply = call("POST", "/v1/dropship/assign",
                            json{{"factory", factory},
                                 {"orders", {{{"platform", "taobao"}, {"shop", kTaobao.id}, {"order_id", tid},
                                              {"lines", lines}}}}});
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    return json::parse(reply.body)["results"];
  }
};

TEST_CASE("D2 D3 D4 D5 D6 D7 D8 D10 Taobao: two factories ship their own lines through the factory API, once each") {
  TaobaoWorld w;
  w.start_taobao();

  // D3: an order created before any binding keeps the normal flow.
  w.platform(tb_order("310000000000001", 2));
  w.await_order(tb_key("310000000000001"));

  // D2: asked by the merchant, it is not in force until the factory confirms it.
  const auto asked = w.call("POST", "/v1/dropship/bindings", json{{"shop", kTaobao.id}, {"factory", "acme"}});
  REQUIRE(asked.status == 201);
  CHECK(json::parse(asked.body)["state"] == "requested");
  const auto early = w.assign("acme", "310000000000001", {});
  CHECK(early[0]["outcome"] == "refused");
  CHECK(early[0]["message"].get<std::string>().find("no binding in force") != std::string::npos);
  const auto id = json::parse(asked.body)["id"].get<std::int64_t>();
  REQUIRE(w.as_factory("acme", "POST", "/v1/factory/bindings/" + std::to_string(id) + "/confirm").status == 200);
  w.bind("bolt");
  const auto before = w.assign("acme", "310000000000001", {});
  CHECK(before[0]["outcome"] == "refused");
  CHECK(before[0]["message"].get<std::string>().find("(D3)") != std::string::npos);

  // TOP times are whole seconds: the next order must be created after the bindings took effect.
  std::this_thread::sleep_for(1100ms);
  const std::string tid = "310000000000002";
  const std::string key = tb_key(tid);
  w.platform(tb_order(tid, 3));
  w.await_order(key);

  // D4 by rule: SKU-3 went to bolt as the order arrived; by hand: line 1 to acme.
  REQUIRE(w.until([&] { return w.line(key, tid + "3").is_object(); }));
  CHECK(w.line(key, tid + "3")["factory"] == "bolt");
  CHECK(w.line(key, tid + "3")["source"] == "rule:bags");
  const auto assigned = w.assign("acme", tid, {tid + "1"});
  REQUIRE(assigned.size() == 1);
  CHECK(assigned[0]["outcome"] == "assigned");
  const auto again = w.assign("bolt", tid, {tid + "1"});
  CHECK(again[0]["refusal"] == "already_assigned");
  // Line 2 stays the merchant's: no DROPSHIP hold.
  const json held = w.order_or_null(key);
  for (const auto& h : held["holds"]) CHECK(h["reason_code"] != "DROPSHIP");

  // D5 security: each token sees its own lines only; the daemon's token opens no factory route.
  const json acme_lines = w.factory_lines("acme");
  const json bolt_lines = w.factory_lines("bolt");
  REQUIRE(acme_lines.size() == 1);
  REQUIRE(bolt_lines.size() == 1);
  CHECK(acme_lines[0]["line_id"] == tid + "1");
  CHECK(bolt_lines[0]["line_id"] == tid + "3");
  const std::string acme_line = std::to_string(acme_lines[0]["id"].get<std::int64_t>());
  const std::string bolt_line = std::to_string(bolt_lines[0]["id"].get<std::int64_t>());
  CHECK(w.as_factory("acme", "GET", "/v1/factory/lines/" + bolt_line).status == 404);
  CHECK(w.as_factory("acme", "POST", "/v1/factory/lines/" + bolt_line + "/shipment",
                     json{{"carrier", "SF"}, {"waybill", "SF-EVIL"}})
            .status == 404);
  CHECK(w.call("GET", "/v1/factory/lines").status == 401);
  CHECK(w.as_factory("acme", "GET", "/v1/orders").status == 401);

  // D10: Taobao gives no decryption through its API; the attempt is audited all the same.
  const auto receiver = w.as_factory("acme", "POST", "/v1/factory/lines/" + acme_line + "/receiver");
  CHECK(receiver.status == 422);
  const json audit = w.get("/v1/dropship/audit?factory=acme")["accesses"];
  REQUIRE(audit.size() == 1);
  CHECK(audit[0]["outcome"] == "unsupported");

  // D5, D6: acme ships its line; only that line ships on Taobao.
  const auto shipped = w.as_factory("acme", "POST", "/v1/factory/lines/" + acme_line + "/shipment",
                                    json{{"carrier", "SF"}, {"waybill", "SF100"}});
  INFO(shipped.body);
  CHECK(shipped.status == 202);
  REQUIRE(w.until([&] { return sim_counter(w.sim, "ship", tid + "/" + tid + "1") == 1; }));
  CHECK(sim_counter(w.sim, "ship", tid) == 1);

  // D7: whoever ships second is told "already shipped": the factory again, the merchant's warehouse.
  const auto twice = w.as_factory("acme", "POST", "/v1/factory/lines/" + acme_line + "/shipment",
                                  json{{"carrier", "YTO"}, {"waybill", "YT200"}});
  CHECK(twice.status == 409);
  CHECK(json::parse(twice.body)["error"]["code"] == "already_shipped");
  CHECK(post_shipment(w.dir, key, shipment_body("wh-1", {Parcel{"ZT300", {tid + "1"}}}, "ZTO")) == 409);
  // D6: a whole-order shipment would ship the factories' lines too.
  CHECK(post_shipment(w.dir, key, shipment_body("wh-2", {Parcel{"ZT301", {}}}, "ZTO")) == 409);
  CHECK(post_shipment(w.dir, key, shipment_body("wh-3", {Parcel{"ZT302", {tid + "2"}}}, "ZTO")) == 202);

  // D8: the buyer cancels bolt's line; bolt is told at once and may not ship it.
  w.platform("  - {at: \"+0s\", shop: " + kTaobao.id + ", type: refund, tid: \"" + tid + "\", oid: \"" + tid +
             "3\", status: SUCCESS}\n");
  REQUIRE(w.until([&] { return w.line(key, tid + "3")["buyer_cancelled"] == true; }));
  REQUIRE(eventually([&] {
    for (const auto& r : w.notified.requests())
      if (r.event == "dropship.buyer_cancelled") return true;
    return false;
  }));
  const auto blocked = w.as_factory("bolt", "POST", "/v1/factory/lines/" + bolt_line + "/shipment",
                                    json{{"carrier", "SF"}, {"waybill", "SF400"}});
  CHECK(blocked.status == 409);
  CHECK(json::parse(blocked.body)["error"]["code"] == "buyer_cancelled");
  CHECK(w.as_factory("bolt", "POST", "/v1/factory/lines/" + bolt_line + "/receiver").status == 409);

  // The platform's counters: line 1 once (the factory), line 2 once (the warehouse), line 3 never.
  REQUIRE(w.until([&] { return w.outbox_idle(); }));
  CHECK(sim_counter(w.sim, "ship", tid + "/" + tid + "1") == 1);
  CHECK(sim_counter(w.sim, "ship", tid + "/" + tid + "2") == 1);
  CHECK(sim_counter(w.sim, "ship", tid + "/" + tid + "3") == 0);
  CHECK(sim_counter(w.sim, "ship", "310000000000001") == 0);

  // D2: either side may end a binding; bolt's unshipped lines are not bolt's any more.
  const auto bindings = w.as_factory("bolt", "GET", "/v1/factory/bindings");
  const auto bolt_binding = json::parse(bindings.body)["bindings"][0]["id"].get<std::int64_t>();
  const auto ended = w.as_factory("bolt", "POST", "/v1/factory/bindings/" + std::to_string(bolt_binding) + "/unbind");
  CHECK(ended.status == 200);
  CHECK(json::parse(ended.body)["ended_by"] == "factory");
  CHECK(w.line(key, tid + "3")["state"] == "unassigned");

  // D10: nothing of the receiver in the log.
  const std::string log = w.erpd->log();
  CHECK(log.find(kBuyerName) == std::string::npos);
  CHECK(log.find(kBuyerPhone) == std::string::npos);

  // D1: the shop had bindings, so it cannot become a factory; erpd refuses to start and says why.
  w.erpd->signal(SIGTERM);
  REQUIRE(w.erpd->wait() == 0);
  ConfigOptions changed = w.options;
  changed.shops_yaml += "    dropship:\n      role: factory\n";
  write_config(w.dir, changed);
  Erpd refused(w.dir / "erpd.yaml", w.dir.path());
  CHECK_FALSE(refused.start(10s));
  CHECK(refused.wait(10s).value_or(0) != 0);
  CHECK(refused.log().find("its dropship.role cannot become factory (rule D1") != std::string::npos);
}

// --- Douyin: iop.* on both sides ----------------------------------------------------------------

const DouyinShop kMerchant{"dy-m"};
const DouyinShop kFactoryShop{"7000002"};

std::string dy_order(const std::string& order, int skus) {
  std::string items;
  for (int k = 1; k <= skus; ++k) {
    const std::string n = std::to_string(k);
    items += std::string(k > 1 ? ", " : "") + "{sku_order_id: \"" + order + "0" + n + "\", sku_id: \"17000" + n +
             "\", code: SKU-" + n + ", product_name: 商品" + n + ", qty: 1, price: \"" + n + "9.90\"}";
  }
  return "  - {at: \"+0s\", shop: " + kMerchant.id + ", type: order, order_id: \"" + order +
         "\", paid: true, receiver: {name: " + kBuyerName + ", phone: \"" + kBuyerPhone +
         "\", province: 浙江省, city: 杭州市, town: 西湖区, street: 文新街道, detail: \"文三路1号\"}, skus: [" + items +
         "]}\n";
}

std::string dy_key(const std::string& order) { return "douyin/" + kMerchant.id + "/" + order; }

TEST_CASE("D1 D2 D4 D5 D7 D8 D9 D10 D11 Douyin: assigned through iop.sellerDistribute, shipped once through iop.waybillReturn") {
  World w;
  REQUIRE(w.sim.start());
  const std::string scenario = douyin_scenario_shop(kMerchant) +
                               "  - {id: \"" + kFactoryShop.id + "\", platform: douyin, role: factory, app_key: " +
                               kFactoryShop.app_key() + ", app_secret: " + kFactoryShop.app_secret() +
                               ", access_token: " + kFactoryShop.access_token() + "}\n";
  const std::string shops = douyin_shop_yaml(w.sim, kMerchant) + douyin_shop_yaml(w.sim, kFactoryShop) +
                            "    dropship:\n      role: factory\n";
  const std::string dropship = "    reconcile_every: 10s\n    factories:\n      - {id: acme, token_file: " +
                               (w.dir / "acme.token").string() + ", douyin_shop_id: \"" + kFactoryShop.id +
                               "\", shop: \"" + kFactoryShop.id + "\"}\n";
  // The binding is made on Douyin (the merchant asks, the factory accepts there): D2.
  w.shop_ids = {kMerchant.id, kFactoryShop.id};
  sim_admin(w.sim, "POST", "/admin/scenario?name=shops.yaml", "shops:\n" + scenario);
  w.platform("  - {at: \"+0s\", shop: " + kMerchant.id + ", type: bind_factory, factory_shop_id: \"" +
             kFactoryShop.id + "\"}\n");
  std::this_thread::sleep_for(1100ms);  // Douyin times are whole seconds: orders come after the binding
  ConfigOptions options;
  options.shops_yaml = shops;
  options.extra_yaml = douyin_sync_yaml("1d", "2h") + "workflows:\n  release_delay: 1h\n  dropship:\n" + dropship;
  write_config(w.dir, options);
  w.erpd = std::make_unique<Erpd>(w.dir / "erpd.yaml", w.dir.path());
  REQUIRE_MESSAGE(w.erpd->start(), w.erpd->log());
  w.api = api_url(w.dir);
  w.token = api_token(w.dir);

  // D2, D11: reconciliation finds the binding Douyin shows.
  REQUIRE_MESSAGE(w.until([&] { return w.get("/v1/dropship/bindings?state=bound")["bindings"].size() == 1; }),
                  log_tail(*w.erpd));
  // D1: the factory shop cannot bind factories.
  CHECK(w.call("POST", "/v1/dropship/bindings", json{{"shop", kFactoryShop.id}, {"factory", "acme"}}).status == 409);

  const std::string x = "6930000000000000001";
  const std::string y = "6930000000000000002";
  w.platform(dy_order(x, 2) + dy_order(y, 1));
  w.await_order(dy_key(x));
  w.await_order(dy_key(y));

  // D4: per item, through Douyin; the line is assigned once Douyin answered.
  const auto reply = w.call("POST", "/v1/dropship/assign",
                            json{{"factory", "acme"},
                                 {"orders", {{{"platform", "douyin"}, {"shop", kMerchant.id}, {"order_id", x},
                                              {"lines", {x + "01"}}},
                                             {{"platform", "douyin"}, {"shop", kMerchant.id}, {"order_id", y}}}}});
  INFO(reply.body);
  REQUIRE(reply.status == 200);
  REQUIRE(w.until([&] {
    return w.line(dy_key(x), x + "01")["state"] == "assigned" && w.line(dy_key(y), y + "01")["state"] == "assigned";
  }));
  CHECK_FALSE(w.line(dy_key(x), x + "01")["distr_order_id"].get<std::string>().empty());
  // D9: the merchant's own order on Douyin says nothing of the assignment; erpd's tables do.
  const json detail =
      douyin_call(w.sim, kMerchant, "order.orderDetail", {{"shop_order_id", x}}, kMerchant.access_token());
  REQUIRE(detail["code"] == 10000);
  CHECK(detail["data"].dump().find("distr") == std::string::npos);
  CHECK(detail["data"].dump().find(w.line(dy_key(x), x + "01")["distr_order_id"].get<std::string>()) ==
        std::string::npos);
  // y's only line is the factory's: the merchant's warehouse has nothing to ship.
  const json y_order = w.order_or_null(dy_key(y));
  bool dropship_hold = false;
  for (const auto& h : y_order["holds"]) dropship_hold = dropship_hold || h["reason_code"] == "DROPSHIP";
  INFO(y_order["holds"].dump());
  CHECK(dropship_hold);

  // D5, D11: the factory shop's side reads iop.orderList / iop.orderInfo.
  REQUIRE(w.until([&] { return w.factory_lines("acme").size() == 2; }));
  json fx, fy;
  for (const auto& l : w.factory_lines("acme")) (l["order_id"] == x ? fx : fy) = l;
  REQUIRE(fx.is_object());
  REQUIRE(fy.is_object());
  CHECK(fx["side"] == "factory");
  const std::string fx_id = std::to_string(fx["id"].get<std::int64_t>());
  const std::string fy_id = std::to_string(fy["id"].get<std::int64_t>());

  // D10: the factory decrypts the receiver for printing; the hand-out is audited.
  const auto receiver = w.as_factory("acme", "POST", "/v1/factory/lines/" + fx_id + "/receiver");
  INFO(receiver.body);
  REQUIRE(receiver.status == 200);
  CHECK(json::parse(receiver.body)["name"] == kBuyerName);
  CHECK(json::parse(receiver.body)["phone"] == kBuyerPhone);
  CHECK(w.get("/v1/dropship/audit?factory=acme")["accesses"][0]["outcome"] == "decrypted");

  // D7: shipped once through iop.waybillReturn; a second shipment is refused.
  const auto shipped = w.as_factory("acme", "POST", "/v1/factory/lines/" + fx_id + "/shipment",
                                    json{{"carrier", "shunfeng"}, {"waybill", "SF900"}});
  INFO(shipped.body);
  CHECK(shipped.status == 202);
  const auto twice = w.as_factory("acme", "POST", "/v1/factory/lines/" + fx_id + "/shipment",
                                  json{{"carrier", "yuantong"}, {"waybill", "YT901"}});
  CHECK(twice.status == 409);
  REQUIRE(w.until([&] { return sim_counter(w.sim, "iop.ship", x + "/" + x + "01") == 1; }));
  // The merchant's order shows the line shipped; its own line still waits for the warehouse.
  REQUIRE(w.until([&] { return w.line(dy_key(x), x + "01")["state"] == "shipped"; }));
  CHECK(w.line(dy_key(x), x + "01")["shipped_by"] == "platform");

  // D8: the buyer cancels y's item; the factory sees it and cannot ship it.
  w.platform("  - {at: \"+0s\", shop: " + kMerchant.id + ", type: cancel, order_id: \"" + y + "\", sku_order_id: \"" +
             y + "01\"}\n");
  REQUIRE(w.until([&] {
    for (const auto& l : w.factory_lines("acme"))
      if (l["order_id"] == y && l["buyer_cancelled"] == true) return true;
    return false;
  }));
  const auto blocked = w.as_factory("acme", "POST", "/v1/factory/lines/" + fy_id + "/shipment",
                                    json{{"carrier", "shunfeng"}, {"waybill", "SF902"}});
  CHECK(blocked.status == 409);
  CHECK(json::parse(blocked.body)["error"]["code"] == "buyer_cancelled");

  REQUIRE(w.until([&] { return w.outbox_idle(); }));
  CHECK(sim_counter(w.sim, "iop.ship", x + "/" + x + "01") == 1);
  CHECK(sim_counter(w.sim, "iop.ship", x + "/" + x + "02") == 0);
  CHECK(sim_counter(w.sim, "iop.ship", y) == 0);
  CHECK(sim_counter(w.sim, "ship", y) == 0);

  const std::string log = w.erpd->log();
  CHECK(log.find(kBuyerName) == std::string::npos);
  CHECK(log.find(kBuyerPhone) == std::string::npos);
}

}  // namespace
