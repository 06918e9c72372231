// Douyin access tokens expire (7 days) and token.refresh retires the old pair at once: a token that
// expires in the middle of a sync window is refreshed once, the sync goes on without storing an
// order twice, the new pair survives a restart (the configured token is dead by then), and a shop
// whose refresh token Douyin refuses says needs_reauth.

#include <doctest/doctest.h>

#include <sstream>

#include "integration/douyin_day.hpp"

using namespace erp::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::string kRefreshed = "access_token refreshed with token.refresh";

/// Keys of the shop's stored orders.
std::vector<std::string> keys_of(const std::map<std::string, json>& orders, const std::string& shop) {
  std::vector<std::string> keys;
  for (const auto& [key, order] : orders) {
    if (order["shop"] == shop) keys.push_back(key);
  }
  return keys;
}

bool healthy(const json& status) {
  if (!status.is_object()) return false;
  const json& sync = status.at("sync");
  return status.at("state") == "ok" && sync.at("last_error") == "" &&
         (sync.at("state") == "idle" || sync.at("state") == "syncing");
}

/// The shop's erp_sync_errors_total lines in a /metrics text.
std::string sync_error_lines(const std::string& metrics, const std::string& shop) {
  std::string out;
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("erp_sync_errors_total{", 0) == 0 && line.find("shop=\"" + shop + "\"") != std::string::npos)
      out += line + "\n";
  }
  return out;
}

void expire_token(const PlatformSim& sim, const DouyinShop& shop) {
  const json applied = sim_admin(sim, "POST", "/admin/scenario?name=expire.yaml",
                                 "events:\n  - {at: \"+0s\", shop: " + shop.id + ", type: token_expire}\n");
  REQUIRE(applied["applied"] == 1);
}

}  // namespace

TEST_CASE("a Douyin token expiring mid-window is refreshed once, kept across a restart, or ends in needs_reauth") {
  TempDir sim_dir;
  PlatformSim sim(sim_dir.path());
  REQUIRE(sim.start());
  const json generated =
      sim_admin(sim, "POST", "/admin/generate", json{{"platform", "douyin"}, {"shops", 2}, {"orders", 600}}.dump());
  const DouyinShop shop{generated["shops"][0]["id"].get<std::string>()};
  const DouyinShop broken{generated["shops"][1]["id"].get<std::string>()};
  const int per_shop = generated["orders_per_shop"].get<int>();

  TempDir dir;
  ConfigOptions options;
  // The first shop reads 31 pages of 20 at two requests a second, so the token expires while it is
  // inside its one window; the second's refresh token is not the one Douyin issued.
  DouyinShopOptions slow;
  slow.page_size = 20;
  slow.requests_per_minute = 120;
  DouyinShopOptions wrong_refresh;
  wrong_refresh.refresh_token = "not-the-refresh-token";
  options.shops_yaml = douyin_shop_yaml(sim, shop, slow) + douyin_shop_yaml(sim, broken, wrong_refresh);
  options.extra_yaml = "sync:\n  backfill: 1d\n  window: 1d\n  lag: 1s\n  overlap: 2s\n";
  write_config(dir, options);

  auto erpd = std::make_unique<Erpd>(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd->start());
  auto synced = [&](const DouyinShop& s) -> std::int64_t {
    const json status = shop_status(dir, s.id);
    return status.is_object() ? status.at("sync").value("orders_synced", std::int64_t{0}) : -1;
  };
  REQUIRE(eventually([&] { return synced(shop) >= 60; }, 60s));
  expire_token(sim, shop);
  const auto at_expiry = synced(shop);
  INFO("stored when the token expired: " << at_expiry);
  REQUIRE(at_expiry < per_shop);  // inside the window, not after it

  const bool all = eventually([&] { return stored_order_count(dir) == 2 * per_shop; }, 60s);
  INFO(log_tail(*erpd));
  REQUIRE(all);
  REQUIRE(eventually([&] { return healthy(shop_status(dir, shop.id)); }, 10s));
  const std::string log = erpd->log();
  CHECK(occurrences(log, "[douyin shop " + shop.id + "] " + kRefreshed) == 1);  // one token.refresh
  const std::string metrics = http("GET", api_url(dir) + "/metrics", api_token(dir)).body;
  CHECK(sync_error_lines(metrics, shop.id).empty());  // the refresh was no failure of the sync

  // Every order stored exactly once: received once each, whatever page the refresh fell on.
  const auto orders = stored_orders(dir);
  const auto keys = keys_of(orders, shop.id);
  REQUIRE(keys.size() == static_cast<std::size_t>(per_shop));
  for (const auto& [key, received] : received_counts(dir, keys)) {
    INFO(key);
    CHECK(received == 1);
  }

  // The shop whose refresh token is wrong: once its token expires, it needs the merchant.
  REQUIRE(eventually([&] { return healthy(shop_status(dir, broken.id)); }, 10s));
  expire_token(sim, broken);
  REQUIRE(http("POST", api_url(dir) + "/v1/shops/" + broken.id + "/sync", api_token(dir)).status == 202);
  const bool reauth = eventually([&] { return shop_status(dir, broken.id)["sync"]["state"] == "needs_reauth"; }, 15s);
  INFO(shop_status(dir, broken.id).dump());
  CHECK(reauth);
  const auto ctl = erpctl(dir, {"status"});
  INFO(ctl.out << ctl.err);
  CHECK(ctl.exit_code == 0);
  CHECK(ctl.out.find(broken.id) != std::string::npos);
  CHECK(ctl.out.find("needs_reauth") != std::string::npos);
  const auto alerts = http("GET", api_url(dir) + "/v1/alerts", api_token(dir));
  CHECK(alerts.body.find(broken.id) != std::string::npos);
  CHECK(healthy(shop_status(dir, shop.id)));  // one shop's authorization does not touch another's

  erpd->signal(SIGTERM);
  REQUIRE(erpd->wait() == 0);

  // The database holds the pair Douyin issued: the new access token works, the configured one is gone.
  const auto stored = plugin_state_value(dir, "douyin", shop.id, "douyin.tokens");
  REQUIRE(stored.has_value());
  const json pair = json::parse(*stored);
  const std::string access = pair.value("access_token", "");
  const std::string refresh = pair.value("refresh_token", "");
  CHECK(access != shop.access_token());
  CHECK(refresh != shop.refresh_token());
  const json probe{{"page", 0}, {"size", 1}};
  CHECK(douyin_call(sim, shop, "order.searchList", probe, access)["code"] == 10000);
  CHECK(douyin_call(sim, shop, "order.searchList", probe, shop.access_token())["sub_code"] ==
        "isv.access-token-no-existed");
  CHECK_FALSE(plugin_state_value(dir, "douyin", broken.id, "douyin.tokens").has_value());

  // Restarted with the same config, whose access_token Douyin retired: the stored pair goes on.
  sim_admin(sim, "POST", "/admin/generate", json{{"platform", "douyin"}, {"shops", 1}, {"orders", 40}}.dump());
  std::this_thread::sleep_for(3s);  // the new orders are past the overlap of the last window read
  erpd = std::make_unique<Erpd>(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd->start());
  const bool more = eventually([&] { return stored_order_count(dir) == 2 * per_shop + 40; }, 60s);
  INFO(log_tail(*erpd));
  REQUIRE(more);
  CHECK(healthy(shop_status(dir, shop.id)));
  CHECK(occurrences(erpd->log(), kRefreshed) == 1);  // no second refresh, no re-authorization
  CHECK(eventually([&] { return shop_status(dir, broken.id)["sync"]["state"] == "needs_reauth"; }, 15s));
  erpd->signal(SIGTERM);
  CHECK(erpd->wait() == 0);
  CHECK(douyin_call(sim, shop, "order.searchList", probe, access)["code"] == 10000);
  // The stored refresh token is the live one: Douyin takes it (which retires the pair; the test ends).
  const json renewed =
      douyin_call(sim, shop, "token.refresh", json{{"grant_type", "refresh_token"}, {"refresh_token", refresh}}, "");
  CHECK(renewed["code"] == 10000);
}
