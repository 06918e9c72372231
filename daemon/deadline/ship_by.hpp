#pragma once
// When an order must ship and be picked up (rules S1, S2, S5-S8, S11), as pure functions of the
// order's facts and the calendar in force: the deadline engine, the API and the tests all ask
// these, so one answer holds everywhere.

#include <chrono>
#include <optional>
#include <string>

#include "deadline/calendar.hpp"

namespace erp::daemon::deadline {

/// What decides an order's ship-by.
struct ShipByFacts {
  std::string platform;
  sdk::OrderKind kind = sdk::OrderKind::normal;
  sdk::CrossBorderType cross_border = sdk::CrossBorderType::none;
  std::optional<Instant> paid_at;
  /// The platform's own ship-by (Douyin exp_ship_time, push tag 126), when it gives one.
  std::optional<Instant> platform_ship_by;
  /// Presale, custom-made and other orders with a ship time agreed with the buyer (S1).
  std::optional<Instant> agreed_ship_by;
  /// The shop's (or category's) promised ship time (S1).
  std::chrono::hours promised{48};
  /// The shop is enrolled in the holiday's "open during the holiday" activity and the order is
  /// in its guaranteed scope (S8).
  bool in_activity = false;
  /// A 1-yuan reservation order: it ships with the buyer's repurchase, never on its own (G1).
  bool reservation = false;
};

/// The deadline, or why there is none, with the rule that decided.
struct ShipBy {
  std::optional<Instant> deadline;  ///< Empty: exempt, or not paid yet.
  std::string rule_id;              ///< "S1", "S5" ... "G1".
  std::string reason;               ///< In words, for `why` and alerts.
  std::string window;               ///< The holiday notice's id when one decided.
};

ShipBy compute_ship_by(const ShipByFacts& facts, const Calendar& calendar);

/// The first pickup scan must come within 24 h of the waybill upload, or the hours the notice in
/// force gives (S2). For an order paid in
/// a holiday window with an on-time date (S11): a non-activity order is on time when picked up
/// by that date (or within 24 h of upload, if later); an activity order gets the window's hours.
struct PickupDue {
  Instant due{};
  std::string rule_id;
  std::string reason;
};
PickupDue pickup_due(std::string_view platform, Instant uploaded_at, std::optional<Instant> paid_at,
                     bool in_activity, const Calendar& calendar);

}  // namespace erp::daemon::deadline
