#include "workflows/deadline/deadline_service.hpp"

#include <algorithm>

#include "core/time_format.hpp"

namespace erp::daemon::workflows::deadline {
namespace {

using store::DeadlineState;
using store::OrderDeadline;
namespace engine = daemon::deadline;

constexpr std::chrono::hours kFirstHubHours{24};  // S3

bool is_shipped(sdk::OrderStatus status) {
  return status == sdk::OrderStatus::shipped || status == sdk::OrderStatus::completed;
}

/// When the last line shipped, as the platform recorded it.
std::optional<Instant> shipped_at_of(const sdk::Order& order) {
  std::optional<Instant> last;
  for (const auto& line : order.lines)
    if (line.shipped_at && (!last || *line.shipped_at > *last)) last = line.shipped_at;
  return last;
}

store::NewAlert alert(const OrderDeadline& d, const char* kind, std::string rule, std::string message) {
  store::NewAlert a;
  a.kind = kind;
  a.subject = d.key.to_string();
  a.key = d.key;
  a.rule_id = std::move(rule);
  a.message = std::move(message);
  a.detail = {{"ship_by", d.ship_by ? nlohmann::json(format_rfc3339(*d.ship_by)) : nlohmann::json(nullptr)},
              {"window", d.window}};
  return a;
}

}  // namespace

DeadlineService::DeadlineService(store::Store& store, Hooks hooks) : store_(store), hooks_(std::move(hooks)) {}

void DeadlineService::apply(Settings settings) {
  auto next = std::make_shared<const Settings>(std::move(settings));
  std::lock_guard lock(mutex_);
  settings_ = std::move(next);
}

std::shared_ptr<const Settings> DeadlineService::current() const {
  std::lock_guard lock(mutex_);
  return settings_;
}

engine::ShipByFacts DeadlineService::facts_of(const Settings& settings, const store::StoredOrder& stored) const {
  const sdk::Order& order = stored.order;
  engine::ShipByFacts f;
  f.platform = order.platform;
  f.kind = order.kind;
  f.cross_border = order.cross_border;
  f.paid_at = order.paid_at;
  // S1: presale and custom-made orders ship at the time agreed with the buyer, which the platform
  // carries as the order's ship-by; other orders' platform ship-by is the platform's own rule.
  if (order.kind == sdk::OrderKind::presale || order.kind == sdk::OrderKind::custom_made) {
    f.agreed_ship_by = order.ship_by;
  } else {
    f.platform_ship_by = order.ship_by;
  }
  f.promised = std::chrono::duration_cast<std::chrono::hours>(settings.config.promised);
  if (const auto shop = settings.shops.find(order.shop); shop != settings.shops.end()) {
    if (shop->second.promised) f.promised = std::chrono::duration_cast<std::chrono::hours>(*shop->second.promised);
    if (order.paid_at) {
      // S8: the shop joined this holiday's activity; its orders keep the activity's rules.
      if (const auto* w = settings.calendar.window_for(order.platform, *order.paid_at)) {
        const auto& joined = shop->second.activities;
        f.in_activity = std::find(joined.begin(), joined.end(), w->id) != joined.end();
      }
    }
  }
  const OrderKey key{order.platform, order.shop, order.order_id};
  f.reservation = hooks_.is_reservation && hooks_.is_reservation(key);
  return f;
}

OrderDeadline DeadlineService::decide(const store::StoredOrder& stored, std::optional<OrderDeadline> before,
                                      Instant now) {
  const sdk::Order& order = stored.order;
  const auto settings = current();
  const auto facts = facts_of(*settings, stored);
  const auto ship = engine::compute_ship_by(facts, settings->calendar);
  OrderDeadline d = before.value_or(OrderDeadline{});
  d.key = OrderKey{order.platform, order.shop, order.order_id};
  d.ship_by = ship.deadline;
  d.rule_id = ship.rule_id;
  d.window = ship.window;
  d.reason = ship.reason;
  d.updated_at = now;
  bool waived = false;
  // S4: the latest approved report decides.
  const auto reports = store_.deadline_reports(d.key);
  if (!reports.empty()) {
    const auto& r = reports.back();
    d.rule_id = "S4";
    if (r.action == "waive") {
      waived = true;
      d.reason = "waived by a " + r.kind + " report: " + r.note;
    } else if (r.new_ship_by) {
      d.ship_by = r.new_ship_by;
      d.reason = "moved by a " + r.kind + " report: " + r.note;
    }
  }
  if (is_shipped(order.status)) {
    d.state = DeadlineState::shipped;
    if (!d.shipped_at) d.shipped_at = shipped_at_of(order).value_or(now);
    if (!d.pickup_due) {
      const auto due = engine::pickup_due(order.platform, *d.shipped_at, order.paid_at, facts.in_activity, settings->calendar);
      d.pickup_due = due.due;
      d.pickup_rule = due.rule_id;
    }
  } else if (order.status == sdk::OrderStatus::closed || !d.ship_by) {
    d.state = order.paid_at || order.status == sdk::OrderStatus::closed ? DeadlineState::exempt : DeadlineState::open;
  } else if (waived) {
    d.state = DeadlineState::waived;
  } else if (now > *d.ship_by) {
    d.state = DeadlineState::late;
  } else if (now + settings->config.at_risk_before >= *d.ship_by) {
    d.state = DeadlineState::at_risk;
  } else {
    d.state = DeadlineState::open;
  }
  return d;
}

void DeadlineService::settle_alerts(store::Tx& tx, const OrderDeadline& d, Instant now) {
  const std::string subject = d.key.to_string();
  const std::string due = d.ship_by ? format_cst(*d.ship_by) : "";
  if (d.state == DeadlineState::at_risk) {
    store_.raise_alert(tx, alert(d, kAlertAtRisk, d.rule_id, "not shipped, and due at " + due + " (" + d.reason + ")"),
                       now);
  } else {
    store_.clear_alert(tx, kAlertAtRisk, subject, now);
  }
  if (d.state == DeadlineState::late) {
    store_.raise_alert(tx, alert(d, kAlertLate, d.rule_id, "not shipped by " + due + " (" + d.reason + ")"), now);
  } else {
    store_.clear_alert(tx, kAlertLate, subject, now);
  }
  if (d.picked_up_at) store_.clear_alert(tx, kAlertPickupMissing, subject, now);
}

void DeadlineService::keep_holds_in_time(store::Tx& tx, const store::StoredOrder& stored, const OrderDeadline& d,
                                         Instant now) {
  if (stored.released || !d.ship_by) return;
  if (d.state != DeadlineState::open && d.state != DeadlineState::at_risk && d.state != DeadlineState::late) return;
  const auto lead = current()->config.warehouse_lead;
  const Instant latest = std::max(now, *d.ship_by - lead);
  const std::string why = "the warehouse needs " + format_duration(lead) + " before the ship-by " +
                          format_cst(*d.ship_by) + " CST (" + d.rule_id + ")";
  bool moved = false;
  for (const auto& hold : store_.active_holds(tx, d.key))
    moved = store_.bring_auto_release_forward(tx, hold.id, latest, d.rule_id, why, now) || moved;
  if (moved && store_.mark_urgent(tx, d.key)) {
    store_.append_event(tx, d.key,
                        store::NewEvent{"order.urgent", "a hold's release was brought forward: " + why, d.rule_id,
                                        "workflow:deadline", nlohmann::json::object()},
                        now);
  }
}

OrderDeadline DeadlineService::settle(store::Tx& tx, const store::StoredOrder& order, std::optional<OrderDeadline> before,
                                      Instant now) {
  const auto d = decide(order, std::move(before), now);
  store_.put_deadline(tx, d);
  settle_alerts(tx, d, now);
  keep_holds_in_time(tx, order, d, now);
  return d;
}

void DeadlineService::on_order_changed(store::Tx& tx, const store::StoredOrder& order, Instant now) {
  const OrderKey key{order.order.platform, order.order.shop, order.order.order_id};
  settle(tx, order, store_.get_deadline(key), now);
}

SweepReport DeadlineService::sweep(Instant now) {
  const std::chrono::milliseconds lead = current()->config.at_risk_before;
  SweepReport report;
  // Only what the clock moves: open orders entering the at-risk lead, open or at-risk ones past
  // their ship-by (indexed ranges, so a million open orders cost what changes, not a scan).
  auto move = [&](const std::vector<DeadlineState>& from, Instant by, int& counted) {
    for (const auto& before : store_.ship_by_due(from, by)) {
      auto tx = store_.begin();
      const auto stored = store_.get_order(*tx, before.key);
      if (!stored) continue;
      const auto d = settle(*tx, *stored, before, now);
      tx->commit();
      if (d.state != before.state) ++counted;
    }
  };
  move({DeadlineState::open, DeadlineState::at_risk}, now, report.late);
  move({DeadlineState::open}, now + lead, report.at_risk);
  for (const auto& d : store_.pickups_due(now)) {
    auto tx = store_.begin();
    if (store_.raise_alert(*tx, alert(d, kAlertPickupMissing, d.pickup_rule,
                                      "no pickup scan yet; it was due at " + format_cst(*d.pickup_due)),
                           now))
      ++report.pickup_missing;
    tx->commit();
  }
  return report;
}

sdk::Result<OrderDeadline> DeadlineService::report(const store::DeadlineReport& r, Instant now) {
  if (r.kind != "force_majeure" && r.kind != "address" && r.kind != "buyer_delay")
    return sdk::fail(sdk::ErrorCode::invalid_input, "kind: must be force_majeure, address or buyer_delay");
  if (r.action != "waive" && r.action != "move")
    return sdk::fail(sdk::ErrorCode::invalid_input, "action: must be waive or move");
  if (r.action == "move" && !r.new_ship_by)
    return sdk::fail(sdk::ErrorCode::invalid_input, "new_ship_by: required to move a deadline");
  auto tx = store_.begin();
  const auto stored = store_.get_order(*tx, r.key);
  if (!stored) return sdk::fail(sdk::ErrorCode::not_found, "order " + r.key.to_string() + " not found");
  store_.add_deadline_report(*tx, r);
  const auto d = settle(*tx, *stored, store_.get_deadline(r.key), now);
  tx->commit();
  return d;
}

sdk::Result<OrderDeadline> DeadlineService::track(const store::TrackingEvent& event, Instant now) {
  auto tx = store_.begin();
  const auto stored = store_.get_order(*tx, event.key);
  if (!stored) return sdk::fail(sdk::ErrorCode::not_found, "order " + event.key.to_string() + " not found");
  store_.add_tracking_event(*tx, event);
  auto d = decide(*stored, store_.get_deadline(event.key), now);
  if (event.kind == "pickup" && (!d.picked_up_at || event.at < *d.picked_up_at)) d.picked_up_at = event.at;
  if ((event.kind == "hub_arrival" || event.kind == "hub_departure") && (!d.first_hub_at || event.at < *d.first_hub_at)) {
    d.first_hub_at = event.at;
    // S3: pickup to the first sorting centre within 24 h, unless a holiday window relaxes the
    // stall signals for orders paid in it (S9).
    const auto settings = current();
    const auto* window =
        stored->order.paid_at ? settings->calendar.window_for(stored->order.platform, *stored->order.paid_at) : nullptr;
    const bool relaxed = window && window->stall_relaxed;
    if (d.picked_up_at && *d.first_hub_at > *d.picked_up_at + kFirstHubHours && !relaxed) {
      store_.raise_alert(*tx, alert(d, kAlertFakeShipping, "S3",
                                    "first sorting centre reached more than 24 h after pickup (" +
                                        format_cst(*d.picked_up_at) + " -> " + format_cst(*d.first_hub_at) + ")"),
                         now);
    }
  }
  if (!d.last_tracking_at || event.at > *d.last_tracking_at) d.last_tracking_at = event.at;
  store_.put_deadline(*tx, d);
  settle_alerts(*tx, d, now);
  tx->commit();
  return d;
}

}  // namespace erp::daemon::workflows::deadline
