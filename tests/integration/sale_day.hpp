#pragma once
// A busy sale day, end to end, for the issue [9/10] proofs (docs/reliability.md): a Taobao, a Tmall
// and a Douyin shop on platform-sim with a day of history, waves of new orders arriving, erpd
// syncing them (Douyin also pushing each change), and a warehouse that ships what erpd releases and
// has every fifth new order intercepted (a memo on the platform, a lock it confirms). Run with
// injected faults or with erpd killed at random moments, the day must end where a quiet day ends.

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace erp::test {

struct SaleDayOptions {
  int history_orders = 20;  ///< Orders per shop in the day before (every shape the mappings carry).
  int waves = 4;            ///< Waves of new orders during the run.
  int wave_orders = 5;      ///< New orders per shop in each wave.
  std::chrono::milliseconds wave_gap{1500};
  /// Share of platform requests that fail, spread over server errors, rate limits, cut bodies and
  /// requests never answered; the same share of Douyin pushes is dropped and of others sent twice.
  double platform_faults = 0;
  int warehouse_fail_one_in = 0;  ///< Every n-th webhook call fails (0: none).
  int kills = 0;                  ///< erpd killed with SIGKILL at this many random moments of the waves.
  std::uint64_t seed = 20261111;  ///< Draws the kill moments.
  std::chrono::seconds settle_within{240};
};

/// Where the day ended: what a merchant and the platform would see.
struct SaleDayEnd {
  bool settled = false;                           ///< Every order stored and acted on, every outbox item done.
  std::string unsettled;                          ///< What was still missing when `settled` is false.
  int expected_orders = 0;                        ///< History and new orders on the platform.
  std::map<std::string, nlohmann::json> orders;   ///< "platform/shop/order_id" -> settled_state().
  std::map<std::string, int> received;            ///< Key -> `order.received` events in its history.
  std::map<std::string, int> release_keys;        ///< Key -> distinct `order.released` webhook keys.
  std::map<std::string, std::string> new_orders;  ///< Key of each new order -> "ship" | "intercept".
  nlohmann::json counters;                        ///< platform-sim's write counters.
  int kills = 0;
  double seconds = 0;  ///< From erpd's first start to settled.
  std::string log_tail;
};

/// Runs one sale day on a fresh simulator and a fresh erpd database.
SaleDayEnd run_sale_day(const SaleDayOptions& options);

/// Checks what every sale day must show, faults or kills or none: it settled; every order on the
/// platform is stored and was received once (a re-read or a pushed duplicate changed nothing); each
/// released order reached the warehouse under one key; each shipped new order was uploaded to the
/// platform once and each intercepted one got its memo written once (platform-sim's counters).
void check_handled_once(const SaleDayEnd& end);

/// Checks that `day` ended where the quiet run `quiet` ended, order by order (settled_state).
void check_same_end(const SaleDayEnd& quiet, const SaleDayEnd& day);

/// The day's size from the environment, for the long runs docs/reliability.md reports:
/// ERP_SALE_DAY_KILLS, ERP_SALE_DAY_WAVES, ERP_SALE_DAY_WAVE_ORDERS, ERP_SALE_DAY_HISTORY.
SaleDayOptions sale_day_from_env(SaleDayOptions defaults);

/// The order as two runs of the same day must agree on: the API's order JSON without instants
/// (every `*_at` and `ship_by`: new orders are created at the run's own time) and without erpd's
/// row ids; holds by reason, the intercept by state.
nlohmann::json settled_state(nlohmann::json order);

}  // namespace erp::test
