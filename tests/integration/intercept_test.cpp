// Issue [5/10] proof: the intercept workflow (DOMAIN.md rules I1-I9; docs/api.md "Intercepts") with
// the real erpd, erpctl and platform plugins against platform-sim: Taobao, Tmall and Douyin shops
// (Douyin with pushes), the warehouse as a webhook. One simulator and one erpd per test case; the
// platform's write counters prove each memo is written once and an intercept never ships or changes
// the platform order (I5).

#include <doctest/doctest.h>

#include <ctime>
#include <latch>
#include <set>
#include <sstream>
#include <thread>

#include "integration/douyin_day.hpp"
#include "integration/scenario_shop.hpp"
#include "integration/shipments.hpp"

using namespace erp::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::string kMemo = "拦截发货";

using Shop = ScenarioShop;

const Shop kTaobao{"taobao", "tb-icpt", "3100"};
const Shop kTmall{"tmall", "tm-icpt", "4100"};
const Shop kDouyin{"douyin", "dy-icpt", "6930"};

/// `workflows:` with the intercept defaults of every test and the given release delay.
std::string workflows_yaml(const std::string& release_delay) {
  return "workflows:\n  release_delay: " + release_delay + "\n  intercept:\n    memo: \"" + kMemo +
         "\"\n    flag: 1\n    level: lock\n";
}

/// One platform-sim, one warehouse webhook and one erpd syncing `shops` from it.
struct World {
  TempDir sim_dir;
  PlatformSim sim{sim_dir.path()};
  WebhookReceiver warehouse;
  TempDir dir;
  std::unique_ptr<Erpd> erpd;
  std::vector<Shop> shops;
  std::string api, token;

  /// `overrides`: shop id -> YAML lines added to that shop's config item (4-space indented).
  void start(std::vector<Shop> with, const std::string& workflows,
             const std::map<std::string, std::string>& overrides = {}) {
    shops = std::move(with);
    REQUIRE(sim.start());
    std::string scenario = "shops:\n";
    for (const auto& s : shops) scenario += s.scenario_shop();
    sim_admin(sim, "POST", "/admin/scenario?name=shops.yaml", scenario);

    ConfigOptions options = with_webhook(warehouse.url());
    for (const auto& s : shops) {
      options.shops_yaml += s.douyin() ? douyin_shop_yaml(sim, s.dy()) : top_shops_yaml(sim, {s.top()});
      if (const auto it = overrides.find(s.id); it != overrides.end()) options.shops_yaml += it->second;
    }
    // No lag: TOP times are whole seconds and the overlap re-reads the last minute on each poll.
    options.extra_yaml =
        "sync:\n  backfill: 1d\n  window: 2h\n  lag: 0s\n  overlap: 1m\n  reconcile_every: 1h\n"
        "  reconcile_span: 1d\n" +
        workflows;
    write_config(dir, options);
    erpd = std::make_unique<Erpd>(dir / "erpd.yaml", dir.path());
    REQUIRE_MESSAGE(erpd->start(), erpd->log());
    api = api_url(dir);
    token = api_token(dir);
    // Douyin pushes to erpd's push path from now on (the shop is registered again with push_url).
    std::string pushed;
    for (const auto& s : shops) {
      if (s.douyin()) pushed += s.scenario_shop(api + "/push/" + s.id);
    }
    if (!pushed.empty()) sim_admin(sim, "POST", "/admin/scenario?name=push.yaml", "shops:\n" + pushed);
  }

  /// Applies scenario events now; fails on any refused event.
  void platform(const std::string& events) {
    const json answer = sim_admin(sim, "POST", "/admin/scenario?name=events.yaml", "events:\n" + events);
    INFO(answer.dump());
    REQUIRE(answer["refused"].empty());
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
  json order(const std::string& key) const { return get("/v1/orders/" + key); }
  /// The order as erpd has it, or null when it is not stored (yet).
  json order_or_null(const std::string& key) const {
    const auto reply = call("GET", "/v1/orders/" + key);
    return reply.status == 200 ? json::parse(reply.body) : json(nullptr);
  }
  HttpReply intercept(const std::string& key, const json& body = json::object()) const {
    return call("POST", "/v1/orders/" + key + "/intercepts", body);
  }
  json intercepts_of(const std::string& key) const { return get("/v1/orders/" + key + "/intercepts")["intercepts"]; }
  json intercept_by_id(std::int64_t id) const { return get("/v1/intercepts/" + std::to_string(id)); }
  HttpReply confirm(std::int64_t id, const std::string& outcome) const {
    return call("POST", "/v1/intercepts/" + std::to_string(id) + "/confirm",
                json{{"outcome", outcome}, {"by", "wms"}, {"note", "checked the shelf"}});
  }
  HttpReply ship(const std::string& key, const std::string& shipment_id,
                 const std::vector<std::string>& lines = {}) const {
    return call("POST", "/v1/orders/" + key + "/shipments",
                shipment_body(shipment_id, {Parcel{"W" + shipment_id, lines}}, "SF"));
  }

  /// Polls `predicate` like `eventually`, asking every shop to sync now every 250 ms, so platform
  /// changes show without waiting for the next poll.
  template <class F>
  bool until(F predicate, std::chrono::milliseconds timeout = 10s) const {
    return eventually_nudging(
        predicate, [&] { for (const auto& s : shops) call("POST", "/v1/shops/" + s.id + "/sync"); }, timeout);
  }

  /// Waits until erpd stored the order with an active hold (RELEASE_DELAY) and not released.
  void await_held(const std::string& key) const {
    const bool held = until([&] {
      const json o = order_or_null(key);
      return o.is_object() && !o["holds"].empty() && o["released"] == false;
    });
    INFO(key << ": " << order_or_null(key).dump());
    REQUIRE_MESSAGE(held, log_tail(*erpd));
  }

  /// The id of the order's active hold with this reason code, or 0.
  std::int64_t hold_id(const std::string& key, const std::string& reason) const {
    const json o = order(key);
    for (const auto& h : o["holds"]) {
      if (h["reason_code"] == reason) return h["id"].get<std::int64_t>();
    }
    return 0;
  }
  /// Lifts the release delay as an operator would (a workflow's hold needs force).
  void lift_release_delay(const std::string& key) const {
    const std::int64_t id = hold_id(key, "RELEASE_DELAY");
    INFO(key << ": " << order(key).dump());
    REQUIRE(id != 0);
    const auto reply =
        call("DELETE", "/v1/orders/" + key + "/holds/" + std::to_string(id) + "?force=true&by=test&reason=go");
    INFO(reply.body);
    REQUIRE(reply.status == 200);
  }

  /// Line ids of the order as erpd stores them, in order.
  std::vector<std::string> lines_of(const std::string& key) const {
    std::vector<std::string> out;
    const json o = order(key);
    for (const auto& line : o["lines"]) out.push_back(line["line_id"].get<std::string>());
    return out;
  }

  /// Webhook events of this kind about this order (parsed bodies).
  std::vector<json> webhook(const std::string& event, const std::string& order_id) {
    std::vector<json> out;
    for (const auto& r : warehouse.requests()) {
      if (r.event != event) continue;
      json body = json::parse(r.body, nullptr, false);
      if (!body.is_object()) continue;
      const json& id = body.contains("order") ? body["order"]["order_id"] : body["order_id"];
      if (id == order_id) out.push_back(std::move(body));
    }
    return out;
  }

  /// Platform write counters for one order ("memo", "ship", "ship.upload").
  int writes(const std::string& kind, const std::string& order_id) const { return sim_counter(sim, kind, order_id); }

  /// Whether no outbox item is pending or in flight (every memo, lock and upload went out).
  bool outbox_idle() const {
    const auto reply = call("GET", "/v1/outbox?limit=1000");
    if (reply.status != 200) return false;
    const json outbox = json::parse(reply.body);
    for (const auto& item : outbox["items"]) {
      if (item["state"] == "pending" || item["state"] == "in_flight") return false;
    }
    return true;
  }
  /// Outbox items that died (a memo or lock that never went out), for failure messages.
  std::string dead_items() const {
    const auto reply = call("GET", "/v1/outbox?state=dead&limit=1000");
    return reply.body;
  }

  /// The seller memo as the platform shows it now: Douyin read back from the simulator, TOP as
  /// erpd stored it from the platform (after a sync).
  std::string platform_memo(const Shop& s, const std::string& order_id) const {
    if (s.douyin()) {
      const json answer =
          douyin_call(sim, s.dy(), "order.orderDetail", json{{"shop_order_id", order_id}}, s.dy().access_token());
      REQUIRE(answer["code"] == 10000);
      return answer["data"]["shop_order_detail"].value("seller_words", "");
    }
    const json o = order_or_null(s.key(order_id));
    return o.is_object() ? o.value("memo", "") : "";
  }
  /// Waits until the platform shows `text` as the order's memo and erpd stored it too.
  bool memo_shows(const Shop& s, const std::string& order_id, const std::string& text) const {
    return until([&] {
      const json o = order_or_null(s.key(order_id));
      return platform_memo(s, order_id) == text && o.is_object() && o.value("memo", "") == text;
    });
  }

  /// Sum of the samples of `metric` whose labels contain every one of `labels` (`k="v"`).
  double metric(const std::string& metric, const std::vector<std::string>& labels) const {
    const std::string text = call("GET", "/metrics").body;
    std::istringstream in(text);
    double sum = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(metric + "{", 0) != 0) continue;
      bool all = true;
      for (const auto& l : labels) all = all && line.find(l) != std::string::npos;
      if (all) sum += std::stod(line.substr(line.rfind(' ') + 1));
    }
    return sum;
  }

  void stop() {
    erpd->signal(SIGTERM);
    CHECK(erpd->wait() == 0);
  }
};

/// The error code of an error answer.
std::string error_code(const HttpReply& reply) {
  const json body = json::parse(reply.body, nullptr, false);
  return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
}

/// The `intercept` of an answer (POST .../intercepts, confirm, cancel, a 409 too_late).
json intercept_of(const HttpReply& reply) {
  const json body = json::parse(reply.body, nullptr, false);
  if (!body.is_object()) return nullptr;
  if (body.contains("intercept")) return body["intercept"];
  return body.contains("id") ? body : json(nullptr);
}

/// Reason codes of the order's active holds.
std::multiset<std::string> hold_reasons(const json& order) {
  std::multiset<std::string> out;
  for (const auto& h : order["holds"]) out.insert(h["reason_code"].get<std::string>());
  return out;
}

/// Runs erpctl with --json and parses its output (fails the test on a non-zero exit).
json erpctl_json(const World& w, std::vector<std::string> args, int expected_exit = 0) {
  args.push_back("--json");
  const auto result = erpctl(w.dir, args);
  INFO("erpctl " << args[0] << " " << (args.size() > 1 ? args[1] : "") << " -> " << result.exit_code
                 << "\nstdout: " << result.out << "\nstderr: " << result.err);
  REQUIRE(result.exit_code == expected_exit);
  const json out = json::parse(result.out, nullptr, false);
  REQUIRE(!out.is_discarded());
  return out;
}

}  // namespace

TEST_CASE("intercept_I1_I3_I4_end_to_end_on_taobao_tmall_douyin") {
  World w;
  w.start({kTaobao, kTmall, kDouyin}, workflows_yaml("1h"));
  // Per shop: 1 held, 2 released to the warehouse, 3 shipped on the platform, 4 three lines held,
  // 5 released, and the warehouse finds it gone.
  std::string orders;
  for (const auto& s : w.shops) {
    for (int n = 1; n <= 5; ++n) orders += s.order_event(s.order_id(n), n == 4 ? 3 : 1 + n % 2);
  }
  w.platform(orders);
  for (const auto& s : w.shops) {
    for (int n = 1; n <= 5; ++n) w.await_held(s.key(s.order_id(n)));
  }
  std::string shipped;
  for (const auto& s : w.shops) {
    w.lift_release_delay(s.key(s.order_id(2)));
    w.lift_release_delay(s.key(s.order_id(5)));
    shipped += s.ship_event(s.order_id(3));
  }
  w.platform(shipped);
  for (const auto& s : w.shops) {
    INFO(s.id);
    CHECK(w.order(s.key(s.order_id(2)))["released"] == true);
    const bool seen = w.until([&] { return w.order(s.key(s.order_id(3)))["status"] == "shipped"; });
    REQUIRE_MESSAGE(seen, log_tail(*w.erpd));
  }
  sim_admin(w.sim, "POST", "/admin/counters/reset");

  std::map<std::string, std::int64_t> ids;  // order key -> intercept id
  for (const auto& s : w.shops) {
    INFO(s.id);
    // (a) Held by the daemon: locked at once (I4).
    const std::string held = s.key(s.order_id(1));
    {
      const auto reply = w.intercept(held, json{{"reason", "buyer ordered twice"}, {"by", "alice"}});
      INFO("POST " << held << "/intercepts -> " << reply.status << " " << reply.body);
      CHECK(reply.status == 201);
      const json answer = json::parse(reply.body, nullptr, false);
      REQUIRE(answer.is_object());
      CHECK(answer["duplicate"] == false);
      const json& i = answer["intercept"];
      REQUIRE(i.is_object());
      CHECK(i["platform"] == s.platform);
      CHECK(i["shop"] == s.id);
      CHECK(i["order_id"] == s.order_id(1));
      CHECK(i["state"] == "locked");
      CHECK(i["open"] == true);
      CHECK(i["succeeded"] == true);
      CHECK(i["source"] == "api");
      CHECK(i["whole_order"] == true);
      CHECK(i["lines"] == json::array());
      CHECK(i["requested_by"] == "operator:alice");
      CHECK(i["reason"] == "buyer ordered twice");
      CHECK(i["rule_id"] == "I4");
      CHECK(i["suggestion"].is_null());
      CHECK(i["memo"]["text"] == kMemo);
      CHECK(i["hold_id"].is_number_integer());
      CHECK(i["requested_at"].is_string());
      CHECK(i["decided_at"].is_string());
      CHECK(i["ended_at"].is_null());
      for (const char* field :
           {"id",         "platform",  "shop",    "order_id",     "lines",      "whole_order", "state",
            "open",       "succeeded", "source",  "requested_by", "reason",     "rule_id",     "message",
            "suggestion", "memo",      "hold_id", "requested_at", "decided_at", "ended_at",    "updated_at"}) {
        CHECK_MESSAGE(i.contains(field), field);
      }
      ids[held] = i["id"].get<std::int64_t>();
      // The same request again covers nothing new.
      const auto again = w.intercept(held, json::object());
      CHECK(again.status == 200);
      CHECK(json::parse(again.body)["duplicate"] == true);
      CHECK(intercept_of(again)["id"] == ids[held]);
      const json o = w.order(held);
      CHECK(o["intercept"]["id"] == ids[held]);
      CHECK(hold_reasons(o).count("INTERCEPT") == 1);
      for (const auto& h : o["holds"]) {
        if (h["reason_code"] == "INTERCEPT") CHECK(h["id"] == i["hold_id"]);
      }
      // Lifting the release delay does not let it go: the intercept holds it (I4).
      w.lift_release_delay(held);
      CHECK(w.order(held)["released"] == false);
    }
    // (b) Already released: the warehouse is asked to lock, then confirms.
    const std::string released = s.key(s.order_id(2));
    {
      const auto reply = w.intercept(released, json{{"reason", "wrong size"}});
      INFO("POST " << released << "/intercepts -> " << reply.status << " " << reply.body);
      CHECK(reply.status == 202);
      const json i = intercept_of(reply);
      REQUIRE(i.is_object());
      CHECK(i["state"] == "awaiting_warehouse");
      CHECK(i["open"] == true);
      CHECK(i["succeeded"].is_null());
      ids[released] = i["id"].get<std::int64_t>();
      bool listed = false;
      const json awaiting = w.get("/v1/intercepts?state=awaiting_warehouse&shop=" + s.id);
      for (const auto& a : awaiting["intercepts"]) listed = listed || a["id"] == ids[released];
      CHECK(listed);
      const bool asked = eventually([&] { return !w.webhook("order.lock_requested", s.order_id(2)).empty(); });
      REQUIRE_MESSAGE(asked, log_tail(*w.erpd));
      const json lock = w.webhook("order.lock_requested", s.order_id(2)).front();
      CHECK(lock["intercept_id"] == ids[released]);
      CHECK(lock["platform"] == s.platform);
      CHECK(lock["shop"] == s.id);
      CHECK(lock["line_ids"] == json::array());
      CHECK_FALSE(lock.value("idempotency_key", "").empty());

      const auto confirmed = w.confirm(ids[released], "locked");
      INFO("confirm -> " << confirmed.status << " " << confirmed.body);
      CHECK(confirmed.status == 200);
      CHECK(intercept_of(confirmed)["state"] == "locked");
      CHECK(intercept_of(confirmed)["succeeded"] == true);
      CHECK(w.confirm(ids[released], "locked").status == 200);    // the same answer again
      CHECK(w.confirm(ids[released], "too_late").status == 409);  // a different one
      const auto refused = w.ship(released, "S-" + s.order_id(2));
      INFO("shipment -> " << refused.status << " " << refused.body);
      CHECK(refused.status == 409);
      CHECK(error_code(refused) == "intercepted");
      CHECK(json::parse(refused.body)["error"].value("message", "").find(std::to_string(ids[released])) !=
            std::string::npos);
    }
    // (c) Shipped on the platform: too late, parcel interception suggested (I4).
    const std::string gone = s.key(s.order_id(3));
    {
      const auto reply = w.intercept(gone, json{{"reason", "buyer ordered twice"}});
      INFO("POST " << gone << "/intercepts -> " << reply.status << " " << reply.body);
      CHECK(reply.status == 409);
      CHECK(error_code(reply) == "too_late");
      const json i = intercept_of(reply);
      REQUIRE(i.is_object());
      CHECK(i["state"] == "too_late");
      CHECK(i["open"] == false);
      CHECK(i["succeeded"] == false);
      CHECK(i["suggestion"] == "parcel_interception");
      CHECK(w.order(gone)["intercept"].is_null());
      const json listed = w.intercepts_of(gone);
      REQUIRE(listed.size() == 1);
      CHECK(listed[0]["state"] == "too_late");
      // erpctl says so with exit 1 and names the way that is left.
      const auto again = erpctl(w.dir, {"intercept", "request", gone});
      INFO("erpctl intercept request " << gone << " -> " << again.exit_code << "\n" << again.out << again.err);
      CHECK(again.exit_code == 1);
      CHECK((again.out + again.err).find("parcel") != std::string::npos);
    }
    // (d) Some lines only, through erpctl (I2): those lines, the order held as a whole.
    const std::string partial = s.key(s.order_id(4));
    {
      const auto lines = w.lines_of(partial);
      REQUIRE(lines.size() == 3);
      const json answer = erpctl_json(
          w, {"intercept", "request", partial, "--lines", lines[0], "--reason", "只拦第一件", "--by", "bob"});
      const json& i = answer["intercept"];
      REQUIRE(i.is_object());
      CHECK(i["state"] == "locked");
      CHECK(i["lines"] == json::array({lines[0]}));
      CHECK(i["whole_order"] == false);
      CHECK(i["requested_by"] == "operator:bob");
      ids[partial] = i["id"].get<std::int64_t>();
      const auto same = w.intercept(partial, json{{"lines", {lines[0]}}});
      CHECK(same.status == 200);
      CHECK(json::parse(same.body)["duplicate"] == true);
      const auto other = w.intercept(partial, json{{"lines", {lines[1]}}});
      INFO("other lines -> " << other.body);
      CHECK(other.status == 409);
      CHECK(error_code(other) == "conflict");
      CHECK(w.intercept(partial, json{{"lines", {"no-such-line"}}}).status == 400);
      const auto refused = w.ship(partial, "S-" + s.order_id(4), {lines[0]});
      CHECK(refused.status == 409);
      CHECK(error_code(refused) == "intercepted");
      const json o = w.order(partial);
      CHECK(o["released"] == false);
      CHECK(o["intercept"]["lines"] == json::array({lines[0]}));
      CHECK(hold_reasons(o).count("INTERCEPT") == 1);
    }
    // (e) Released, requested through erpctl, and the warehouse answers that it already left.
    const std::string left = s.key(s.order_id(5));
    {
      const auto asked = erpctl(w.dir, {"intercept", "request", left, "--reason", "wrong colour"});
      INFO("erpctl intercept request " << left << " -> " << asked.exit_code << "\n" << asked.out << asked.err);
      CHECK(asked.exit_code == 0);
      CHECK(asked.out.find("warehouse") != std::string::npos);
      const json open = w.order(left)["intercept"];
      REQUIRE(open.is_object());
      CHECK(open["state"] == "awaiting_warehouse");
      const auto answered = w.confirm(open["id"].get<std::int64_t>(), "too_late");
      INFO("confirm too_late -> " << answered.status << " " << answered.body);
      CHECK(answered.status == 200);
      const json i = intercept_of(answered);
      CHECK(i["state"] == "too_late");
      CHECK(i["succeeded"] == false);
      CHECK(i["open"] == false);
      CHECK(i["suggestion"] == "parcel_interception");
      CHECK(w.order(left)["intercept"].is_null());
      CHECK(w.ship(left, "S-" + s.order_id(5)).status == 202);  // nothing holds the parcel back now
    }
  }
  CHECK(w.intercept(kTaobao.key("999999999999999")).status == 404);
  const std::string any = kTaobao.key(kTaobao.order_id(1));
  CHECK(w.intercept(any, json{{"lines", "all"}}).status == 400);
  CHECK(w.intercept(any, json{{"lnes", json::array()}}).status == 400);
  CHECK(w.call("GET", "/v1/intercepts?limit=0").status == 400);
  CHECK(w.call("GET", "/v1/intercepts?state=stuck").status == 400);
  CHECK(w.call("GET", "/v1/intercepts/999999").status == 404);

  // I3: the memo is on each intercepted platform order, written once; I5: nothing else changed.
  for (const auto& s : w.shops) {
    for (int n : {1, 2, 4}) {
      const std::string id = s.order_id(n);
      INFO(s.key(id));
      CHECK_MESSAGE(w.memo_shows(s, id, kMemo), w.dead_items());
      CHECK(w.order(s.key(id))["memo_flag"] == 1);
    }
  }
  REQUIRE(eventually([&] { return w.outbox_idle(); }));
  std::this_thread::sleep_for(500ms);  // a second write would come from a sync or push of the memo just written
  REQUIRE(w.until([&] { return w.outbox_idle(); }));
  for (const auto& s : w.shops) {
    for (int n : {1, 2, 4}) {
      const std::string id = s.order_id(n);
      const std::string key = s.key(id);
      INFO(key);
      CHECK(w.writes("memo", id) == 1);
      CHECK(w.writes("ship", id) == 0);
      const json o = w.order(key);
      CHECK(o["platform_status"] == s.waiting_status());
      CHECK(o["status"] == "paid");
      CHECK(o["intercept"]["id"] == ids[key]);
      CHECK(o["intercept"]["state"] == "locked");
      CHECK(o["intercept"]["memo"]["written"] == true);
      CHECK(hold_reasons(o).count("RELEASE_DELAY") == (n == 4 ? 1u : 0u));
      // Held by the daemon (1, 4); 2 is the warehouse's since before the intercept.
      if (n != 2) CHECK(hold_reasons(o).count("INTERCEPT") == 1);
      CHECK(o["released"] == (n == 2));
      CHECK(w.intercept_by_id(ids[key])["state"] == "locked");
    }
    const json gone = w.order(s.key(s.order_id(3)));
    CHECK(gone["status"] == "shipped");
    CHECK(gone["intercept"].is_null());
    CHECK(hold_reasons(gone).count("INTERCEPT") == 0);
    // One lock request for the released order, however often erpd saw it since.
    CHECK(w.webhook("order.lock_requested", s.order_id(2)).size() == 1);
    CHECK(w.writes("ship.upload", s.order_id(5)) == 1);
    CHECK(w.metric("erpd_intercepts_total", {"shop=\"" + s.id + "\"", "outcome=\"too_late\""}) >= 2);
    CHECK(w.metric("erpd_intercepts_total", {"shop=\"" + s.id + "\"", "outcome=\"locked\""}) >= 2);
    CHECK(w.metric("erpd_intercepts_total", {"shop=\"" + s.id + "\"", "outcome=\"awaiting_warehouse\""}) >= 2);
  }
  w.stop();
}

TEST_CASE("intercept_I3_memo_on_the_platform_starts_an_intercept") {
  World w;
  w.start({kTaobao, kDouyin}, workflows_yaml("1h"));
  std::string orders;
  for (const auto& s : w.shops) orders += s.order_event(s.order_id(1), 1) + s.order_event(s.order_id(2), 2);
  w.platform(orders);
  for (const auto& s : w.shops) {
    w.await_held(s.key(s.order_id(1)));
    w.await_held(s.key(s.order_id(2)));
  }
  sim_admin(w.sim, "POST", "/admin/counters/reset");
  // The seller types the intercept memo on order 1 in the platform's console; order 2 gets another memo.
  std::string memos;
  for (const auto& s : w.shops)
    memos += s.memo_event(s.order_id(1), kMemo) + s.memo_event(s.order_id(2), "check address");
  w.platform(memos);

  for (const auto& s : w.shops) {
    const std::string key = s.key(s.order_id(1));
    INFO(key);
    const bool started = w.until([&] { return w.order(key)["intercept"].is_object(); });
    REQUIRE_MESSAGE(started, log_tail(*w.erpd));
    const json o = w.order(key);
    CHECK(o["intercept"]["source"] == "memo");
    CHECK(o["intercept"]["state"] == "locked");
    CHECK(o["intercept"]["open"] == true);
    CHECK(o["intercept"]["whole_order"] == true);
    CHECK(o["intercept"]["memo"]["text"] == kMemo);
    CHECK(hold_reasons(o).count("INTERCEPT") == 1);
    CHECK(o["released"] == false);
    CHECK(w.intercepts_of(key).size() == 1);
    // Another memo text starts nothing.
    const std::string other = s.key(s.order_id(2));
    REQUIRE(w.until([&] { return w.order(other)["memo"] == "check address"; }));
    CHECK(w.order(other)["intercept"].is_null());
    CHECK(w.intercepts_of(other).empty());
  }
  REQUIRE(eventually([&] { return w.outbox_idle(); }));
  std::this_thread::sleep_for(500ms);
  for (const auto& s : w.shops) {
    INFO(s.id);
    // The memo was already there: erpd wrote none (I3), and changed nothing on the platform (I5).
    CHECK(w.writes("memo", s.order_id(1)) == 0);
    CHECK(w.writes("memo", s.order_id(2)) == 0);
    CHECK(w.platform_memo(s, s.order_id(1)) == kMemo);
    const json o = w.order(s.key(s.order_id(1)));
    CHECK(o["platform_status"] == s.waiting_status());
    CHECK(o["intercept"]["state"] == "locked");
    CHECK(w.intercepts_of(s.key(s.order_id(1))).size() == 1);  // its own memo did not start a second one
  }
  w.stop();
}

TEST_CASE("intercept_I6_buyer_cancels") {
  World w;
  w.start({kTaobao, kDouyin}, workflows_yaml("1h"));
  const Shop& tb = kTaobao;
  const Shop& dy = kDouyin;
  w.platform(tb.order_event(tb.order_id(1), 1) + tb.order_event(tb.order_id(2), 1) + tb.order_event(tb.order_id(3), 1) +
             tb.order_event(tb.order_id(4), 1) + dy.order_event(dy.order_id(2), 1));
  const std::string tb1 = tb.key(tb.order_id(1)), tb2 = tb.key(tb.order_id(2)), tb3 = tb.key(tb.order_id(3)),
                    tb4 = tb.key(tb.order_id(4)), dy2 = dy.key(dy.order_id(2));
  for (const auto& key : {tb1, tb2, tb3, tb4, dy2}) w.await_held(key);
  w.lift_release_delay(tb3);
  w.lift_release_delay(tb4);
  sim_admin(w.sim, "POST", "/admin/counters/reset");

  for (const auto& key : {tb1, tb2, dy2}) {
    const auto reply = w.intercept(key, json{{"reason", "buyer asked"}});
    INFO(key << " -> " << reply.status << " " << reply.body);
    REQUIRE(reply.status == 201);
    CHECK(intercept_of(reply)["state"] == "locked");
  }
  const auto awaiting = w.intercept(tb3);
  REQUIRE(awaiting.status == 202);
  const std::int64_t tb3_id = intercept_of(awaiting)["id"].get<std::int64_t>();
  REQUIRE(w.confirm(tb3_id, "locked").status == 200);
  // Every memo is on the platform (and erpd saw it there) before the buyer changes their mind.
  REQUIRE(w.memo_shows(tb, tb.order_id(1), kMemo));
  REQUIRE(w.memo_shows(tb, tb.order_id(2), kMemo));
  REQUIRE(w.memo_shows(dy, dy.order_id(2), kMemo));
  REQUIRE(w.memo_shows(tb, tb.order_id(3), kMemo));

  // 1. Cancelled through erpctl: memo removed, INTERCEPT hold lifted, the order goes to the warehouse.
  w.lift_release_delay(tb1);
  CHECK(w.order(tb1)["released"] == false);
  {
    const json answer =
        erpctl_json(w, {"intercept", "cancel", tb1, "--reason", "buyer wants it after all", "--by", "alice"});
    const json i = answer.contains("intercept") ? answer["intercept"] : answer;
    CHECK(i["state"] == "cancelled");
    CHECK(i["open"] == false);
    CHECK(i["succeeded"] == true);
    CHECK(i["ended_at"].is_string());
    const json o = w.order(tb1);
    CHECK(o["intercept"].is_null());
    CHECK(o["holds"].empty());
    CHECK(o["released"] == true);
    CHECK(eventually([&] { return !w.webhook("order.released", tb.order_id(1)).empty(); }));
    CHECK(w.memo_shows(tb, tb.order_id(1), ""));
    CHECK(erpctl(w.dir, {"intercept", "cancel", tb1}).exit_code == 1);  // nothing open any more
    const json status = erpctl_json(w, {"intercept", "status", tb1});
    REQUIRE(status["intercepts"].size() == 1);
    CHECK(status["intercepts"][0]["state"] == "cancelled");
  }
  // 2. Cancelled by removing the memo on the platform: erpd writes nothing more. The platforms
  // stamp changes in whole seconds: the removal comes in a later second than the write (erpd
  // tells a removal from a version older than its own write by that stamp).
  std::this_thread::sleep_until(std::chrono::ceil<std::chrono::seconds>(std::chrono::system_clock::now()) + 10ms);
  w.platform(tb.memo_event(tb.order_id(2), "") + dy.memo_event(dy.order_id(2), ""));
  for (const auto& key : {tb2, dy2}) {
    INFO(key);
    const bool cancelled = w.until([&] {
      const json list = w.intercepts_of(key);
      return !list.empty() && list[0]["state"] == "cancelled";
    });
    CHECK_MESSAGE(cancelled, w.intercepts_of(key).dump());
    const json o = w.order(key);
    CHECK(o["intercept"].is_null());
    CHECK(hold_reasons(o) == std::multiset<std::string>{"RELEASE_DELAY"});
  }
  // 3. Cancelled through the API after the warehouse locked: the warehouse is told to unlock.
  {
    const auto reply = w.call("POST", "/v1/intercepts/" + std::to_string(tb3_id) + "/cancel",
                              json{{"by", "alice"}, {"reason", "buyer wants it after all"}});
    INFO(reply.body);
    CHECK(reply.status == 200);
    CHECK(intercept_of(reply)["state"] == "cancelled");
    const bool told = eventually([&] { return !w.webhook("order.unlocked", tb.order_id(3)).empty(); });
    REQUIRE_MESSAGE(told, log_tail(*w.erpd));
    const json unlocked = w.webhook("order.unlocked", tb.order_id(3)).front();
    CHECK(unlocked["event"] == "order.unlocked");
    CHECK(unlocked["intercept_id"] == tb3_id);
    CHECK(unlocked["platform"] == tb.platform);
    CHECK(unlocked["shop"] == tb.id);
    CHECK(unlocked["line_ids"] == json::array());
    CHECK_FALSE(unlocked.value("idempotency_key", "").empty());
    CHECK(w.call("POST", "/v1/intercepts/" + std::to_string(tb3_id) + "/cancel", json::object()).status == 409);
    CHECK(w.memo_shows(tb, tb.order_id(3), ""));
    const json o = w.order(tb3);
    CHECK(o["intercept"].is_null());
    CHECK(o["released"] == true);
  }
  // 4. Cancelled before the warehouse answered: the lock request is taken back as well.
  {
    const auto asked = w.intercept(tb4);
    REQUIRE(asked.status == 202);
    const std::int64_t id = intercept_of(asked)["id"].get<std::int64_t>();
    REQUIRE(eventually([&] { return !w.webhook("order.lock_requested", tb.order_id(4)).empty(); }));
    const auto reply = w.call("POST", "/v1/intercepts/" + std::to_string(id) + "/cancel", json{{"by", "alice"}});
    INFO(reply.body);
    CHECK(reply.status == 200);
    CHECK(intercept_of(reply)["state"] == "cancelled");
    CHECK(intercept_of(reply)["open"] == false);
    CHECK(eventually([&] { return !w.webhook("order.unlocked", tb.order_id(4)).empty(); }));
    CHECK(w.confirm(id, "locked").status == 409);  // the warehouse's late answer changes nothing
    CHECK(w.order(tb4)["intercept"].is_null());
  }

  REQUIRE(eventually([&] { return w.outbox_idle(); }));
  std::this_thread::sleep_for(500ms);
  CHECK(w.writes("memo", tb.order_id(1)) == 2);  // written, then cleared
  CHECK(w.writes("memo", tb.order_id(3)) == 2);
  CHECK(w.writes("memo", tb.order_id(2)) == 1);  // the buyer's side cleared it: no write of ours
  CHECK(w.writes("memo", dy.order_id(2)) == 1);
  CHECK(w.platform_memo(dy, dy.order_id(2)).empty());
  for (const auto& key : {tb1, tb2, tb3, dy2}) {
    INFO(key);
    CHECK(w.intercepts_of(key).size() == 1);
    CHECK(w.intercepts_of(key)[0]["state"] == "cancelled");
    CHECK(w.order(key)["status"] == "paid");
  }
  CHECK(w.metric("erpd_intercepts_total", {"shop=\"" + tb.id + "\"", "outcome=\"cancelled\""}) == 4);
  CHECK(w.metric("erpd_intercepts_total", {"shop=\"" + dy.id + "\"", "outcome=\"cancelled\""}) == 1);
  w.stop();
}

TEST_CASE("intercept_I7_unlock_before") {
  World w;
  w.start({kTaobao, kTmall}, workflows_yaml("1h"));
  const Shop& tb = kTaobao;
  w.platform(tb.order_event(tb.order_id(1), 1) + tb.order_event(tb.order_id(2), 2) + tb.order_event(tb.order_id(3), 1) +
             kTmall.order_event(kTmall.order_id(1), 1));
  const std::string tb1 = tb.key(tb.order_id(1)), tb2 = tb.key(tb.order_id(2)), tb3 = tb.key(tb.order_id(3)),
                    tm1 = kTmall.key(kTmall.order_id(1));
  std::map<std::string, std::int64_t> ids;
  for (const auto& key : {tb1, tb2, tb3, tm1}) {
    w.await_held(key);
    const auto reply = w.intercept(key);
    INFO(key << " -> " << reply.body);
    REQUIRE(reply.status == 201);
    ids[key] = intercept_of(reply)["id"].get<std::int64_t>();
  }
  w.lift_release_delay(tb1);  // only the intercept holds it now
  // The buyer of order 2 asked for a refund of its first line: that intercept stays.
  const auto tb2_lines = w.lines_of(tb2);
  w.platform(tb.refund_event(tb.order_id(2), tb2_lines[0], false));
  REQUIRE(w.until([&] { return w.order(tb2)["lines"][0]["refund_status"] != "none"; }));
  REQUIRE(w.memo_shows(tb, tb.order_id(1), kMemo));
  REQUIRE(w.memo_shows(tb, tb.order_id(3), kMemo));

  // Nothing was requested before an hour ago.
  {
    // China time as merchants write it: "2026-11-12 00:00".
    const std::time_t hour_ago = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() - 1h + 8h);
    std::tm cst{};
    gmtime_r(&hour_ago, &cst);
    char before[32];
    std::strftime(before, sizeof before, "%Y-%m-%d %H:%M", &cst);
    const auto reply = w.call("POST", "/v1/intercepts/unlock", json{{"before", before}, {"by", "alice"}});
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    CHECK(json::parse(reply.body)["unlocked"].empty());
  }
  const json answer =
      erpctl_json(w, {"intercept", "unlock", "--before", rfc3339(std::chrono::system_clock::now() + 1min), "--shop",
                      tb.id, "--by", "alice"});
  std::set<std::int64_t> unlocked;
  for (const auto& i : answer["unlocked"]) {
    unlocked.insert(i["id"].get<std::int64_t>());
    CHECK(i["state"] == "unlocked");
    CHECK(i["succeeded"] == true);
    CHECK(i["open"] == false);
  }
  CHECK(unlocked == std::set<std::int64_t>{ids[tb1], ids[tb3]});
  REQUIRE(answer["kept"].size() == 1);
  CHECK(answer["kept"][0]["intercept"]["id"] == ids[tb2]);
  CHECK_FALSE(answer["kept"][0].value("why", "").empty());

  CHECK(w.intercept_by_id(ids[tb2])["state"] == "locked");
  CHECK(w.intercept_by_id(ids[tm1])["state"] == "locked");  // another shop
  // Unlocked: memo text removed, INTERCEPT hold gone; order 1 (no other hold) goes to the warehouse.
  CHECK(w.memo_shows(tb, tb.order_id(1), ""));
  CHECK(w.memo_shows(tb, tb.order_id(3), ""));
  const json o1 = w.order(tb1);
  CHECK(o1["intercept"].is_null());
  CHECK(o1["holds"].empty());
  CHECK(o1["released"] == true);
  CHECK(eventually([&] { return !w.webhook("order.released", tb.order_id(1)).empty(); }));
  const json o3 = w.order(tb3);
  CHECK(o3["intercept"].is_null());
  CHECK(hold_reasons(o3) == std::multiset<std::string>{"RELEASE_DELAY"});
  const json o2 = w.order(tb2);
  CHECK(o2["intercept"]["id"] == ids[tb2]);
  CHECK(hold_reasons(o2).count("INTERCEPT") == 1);
  CHECK(o2["released"] == false);
  CHECK(w.order(tm1)["intercept"]["state"] == "locked");
  const json listed = erpctl_json(w, {"intercept", "list", "--state", "locked", "--shop", kTmall.id});
  REQUIRE(listed["intercepts"].size() == 1);
  CHECK(listed["intercepts"][0]["id"] == ids[tm1]);
  const json open = w.get("/v1/intercepts?state=open&platform=taobao");
  REQUIRE(open["intercepts"].size() == 1);
  CHECK(open["intercepts"][0]["id"] == ids[tb2]);
  CHECK(w.get("/v1/intercepts?state=unlocked&limit=1")["intercepts"].size() == 1);
  CHECK(w.metric("erpd_intercepts_total", {"shop=\"" + tb.id + "\"", "outcome=\"unlocked\""}) == 2);

  REQUIRE(eventually([&] { return w.outbox_idle(); }));
  std::this_thread::sleep_for(500ms);
  CHECK(w.writes("memo", tb.order_id(1)) == 2);
  CHECK(w.writes("memo", tb.order_id(3)) == 2);
  CHECK(w.writes("memo", tb.order_id(2)) == 1);
  CHECK(w.writes("memo", kTmall.order_id(1)) == 1);
  CHECK(w.writes("ship", tb.order_id(1)) == 0);
  w.stop();
}

TEST_CASE("intercept_refund_completed_resolves") {
  World w;
  // The Douyin shop also intercepts a line whose buyer asks for a refund before it ships.
  w.start({kTaobao, kDouyin}, workflows_yaml("1h"), {{kDouyin.id, "    intercept:\n      on_refund_request: true\n"}});
  const Shop& tb = kTaobao;
  const Shop& dy = kDouyin;
  w.platform(tb.order_event(tb.order_id(1), 2) + tb.order_event(tb.order_id(2), 2) + dy.order_event(dy.order_id(1), 1) +
             tb.order_event(tb.order_id(3), 2) + dy.order_event(dy.order_id(2), 2) +
             tb.event("order", tb.ref(tb.order_id(4)) + ", lines: [{item: \"601\", price: \"9.90\"}]"));
  const std::string tb1 = tb.key(tb.order_id(1)), tb2 = tb.key(tb.order_id(2)), dy1 = dy.key(dy.order_id(1));
  for (const auto& key : {tb1, tb2, dy1}) w.await_held(key);
  const auto tb2_lines = w.lines_of(tb2);
  std::map<std::string, std::int64_t> ids;
  for (const auto& [key, body] : std::vector<std::pair<std::string, json>>{
           {tb1, json::object()}, {tb2, json{{"lines", {tb2_lines[0]}}}}, {dy1, json::object()}}) {
    const auto reply = w.intercept(key, body);
    INFO(key << " -> " << reply.body);
    REQUIRE(reply.status == 201);
    ids[key] = intercept_of(reply)["id"].get<std::int64_t>();
  }
  // The buyers' refunds complete: every line of tb1 and dy1, the intercepted line of tb2.
  w.platform(tb.refund_event(tb.order_id(1), "", true) + tb.refund_event(tb.order_id(2), tb2_lines[0], true) +
             dy.refund_event(dy.order_id(1), "", true));
  for (const auto& key : {tb1, tb2, dy1}) {
    INFO(key);
    const bool resolved = w.until([&] { return w.intercept_by_id(ids[key])["state"] == "resolved"; });
    CHECK_MESSAGE(resolved, w.intercept_by_id(ids[key]).dump());
    const json i = w.intercept_by_id(ids[key]);
    CHECK(i["open"] == false);
    CHECK(i["succeeded"] == true);
    CHECK(i["ended_at"].is_string());
    const json o = w.order(key);
    CHECK(o["intercept"].is_null());
    CHECK(hold_reasons(o).count("INTERCEPT") == 0);
  }
  CHECK(w.order(tb1)["status"] == "closed");
  CHECK(w.order(dy1)["status"] == "closed");
  // Nothing left to stop on a closed order, nor on an unpaid one.
  const auto closed = w.intercept(tb1);
  INFO("closed -> " << closed.body);
  CHECK(closed.status == 409);
  CHECK(error_code(closed) == "conflict");
  const std::string unpaid = tb.key(tb.order_id(4));
  REQUIRE(w.until([&] { return w.order_or_null(unpaid).is_object(); }));
  const auto not_paid = w.intercept(unpaid);
  INFO("unpaid -> " << not_paid.body);
  CHECK(not_paid.status == 409);
  CHECK(error_code(not_paid) == "conflict");

  // A refund request on an unshipped line: an intercept of that line where the shop asks for it.
  const std::string tb3 = tb.key(tb.order_id(3)), dy2 = dy.key(dy.order_id(2));
  w.await_held(tb3);
  w.await_held(dy2);
  const auto tb3_lines = w.lines_of(tb3), dy2_lines = w.lines_of(dy2);
  w.platform(tb.refund_event(tb.order_id(3), tb3_lines[0], false) +
             dy.refund_event(dy.order_id(2), dy2_lines[0], false));
  const bool asked = w.until([&] { return w.order(dy2)["intercept"].is_object(); });
  REQUIRE_MESSAGE(asked, w.order(dy2).dump());
  const json by_refund = w.order(dy2)["intercept"];
  CHECK(by_refund["source"] == "refund");
  CHECK(by_refund["lines"] == json::array({dy2_lines[0]}));
  CHECK(by_refund["state"] == "locked");
  REQUIRE(w.until([&] { return w.order(tb3)["lines"][0]["refund_status"] != "none"; }));
  CHECK(w.order(tb3)["intercept"].is_null());  // the Taobao shop did not ask for it
  CHECK(w.intercepts_of(tb3).empty());
  const json o2 = w.order(tb2);  // its other line still ships
  CHECK(o2["status"] == "paid");
  CHECK(hold_reasons(o2) == std::multiset<std::string>{"RELEASE_DELAY"});
  CHECK(w.writes("ship", tb.order_id(2)) == 0);
  w.stop();
}

TEST_CASE("intercept_I8_memo_only_shop") {
  World w;
  const Shop memo_only{"taobao", "tb-cainiao", "3200"};
  const Shop off{"tmall", "tm-off", "4200"};
  w.start(
      {memo_only, off}, workflows_yaml("1h"),
      {{memo_only.id, "    intercept:\n      level: memo_only\n"}, {off.id, "    intercept:\n      enabled: false\n"}});
  w.platform(memo_only.order_event(memo_only.order_id(1), 1) + memo_only.order_event(memo_only.order_id(2), 1) +
             off.order_event(off.order_id(1), 1));
  const std::string key = memo_only.key(memo_only.order_id(1));
  w.await_held(key);
  w.await_held(off.key(off.order_id(1)));

  const auto reply = w.intercept(key, json{{"reason", "buyer ordered twice"}});
  INFO(reply.status << " " << reply.body);
  CHECK(reply.status == 201);
  const json i = intercept_of(reply);
  REQUIRE(i.is_object());
  CHECK(i["state"] == "memo_only");
  CHECK(i["open"] == true);
  CHECK(i["succeeded"] == false);
  CHECK(i["hold_id"].is_null());
  CHECK(i.value("message", "").find("memo only, not locked") != std::string::npos);  // I8's words
  // Not held by the intercept: the release delay is the only hold, and lifting it releases the order.
  CHECK(hold_reasons(w.order(key)) == std::multiset<std::string>{"RELEASE_DELAY"});
  CHECK(w.order(key)["intercept"]["state"] == "memo_only");
  w.lift_release_delay(key);
  CHECK(w.order(key)["released"] == true);
  CHECK(w.memo_shows(memo_only, memo_only.order_id(1), kMemo));
  // Nothing blocks a shipment of a memo-only intercept.
  CHECK(w.ship(key, "S-cainiao-1").status == 202);
  CHECK(eventually([&] { return w.writes("ship.upload", memo_only.order_id(1)) == 1; }));

  const auto disabled = w.intercept(off.key(off.order_id(1)));
  INFO(disabled.body);
  CHECK(disabled.status == 409);
  CHECK(error_code(disabled) == "not_enabled");
  CHECK(w.intercepts_of(off.key(off.order_id(1))).empty());

  // Through erpctl (exit 0: memo only is an answer), then cancelled: the memo text comes off again.
  const std::string second = memo_only.key(memo_only.order_id(2));
  w.await_held(second);
  const auto asked = erpctl(w.dir, {"intercept", "request", second});
  INFO("erpctl intercept request " << second << " -> " << asked.exit_code << "\n" << asked.out << asked.err);
  CHECK(asked.exit_code == 0);
  CHECK(asked.out.find("only") != std::string::npos);
  REQUIRE(w.memo_shows(memo_only, memo_only.order_id(2), kMemo));
  const json cancelled = erpctl_json(w, {"intercept", "cancel", second});
  CHECK((cancelled.contains("intercept") ? cancelled["intercept"] : cancelled)["state"] == "cancelled");
  CHECK(w.memo_shows(memo_only, memo_only.order_id(2), ""));

  REQUIRE(eventually([&] { return w.outbox_idle(); }));
  std::this_thread::sleep_for(500ms);
  CHECK(w.writes("memo", memo_only.order_id(1)) == 1);
  CHECK(w.writes("memo", memo_only.order_id(2)) == 2);
  CHECK(w.writes("memo", off.order_id(1)) == 0);
  w.stop();
}

TEST_CASE("intercept_race_shipment_and_intercept") {
  World w;
  w.start({kTaobao}, workflows_yaml("0s"));  // released as soon as synced
  const Shop& tb = kTaobao;
  constexpr int kOrders = 8, kRounds = 6;
  std::string orders;
  for (int n = 1; n <= kOrders; ++n) orders += tb.order_event(tb.order_id(n), 1);
  w.platform(orders);
  for (int n = 1; n <= kOrders; ++n) {
    const std::string key = tb.key(tb.order_id(n));
    REQUIRE(w.until([&] {
      const json o = w.order_or_null(key);
      return o.is_object() && o["released"] == true;
    }));
  }

  std::map<std::string, int> accepted;  // order id -> shipments accepted
  int shipment_won = 0, confirm_won = 0;
  for (int round = 0; round < kRounds; ++round) {
    for (int n = 1; n <= kOrders; ++n) {
      const std::string id = tb.order_id(n), key = tb.key(id);
      if (accepted[id] > 0) continue;
      INFO(key << " round " << round);
      // The warehouse stopped it last round: the buyer cancels, the warehouse may ship again.
      if (const json open = w.order(key)["intercept"]; open.is_object()) {
        REQUIRE(w.call("POST", "/v1/intercepts/" + std::to_string(open["id"].get<std::int64_t>()) + "/cancel",
                       json::object())
                    .status == 200);
      }
      const auto requested = w.intercept(key);
      INFO(requested.body);
      REQUIRE(requested.status == 202);
      const std::int64_t intercept_id = intercept_of(requested)["id"].get<std::int64_t>();

      // Both at once; every other race one of them a few hundred microseconds late, so both
      // orders of arrival and the overlaps in between all occur.
      const auto stagger = std::chrono::microseconds((n * 7 + round * 3) % 4 * 150);
      const bool ship_late = (n + round) % 2 == 0;
      HttpReply shipped, confirmed;
      std::latch go(2);
      std::thread warehouse_ships([&] {
        go.arrive_and_wait();
        if (ship_late) std::this_thread::sleep_for(stagger);
        shipped = w.ship(key, "S-" + id + "-" + std::to_string(round));
      });
      std::thread warehouse_confirms([&] {
        go.arrive_and_wait();
        if (!ship_late) std::this_thread::sleep_for(stagger);
        confirmed = w.confirm(intercept_id, "locked");
      });
      warehouse_ships.join();
      warehouse_confirms.join();
      INFO("shipment -> " << shipped.status << " " << shipped.body << "\nconfirm -> " << confirmed.status << " "
                          << confirmed.body);
      const json after = w.intercept_by_id(intercept_id);
      if (shipped.status == 202) {
        // The parcel left first: the intercept came too late.
        CHECK(confirmed.status == 409);
        CHECK(after["state"] == "too_late");
        CHECK(after["suggestion"] == "parcel_interception");
        CHECK(json::parse(shipped.body)["intercept"]["state"] == "too_late");
        ++accepted[id];
        ++shipment_won;
      } else {
        CHECK(shipped.status == 409);
        CHECK(error_code(shipped) == "intercepted");
        CHECK(confirmed.status == 200);
        CHECK(after["state"] == "locked");
        ++confirm_won;
      }
    }
  }
  MESSAGE("races: the shipment won " << shipment_won << ", the confirmation " << confirm_won);
  CHECK(shipment_won + confirm_won > 0);

  REQUIRE_MESSAGE(eventually([&] { return all_uploads_done(w.dir) && w.outbox_idle(); }, 20s), w.dead_items());
  int total = 0;
  for (int n = 1; n <= kOrders; ++n) {
    const std::string id = tb.order_id(n);
    INFO(id);
    CHECK(w.writes("ship.upload", id) == accepted[id]);
    CHECK(w.writes("ship", id) == accepted[id]);  // one line each
    total += accepted[id];
    const json o = w.order(tb.key(id));
    if (accepted[id] == 0) {
      CHECK(o["intercept"]["state"] == "locked");
      CHECK(o["status"] == "paid");
    } else {
      CHECK(o["intercept"].is_null());
    }
    CHECK(o["released"] == true);
  }
  CHECK(w.writes("ship.upload", "total") == total);
  w.stop();
}
