#pragma once
// Holiday calendars as data (rule S5): the platforms announce by notice how shipping, pickup and
// after-sale deadlines change around a holiday; each notice is one file in config/calendars/,
// read by config/calendar_file, and this is what the deadline engine sees of it. Every time in a
// notice is Asia/Shanghai wall time to the second; windows include both ends.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "erp/model.hpp"

namespace erp::daemon::deadline {

using sdk::Instant;

/// [from, until], both included: "2023-01-14 00:00:00 to 2023-01-29 23:59:59" (S5).
struct TimeWindow {
  Instant from{};
  Instant until{};
  bool contains(Instant t) const noexcept { return t >= from && t <= until; }
  friend bool operator==(const TimeWindow&, const TimeWindow&) = default;
};

/// After-sale steps whose response time a holiday notice changes (rule S10).
inline constexpr const char* kAfterSaleSteps[] = {
    "merchant_response_shipped",  ///< Merchant answers a refund/exchange/repair request on a shipped order.
    "merchant_confirm_return",    ///< Merchant confirms receipt of a returned parcel.
    "buyer_amend",                ///< Buyer amends a rejected request (or confirms, 2023).
    "buyer_return_info",          ///< Buyer fills in the return shipping.
    "exchange_auto_confirm",      ///< An exchange parcel auto-confirms.
};

/// S2: the first pickup scan within this many hours of the waybill upload, unless a notice says
/// otherwise.
inline constexpr int kPickupHours = 24;
/// S3: from the first pickup scan to the first sorting centre, and (S9) between tracking updates.
inline constexpr int kFirstHubHours = 24;

/// One platform notice: a holiday (or sale event) window and what changes in it. A notice with no
/// paid window is the platform's standing rules (the Douyin sale-event rules S1-S3 are the same
/// as every day's): it covers every order of its platforms that no dated notice covers.
struct HolidayWindow {
  std::string id;    ///< The file's `id`, unique across the calendars.
  std::string name;  ///< For people: "天猫 2023 春节".
  std::vector<std::string> platforms;  ///< Plugin names it applies to: tmall, taobao, douyin ...
  bool standing = false;               ///< No paid window: the platform's standing rules.
  TimeWindow paid;                     ///< Orders paid in it follow this notice (S5, S7).
  /// S2: hours from the waybill upload to the first pickup scan (kPickupHours when not given).
  std::optional<int> pickup_hours;
  /// S3: hours from the first pickup scan to the first sorting centre, and at most between two
  /// tracking updates in transit (kFirstHubHours when not given).
  std::optional<int> first_hub_hours;
  /// S5, S7: ship with a pickup record by then.
  std::optional<Instant> ship_by;
  std::string ship_by_rule = "S5";  ///< The DOMAIN.md rule the notice is (S5 for 2023, S7 for 2024).
  /// S6, S7: Tmall Global deadlines by cross-border type; a type absent here uses `ship_by`.
  std::map<sdk::CrossBorderType, Instant> ship_by_cross_border;
  std::string cross_border_rule = "S6";
  /// S8: shops enrolled in the platform's "open during the holiday" activity keep that activity's
  /// rules for orders in its guaranteed scope; this window does not apply to those orders.
  bool activity_keeps_own_rules = true;
  /// S9: in the window, no tracking update for 24 h after pickup, or a stall between nodes, is
  /// not a fake-shipping signal.
  bool stall_relaxed = false;
  /// S11: non-activity orders paid in the window are picked up on time when by then.
  std::optional<Instant> pickup_on_time_by;
  /// S11: hours activity orders paid in the window have for their pickup scan (24 normally).
  std::optional<int> activity_pickup_hours;
  /// S13: the "shipping problem" complaint reason is disabled for orders paid in the window until then.
  std::optional<Instant> complaint_disabled_until;
  /// S12: invoices for transactions completed in `invoice_window` are due within this many days.
  std::optional<TimeWindow> invoice_window;
  std::optional<int> invoice_days;
  /// S10: after-sale requests made in `after_sale_window` get these response times (days), by step.
  std::optional<TimeWindow> after_sale_window;
  std::map<std::string, int> after_sale_days;
  std::string file;  ///< Where it was read from, for messages.
};

/// Every holiday window in force, from all calendar files.
struct Calendar {
  std::vector<HolidayWindow> windows;

  /// The notice for an order of `platform` paid at `paid_at`, if one covers it: a dated one first,
  /// else the platform's standing rules.
  const HolidayWindow* window_for(std::string_view platform, Instant paid_at) const;
  /// The notice whose after-sale window covers a request of `platform` made at `requested_at`.
  const HolidayWindow* after_sale_window_for(std::string_view platform, Instant requested_at) const;
};

}  // namespace erp::daemon::deadline
