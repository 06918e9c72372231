#pragma once
// The deadline engine's decisions (rules S1-S4, S8, S9, S11), each one transaction over stored
// facts:
//   an order arrives or changes -> its ship-by (compute_ship_by over the calendars in force),
//                                  its state, and alerts raised or cleared
//   the clock moves (sweep)     -> open orders turn at risk, then late; a missing pickup scan
//   a report is approved (S4)   -> the ship-by is waived or moved
//   tracking arrives (S2, S3)   -> pickup recorded; no first sorting centre within 24 h of
//                                  pickup is a fake-shipping risk, except in a holiday window
//                                  that relaxes it (S9)

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "config/config.hpp"
#include "deadline/ship_by.hpp"
#include "erp/result.hpp"
#include "store/store.hpp"

namespace erp::daemon::workflows::deadline {

using store::Instant;

/// Alert kinds (the general alerts table; erpctl alerts, /v1/alerts).
inline constexpr const char* kAlertAtRisk = "deadline.at_risk";
inline constexpr const char* kAlertLate = "deadline.late";
inline constexpr const char* kAlertPickupMissing = "deadline.pickup_missing";
inline constexpr const char* kAlertFakeShipping = "deadline.fake_shipping_risk";

/// The settings in force; replaced as a whole on reload.
struct Settings {
  config::DeadlineConfig config;
  daemon::deadline::Calendar calendar;
  std::map<std::string, config::ShopDeadlines> shops;  ///< By shop id.
};

struct Hooks {
  /// True for a 1-yuan reservation order (G1: it has no ship-by of its own).
  std::function<bool(const OrderKey&)> is_reservation;
};

struct SweepReport {
  int at_risk = 0;
  int late = 0;
  int pickup_missing = 0;
};

class DeadlineService {
 public:
  static constexpr const char* kWorkflowName = "deadline";

  DeadlineService(store::Store& store, Hooks hooks);

  void apply(Settings settings);

  /// A new platform version of an order, inside the pipeline's transaction.
  void on_order_changed(store::Tx& tx, const store::StoredOrder& order, Instant now);
  /// Moves states with the clock and raises their alerts; each order its own transaction.
  SweepReport sweep(Instant now);
  /// S4: an approved report waives the ship-by ("waive") or moves it ("move" with new_ship_by).
  sdk::Result<store::OrderDeadline> report(const store::DeadlineReport& report, Instant now);
  /// S2, S3, S9: a tracking event of the order's parcel.
  sdk::Result<store::OrderDeadline> track(const store::TrackingEvent& event, Instant now);

 private:
  /// The settings in force, shared: the pipeline reads them for every order, a reload swaps them.
  std::shared_ptr<const Settings> current() const;
  daemon::deadline::ShipByFacts facts_of(const Settings& settings, const store::StoredOrder& order) const;
  /// The deadline as the order and its reports now say, with state and alerts settled.
  /// Read inside the caller's transaction, so the reports it sees are the ones it writes with.
  store::OrderDeadline decide(const store::StoredOrder& order, std::optional<store::OrderDeadline> before,
                              Instant now);
  void settle_alerts(store::Tx& tx, const store::OrderDeadline& d, Instant now);
  /// Holds never cause lateness: an unreleased order's holds that lift themselves later than the
  /// ship-by minus the warehouse's lead are brought forward to it, and the order is marked urgent.
  void keep_holds_in_time(store::Tx& tx, const store::StoredOrder& order, const store::OrderDeadline& d, Instant now);
  /// decide(), stored, with its holds and alerts settled: the whole of one order's decision.
  store::OrderDeadline settle(store::Tx& tx, const store::StoredOrder& order, std::optional<store::OrderDeadline> before,
                              Instant now);

  store::Store& store_;
  Hooks hooks_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Settings> settings_ = std::make_shared<Settings>();
};

}  // namespace erp::daemon::workflows::deadline
