#include "workflows/deadline/deadline_service.hpp"

#include <algorithm>

#include "core/time_format.hpp"

namespace erp::daemon::workflows::deadline {
namespace {

using store::DeadlineState;
using store::OrderDeadline;
namespace engine = daemon::deadline;

/// Rows a sweep reads at a time: each page is read under the store's lock, then let go.
constexpr int kSweepPage = 500;

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

DeadlineService::DeadlineService(store::Store& store, Hooks hooks)
    : store_(store), hooks_(std::move(hooks)), after_sale_clock_(store) {}

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
                                      bool new_report, Instant now) {
  const sdk::Order& order = stored.order;
  const auto settings = current();
  const auto facts = facts_of(*settings, stored);
  const auto ship = engine::compute_ship_by(facts, settings->calendar);
  // Only a report ever sets rule S4, so an order decided before without one has none: the pipeline
  // asks for every order version and need not read them.
  const bool may_have_reports = new_report || !before || before->rule_id == "S4";
  OrderDeadline d = before.value_or(OrderDeadline{});
  d.key = OrderKey{order.platform, order.shop, order.order_id};
  d.ship_by = ship.deadline;
  d.rule_id = ship.rule_id;
  d.window = ship.window;
  d.reason = ship.reason;
  d.updated_at = now;
  bool waived = false;
  // S4: the latest approved report decides.
  const auto reports = may_have_reports ? store_.deadline_reports(d.key) : std::vector<store::DeadlineReport>{};
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

// An alert of a state is raised only while the order is in it and cleared as it leaves it, so
// only a change of state (or of the pickup scan) has anything to clear.
void DeadlineService::settle_alerts(store::Tx& tx, const OrderDeadline& d, const std::optional<OrderDeadline>& before,
                                    Instant now) {
  const std::string subject = d.key.to_string();
  const std::string due = d.ship_by ? format_cst(*d.ship_by) : "";
  const auto was = [&](DeadlineState state) { return before && before->state == state; };
  if (d.state == DeadlineState::at_risk) {
    raise(tx, alert(d, kAlertAtRisk, d.rule_id, "not shipped, and due at " + due + " (" + d.reason + ")"), now);
  } else if (was(DeadlineState::at_risk)) {
    store_.clear_alert(tx, kAlertAtRisk, subject, now);
  }
  if (d.state == DeadlineState::late) {
    raise(tx, alert(d, kAlertLate, d.rule_id, "not shipped by " + due + " (" + d.reason + ")"), now);
  } else if (was(DeadlineState::late)) {
    store_.clear_alert(tx, kAlertLate, subject, now);
  }
  if (d.picked_up_at && before && !before->picked_up_at) store_.clear_alert(tx, kAlertPickupMissing, subject, now);
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

OrderDeadline DeadlineService::settle(store::Tx& tx, const store::StoredOrder& order,
                                      const std::optional<OrderDeadline>& before, bool new_report, Instant now) {
  const auto d = decide(order, before, new_report, now);
  // Most order versions change nothing of the deadline (a memo, a refetch): no write for them.
  bool changed = !before;
  if (before) {
    auto same_time = *before;
    same_time.updated_at = d.updated_at;
    changed = !(same_time == d);
  }
  if (changed) store_.put_deadline(tx, d);
  settle_alerts(tx, d, before, now);
  keep_holds_in_time(tx, order, d, now);
  return changed ? d : *before;  // as stored
}

void DeadlineService::on_order_changed(store::Tx& tx, const store::StoredOrder& order, Instant now) {
  const OrderKey key{order.order.platform, order.order.shop, order.order.order_id};
  settle(tx, order, store_.get_deadline(key), false, now);
  after_sale_clock_.on_order_changed(tx, order.order, current()->calendar, now);
}

bool DeadlineService::raise(store::Tx& tx, const store::NewAlert& a, Instant now) {
  if (!store_.raise_alert(tx, a, now)) return false;
  if (hooks_.on_alert_raised) hooks_.on_alert_raised(tx, a, now);
  return true;
}

SweepReport DeadlineService::sweep(Instant now) {
  const auto settings = current();
  const std::chrono::milliseconds lead = settings->config.at_risk_before;
  SweepReport report;
  // Only what the clock moves: open orders entering the at-risk lead, open or at-risk ones past
  // their ship-by (indexed ranges, so a million open orders cost what changes, not a scan).
  auto move = [&](const std::vector<DeadlineState>& from, Instant by, int& counted) {
    for (const auto& before : store_.ship_by_due(from, by)) {
      auto tx = store_.begin();
      const auto stored = store_.get_order(*tx, before.key);
      if (!stored) continue;
      const auto d = settle(*tx, *stored, before, false, now);
      tx->commit();
      if (d.state != before.state) ++counted;
    }
  };
  move({DeadlineState::open, DeadlineState::at_risk}, now, report.late);
  move({DeadlineState::open}, now + lead, report.at_risk);
  // Without a tracking feed erpd sees no scans at all: a missing one says nothing of the parcel.
  if (settings->config.tracking_feed) {
    sweep_pickups(now, report);
    sweep_in_transit(*settings, now, report);
  }
  sweep_after_sale(*settings, now, report);
  return report;
}

void DeadlineService::sweep_pickups(Instant now, SweepReport& report) {
  std::optional<store::DeadlineCursor> after;
  for (;;) {
    const auto page = store_.pickups_due(now, after, kSweepPage);
    for (const auto& d : page) {
      auto tx = store_.begin();
      if (raise(*tx,
                alert(d, kAlertPickupMissing, d.pickup_rule,
                      "no pickup scan yet; it was due at " + format_cst(*d.pickup_due)),
                now))
        ++report.pickup_missing;
      tx->commit();
    }
    if (page.size() < static_cast<std::size_t>(kSweepPage)) return;
    after = store::DeadlineCursor{*page.back().pickup_due, page.back().key};
  }
}

void DeadlineService::sweep_in_transit(const Settings& settings, Instant now, SweepReport& report) {
  // The shortest quiet time any notice allows; each parcel is then judged by its own (S3, S9).
  int hours = daemon::deadline::kFirstHubHours;
  for (const auto& w : settings.calendar.windows)
    if (w.first_hub_hours) hours = std::min(hours, *w.first_hub_hours);
  std::optional<store::DeadlineCursor> after;
  for (;;) {
    const auto page = store_.in_transit_quiet(now - std::chrono::hours{hours}, after, kSweepPage);
    for (const auto& d : page) {
      auto tx = store_.begin();
      const auto stored = store_.get_order(*tx, d.key);
      if (!stored) continue;
      if (const auto sign = fake_shipping_sign(settings, *stored, d, now)) {
        if (raise(*tx, alert(d, kAlertFakeShipping, "S3", *sign), now)) ++report.fake_shipping;
      }
      tx->commit();
    }
    if (page.size() < static_cast<std::size_t>(kSweepPage)) return;
    after = store::DeadlineCursor{*page.back().last_tracking_at, page.back().key};
  }
}

void DeadlineService::sweep_after_sale(const Settings& settings, Instant now, SweepReport& report) {
  Instant after_due = Instant::min();
  std::int64_t after_id = 0;
  for (;;) {
    const auto page = store_.after_sale_due(now + settings.config.at_risk_before, after_due, after_id, kSweepPage);
    for (const auto& t : page) {
      store::NewAlert a;
      a.kind = kAlertAfterSaleDue;
      a.subject = after_sale_subject(t);
      a.key = t.key;
      a.rule_id = t.rule_id;
      a.message = t.step + " of line " + t.line_id + " is the merchant's to answer by " + format_cst(t.due_at) +
                  " CST (" + t.window + ")";
      a.detail = {{"line_id", t.line_id},
                  {"step", t.step},
                  {"started_at", format_rfc3339(t.started_at)},
                  {"due_at", format_rfc3339(t.due_at)},
                  {"window", t.window}};
      auto tx = store_.begin();
      if (raise(*tx, a, now)) ++report.after_sale_due;
      tx->commit();
    }
    if (page.size() < static_cast<std::size_t>(kSweepPage)) return;
    after_due = page.back().due_at;
    after_id = page.back().id;
  }
}

std::optional<std::string> DeadlineService::fake_shipping_sign(const Settings& settings,
                                                               const store::StoredOrder& stored,
                                                               const OrderDeadline& d, Instant now) const {
  if (!d.picked_up_at) return std::nullopt;
  const sdk::Order& order = stored.order;
  const auto* window = order.paid_at ? settings.calendar.window_for(order.platform, *order.paid_at) : nullptr;
  // S9: in a holiday window a slow first leg or a quiet parcel is no sign of fake shipping.
  if (window && window->stall_relaxed) return std::nullopt;
  const int hours = window && window->first_hub_hours ? *window->first_hub_hours : daemon::deadline::kFirstHubHours;
  const auto limit = std::chrono::hours{hours};
  const std::string h = std::to_string(hours) + " h";
  if (d.first_hub_at) {
    if (*d.first_hub_at > *d.picked_up_at + limit)
      return "first sorting centre reached more than " + h + " after pickup (" + format_cst(*d.picked_up_at) +
             " -> " + format_cst(*d.first_hub_at) + ")";
  } else if (settings.config.tracking_feed && now > *d.picked_up_at + limit) {
    return "no sorting centre " + h + " after the pickup at " + format_cst(*d.picked_up_at);
  }
  if (settings.config.tracking_feed && !d.delivered_at && d.last_tracking_at && now > *d.last_tracking_at + limit)
    return "no tracking update for " + h + " in transit (last at " + format_cst(*d.last_tracking_at) + ")";
  return std::nullopt;
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
  const auto d = settle(*tx, *stored, store_.get_deadline(r.key), true, now);
  tx->commit();
  return d;
}

sdk::Result<OrderDeadline> DeadlineService::track(const store::TrackingEvent& event, Instant now) {
  auto tx = store_.begin();
  const auto stored = store_.get_order(*tx, event.key);
  if (!stored) return sdk::fail(sdk::ErrorCode::not_found, "order " + event.key.to_string() + " not found");
  store_.add_tracking_event(*tx, event);
  const auto before = store_.get_deadline(event.key);
  auto d = decide(*stored, before, false, now);
  auto earliest = [&](std::optional<Instant>& field) {
    if (!field || event.at < *field) field = event.at;
  };
  if (event.kind == "pickup") earliest(d.picked_up_at);
  if (event.kind == "hub_arrival" || event.kind == "hub_departure") earliest(d.first_hub_at);
  if (event.kind == "delivered") earliest(d.delivered_at);
  if (!d.last_tracking_at || event.at > *d.last_tracking_at) d.last_tracking_at = event.at;
  store_.put_deadline(*tx, d);
  settle_alerts(*tx, d, before, now);
  // S3 over the facts as they now stand: a late first sorting centre stays a sign for good; a
  // quiet parcel's sign ends with this event.
  if (const auto sign = fake_shipping_sign(*current(), *stored, d, now)) {
    raise(*tx, alert(d, kAlertFakeShipping, "S3", *sign), now);
  } else {
    store_.clear_alert(*tx, kAlertFakeShipping, d.key.to_string(), now);
  }
  tx->commit();
  return d;
}

sdk::Result<std::vector<store::AfterSaleTimer>> DeadlineService::after_sale(const AfterSaleStep& step, Instant now) {
  auto tx = store_.begin();
  const auto stored = store_.get_order(*tx, step.key);
  if (!stored) return sdk::fail(sdk::ErrorCode::not_found, "order " + step.key.to_string() + " not found");
  if (step.end) {
    if (!after_sale_clock_.end(*tx, step.key, step.line_id, step.step, now))
      return sdk::fail(sdk::ErrorCode::not_found,
                       "line " + step.line_id + " has no running " + step.step + " timer");
  } else {
    auto started = after_sale_clock_.start(*tx, stored->order, step.line_id, step.step, step.at, current()->calendar);
    if (!started) return std::move(started).error();
  }
  tx->commit();
  return store_.after_sale_timers(step.key);
}

}  // namespace erp::daemon::workflows::deadline
