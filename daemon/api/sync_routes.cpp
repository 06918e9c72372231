#include "api/sync_routes.hpp"

#include <charconv>

#include "api/http_util.hpp"
#include "api/json_views.hpp"
#include "core/time_format.hpp"

namespace erp::daemon::api::sync_routes {
namespace {

using nlohmann::json;

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;
constexpr int kDeadItemsShown = 20;
constexpr int kAlertsShown = 200;
/// How many open alerts of one kind POST /v1/alerts/clear looks through for the one to answer with.
constexpr int kAlertsScanned = 1000;

std::string param(const Query& query, const char* name) {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

ApiResponse error(unsigned status, std::string_view code, std::string_view message) {
  return json_response(status, error_json(code, message));
}

/// A required, non-empty string field of a JSON body; nullopt with `why` set otherwise.
std::optional<std::string> required_text(const json& body, const char* field, std::string& why) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    why = std::string(field) + ": required";
  } else if (!it->is_string()) {
    why = std::string(field) + ": must be a string";
  } else if (std::string value = trimmed(it->get<std::string>()); value.empty()) {
    why = std::string(field) + ": must not be empty";
  } else {
    return value;
  }
  return std::nullopt;
}

}  // namespace

ApiResponse list_quarantine(ApiDeps& deps, const Query& query) {
  int limit = kDefaultLimit;
  if (const std::string text = param(query, "limit"); !text.empty()) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (ec != std::errc{} || end != text.data() + text.size() || limit < 1 || limit > kMaxLimit) {
      return json_response(400, error_json("invalid_input", "limit: must be an integer from 1 to " +
                                                          std::to_string(kMaxLimit) + ", not '" + text + "'"));
    }
  }
  const std::string with_payload = param(query, "payload");
  if (!with_payload.empty() && with_payload != "true" && with_payload != "false" && with_payload != "1" &&
      with_payload != "0") {
    return json_response(400, error_json("invalid_input", "payload: must be true or false, not '" + with_payload + "'"));
  }
  const bool payloads = with_payload == "true" || with_payload == "1";
  json items = json::array();
  for (const auto& e : deps.store.list_quarantine(param(query, "shop"), limit)) {
    json item{{"id", e.id},
              {"platform", e.platform},
              {"shop", e.shop},
              {"order_id", e.order_id},
              {"reason", e.reason},
              {"received_at", format_rfc3339(e.received_at)},
              {"payload_bytes", e.payload.size()}};
    if (payloads) item["payload"] = e.payload;
    items.push_back(std::move(item));
  }
  return json_response(200, json{{"items", std::move(items)}});
}

ApiResponse get_alerts(ApiDeps& deps) {
  json shops = deps.sync_alerts ? deps.sync_alerts() : json::array();
  const auto counts = deps.store.counts();
  json dead = json::array();
  for (const auto& item : deps.store.list_outbox(store::OutboxState::dead, kDeadItemsShown)) {
    dead.push_back(outbox_item_to_json(item));
  }
  json alerts = json::array();
  for (const auto& alert : deps.store.open_alerts("", kAlertsShown)) alerts.push_back(alert_to_json(alert));
  const bool ok = shops.empty() && counts.quarantined == 0 && counts.outbox_dead == 0 && alerts.empty();
  return json_response(200, json{{"ok", ok},
                                 {"shops", std::move(shops)},
                                 {"quarantined", counts.quarantined},
                                 {"outbox_dead", counts.outbox_dead},
                                 {"dead_items", std::move(dead)},
                                 {"alerts", std::move(alerts)}});
}

ApiResponse post_clear_alert(ApiDeps& deps, const std::string& body) {
  json request;
  std::string by;
  try {
    request = parse_json_object(body, {"kind", "subject", "by"});
    const auto it = request.find("by");
    if (it != request.end() && !it->is_null() && !it->is_string()) {
      return error(400, "invalid_input", "by: must be a string");
    }
    by = operator_name(it != request.end() && it->is_string() ? it->get<std::string>() : std::string(), "by");
  } catch (const std::invalid_argument& e) {
    return error(400, "invalid_input", e.what());
  }
  std::string why;
  const auto kind = required_text(request, "kind", why);
  if (!kind) return error(400, "invalid_input", why + " (the alert's kind, e.g. gift.not_shipped)");
  const auto subject = required_text(request, "subject", why);
  if (!subject) return error(400, "invalid_input", why + " (the alert's subject, e.g. tmall/tm-1/4001)");

  const Instant now = now_utc();
  auto tx = deps.store.begin();
  // Read inside the transaction, so the alert answered is the one cleared.
  std::optional<store::Alert> cleared;
  for (auto& alert : deps.store.open_alerts(*kind, kAlertsScanned)) {
    if (alert.kind == *kind && alert.subject == *subject) {
      cleared = std::move(alert);
      break;
    }
  }
  if (!deps.store.clear_alert(*tx, *kind, *subject, now)) {
    return error(404, "not_found", "no open alert of kind '" + *kind + "' about '" + *subject + "'");
  }
  if (!cleared) {
    // More open alerts of this kind than were looked through: cleared all the same, answered
    // with what the request named.
    tx->commit();
    return json_response(200, json{{"kind", *kind}, {"subject", *subject}, {"cleared_at", format_rfc3339(now)}});
  }
  cleared->cleared_at = now;
  if (cleared->key) {
    store::NewEvent event;
    event.kind = "alert.cleared";
    event.reason = *kind + " by " + by + " (" + cleared->message + ")";
    event.rule_id = cleared->rule_id;
    event.actor = "operator:" + by;
    event.detail = json{{"alert", *kind}, {"subject", *subject}};
    deps.store.append_event(*tx, *cleared->key, event, now);
  }
  tx->commit();
  return json_response(200, alert_to_json(*cleared));
}

ApiResponse post_sync(ApiDeps& deps, const std::string& shop) {
  if (!deps.sync_now || !deps.sync_now(shop)) {
    return json_response(404, error_json("not_found", "no sync runs for shop '" + shop +
                                                    "' (unknown, disabled or its plugin failed; see erpctl status)"));
  }
  return json_response(202, json{{"shop", shop}, {"sync", "requested"}});
}

}  // namespace erp::daemon::api::sync_routes
