#include "deadline/ship_by.hpp"

#include "core/time_format.hpp"

namespace erp::daemon::deadline {
namespace {

/// S8: the window covers the order unless the shop's activity keeps it under its own rules.
const HolidayWindow* window_of(std::string_view platform, Instant paid_at, bool in_activity, const Calendar& calendar) {
  const HolidayWindow* w = calendar.window_for(platform, paid_at);
  if (w && in_activity && w->activity_keeps_own_rules) return nullptr;
  return w;
}

}  // namespace

ShipBy compute_ship_by(const ShipByFacts& facts, const Calendar& calendar) {
  if (facts.kind == sdk::OrderKind::virtual_goods) return {std::nullopt, "S1", "virtual goods ship nothing", ""};
  if (facts.reservation)
    return {std::nullopt, "G1", "a 1-yuan reservation ships with the buyer's repurchase, never on its own", ""};
  if (!facts.paid_at) return {std::nullopt, "S1", "not paid yet", ""};
  if (facts.agreed_ship_by) return {facts.agreed_ship_by, "S1", "the ship time agreed with the buyer", ""};
  if (const HolidayWindow* w = window_of(facts.platform, *facts.paid_at, facts.in_activity, calendar)) {
    if (facts.cross_border != sdk::CrossBorderType::none) {
      const auto it = w->ship_by_cross_border.find(facts.cross_border);
      if (it != w->ship_by_cross_border.end())
        return {it->second, w->cross_border_rule, std::string(sdk::to_string(facts.cross_border)) + " paid in " + w->name, w->id};
    }
    if (w->ship_by) return {w->ship_by, w->ship_by_rule, "paid in " + w->name + ": ship with a pickup record by then", w->id};
  }
  if (facts.platform_ship_by) return {facts.platform_ship_by, "S1", "the platform's own ship-by time", ""};
  return {*facts.paid_at + facts.promised, "S1",
          "paid time + the promised " + std::to_string(facts.promised.count()) + " h", ""};
}

PickupDue pickup_due(std::string_view platform, Instant uploaded_at, std::optional<Instant> paid_at, bool in_activity,
                     const Calendar& calendar) {
  const HolidayWindow* w = paid_at ? calendar.window_for(platform, *paid_at) : nullptr;
  const int hours = w && w->pickup_hours ? *w->pickup_hours : kPickupHours;
  PickupDue normal{uploaded_at + std::chrono::hours{hours}, "S2",
                   "first pickup scan within " + std::to_string(hours) + " h of the upload"};
  if (!w) return normal;
  if (in_activity && w->activity_pickup_hours) {
    return {uploaded_at + std::chrono::hours{*w->activity_pickup_hours}, "S11",
            "an activity order paid in " + w->name + ": " + std::to_string(*w->activity_pickup_hours) + " h"};
  }
  if (!in_activity && w->pickup_on_time_by && *w->pickup_on_time_by > normal.due) {
    return {*w->pickup_on_time_by, "S11", "paid in " + w->name + ": on time when picked up by " +
                                              format_cst(*w->pickup_on_time_by)};
  }
  return normal;
}

}  // namespace erp::daemon::deadline
