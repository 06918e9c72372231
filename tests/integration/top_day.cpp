#include "integration/top_day.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <ctime>

#include "integration/dice.hpp"

namespace erp::test {
namespace {

using nlohmann::json;

struct Writer {
  std::string yaml;
  void event(int minute, const TopShop& shop, const std::string& type, const std::string& keys) {
    yaml += "  - {at: \"+" + std::to_string(minute) + "m\", shop: " + shop.id + ", type: " + type +
            (keys.empty() ? "" : ", " + keys) + "}\n";
  }
};

std::string lines_yaml(std::int64_t tid, int count, Dice& dice) {
  std::string out = "lines: [";
  for (int k = 1; k <= count; ++k) {
    const int item = 1 + dice.below(8);
    out += std::string(k > 1 ? ", " : "") + "{oid: \"" + std::to_string(tid * 10 + k) + "\", item: \"60" +
           std::to_string(item) + "\", sku: \"70" + std::to_string(item) + std::to_string(k) + "\", outer_sku: \"SKU-" +
           std::to_string(item) + "-" + std::to_string(k) + "\", qty: " + std::to_string(1 + dice.below(3)) +
           ", price: \"" + std::to_string(10 + dice.below(490)) + "." + std::to_string(10 + dice.below(90)) + "\"}";
  }
  return out + "]";
}

/// The shop's trades and what happens to them later the same day (rules the later issues build on
/// need these shapes: presale S1, Tmall Global S6-S7, reservations G1-G3).
int write_shop_day(Writer& w, const TopShop& shop, std::int64_t first_tid, int trades, Dice& dice) {
  const bool tmall = shop.platform == "tmall";
  std::int64_t last_reservation = 0;
  for (int i = 0; i < trades; ++i) {
    const std::int64_t tid = first_tid + i;
    const std::string id = "\"" + std::to_string(tid) + "\"";
    const int minute = 10 + (i * 1140) / trades + dice.below(5);  // spread over the first 19 hours
    const bool paid = i % 7 != 0;
    std::string keys = "tid: " + id + ", buyer: buyer-" + std::to_string(i / 2) + (paid ? ", paid: true" : "");
    if (i % 11 == 0) keys += ", step: true";
    if (tmall && i % 10 == 3) {
      static const char* kinds[] = {"bonded_import", "direct_mail", "consolidated_import"};
      keys += std::string(", cross_border: ") + kinds[(i / 10) % 3];
    }
    if (tmall && i % 6 == 1) {
      w.event(minute, shop, "order",
              keys + ", one_yuan: true, lines: [{oid: \"" + std::to_string(tid * 10 + 1) +
                  "\", item: \"690\", sku: \"7901\", outer_sku: \"RESERVE-1\", qty: 1, price: \"1.00\"}]");
      last_reservation = tid;
      continue;
    }
    if (tmall && i % 6 == 2 && last_reservation != 0) {
      keys += ", reservations: [\"" + std::to_string(last_reservation) + "\"], tag_delay: 2h";
    }
    w.event(minute, shop, "order", keys + ", " + lines_yaml(tid, 1 + dice.below(3), dice));
    if (i % 11 == 0) {
      // A presale (step) trade: the deposit now, the balance later the same day, shipped later
      // than this day (rule S1), so nothing else happens to it here.
      if (paid) w.event(minute + 45, shop, "pay", "tid: " + id);
      continue;
    }
    if (!paid) {
      w.event(minute + 30, shop, i % 14 == 0 ? "pay" : "cancel", "tid: " + id);
      if (i % 14 != 0) continue;
    }
    if (i % 5 == 0) w.event(minute + 40, shop, "memo", "tid: " + id + ", text: \"check " + std::to_string(i) +
                                                           "\", flag: " + std::to_string(i % 6));
    if (i % 9 == 0) {
      w.event(minute + 60, shop, "refund", "tid: " + id + ", oid: \"" + std::to_string(tid * 10 + 1) + "\"");
      if (i % 18 == 0) {
        w.event(minute + 180, shop, "refund",
                "tid: " + id + ", oid: \"" + std::to_string(tid * 10 + 1) + "\", status: SUCCESS");
      }
      continue;
    }
    if (i % 13 == 0) {
      w.event(minute + 90, shop, "close", "tid: " + id);
      continue;
    }
    if (i % 4 == 0) {
      w.event(minute + 120, shop, "ship", "tid: " + id + ", company: SF, out_sid: \"SF" + std::to_string(tid) + "\"");
      if (i % 8 == 0) w.event(minute + 300, shop, "confirm", "tid: " + id);
    } else if (i % 10 == 5) {
      w.event(minute + 120, shop, "ship",
              "tid: " + id + ", oid: \"" + std::to_string(tid * 10 + 1) + "\", company: YTO, out_sid: \"YT" +
                  std::to_string(tid) + "\"");
    }
  }
  return trades;
}

}  // namespace

json sim_admin(const PlatformSim& sim, const std::string& method, const std::string& path, const std::string& body) {
  const auto reply = http(method, sim.url() + path, "", body);
  INFO(method << " " << path << " -> " << reply.status << " " << reply.body);
  REQUIRE(reply.status == 200);
  return json::parse(reply.body);
}

DayPlan load_trading_day(const PlatformSim& sim, int trades_per_shop) {
  const auto now = std::chrono::system_clock::now();
  Writer w;
  w.yaml = "clock: \"" + rfc3339(now - std::chrono::hours(24)) + "\"\nshops:\n";
  for (const TopShop* shop : {&kTaobaoShop, &kTmallShop}) {
    w.yaml += "  - {id: " + shop->id + ", platform: " + shop->platform + ", app_key: " + shop->app_key() +
              ", app_secret: " + shop->app_secret() + ", session: " + shop->session() + "}\n";
  }
  w.yaml += "events:\n";
  Dice dice(20261111);
  DayPlan plan;
  plan.taobao_trades = write_shop_day(w, kTaobaoShop, 31000000000000, trades_per_shop, dice);
  plan.tmall_trades = write_shop_day(w, kTmallShop, 41000000000000, trades_per_shop, dice);
  sim_admin(sim, "POST", "/admin/scenario?name=trading-day.yaml", w.yaml);
  const json walked = sim_admin(sim, "POST", "/admin/clock", json{{"set", rfc3339(now)}}.dump());
  INFO("events the simulator refused: " << walked["refused"].dump());
  CHECK(walked["refused"].empty());
  return plan;
}

std::string top_shops_yaml(const PlatformSim& sim, const std::vector<TopShop>& shops) {
  std::string yaml;
  for (const auto& shop : shops) {
    yaml += "  - id: " + shop.id + "\n    platform: " + shop.platform + "\n    base_url: " + sim.url() +
            "/router/rest\n    app_key: " + shop.app_key() + "\n    app_secret: " + shop.app_secret() +
            "\n    session: " + shop.session() + "\n    poll_interval: 1s\n    requests_per_minute: 6000\n" +
            "    options:\n      timeout: 2s\n";
  }
  return yaml;
}

std::string day_sync_yaml() {
  return "sync:\n  backfill: 2d\n  window: 2h\n  lag: 1s\n  overlap: 1m\n  reconcile_every: 1h\n"
         "  reconcile_span: 1d\n";
}

std::map<std::string, json> stored_orders(const TempDir& dir) {
  std::map<std::string, json> out;
  std::string cursor;
  const std::string url = api_url(dir), token = api_token(dir);
  for (;;) {
    const auto reply = http("GET", url + "/v1/orders?limit=1000" + (cursor.empty() ? "" : "&cursor=" + cursor), token);
    REQUIRE(reply.status == 200);
    const json page = json::parse(reply.body);
    for (json order : page["orders"]) {
      for (const char* daemon_own : {"stored_at", "updated_at", "released_at"}) order.erase(daemon_own);
      // The key first: json's by-value operator= would take `order` before the key is read.
      const std::string key = order["platform"].get<std::string>() + "/" + order["shop"].get<std::string>() + "/" +
                              order["order_id"].get<std::string>();
      out[key] = std::move(order);
    }
    if (!page["next_cursor"].is_string()) return out;
    cursor = page["next_cursor"].get<std::string>();
  }
}

std::int64_t stored_order_count(const TempDir& dir) {
  const auto reply = http("GET", api_url(dir) + "/v1/status", api_token(dir));
  if (reply.status != 200) return -1;
  return json::parse(reply.body)["counts"]["orders"].get<std::int64_t>();
}

}  // namespace erp::test
