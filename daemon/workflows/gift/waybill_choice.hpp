#pragma once
// Which parcel a reservation ships with once its repurchase has shipped (rules G6, G8): the
// waybill of the main order's line that shipped last, and only once every line still owed has
// shipped. Ties (same ship time) are random on the platform; here the smallest waybill wins and
// the tie is reported so the choice can be recorded.

#include <optional>
#include <string>

#include "erp/model.hpp"

namespace erp::daemon::workflows::gift {

struct WaybillChoice {
  std::string waybill;
  std::string carrier;      ///< As the platform names it on the line.
  std::string line_id;      ///< The line that shipped last.
  sdk::Instant shipped_at{};
  bool tie = false;         ///< Another line shipped at the same time with another waybill.
};

/// nullopt while a line that is not refunded has not shipped (or the order has no such line),
/// or when the last line's waybill is unknown.
std::optional<WaybillChoice> choose_waybill(const sdk::Order& main);

}  // namespace erp::daemon::workflows::gift
