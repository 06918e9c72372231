#pragma once
// The deadline engine's decisions (rules S1-S4, S8-S11), each one transaction over stored facts:
//   an order arrives or changes -> its ship-by (compute_ship_by over the calendars in force),
//                                  its state, and alerts raised or cleared; its after-sale
//                                  timers started or ended (S10, after_sale_clock)
//   the clock moves (sweep)     -> open orders turn at risk, then late; after-sale steps the
//                                  merchant owes come due; with a tracking feed, a missing
//                                  pickup scan (S2) and a parcel quiet in transit (S3)
//   a report is approved (S4)   -> the ship-by is waived or moved
//   tracking arrives (S2, S3)   -> pickup recorded; the first sorting centre more than 24 h
//                                  after pickup is a fake-shipping risk, except in a holiday
//                                  window that relaxes it (S9)
// Every alert raised is also handed to Hooks::on_alert_raised in its transaction (the warehouse
// webhook's outbox item).

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "config/config.hpp"
#include "deadline/ship_by.hpp"
#include "erp/result.hpp"
#include "store/store.hpp"
#include "workflows/deadline/after_sale_clock.hpp"

namespace erp::daemon::workflows::deadline {

using store::Instant;

/// Alert kinds (the general alerts table; erpctl alerts, /v1/alerts).
inline constexpr const char* kAlertAtRisk = "deadline.at_risk";
inline constexpr const char* kAlertLate = "deadline.late";
inline constexpr const char* kAlertPickupMissing = "deadline.pickup_missing";
inline constexpr const char* kAlertFakeShipping = "deadline.fake_shipping_risk";
// kAlertAfterSaleDue ("deadline.after_sale_due") is after_sale_clock.hpp's.

/// The settings in force; replaced as a whole on reload.
struct Settings {
  config::DeadlineConfig config;
  daemon::deadline::Calendar calendar;
  std::map<std::string, config::ShopDeadlines> shops;  ///< By shop id.
};

struct Hooks {
  /// True for a 1-yuan reservation order (G1: it has no ship-by of its own).
  std::function<bool(const OrderKey&)> is_reservation;
  /// An alert was raised, in the transaction that raised it (empty: nobody else is told).
  std::function<void(store::Tx&, const store::NewAlert&, Instant)> on_alert_raised;
};

/// What one sweep moved or raised.
struct SweepReport {
  int at_risk = 0;
  int late = 0;
  int pickup_missing = 0;
  int fake_shipping = 0;
  int after_sale_due = 0;
};

/// An after-sale step the order does not show (S10), from the API.
struct AfterSaleStep {
  OrderKey key;
  std::string line_id;
  std::string step;
  Instant at{};
  bool end = false;  ///< The step was answered: its timer ends.
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
  /// S10: starts (or ends) an after-sale step's timer; the order's timers as they now stand.
  sdk::Result<std::vector<store::AfterSaleTimer>> after_sale(const AfterSaleStep& step, Instant now);

 private:
  /// The settings in force, shared: the pipeline reads them for every order, a reload swaps them.
  std::shared_ptr<const Settings> current() const;
  daemon::deadline::ShipByFacts facts_of(const Settings& settings, const store::StoredOrder& order) const;
  /// The deadline as the order and its reports now say, with state and alerts settled.
  /// Read inside the caller's transaction, so the reports it sees are the ones it writes with.
  /// `new_report`: a report was just added (S4), so its reports must be read.
  store::OrderDeadline decide(const store::StoredOrder& order, std::optional<store::OrderDeadline> before,
                              bool new_report, Instant now);
  /// Raises the alerts of the state the order is now in and clears those of the one it left.
  void settle_alerts(store::Tx& tx, const store::OrderDeadline& d, const std::optional<store::OrderDeadline>& before,
                     Instant now);
  /// Holds never cause lateness: an unreleased order's holds that lift themselves later than the
  /// ship-by minus the warehouse's lead are brought forward to it, and the order is marked urgent.
  void keep_holds_in_time(store::Tx& tx, const store::StoredOrder& order, const store::OrderDeadline& d, Instant now);
  /// decide(), stored, with its holds and alerts settled: the whole of one order's decision.
  store::OrderDeadline settle(store::Tx& tx, const store::StoredOrder& order,
                              const std::optional<store::OrderDeadline>& before, bool new_report, Instant now);
  /// Raises an alert and tells on_alert_raised when it is new; false when it was open already.
  bool raise(store::Tx& tx, const store::NewAlert& alert, Instant now);
  /// S3 over the tracking facts: whether the first sorting centre came (or has not come) too
  /// long after the pickup, or the parcel has been quiet too long, unless the notice the order was
  /// paid under relaxes stalls (S9). Empty: no sign.
  std::optional<std::string> fake_shipping_sign(const Settings& settings, const store::StoredOrder& order,
                                                const store::OrderDeadline& d, Instant now) const;
  void sweep_pickups(Instant now, SweepReport& report);
  void sweep_in_transit(const Settings& settings, Instant now, SweepReport& report);
  void sweep_after_sale(const Settings& settings, Instant now, SweepReport& report);

  store::Store& store_;
  Hooks hooks_;
  AfterSaleClock after_sale_clock_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Settings> settings_ = std::make_shared<Settings>();
};

}  // namespace erp::daemon::workflows::deadline
