#include "workflows/gift/waybill_choice.hpp"

#include "workflows/gift/gift_match.hpp"

namespace erp::daemon::workflows::gift {

std::optional<WaybillChoice> choose_waybill(const sdk::Order& main) {
  std::optional<WaybillChoice> last;
  bool any = false;
  for (const auto& line : main.lines) {
    if (refunded(line)) continue;  // G6: a refunded sub-order never ships; it is not waited for
    any = true;
    if (!line.shipped_at) return std::nullopt;  // G6, G8: wait for every sub-order and package
    if (!last || *line.shipped_at > last->shipped_at) {
      last = WaybillChoice{line.waybill, line.carrier, line.line_id, *line.shipped_at, false};
      continue;
    }
    if (*line.shipped_at == last->shipped_at && line.waybill != last->waybill) {
      last->tie = true;
      if (!line.waybill.empty() && (last->waybill.empty() || line.waybill < last->waybill)) {
        // G6: the platform picks at random among lines shipped at the same moment; the daemon
        // picks the smallest waybill, so the same facts always give the same parcel.
        last->waybill = line.waybill;
        last->carrier = line.carrier;
        last->line_id = line.line_id;
      }
    }
  }
  if (!any || !last || last->waybill.empty()) return std::nullopt;
  return last;
}

}  // namespace erp::daemon::workflows::gift
