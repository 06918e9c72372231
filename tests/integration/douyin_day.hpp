#pragma once
// A simulated day on platform-sim's Douyin module, and erpd configs that sync it: shared by the
// Douyin sync, token, crash, shipment, privacy and push integration tests.

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "integration/top_day.hpp"

namespace erp::test {

/// One Douyin shop; credentials follow platform-sim's generated shops (`gen-douyin-1-key` ...),
/// so a DouyinShop{"gen-douyin-1"} matches what `POST /admin/generate` created.
struct DouyinShop {
  std::string id;
  std::string app_key() const { return id + "-key"; }
  std::string app_secret() const { return id + "-secret"; }
  std::string access_token() const { return id + "-session"; }
  std::string refresh_token() const { return id + "-refresh"; }
};

inline const DouyinShop kDouyinShop{"dy-day"};

/// The scenario's `shops:` item for `shop` (with `push_url` when given).
std::string douyin_scenario_shop(const DouyinShop& shop, const std::string& push_url = "");

/// A day's events for `shop`, relative to the scenario's clock: `orders` orders created over the
/// first 19 hours (1-3 sku orders, encrypted receivers, some unpaid), changed later the same day
/// (payments, cancellations of orders and of single items, refund requests and refunds, memos with
/// stars, address and ship-by changes, platform-side shipments of whole orders and of single items,
/// completions). Every id is given (orders, sku orders, after-sales, waybills; numbered from
/// `first`), so the same arguments give the same orders in any simulator. Deterministic.
std::string douyin_day_events(const DouyinShop& shop, int orders, std::uint64_t seed = 20261111, int first = 0);

/// Loads a day of `orders` orders per shop into `sim`: the clock is set 24 h back, the day's events
/// are loaded and the clock set to the real time again, so every change lies in the past. Returns
/// the number of orders in all shops.
int load_douyin_day(const PlatformSim& sim, int orders, const std::vector<DouyinShop>& shops = {kDouyinShop});

/// What a test changes in a Douyin shop's config.
struct DouyinShopOptions {
  std::string poll_interval = "1s";
  int requests_per_minute = 6000;
  std::string timeout = "2s";                ///< options.timeout: injected timeouts cost seconds, not minutes.
  int page_size = 0;                         ///< options.page_size; 0: the plugin's default (100).
  std::optional<std::string> refresh_token;  ///< Default: the shop's; "" leaves it out.
  std::string push_path;                     ///< Default: none (the daemon's /push/<id>).
};

/// The `shops:` item for `shop` pointed at `sim` (base_url = the simulator's root).
std::string douyin_shop_yaml(const PlatformSim& sim, const DouyinShop& shop, const DouyinShopOptions& options = {});

/// A `sync:` section that backfills `backfill` in `window`s with a 1 s lag and a 1 min overlap.
std::string douyin_sync_yaml(const std::string& backfill = "2d", const std::string& window = "2h",
                             const std::string& reconcile_every = "1h", const std::string& reconcile_span = "1d");

/// The shop's entry in `GET /v1/status` (null when absent or the API does not answer).
nlohmann::json shop_status(const TempDir& dir, const std::string& shop);

/// platform-sim's write counter `kind` ("ship.upload", "decrypt", "push" ...) under `key`; 0 when none.
int sim_counter(const PlatformSim& sim, const std::string& kind, const std::string& key = "total");

/// How often `needle` occurs in `text`.
std::size_t occurrences(const std::string& text, const std::string& needle);

/// The end of erpd's log, for failure messages.
std::string log_tail(Erpd& erpd, std::size_t bytes = 4000);

/// Every order's `order.received` count in its history (`GET .../why`), by key.
std::map<std::string, int> received_counts(const TempDir& dir, const std::vector<std::string>& keys);

/// Calls a Douyin method on the simulator with `access_token`, signed (md5) as the platform
/// wants; returns the whole answer envelope.
nlohmann::json douyin_call(const PlatformSim& sim, const DouyinShop& shop, const std::string& method,
                           const nlohmann::json& params, const std::string& access_token);

/// The value erpd keeps in its plugin_state table for (platform, shop, key); read with erpd stopped.
std::optional<std::string> plugin_state_value(const TempDir& dir, const std::string& platform, const std::string& shop,
                                              const std::string& key);

}  // namespace erp::test
