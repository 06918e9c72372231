#include "api/deadline_routes.hpp"

#include "api/http_util.hpp"
#include "core/time_format.hpp"
#include "workflows/deadline/deadline_service.hpp"

namespace erp::daemon::api::deadline_routes {
namespace {

using nlohmann::json;

ApiResponse error(unsigned status, std::string_view code, std::string_view message) {
  return json_response(status, error_json(code, message));
}

json instant_or_null(const std::optional<Instant>& t) { return t ? json(format_rfc3339(*t)) : json(nullptr); }

json deadline_json(const store::OrderDeadline& d) {
  return json{{"ship_by", instant_or_null(d.ship_by)},
              {"state", store::to_string(d.state)},
              {"rule", d.rule_id},
              {"window", d.window},
              {"reason", d.reason},
              {"shipped_at", instant_or_null(d.shipped_at)},
              {"pickup_due", instant_or_null(d.pickup_due)},
              {"pickup_rule", d.pickup_rule},
              {"picked_up_at", instant_or_null(d.picked_up_at)},
              {"first_hub_at", instant_or_null(d.first_hub_at)},
              {"last_tracking_at", instant_or_null(d.last_tracking_at)},
              {"delivered_at", instant_or_null(d.delivered_at)},
              {"updated_at", format_rfc3339(d.updated_at)}};
}

json after_sale_json(const std::vector<store::AfterSaleTimer>& timers) {
  json out = json::array();
  for (const auto& t : timers) {
    out.push_back({{"line_id", t.line_id},
                   {"step", t.step},
                   {"started_at", format_rfc3339(t.started_at)},
                   {"due_at", format_rfc3339(t.due_at)},
                   {"owed_by", t.merchant_owes ? "merchant" : "buyer"},
                   {"rule", t.rule_id},
                   {"window", t.window},
                   {"ended_at", instant_or_null(t.ended_at)}});
  }
  return out;
}

/// A required text field, trimmed; std::invalid_argument naming it otherwise.
std::string text(const json& body, const char* field, bool required = true) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    if (required) throw std::invalid_argument(std::string(field) + ": required");
    return {};
  }
  if (!it->is_string()) throw std::invalid_argument(std::string(field) + ": must be a string");
  return trimmed(it->get<std::string>());
}

Instant time_field(const json& body, const char* field) {
  const auto value = text(body, field);
  const auto at = parse_merchant_time(value);
  if (!at) throw std::invalid_argument(std::string(field) + ": not a time (RFC 3339, or China time YYYY-MM-DD HH:MM:SS)");
  return *at;
}

ApiResponse refused(const sdk::Error& e) {
  const unsigned status = e.code == sdk::ErrorCode::invalid_input ? 400 : e.code == sdk::ErrorCode::not_found ? 404 : 500;
  return error(status, sdk::to_string(e.code), e.message);
}

}  // namespace

void add_to_order_json(ApiDeps& deps, const OrderKey& key, json& order) {
  const auto d = deps.store.get_deadline(key);
  if (!d) {
    order["deadline"] = nullptr;
    return;
  }
  order["ship_by"] = instant_or_null(d->ship_by);
  order["deadline"] = {{"state", store::to_string(d->state)}, {"rule", d->rule_id}, {"window", d->window}};
}

ApiResponse of_order(ApiDeps& deps, const OrderKey& key) {
  if (!deps.store.get_order(key)) return error(404, "not_found", "order " + key.to_string() + " not found");
  json reports = json::array();
  for (const auto& r : deps.store.deadline_reports(key)) {
    reports.push_back({{"id", r.id}, {"kind", r.kind}, {"action", r.action}, {"new_ship_by", instant_or_null(r.new_ship_by)},
                       {"note", r.note}, {"by", r.by}, {"created_at", format_rfc3339(r.created_at)}});
  }
  json tracking = json::array();
  for (const auto& t : deps.store.tracking_events(key)) {
    tracking.push_back({{"waybill", t.waybill}, {"kind", t.kind}, {"at", format_rfc3339(t.at)}, {"source", t.source}});
  }
  const auto d = deps.store.get_deadline(key);
  return json_response(200, json{{"order", key.to_string()},
                                 {"deadline", d ? deadline_json(*d) : json(nullptr)},
                                 {"reports", std::move(reports)},
                                 {"tracking", std::move(tracking)},
                                 {"after_sale", after_sale_json(deps.store.after_sale_timers(key))}});
}

ApiResponse post_report(ApiDeps& deps, const OrderKey& key, const std::string& body) {
  if (!deps.deadlines) return error(503, "unavailable", "the deadline engine is not running");
  store::DeadlineReport r;
  try {
    const json j = parse_json_object(body, {"kind", "action", "new_ship_by", "note", "by"});
    r.key = key;
    r.kind = text(j, "kind");
    r.action = text(j, "action");
    if (j.contains("new_ship_by") && !j["new_ship_by"].is_null()) r.new_ship_by = time_field(j, "new_ship_by");
    r.note = text(j, "note");
    r.by = "operator:" + operator_name(text(j, "by", false), "by");
  } catch (const std::invalid_argument& e) {
    return error(400, "invalid_input", e.what());
  }
  const auto now = now_utc();
  r.created_at = now;
  auto d = deps.deadlines->report(r, now);
  if (!d) return refused(d.error());
  return json_response(201, deadline_json(*d));
}

ApiResponse post_tracking(ApiDeps& deps, const OrderKey& key, const std::string& body) {
  if (!deps.deadlines) return error(503, "unavailable", "the deadline engine is not running");
  store::TrackingEvent e;
  try {
    const json j = parse_json_object(body, {"waybill", "kind", "at", "source"});
    e.key = key;
    e.waybill = text(j, "waybill");
    e.kind = text(j, "kind");
    if (e.kind != "pickup" && e.kind != "hub_arrival" && e.kind != "hub_departure" && e.kind != "transit" &&
        e.kind != "delivered")
      throw std::invalid_argument("kind: must be pickup, hub_arrival, hub_departure, transit or delivered");
    e.at = time_field(j, "at");
    e.source = text(j, "source", false);
    if (e.source.empty()) e.source = "warehouse";
  } catch (const std::invalid_argument& ex) {
    return error(400, "invalid_input", ex.what());
  }
  const auto now = now_utc();
  e.received_at = now;
  auto d = deps.deadlines->track(e, now);
  if (!d) return refused(d.error());
  return json_response(202, deadline_json(*d));
}

ApiResponse post_after_sale(ApiDeps& deps, const OrderKey& key, const std::string& body) {
  if (!deps.deadlines) return error(503, "unavailable", "the deadline engine is not running");
  workflows::deadline::AfterSaleStep step;
  try {
    const json j = parse_json_object(body, {"line_id", "step", "at", "end"});
    step.key = key;
    step.line_id = text(j, "line_id");
    step.step = text(j, "step");
    if (const auto end = j.find("end"); end != j.end() && !end->is_null()) {
      if (!end->is_boolean()) throw std::invalid_argument("end: must be true or false");
      step.end = end->get<bool>();
    }
    const auto now = now_utc();
    step.at = j.contains("at") && !j["at"].is_null() ? time_field(j, "at") : now;
  } catch (const std::invalid_argument& e) {
    return error(400, "invalid_input", e.what());
  }
  auto timers = deps.deadlines->after_sale(step, now_utc());
  if (!timers) return refused(timers.error());
  return json_response(step.end ? 200 : 201, json{{"order", key.to_string()}, {"after_sale", after_sale_json(*timers)}});
}

}  // namespace erp::daemon::api::deadline_routes
