// Issue [8/10] proof, end to end: erpd syncing a Douyin shop from platform-sim. Douyin gives each
// order its ship-by (exp_ship_time, S1); erpd raises "at risk" within the lead time, clears it
// when Douyin moves the deadline (push tag 126's change, read by the sync), tells the warehouse's
// webhook of the alert once, and brings a hold's release forward so it never makes the order late,
// marking it urgent.

#include <doctest/doctest.h>

#include "integration/douyin_day.hpp"

using namespace erp::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const DouyinShop kShop{"dy-dl"};

std::string order_event(const std::string& id, int exp_ship_hours) {
  return "  - {at: \"+0s\", shop: " + kShop.id + ", type: order, order_id: \"" + id +
         "\", paid: true, exp_ship_hours: " + std::to_string(exp_ship_hours) +
         ", skus: [{sku_order_id: \"" + id + "1\", sku_id: \"1\", code: CUP, product_name: 杯, qty: 1, price: \"9.90\"}]}\n";
}

bool at_risk_alert(const TempDir& dir, const std::string& key) {
  const auto reply = http("GET", api_url(dir) + "/v1/alerts", api_token(dir));
  if (reply.status != 200) return false;
  const json body = json::parse(reply.body);
  for (const auto& a : body["alerts"])
    if (a["kind"] == "deadline.at_risk" && a["subject"] == key) return true;
  return false;
}

}  // namespace

TEST_CASE("S1 Douyin's exp_ship_time is the ship-by; at risk inside the lead, cleared when Douyin moves it; holds never make it late") {
  TempDir sim_dir;
  PlatformSim sim(sim_dir.path());
  REQUIRE(sim.start());
  sim_admin(sim, "POST", "/admin/scenario?name=shops.yaml", "shops:\n" + douyin_scenario_shop(kShop));
  TempDir dir;
  WebhookReceiver warehouse;
  ConfigOptions options = with_webhook(warehouse.url());
  options.shops_yaml = douyin_shop_yaml(sim, kShop);
  options.extra_yaml = douyin_sync_yaml("1d", "2h") +
                       "workflows:\n  release_delay: 3h\n  deadlines:\n    at_risk_before: 4h\n"
                       "    warehouse_lead: 2h\n    sweep_every: 1s\n";
  write_config(dir, options);
  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE_MESSAGE(erpd.start(), erpd.log());
  const std::string api = api_url(dir), token = api_token(dir);
  auto order = [&](const std::string& key) {
    const auto reply = http("GET", api + "/v1/orders/" + key, token);
    return reply.status == 200 ? json::parse(reply.body) : json(nullptr);
  };
  auto sync = [&] { http("POST", api + "/v1/shops/" + kShop.id + "/sync", token); };

  const std::string soon = "6940000000000000001", later = "6940000000000000002";
  const std::string soon_key = "douyin/" + kShop.id + "/" + soon, later_key = "douyin/" + kShop.id + "/" + later;
  const json answer = sim_admin(sim, "POST", "/admin/scenario?name=orders.yaml",
                                "events:\n" + order_event(soon, 2) + order_event(later, 48));
  REQUIRE(answer["refused"].empty());
  REQUIRE_MESSAGE(eventually_nudging([&] { return order(soon_key).is_object() && order(later_key).is_object(); }, sync,
                                     15s),
                  log_tail(erpd));

  // Due in 2 h with a 4 h lead: at risk at once; due in 48 h: not.
  const json s = order(soon_key);
  CHECK(s["deadline"]["rule"] == "S1");
  CHECK(s["deadline"]["state"] == "at_risk");
  CHECK(at_risk_alert(dir, soon_key));
  CHECK(order(later_key)["deadline"]["state"] == "open");
  CHECK_FALSE(at_risk_alert(dir, later_key));

  // The warehouse's webhook hears of the alert as event deadline.at_risk, once however many
  // sweeps (one a second here) find the order still at risk.
  auto at_risk_posts = [&] {
    std::vector<json> out;
    for (const auto& r : warehouse.requests())
      if (r.event == "deadline.at_risk") out.push_back(json::parse(r.body));
    return out;
  };
  REQUIRE_MESSAGE(eventually([&] { return at_risk_posts().size() == 1; }, 10s), log_tail(erpd));
  std::this_thread::sleep_for(2500ms);
  const auto posts = at_risk_posts();
  REQUIRE(posts.size() == 1);
  CHECK(posts[0]["alert"]["subject"] == soon_key);
  CHECK(posts[0]["alert"]["rule"] == "S1");
  CHECK(posts[0]["alert"]["order"]["order_id"] == soon);

  // The 3 h release delay would end after ship-by minus the 2 h warehouse lead: it is brought
  // forward, and the order goes to the warehouse marked urgent (holds never cause lateness).
  REQUIRE_MESSAGE(eventually([&] { return order(soon_key)["released"] == true; }, 10s), order(soon_key).dump());
  CHECK(order(soon_key)["urgent"] == true);
  CHECK(order(later_key)["released"] == false);
  CHECK(order(later_key)["urgent"] == false);

  // Douyin moves the deadline 30 h out: no longer at risk.
  REQUIRE(sim_admin(sim, "POST", "/admin/scenario?name=move.yaml",
                    "events:\n  - {at: \"+0s\", shop: " + kShop.id + ", type: exp_ship_time, order_id: \"" + soon +
                        "\", hours: 30}\n")["refused"]
              .empty());
  REQUIRE_MESSAGE(eventually_nudging([&] { return !at_risk_alert(dir, soon_key); }, sync, 15s), log_tail(erpd));
  CHECK(order(soon_key)["deadline"]["state"] == "open");
}
