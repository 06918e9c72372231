#pragma once
// A simulated trading day on platform-sim's TOP module, and erpd configs that sync it: shared by
// the sync, crash and shipment integration tests.

#include <csignal>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "integration/fixtures.hpp"

namespace erp::test {

/// Calls platform-sim's control API; fails the test unless it answers 200.
nlohmann::json sim_admin(const PlatformSim& sim, const std::string& method, const std::string& path,
                         const std::string& body = "");

/// One TOP shop of the day; credentials match the scenario's.
struct TopShop {
  std::string id;
  std::string platform;  ///< taobao | tmall
  std::string app_key() const { return id + "-key"; }
  std::string app_secret() const { return id + "-secret"; }
  std::string session() const { return id + "-session"; }
};

inline const TopShop kTaobaoShop{"tb-day", "taobao"};
inline const TopShop kTmallShop{"tm-day", "tmall"};

/// What a day holds, to know when a sync has seen all of it.
struct DayPlan {
  int taobao_trades = 0;
  int tmall_trades = 0;
  int total() const { return taobao_trades + tmall_trades; }
};

/// Loads a day of trades into `sim`: the clock is set 24 h back, `trades_per_shop` trades per shop
/// are created over the day (multi-line, presale, Tmall Global, 1-yuan reservations and their
/// repurchases) and changed later the same day (payments, refunds, memos, platform-side shipments,
/// closings); then the clock is set to the real time, so every change lies in the past.
/// Deterministic: the same arguments give the same day.
DayPlan load_trading_day(const PlatformSim& sim, int trades_per_shop);

/// The `shops:` items for these shops pointed at `sim`, with a short HTTP timeout so injected
/// timeouts cost seconds, not minutes.
std::string top_shops_yaml(const PlatformSim& sim, const std::vector<TopShop>& shops);

/// A `sync:` section that backfills the whole day in 2-hour windows and polls every second.
std::string day_sync_yaml();

/// Every stored order as the API shows it, by "platform/shop/order_id", without the daemon's own
/// timestamps (stored_at, updated_at, released_at), which differ between two runs by nature.
std::map<std::string, nlohmann::json> stored_orders(const TempDir& dir);

/// Number of stored orders (`GET /v1/status` counts).
std::int64_t stored_order_count(const TempDir& dir);

}  // namespace erp::test
