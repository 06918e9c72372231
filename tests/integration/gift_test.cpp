// The 1-yuan reservation gift (DOMAIN.md rules G1-G13) end to end: the real erpd with the Tmall
// plugin against platform-sim's TOP module, the warehouse as a webhook. Each test case
// runs one simulator and one erpd; what the platform did is read back from the simulator itself
// (taobao.trade.fullinfo.get, signed by this test, and its write counters), what erpd decided from
// its API (orders, holds, `why` with rule ids, each order's gift part and links, the open alerts)
// and the warehouse's webhook bodies.
//
// Times: the simulator's clock follows the real time (it is never set here), erpd uses the real
// time, and a trade's pay_time is the simulator's second it was paid in, so a tag window of N
// seconds ends N seconds after the order was created. Where the order of two platform facts
// matters (a tag before or after a release, two repurchases' tags) the test applies the tag
// itself (`reservation_tag`) once erpd shows the state it must arrive in; elsewhere Tmall's tag
// comes `tag_delay` after payment, as on the platform.

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <set>
#include <thread>

#include "core/time_format.hpp"
#include "integration/douyin_day.hpp"
#include "integration/platform_calls.hpp"
#include "integration/shipments.hpp"

using namespace erp::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// ---- the platform, as the simulator shows it ---------------------------------------------------

/// A Tmall shop in both the simulator and erpd's config.
struct GiftShop {
  std::string id;
  std::string sim_gift_mode;  ///< The simulator's gift_mode: platform (Tmall ships reservations) or merchant.
  std::string gift_yaml;      ///< The shop's `gift:` map for erpd, indented for a shop item.
  TopShop top() const { return TopShop{id, "tmall"}; }
  std::string key(const std::string& tid) const { return "tmall/" + id + "/" + tid; }
};

/// `gift:` of a shop in platform mode (rule G5: Tmall ships the reservations).
std::string platform_gift(const std::string& tag_window, const std::string& verify_within = "30s") {
  return "    gift:\n      enabled: true\n      mode: platform\n      tag_window: " + tag_window +
         "\n      refetch_every: 1s\n      verify_within: " + verify_within + "\n      reservation:\n" +
         "        price: \"1.00\"\n";
}

/// The trade as Tmall has it (every field of it and its sub-orders).
json top_trade(const PlatformSim& sim, const GiftShop& shop, const std::string& tid) {
  const TopShop t = shop.top();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  std::map<std::string, std::string> params{{"method", "taobao.trade.fullinfo.get"},
                                            {"tid", tid},
                                            {"fields", "tid,status,created,pay_time,consign_time,orders"},
                                            {"app_key", t.app_key()},
                                            {"session", t.session()},
                                            {"timestamp", std::to_string(ms)},
                                            {"format", "json"},
                                            {"v", "2.0"},
                                            {"sign_method", "md5"}};
  const auto reply = top_post(sim.url(), t.app_secret(), params);
  const json body = json::parse(reply.body, nullptr, false);
  INFO("fullinfo " << tid << " -> " << reply.status << " " << reply.body);
  REQUIRE(body.is_object());
  REQUIRE(body.contains("trade_fullinfo_get_response"));
  return body["trade_fullinfo_get_response"]["trade"];
}

/// The waybills the trade's sub-orders carry on the platform (empty string: not shipped).
std::vector<std::string> top_waybills(const json& trade) {
  std::vector<std::string> out;
  for (const auto& line : trade["orders"]["order"]) out.push_back(line.value("invoice_no", ""));
  return out;
}

/// Every sub-order shipped with `waybill` (a reservation the platform or erpd marked shipped).
bool shipped_with(const json& trade, const std::string& waybill) {
  const auto waybills = top_waybills(trade);
  return !waybills.empty() &&
         std::all_of(waybills.begin(), waybills.end(), [&](const std::string& w) { return w == waybill; });
}

bool not_shipped(const json& trade) {
  const auto waybills = top_waybills(trade);
  return std::all_of(waybills.begin(), waybills.end(), [](const std::string& w) { return w.empty(); }) &&
         !trade.contains("consign_time");
}

// ---- scenario events ----------------------------------------------------------------------------

std::string event(const GiftShop& shop, const std::string& type, const std::string& keys) {
  return "  - {at: \"+0s\", shop: " + shop.id + ", type: " + type + ", " + keys + "}\n";
}

std::string quoted_list(const std::vector<std::string>& ids) {
  std::string out = "[";
  for (const auto& id : ids) out += (out.size() > 1 ? ", \"" : "\"") + id + "\"";
  return out + "]";
}

/// A 1-yuan reservation order (rule G1): one line of the gift item, `qty` pieces.
std::string reservation(const GiftShop& shop, const std::string& tid, const std::string& buyer, int qty = 1,
                        bool paid = true) {
  return event(shop, "order",
               "tid: \"" + tid + "\", buyer: " + buyer + (paid ? ", paid: true" : "") +
                   ", one_yuan: true, lines: [{item: \"690\", sku: \"7901\", outer_sku: GIFT-1, qty: " +
                   std::to_string(qty) + ", price: \"1.00\"}]");
}

struct Item {
  std::string outer_sku;
  std::string price;  ///< Yuan.
  int qty = 1;
};

/// Sub-order k (from 1) of a multi-line trade.
std::string oid(const std::string& tid, int k) { return tid + std::to_string(k); }

/// A paid repurchase (main) order; with `reservations`, Tmall tags it `tag_delay` after payment
/// (rule G2). A trade of several items is a merged payment of several sub-orders (rule G6).
std::string repurchase(const GiftShop& shop, const std::string& tid, const std::string& buyer,
                       const std::vector<Item>& items, const std::vector<std::string>& reservations = {},
                       const std::string& tag_delay = "") {
  std::string lines;
  for (std::size_t k = 1; k <= items.size(); ++k) {
    const Item& item = items[k - 1];
    lines += std::string(k > 1 ? ", " : "") + "{" +
             (items.size() > 1 ? "oid: \"" + oid(tid, static_cast<int>(k)) + "\", " : std::string()) +
             "item: \"60" + std::to_string(k) + "\", sku: \"70" + std::to_string(k) + "\", outer_sku: " + item.outer_sku +
             ", qty: " + std::to_string(item.qty) + ", price: \"" + item.price + "\"}";
  }
  std::string keys = "tid: \"" + tid + "\", buyer: " + buyer + ", paid: true, lines: [" + lines + "]";
  if (!reservations.empty()) keys += ", reservations: " + quoted_list(reservations) + ", tag_delay: " + tag_delay;
  return event(shop, "order", keys);
}

/// Tmall's tag naming `reservations` appears on `tid` now.
std::string tag(const GiftShop& shop, const std::string& tid, const std::vector<std::string>& reservations) {
  return event(shop, "reservation_tag", "tid: \"" + tid + "\", reservations: " + quoted_list(reservations));
}

/// Shipped on the platform side (Cainiao, the web console): the given sub-orders, or all.
std::string platform_ship(const GiftShop& shop, const std::string& tid, const std::string& waybill,
                          const std::string& company, const std::string& sub_order = "") {
  return event(shop, "ship",
               "tid: \"" + tid + "\"" + (sub_order.empty() ? "" : ", oid: \"" + sub_order + "\"") + ", company: " +
                   company + ", out_sid: \"" + waybill + "\"");
}

/// The buyer got the money back for the whole trade (or one sub-order): the lines are refunded.
std::string refunded(const GiftShop& shop, const std::string& tid) {
  return event(shop, "refund", "tid: \"" + tid + "\", status: SUCCESS");
}

// ---- clocks --------------------------------------------------------------------------------------

/// Waits (at most half a second) until the wall clock, which the simulator follows, is early in a
/// second, so platform events applied now carry the same second.
void early_in_second() {
  while (std::chrono::system_clock::now().time_since_epoch() % 1s > 300ms) std::this_thread::sleep_for(10ms);
}

/// Waits (at most a second) until the wall clock is in a later second than `t`, so what happens
/// next carries a later platform time (TOP times are whole seconds).
void next_second_after(std::chrono::system_clock::time_point t) {
  const auto second = std::chrono::floor<std::chrono::seconds>(t);
  while (std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) <= second) {
    std::this_thread::sleep_for(10ms);
  }
}

std::chrono::system_clock::time_point instant(const json& text) {
  REQUIRE(text.is_string());
  const auto parsed = erp::daemon::parse_rfc3339(text.get<std::string>());
  REQUIRE(parsed.has_value());
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(*parsed);
}

// ---- erpd and the warehouse ---------------------------------------------------------------------

/// One platform-sim, one warehouse webhook and one erpd syncing the Tmall shops from it.
struct GiftWorld {
  TempDir sim_dir;
  PlatformSim sim{sim_dir.path()};
  WebhookReceiver warehouse;
  TempDir dir;
  std::unique_ptr<Erpd> erpd;
  std::vector<GiftShop> shops;
  std::string api, token;

  void start(std::vector<GiftShop> with) {
    shops = std::move(with);
    REQUIRE(sim.start());
    std::string scenario = "shops:\n";
    std::string modes;
    for (const auto& s : shops) {
      const TopShop t = s.top();
      scenario += "  - {id: " + s.id + ", platform: tmall, app_key: " + t.app_key() + ", app_secret: " +
                  t.app_secret() + ", session: " + t.session() + "}\n";
      modes += event(s, "gift_mode", "mode: " + s.sim_gift_mode);
    }
    sim_admin(sim, "POST", "/admin/scenario?name=shops.yaml", scenario + "events:\n" + modes);

    ConfigOptions options = with_webhook(warehouse.url());
    for (const auto& s : shops) options.shops_yaml += top_shops_yaml(sim, {s.top()}) + s.gift_yaml;
    // No lag and no release delay: TOP times are whole seconds and the overlap re-reads the last
    // minute on each poll; an order nothing holds goes to the warehouse at once.
    options.extra_yaml =
        "sync:\n  backfill: 1d\n  window: 2h\n  lag: 0s\n  overlap: 1m\n  reconcile_every: 1h\n"
        "  reconcile_span: 1d\nworkflows:\n  release_delay: 0s\n";
    write_config(dir, options);
    erpd = std::make_unique<Erpd>(dir / "erpd.yaml", dir.path());
    REQUIRE_MESSAGE(erpd->start(), erpd->log());
    api = api_url(dir);
    token = api_token(dir);
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
  /// The order as erpd has it, or null when it is not stored (yet).
  json order(const std::string& key) const {
    const auto reply = call("GET", "/v1/orders/" + key);
    return reply.status == 200 ? json::parse(reply.body) : json(nullptr);
  }
  /// The order's history (`why` entries: at, kind, rule_id, text).
  json why(const std::string& key) const {
    const auto reply = call("GET", "/v1/orders/" + key + "/why");
    if (reply.status != 200) return json::array();
    return json::parse(reply.body)["entries"];
  }
  /// `why` entries of this kind (and rule, when given).
  std::vector<json> events(const std::string& key, const std::string& kind, const std::string& rule = "") const {
    std::vector<json> out;
    for (const auto& e : why(key)) {
      if (e["kind"] == kind && (rule.empty() || e["rule_id"] == rule)) out.push_back(e);
    }
    return out;
  }
  bool has_event(const std::string& key, const std::string& kind, const std::string& rule = "") const {
    return !events(key, kind, rule).empty();
  }

  /// Polls `predicate` every 50 ms, asking every shop to sync now every 250 ms, so platform
  /// changes show without waiting for the next poll.
  template <class F>
  bool until(F predicate, std::chrono::milliseconds timeout = 15s) const {
    return eventually_nudging(
        predicate, [&] { for (const auto& s : shops) call("POST", "/v1/shops/" + s.id + "/sync"); }, timeout);
  }
  /// Like `until`, failing the test (with erpd's log) when it does not hold in time.
  template <class F>
  void await(const std::string& what, F predicate, std::chrono::milliseconds timeout = 15s) const {
    const bool held = until(predicate, timeout);
    INFO("waiting for: " << what);
    REQUIRE_MESSAGE(held, log_tail(*erpd, 6000));
  }

  /// Reason codes of the order's active holds.
  std::multiset<std::string> holds(const std::string& key) const {
    std::multiset<std::string> out;
    const json o = order(key);
    if (!o.is_object()) return out;
    for (const auto& h : o["holds"]) out.insert(h["reason_code"].get<std::string>());
    return out;
  }
  bool held_only_by(const std::string& key, const std::string& reason) const {
    const json o = order(key);
    return o.is_object() && o["released"] == false && holds(key) == std::multiset<std::string>{reason};
  }
  void await_held(const GiftShop& shop, const std::vector<std::string>& tids, const std::string& reason) const {
    for (const auto& tid : tids) {
      await(shop.key(tid) + " held by " + reason, [&] { return held_only_by(shop.key(tid), reason); });
    }
  }

  /// The orders the warehouse received (webhook order.released bodies' `order`) with this id.
  std::vector<json> delivered(const std::string& order_id) {
    std::vector<json> out;
    for (const auto& r : warehouse.requests()) {
      if (r.event != "order.released") continue;
      json body = json::parse(r.body, nullptr, false);
      if (body.is_object() && body["order"]["order_id"] == order_id) out.push_back(body["order"]);
    }
    return out;
  }
  /// The one delivery of `order_id` once it arrived; its gift lines are `added_lines`.
  json await_delivery(const GiftShop& shop, const std::string& tid) {
    await(shop.key(tid) + " delivered to the warehouse", [&] { return !delivered(tid).empty(); });
    const auto all = delivered(tid);
    CHECK(all.size() == 1);
    return all.front();
  }
  /// order_id -> the reservation ids each gift line of the delivery fulfils; checks each gift line's shape (G4).
  static std::map<std::string, std::int64_t> gift_pieces(const json& delivery) {
    std::map<std::string, std::int64_t> out;
    for (const auto& line : delivery["added_lines"]) {
      INFO(line.dump());
      CHECK(line["gift"] == true);
      CHECK(line["rule"] == "G4");
      CHECK(line["price_fen"] == 0);
      CHECK(line["paid_fen"] == 0);
      REQUIRE(line["fulfils"].size() == 1);
      const std::string fulfils = line["fulfils"][0].get<std::string>();
      CHECK(line["line_id"].get<std::string>().rfind("gift:" + fulfils + ":", 0) == 0);
      out[fulfils] += line["quantity"].get<std::int64_t>();
    }
    return out;
  }

  /// Places an operator's hold (201) and returns its id.
  std::int64_t manual_hold(const std::string& key) const {
    const auto reply = call("POST", "/v1/orders/" + key + "/holds", json{{"reason", "check first"}, {"by", "test"}});
    INFO(reply.body);
    REQUIRE(reply.status == 201);
    return json::parse(reply.body)["id"].get<std::int64_t>();
  }
  void lift(const std::string& key, std::int64_t hold) const {
    const auto reply = call("DELETE", "/v1/orders/" + key + "/holds/" + std::to_string(hold) + "?by=test&reason=ok");
    INFO(reply.body);
    REQUIRE(reply.status == 200);
  }

  /// The warehouse reports a shipment (one package per entry); erpd owes the platform the upload.
  void ship(const GiftShop& shop, const std::string& tid, const std::string& shipment_id,
            const std::vector<Parcel>& parcels) const {
    const auto reply = call("POST", "/v1/orders/" + shop.key(tid) + "/shipments", shipment_body(shipment_id, parcels, "SF"));
    INFO(reply.body);
    REQUIRE(reply.status == 202);
  }

  json trade(const GiftShop& shop, const std::string& tid) const { return top_trade(sim, shop, tid); }
  /// Accepted upload calls (taobao.logistics.offline.send) erpd made for the trade.
  int uploads(const std::string& tid) const { return sim_counter(sim, "ship.upload", tid); }

  /// erpd stored the order as the platform shows it with this status ("shipped", "closed" ...).
  bool status_is(const std::string& key, const std::string& status) const {
    const json o = order(key);
    return o.is_object() && o["status"] == status;
  }

  /// G1, G13: never handed to the warehouse as an order of its own, however it ended.
  void check_never_delivered(const GiftShop& shop, const std::vector<std::string>& reservations) {
    for (const auto& tid : reservations) {
      INFO("reservation " << tid);
      CHECK(delivered(tid).empty());
      CHECK_FALSE(has_event(shop.key(tid), "order.released"));
      const json o = order(shop.key(tid));
      REQUIRE(o.is_object());
      CHECK(o["released"] == false);
    }
  }

  void stop() {
    erpd->signal(SIGTERM);
    CHECK(erpd->wait() == 0);
  }

  /// The order's gift part (GET .../gift): role, reservation, links (dropped ones too, oldest
  /// first) and the gift lines it carries.
  json gift(const std::string& key) const {
    const auto reply = call("GET", "/v1/orders/" + key + "/gift");
    INFO("GET " << key << "/gift -> " << reply.status << " " << reply.body);
    REQUIRE(reply.status == 200);
    return json::parse(reply.body);
  }
  /// A reservation's state ("waiting", "linked", "shipped", "closed"), or "" when it is none.
  std::string reservation_state(const std::string& key) const {
    const json g = gift(key);
    return g["reservation"].is_object() ? g["reservation"]["state"].get<std::string>() : std::string();
  }
  /// The reservation's links that are not dropped (at most one).
  std::vector<json> live_links(const std::string& key) const {
    std::vector<json> out;
    const json g = gift(key);
    for (const auto& link : g["links"]) {
      if (link["state"] != "dropped") out.push_back(link);
    }
    return out;
  }
  /// Subjects of the open alerts of this kind (GET /v1/alerts).
  std::set<std::string> alerts(const std::string& kind) const {
    const auto reply = call("GET", "/v1/alerts");
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    std::set<std::string> out;
    const json answer = json::parse(reply.body);
    for (const auto& a : answer["alerts"]) {
      if (a["kind"] == kind) out.insert(a["subject"].get<std::string>());
    }
    return out;
  }
};

}  // namespace

TEST_CASE("gift_G1_G2_G4_G5_G9_G10_G13_reservations_wait_then_ship_inside_the_repurchase_parcel") {
  const GiftShop shop{"tm-gift", "platform", platform_gift("4s")};
  GiftWorld w;
  w.start({shop});
  // Buyer a: two reservations (one of 2 pieces, G9) and a repurchase Tmall tags 2 s after payment.
  // Buyer b: a reservation and a repurchase Tmall never tags. Buyer c: the tag comes after the
  // repurchase left for the warehouse.
  const std::string ra1 = "421000000000001", ra2 = "421000000000002", rb = "421000000000003",
                    rc = "421000000000004";
  const std::string ma = "421000000000011", mb = "421000000000012", mc = "421000000000013";
  w.platform(reservation(shop, ra1, "buyer-a", 2) + reservation(shop, ra2, "buyer-a") +
             reservation(shop, rb, "buyer-b") + reservation(shop, rc, "buyer-c"));
  // G1: each is held, never released to the warehouse as an order of its own.
  w.await_held(shop, {ra1, ra2, rb, rc}, "RESERVATION");
  for (const auto& r : {ra1, ra2, rb, rc}) CHECK(w.has_event(shop.key(r), "gift.reservation", "G1"));

  w.platform(repurchase(shop, ma, "buyer-a", {{"SKU-1", "299.00"}}, {ra1, ra2}, "2s") +
             repurchase(shop, mb, "buyer-b", {{"SKU-1", "199.00"}}) +
             repurchase(shop, mc, "buyer-c", {{"SKU-2", "99.00"}}));
  // G2: a buyer's repurchase waits for Tmall's tag.
  w.await_held(shop, {ma, mb, mc}, "TAG_WINDOW");
  CHECK(w.has_event(shop.key(ma), "hold.added", "G2"));

  // G2, G4: the tag comes, both reservations are linked and ride on the repurchase's delivery.
  const json delivered_a = w.await_delivery(shop, ma);
  const json stored_a = w.order(shop.key(ma));
  CHECK(instant(stored_a["released_at"]) < instant(stored_a["paid_at"]) + 4s);  // the tag, not the window
  CHECK(GiftWorld::gift_pieces(delivered_a) == std::map<std::string, std::int64_t>{{ra1, 2}, {ra2, 1}});
  CHECK(delivered_a["lines"].size() == 1);
  CHECK(w.has_event(shop.key(ma), "gift.linked", "G4"));
  CHECK(w.has_event(shop.key(ra1), "gift.linked", "G2"));
  CHECK(w.has_event(shop.key(ra2), "gift.linked", "G2"));
  CHECK(w.reservation_state(shop.key(ra1)) == "linked");
  // The order JSON's gift part shows the lines the warehouse got.
  CHECK(w.gift(shop.key(ma))["gift_lines"] == delivered_a["added_lines"]);

  // G2: no tag for b: the repurchase goes without a gift when the window ends.
  const json delivered_b = w.await_delivery(shop, mb);
  CHECK(delivered_b["added_lines"].empty());
  const json stored_b = w.order(shop.key(mb));
  CHECK(instant(stored_b["released_at"]) >= instant(stored_b["paid_at"]) + 4s);
  // G2: c's repurchase left without the gift too; its tag arrives now, too late: an alert.
  CHECK(w.await_delivery(shop, mc)["added_lines"].empty());
  w.platform(tag(shop, mc, {rc}));
  w.await("gift.tag_late on " + mc, [&] { return w.has_event(shop.key(mc), "alert.raised", "G2"); });
  CHECK(w.delivered(mc).size() == 1);  // not delivered again, and no gift line added afterwards
  CHECK_FALSE(w.has_event(shop.key(rc), "gift.linked"));

  // G5, G13: the warehouse ships the repurchase; erpd uploads its waybill once; Tmall ships both
  // reservations with it (G10), the 2-piece one once (G9); erpd records them shipped.
  w.ship(shop, ma, "WMS-A", {Parcel{"SFA0001", {}}});
  w.await("Tmall ships " + ra1 + " and " + ra2 + " with SFA0001", [&] {
    return shipped_with(w.trade(shop, ra1), "SFA0001") && shipped_with(w.trade(shop, ra2), "SFA0001");
  });
  CHECK(w.trade(shop, ma)["status"] == "WAIT_BUYER_CONFIRM_GOODS");
  CHECK(w.uploads(ma) == 1);
  for (const auto& r : {ra1, ra2}) {
    INFO(r);
    w.await(r + " recorded shipped", [&] {
      return w.has_event(shop.key(r), "gift.shipped", "G5") && w.status_is(shop.key(r), "shipped");
    });
    CHECK(w.uploads(r) == 0);  // Tmall shipped it: erpd uploaded nothing for it
    CHECK(sim_counter(w.sim, "ship", r) == 0);
    CHECK(w.holds(shop.key(r)).empty());
    CHECK_FALSE(w.has_event(shop.key(r), "alert.raised"));
    const json line = w.order(shop.key(r))["lines"][0];
    CHECK(line["waybill"] == "SFA0001");
  }
  CHECK(w.has_event(shop.key(ma), "gift.shipped", "G5"));
  // b's and c's reservations still wait for a repurchase that carries them.
  CHECK(w.held_only_by(shop.key(rb), "RESERVATION"));
  CHECK(w.held_only_by(shop.key(rc), "RESERVATION"));
  CHECK(not_shipped(w.trade(shop, rb)));
  w.check_never_delivered(shop, {ra1, ra2, rb, rc});

  CHECK(w.reservation_state(shop.key(ra1)) == "shipped");
  CHECK(w.reservation_state(shop.key(ra2)) == "shipped");
  CHECK(w.reservation_state(shop.key(rb)) == "waiting");
  CHECK(w.reservation_state(shop.key(rc)) == "waiting");
  for (const auto& r : {ra1, ra2}) {
    INFO(r);
    const json links = w.gift(shop.key(r))["links"];
    REQUIRE(links.size() == 1);
    CHECK(links[0]["main_order_id"] == ma);
    CHECK(links[0]["state"] == "shipped");
    CHECK(links[0]["waybill"] == "SFA0001");
  }
  const json main_a = w.gift(shop.key(ma));
  CHECK(main_a["role"] == "main");
  CHECK(main_a["links"].size() == 2);
  CHECK(w.alerts("gift.tag_late") == std::set<std::string>{shop.key(mc)});
  CHECK(w.alerts("gift.not_shipped").empty());
  w.stop();
}

TEST_CASE("gift_G6_G7_G8_the_reservation_ships_with_the_last_parcel_of_the_earliest_repurchase") {
  // A long window: nothing here waits for its end; tags come 1 s after payment or when applied.
  const GiftShop shop{"tm-gift", "platform", platform_gift("20s")};
  GiftWorld w;
  w.start({shop});
  // p: merged payment, both sub-orders shipped in the same second (G6 tie); p2 the same, with a
  // reservation id larger than its repurchase's, so Tmall lists the reservation first and erpd
  // stores it shipped before the repurchase's last parcel. q: merged payment shipped one second
  // apart (G6 last). s: one repurchase in two packages through the warehouse (G8). g, h: two
  // repurchases name the same reservation (G7).
  const std::string rp = "422000000000001", rq = "422000000000002", rs = "422000000000003", rg = "422000000000004",
                    rh = "422000000000005", rp2 = "422000000000099";
  const std::string mp = "422000000000011", mq = "422000000000012", ms = "422000000000013",
                    mg1 = "422000000000014", mg2 = "422000000000015", mh1 = "422000000000016",
                    mh2 = "422000000000017", mp2 = "422000000000018";
  w.platform(reservation(shop, rp, "buyer-p") + reservation(shop, rq, "buyer-q") + reservation(shop, rs, "buyer-s") +
             reservation(shop, rg, "buyer-g") + reservation(shop, rh, "buyer-h") + reservation(shop, rp2, "buyer-p2"));
  w.await_held(shop, {rp, rq, rs, rg, rh, rp2}, "RESERVATION");
  const std::vector<Item> two{{"SKU-1", "120.00"}, {"SKU-2", "80.00"}};
  // Created in this order: g1 before g2, h1 before h2 (G7 goes by creation).
  w.platform(repurchase(shop, mp, "buyer-p", two, {rp}, "1s") + repurchase(shop, mp2, "buyer-p2", two, {rp2}, "1s") +
             repurchase(shop, mq, "buyer-q", two, {rq}, "1s") +
             repurchase(shop, ms, "buyer-s", two, {rs}, "1s") + repurchase(shop, mg1, "buyer-g", {{"SKU-1", "50.00"}}) +
             repurchase(shop, mg2, "buyer-g", {{"SKU-2", "60.00"}}) + repurchase(shop, mh1, "buyer-h", {{"SKU-1", "50.00"}}) +
             repurchase(shop, mh2, "buyer-h", {{"SKU-2", "60.00"}}));
  for (const auto& m : {mp, mp2, mq, ms}) {
    CHECK(GiftWorld::gift_pieces(w.await_delivery(shop, m)).size() == 1);
  }
  w.await_held(shop, {mg1, mg2, mh1, mh2}, "TAG_WINDOW");

  // G7, earliest first: g1's tag comes first and links the reservation; g2's tag names it too,
  // but g1 was created earlier: g2 goes without it.
  w.platform(tag(shop, mg1, {rg}));
  CHECK(GiftWorld::gift_pieces(w.await_delivery(shop, mg1)) == std::map<std::string, std::int64_t>{{rg, 1}});
  w.platform(tag(shop, mg2, {rg}));
  CHECK(w.await_delivery(shop, mg2)["added_lines"].empty());
  CHECK(w.has_event(shop.key(mg2), "gift.not_linked", "G7"));
  // G7, the later one first: h2's tag is read while h1 still waits for its own, so h2 waits too;
  // h1's tag then takes the reservation for h1, the earlier-created repurchase, and h2 goes without it.
  w.platform(tag(shop, mh2, {rh}));
  w.await(mh2 + " waiting for " + mh1, [&] { return w.has_event(shop.key(mh2), "gift.waits", "G7"); });
  CHECK(w.delivered(mh2).empty());
  w.platform(tag(shop, mh1, {rh}));
  CHECK(GiftWorld::gift_pieces(w.await_delivery(shop, mh1)) == std::map<std::string, std::int64_t>{{rh, 1}});
  CHECK(w.await_delivery(shop, mh2)["added_lines"].empty());
  CHECK(w.has_event(shop.key(mh2), "gift.not_linked", "G7"));

  // G6, tie: both sub-orders of p ship in the same second in separate packages: the smallest waybill.
  early_in_second();
  w.platform(platform_ship(shop, mp, "P-TIE-B", "YTO", oid(mp, 1)) + platform_ship(shop, mp, "P-TIE-A", "SF", oid(mp, 2)) +
             platform_ship(shop, mp2, "P2-TIE-B", "YTO", oid(mp2, 1)) +
             platform_ship(shop, mp2, "P2-TIE-A", "SF", oid(mp2, 2)));
  // G6, last: q's first sub-order ships (the smaller waybill); the reservation waits for the second.
  w.platform(platform_ship(shop, mq, "Q-A-FIRST", "SF", oid(mq, 1)));
  // G8: the warehouse ships s in two packages; the first goes up alone.
  w.ship(shop, ms, "WMS-S1", {Parcel{"S-PKG-A", {oid(ms, 1)}}});
  // G7: g2 ships first; Tmall keeps the reservation for g1, the earlier repurchase.
  w.ship(shop, mg2, "WMS-G2", {Parcel{"G2-WAY", {}}});
  w.await("q, s and g2 partly or wholly shipped in erpd", [&] {
    return w.status_is(shop.key(mq), "partially_shipped") && w.status_is(shop.key(ms), "partially_shipped") &&
           w.status_is(shop.key(mg2), "shipped");
  });
  const auto first_parcels = std::chrono::system_clock::now();  // q's and s's first parcels are up
  w.await("Tmall ships " + rp + " and " + rp2 + " with the smaller waybills", [&] {
    return shipped_with(w.trade(shop, rp), "P-TIE-A") && shipped_with(w.trade(shop, rp2), "P2-TIE-A");
  });
  for (const auto& m : {mp, mp2}) {
    const json lines = w.trade(shop, m)["orders"]["order"];
    REQUIRE(lines.size() == 2);
    CHECK(lines[0]["consign_time"] == lines[1]["consign_time"]);  // the tie really happened
  }
  for (const auto& r : {rq, rs, rg}) {
    INFO(r);
    CHECK(not_shipped(w.trade(shop, r)));
    CHECK_FALSE(w.has_event(shop.key(r), "gift.main_shipped"));
    CHECK(w.held_only_by(shop.key(r), "RESERVATION"));
  }
  next_second_after(first_parcels);  // the last parcels carry a later time
  w.platform(platform_ship(shop, mq, "Q-Z-LAST", "SF", oid(mq, 2)));
  w.ship(shop, ms, "WMS-S2", {Parcel{"S-PKG-Z", {oid(ms, 2)}}});
  w.ship(shop, mg1, "WMS-G1", {Parcel{"G1-WAY", {}}});
  w.await("Tmall ships q's, s's and g's reservations with the last parcels", [&] {
    return shipped_with(w.trade(shop, rq), "Q-Z-LAST") && shipped_with(w.trade(shop, rs), "S-PKG-Z") &&
           shipped_with(w.trade(shop, rg), "G1-WAY");
  });
  w.platform(platform_ship(shop, mh1, "H1-WAY", "SF"));
  w.await("Tmall ships " + rh + " with h1's waybill", [&] { return shipped_with(w.trade(shop, rh), "H1-WAY"); });

  // erpd agrees with Tmall on every parcel and records each reservation shipped.
  const std::map<std::string, std::string> expected{
      {rp, "P-TIE-A"}, {rp2, "P2-TIE-A"}, {rq, "Q-Z-LAST"}, {rs, "S-PKG-Z"}, {rg, "G1-WAY"}, {rh, "H1-WAY"}};
  for (const auto& [r, waybill] : expected) {
    INFO(r);
    w.await(r + " recorded shipped", [&] {
      return w.has_event(shop.key(r), "gift.shipped", "G5") && w.status_is(shop.key(r), "shipped");
    });
    CHECK(w.order(shop.key(r))["lines"][0]["waybill"] == waybill);
    CHECK(w.uploads(r) == 0);
  }
  CHECK(w.uploads(ms) == 2);  // one upload per package
  CHECK(w.uploads(mg1) == 1);
  CHECK(w.uploads(mg2) == 1);
  w.check_never_delivered(shop, {rp, rp2, rq, rs, rg, rh});

  const std::map<std::string, std::string> mains{{rp, mp}, {rp2, mp2}, {rq, mq}, {rs, ms}, {rg, mg1}, {rh, mh1}};
  for (const auto& [r, waybill] : expected) {
    INFO(r);
    CHECK(w.reservation_state(shop.key(r)) == "shipped");
    const auto live = w.live_links(shop.key(r));
    REQUIRE(live.size() == 1);
    CHECK(live[0]["main_order_id"] == mains.at(r));
    CHECK(live[0]["state"] == "shipped");
    // The waybill erpd chose for the reservation (G6, G8) is the one Tmall used, and a tie is recorded.
    CHECK(live[0]["waybill"] == waybill);
    CHECK(live[0]["waybill_tie"] == (r == rp || r == rp2));
    CHECK(w.has_event(shop.key(r), "gift.main_shipped", r == rp || r == rp2 ? "G6" : "G5"));
  }
  CHECK(w.has_event(shop.key(mp), "gift.main_shipped", "G6"));
  CHECK(w.has_event(shop.key(mp2), "gift.main_shipped", "G6"));
  // h2 waited for h1 and was never linked (G7): the reservation has h1's link only.
  const json h_links = w.gift(shop.key(rh))["links"];
  REQUIRE(h_links.size() == 1);
  CHECK(h_links[0]["main_order_id"] == mh1);
  CHECK(w.gift(shop.key(mh2))["role"].is_null());
  CHECK(w.gift(shop.key(mh2))["gift_lines"].empty());
  CHECK(w.gift(shop.key(mg2))["role"].is_null());  // never linked
  CHECK(w.alerts("gift.not_shipped").empty());
  w.stop();
}

TEST_CASE("gift_G11_refunds_release_the_hold_or_take_the_gift_line_off_at_every_stage") {
  const GiftShop shop{"tm-gift", "platform", platform_gift("20s")};
  GiftWorld w;
  w.start({shop});
  // d: refunded while waiting. e: its repurchase is refunded before shipping, a second one carries
  // it. f: one of two linked reservations is refunded before the repurchase leaves.
  const std::string rd = "423000000000001", re = "423000000000002", rf1 = "423000000000003", rf2 = "423000000000004";
  const std::string me1 = "423000000000011", mf = "423000000000012", me2 = "423000000000013";
  w.platform(reservation(shop, rd, "buyer-d") + reservation(shop, re, "buyer-e") + reservation(shop, rf1, "buyer-f") +
             reservation(shop, rf2, "buyer-f"));
  w.await_held(shop, {rd, re, rf1, rf2}, "RESERVATION");
  w.platform(repurchase(shop, me1, "buyer-e", {{"SKU-1", "99.00"}}) + repurchase(shop, mf, "buyer-f", {{"SKU-1", "99.00"}}));
  w.await_held(shop, {me1, mf}, "TAG_WINDOW");
  // Operators hold both repurchases, so the links stand while the refunds come.
  const std::int64_t e_hold = w.manual_hold(shop.key(me1));
  const std::int64_t f_hold = w.manual_hold(shop.key(mf));
  w.platform(tag(shop, me1, {re}) + tag(shop, mf, {rf1, rf2}));
  w.await("e and f linked", [&] {
    return w.has_event(shop.key(re), "gift.linked", "G2") && w.has_event(shop.key(rf1), "gift.linked", "G2") &&
           w.has_event(shop.key(rf2), "gift.linked", "G2");
  });

  w.platform(refunded(shop, rd) + refunded(shop, me1) + refunded(shop, rf1));
  // d: closed, the hold released, no gift owed; it never goes to the warehouse (closed).
  w.await(rd + " closed", [&] { return w.has_event(shop.key(rd), "gift.closed", "G11"); });
  CHECK(w.holds(shop.key(rd)).empty());
  // e: the repurchase's gift line is gone and the reservation waits again, still held.
  w.await(re + " unlinked", [&] {
    return w.has_event(shop.key(me1), "gift.unlinked", "G11") && w.has_event(shop.key(re), "gift.unlinked", "G11");
  });
  CHECK(w.held_only_by(shop.key(re), "RESERVATION"));
  CHECK(w.reservation_state(shop.key(re)) == "waiting");
  // f: the refunded reservation's part is removed from the repurchase; the other stays.
  w.await(rf1 + " unlinked from " + mf, [&] {
    return w.has_event(shop.key(mf), "gift.unlinked", "G11") && w.has_event(shop.key(rf1), "gift.closed", "G11");
  });
  CHECK(w.reservation_state(shop.key(rf2)) == "linked");
  w.lift(shop.key(mf), f_hold);
  CHECK(GiftWorld::gift_pieces(w.await_delivery(shop, mf)) == std::map<std::string, std::int64_t>{{rf2, 1}});
  // e's refunded repurchase never leaves; the operator's hold on it lifts to nothing.
  w.lift(shop.key(me1), e_hold);

  // e: the buyer's next repurchase carries the reservation.
  w.platform(repurchase(shop, me2, "buyer-e", {{"SKU-2", "59.00"}}, {re}, "1s"));
  CHECK(GiftWorld::gift_pieces(w.await_delivery(shop, me2)) == std::map<std::string, std::int64_t>{{re, 1}});
  w.ship(shop, me2, "WMS-E2", {Parcel{"E2-WAY", {}}});
  w.ship(shop, mf, "WMS-F", {Parcel{"F-WAY", {}}});
  w.await("Tmall ships " + re + " and " + rf2, [&] {
    return shipped_with(w.trade(shop, re), "E2-WAY") && shipped_with(w.trade(shop, rf2), "F-WAY");
  });
  for (const auto& r : {re, rf2}) {
    w.await(r + " recorded shipped", [&] { return w.has_event(shop.key(r), "gift.shipped", "G5"); });
  }
  CHECK(not_shipped(w.trade(shop, rf1)));
  CHECK(not_shipped(w.trade(shop, rd)));
  CHECK(w.delivered(me1).empty());
  w.check_never_delivered(shop, {rd, re, rf1, rf2});

  CHECK(w.reservation_state(shop.key(rd)) == "closed");
  CHECK(w.reservation_state(shop.key(rf1)) == "closed");
  CHECK(w.reservation_state(shop.key(re)) == "shipped");
  CHECK(w.reservation_state(shop.key(rf2)) == "shipped");
  const json e_links = w.gift(shop.key(re))["links"];
  REQUIRE(e_links.size() == 2);
  CHECK(e_links[0]["main_order_id"] == me1);
  CHECK(e_links[0]["state"] == "dropped");
  CHECK(e_links[1]["main_order_id"] == me2);
  CHECK(e_links[1]["state"] == "shipped");
  const json f1_links = w.gift(shop.key(rf1))["links"];
  REQUIRE(f1_links.size() == 1);
  CHECK(f1_links[0]["state"] == "dropped");
  CHECK(w.gift(shop.key(me1))["gift_lines"].empty());
  CHECK(w.alerts("gift.warehouse_stale").empty());  // nothing had reached the warehouse
  w.stop();
}

TEST_CASE("gift_G3_G9_G12_merchant_mode_links_by_rule_and_uploads_each_reservation_once_until_the_stock_runs_out") {
  // Tmall leaves the shipping of reservations to the merchant (gift_mode merchant); erpd decides by
  // its rules, without a tag: "vip" (a VIP-1 line, 2 pieces in stock), then "spend-500".
  const GiftShop shop{"tm-merchant", "merchant",
                      "    gift:\n      enabled: true\n      mode: merchant\n      reservation:\n"
                      "        price: \"1.00\"\n      rules:\n        - name: vip\n          skus: [VIP-1]\n"
                      "          stock: 2\n        - name: spend-500\n          min_amount: \"500.00\"\n"};
  GiftWorld w;
  w.start({shop});
  // s1: a 2-piece reservation (G9) earns the vip rule's whole stock; s2 comes after it is spent;
  // u spends too little; g holds 13 reservations (G3), the one with the smallest id paid last.
  const std::string rs1 = "424000000000001", rs2 = "424000000000002", ru = "424000000000003";
  std::vector<std::string> rg;
  for (int i = 0; i <= 12; ++i) rg.push_back("4240000000001" + std::string(i < 10 ? "0" : "") + std::to_string(i));
  const std::string ms1 = "424000000000021", ms2 = "424000000000022", mu = "424000000000023", mg = "424000000000024";
  std::string reservations = reservation(shop, rs1, "buyer-s1", 2) + reservation(shop, rs2, "buyer-s2") +
                             reservation(shop, ru, "buyer-u") + reservation(shop, rg[0], "buyer-g", 1, false);
  for (int i = 1; i <= 12; ++i) reservations += reservation(shop, rg[static_cast<std::size_t>(i)], "buyer-g");
  w.platform(reservations);
  const auto paid = std::chrono::system_clock::now();  // every one of them was paid by now
  std::vector<std::string> all{rs1, rs2, ru};
  all.insert(all.end(), rg.begin(), rg.end());
  w.await_held(shop, all, "RESERVATION");
  next_second_after(paid);
  w.platform(event(shop, "pay", "tid: \"" + rg[0] + "\""));
  w.await(rg[0] + " paid in erpd", [&] {
    const json o = w.order(shop.key(rg[0]));
    return o.is_object() && o["paid_at"].is_string();
  });

  // s1 first: the vip rule gives its 2 pieces and is spent (alert, rule G12).
  w.platform(repurchase(shop, ms1, "buyer-s1", {{"VIP-1", "100.00"}}));
  CHECK(GiftWorld::gift_pieces(w.await_delivery(shop, ms1)) == std::map<std::string, std::int64_t>{{rs1, 2}});
  CHECK(w.has_event(shop.key(rs1), "gift.linked", "G12"));
  w.platform(repurchase(shop, ms2, "buyer-s2", {{"VIP-1", "100.00"}}) + repurchase(shop, mu, "buyer-u", {{"SKU-1", "100.00"}}) +
             repurchase(shop, mg, "buyer-g", {{"SKU-1", "400.00", 2}}));
  // s2: vip is spent and 100 yuan is under spend-500; u: under the threshold: no gift.
  for (const auto& m : {ms2, mu}) {
    INFO(m);
    CHECK(w.await_delivery(shop, m)["added_lines"].empty());
    CHECK(w.has_event(shop.key(m), "gift.not_earned", "G12"));
  }
  // g: 800 yuan earns spend-500; only the 12 earliest-paid reservations are linked (G3).
  std::map<std::string, std::int64_t> twelve;
  for (int i = 1; i <= 12; ++i) twelve[rg[static_cast<std::size_t>(i)]] = 1;
  CHECK(GiftWorld::gift_pieces(w.await_delivery(shop, mg)) == twelve);
  CHECK(w.held_only_by(shop.key(rg[0]), "RESERVATION"));

  // G12: the warehouse ships; erpd uploads the main's waybill for each linked reservation itself.
  w.ship(shop, ms1, "WMS-S1", {Parcel{"MS1-WAY", {}}});
  w.ship(shop, mg, "WMS-G", {Parcel{"MG-WAY", {}}});
  w.await("every linked reservation shipped on Tmall with its repurchase's waybill", [&] {
    if (!shipped_with(w.trade(shop, rs1), "MS1-WAY")) return false;
    for (int i = 1; i <= 12; ++i) {
      if (!shipped_with(w.trade(shop, rg[static_cast<std::size_t>(i)]), "MG-WAY")) return false;
    }
    return true;
  });
  std::vector<std::string> linked{rs1};
  linked.insert(linked.end(), rg.begin() + 1, rg.end());
  for (const auto& r : linked) {
    w.await(r + " recorded shipped", [&] { return w.has_event(shop.key(r), "gift.shipped", "G5"); });
  }
  // Later changes of the repurchases (the buyers confirm) upload nothing again.
  w.platform(event(shop, "confirm", "tid: \"" + ms1 + "\"") + event(shop, "confirm", "tid: \"" + mg + "\""));
  w.await("the confirmations stored", [&] {
    return w.status_is(shop.key(ms1), "completed") && w.status_is(shop.key(mg), "completed");
  });
  w.await("the outbox idle", [&] { return all_uploads_done(w.dir); });
  for (const auto& r : linked) {
    INFO(r);
    CHECK(w.uploads(r) == 1);  // exactly once, one call whatever the quantity (G9)
    CHECK(sim_counter(w.sim, "ship", r) == 1);
  }
  for (const auto& r : {rs2, ru, rg[0]}) {
    INFO(r);
    CHECK(not_shipped(w.trade(shop, r)));
    CHECK(w.uploads(r) == 0);
    CHECK(w.held_only_by(shop.key(r), "RESERVATION"));
  }
  w.check_never_delivered(shop, all);

  for (const auto& r : linked) {
    INFO(r);
    CHECK(w.reservation_state(shop.key(r)) == "shipped");
    const auto live = w.live_links(shop.key(r));
    REQUIRE(live.size() == 1);
    CHECK(live[0]["rule"] == "G12");
    CHECK(live[0]["source"] == (r == rs1 ? "rule:vip" : "rule:spend-500"));
    CHECK(live[0]["outbox_id"].is_number());  // erpd's own upload (G12)
  }
  for (const auto& r : {rs2, ru, rg[0]}) CHECK(w.reservation_state(shop.key(r)) == "waiting");
  CHECK(w.alerts("gift.stock_exhausted") == std::set<std::string>{"rule:vip"});
  w.stop();
}

TEST_CASE("gift_G5_an_alert_when_Tmall_does_not_ship_the_reservation_in_time") {
  // erpd expects Tmall to ship reservations (platform mode, verify within 2 s), but this shop's
  // Tmall side does not (the simulator's merchant gift mode).
  const GiftShop shop{"tm-verify", "merchant", platform_gift("20s", "2s")};
  GiftWorld w;
  w.start({shop});
  const std::string rv = "425000000000001", mv = "425000000000011";
  w.platform(reservation(shop, rv, "buyer-v"));
  w.await_held(shop, {rv}, "RESERVATION");
  w.platform(repurchase(shop, mv, "buyer-v", {{"SKU-1", "99.00"}}, {rv}, "1s"));
  CHECK(GiftWorld::gift_pieces(w.await_delivery(shop, mv)) == std::map<std::string, std::int64_t>{{rv, 1}});
  w.ship(shop, mv, "WMS-V", {Parcel{"V-WAY", {}}});
  w.await(mv + " shipped in erpd", [&] { return w.has_event(shop.key(rv), "gift.main_shipped", "G5"); });
  const auto main_shipped = instant(w.events(shop.key(rv), "gift.main_shipped", "G5").front()["at"]);
  w.await("gift.not_shipped on " + rv, [&] { return w.has_event(shop.key(rv), "alert.raised", "G5"); });
  const auto alerted = instant(w.events(shop.key(rv), "alert.raised", "G5").front()["at"]);
  CHECK(alerted >= main_shipped + 1s);  // verify_within 2 s after the last parcel (whole seconds)
  // Platform mode: erpd does not upload the reservation itself; it stays held, never delivered.
  CHECK(w.uploads(rv) == 0);
  CHECK(not_shipped(w.trade(shop, rv)));
  CHECK(w.held_only_by(shop.key(rv), "RESERVATION"));
  CHECK(w.reservation_state(shop.key(rv)) == "linked");
  w.check_never_delivered(shop, {rv});
  CHECK(w.alerts("gift.not_shipped") == std::set<std::string>{shop.key(rv)});
  const auto live = w.live_links(shop.key(rv));
  REQUIRE(live.size() == 1);
  CHECK(live[0]["state"] == "main_shipped");
  CHECK(live[0]["waybill"] == "V-WAY");
  w.stop();
}

// G7 when the tags of two repurchases naming the same reservation are read in one poll: Tmall lists
// the later-created one first (same modified second, larger tid first), so erpd reads its tag
// while the earlier one still waits for its own; the later one waits too, and the reservation
// rides with the earlier one, as Tmall ships it.
TEST_CASE("gift_G7_tags_read_in_one_poll_give_the_reservation_to_the_earlier_repurchase") {
  const GiftShop shop{"tm-gift", "platform", platform_gift("20s")};
  GiftWorld w;
  w.start({shop});
  const std::string r = "429000000000001", m1 = "429000000000011", m2 = "429000000000012";
  w.platform(reservation(shop, r, "buyer-x"));
  w.await_held(shop, {r}, "RESERVATION");
  w.platform(repurchase(shop, m1, "buyer-x", {{"SKU-1", "50.00"}}) + repurchase(shop, m2, "buyer-x", {{"SKU-2", "60.00"}}));
  w.await_held(shop, {m1, m2}, "TAG_WINDOW");
  w.platform(tag(shop, m1, {r}) + tag(shop, m2, {r}));
  CHECK(GiftWorld::gift_pieces(w.await_delivery(shop, m1)) == std::map<std::string, std::int64_t>{{r, 1}});
  CHECK(w.await_delivery(shop, m2)["added_lines"].empty());
  w.stop();
}
