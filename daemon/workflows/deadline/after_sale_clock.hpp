#pragma once
// After-sale timers (rule S10): in a holiday notice's after-sale window the platform gives the
// merchant and the buyer other response times for each after-sale step. erpd starts a timer for a
// step when it sees the step begin, due after the notice's days for it, and ends it when the step
// is answered:
//   a refund requested on a shipped line        -> merchant_response_shipped (the merchant owes)
//   the request agreed (refund in progress)     -> buyer_return_info (the buyer fills the return)
//   the refund done, refused or withdrawn       -> every timer of the line ends
// Steps the platform's order does not show (a returned parcel received, a rejected request, an
// exchange parcel sent) are started through the API by whoever sees them. An unshipped line's
// refund-only request keeps the everyday timeout (S10: "unchanged"); outside every notice erpd
// starts no timer, since the platforms' everyday timeouts are not in its rules.

#include <optional>
#include <string>

#include "deadline/calendar.hpp"
#include "erp/result.hpp"
#include "store/store.hpp"

namespace erp::daemon::workflows::deadline {

/// An after-sale step the merchant owes is close to (or past) its due time.
inline constexpr const char* kAlertAfterSaleDue = "deadline.after_sale_due";

/// True for the steps whose answer is the merchant's.
bool merchant_owes(std::string_view step);
/// The open alert's subject for one line's step: "<order key>/<line>/<step>".
std::string after_sale_subject(const store::AfterSaleTimer& timer);

class AfterSaleClock {
 public:
  explicit AfterSaleClock(store::Store& store) : store_(store) {}

  /// Starts and ends the timers the order's lines show (inside the caller's transaction). A
  /// step's start is the order's platform modification time: when the line's refund state
  /// changed, as near as the order tells.
  void on_order_changed(store::Tx& tx, const sdk::Order& order, const daemon::deadline::Calendar& calendar,
                        store::Instant now);
  /// Starts `step` for a line at `at` (the API: a step the order does not show) and answers the
  /// timer as stored: a step already running keeps its first start. Refused for an unknown step or
  /// line, or a time no notice's after-sale window covers.
  sdk::Result<store::AfterSaleTimer> start(store::Tx& tx, const sdk::Order& order, const std::string& line_id,
                                           const std::string& step, store::Instant at,
                                           const daemon::deadline::Calendar& calendar);
  /// Ends the line's running `step` and clears its alert; false when none runs.
  bool end(store::Tx& tx, const OrderKey& key, const std::string& line_id, const std::string& step,
           store::Instant now);

 private:
  /// The timer a notice gives `step` begun at `at`, or none when no notice covers it.
  std::optional<store::AfterSaleTimer> timer_for(const sdk::Order& order, const std::string& line_id,
                                                 const std::string& step, store::Instant at,
                                                 const daemon::deadline::Calendar& calendar) const;

  store::Store& store_;
};

}  // namespace erp::daemon::workflows::deadline
