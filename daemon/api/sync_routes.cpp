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

std::string param(const Query& query, const char* name) {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
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
  const bool ok = shops.empty() && counts.quarantined == 0 && counts.outbox_dead == 0;
  return json_response(200, json{{"ok", ok},
                           {"shops", std::move(shops)},
                           {"quarantined", counts.quarantined},
                           {"outbox_dead", counts.outbox_dead},
                           {"dead_items", std::move(dead)}});
}

ApiResponse post_sync(ApiDeps& deps, const std::string& shop) {
  if (!deps.sync_now || !deps.sync_now(shop)) {
    return json_response(404, error_json("not_found", "no sync runs for shop '" + shop +
                                                    "' (unknown, disabled or its plugin failed; see erpctl status)"));
  }
  return json_response(202, json{{"shop", shop}, {"sync", "requested"}});
}

}  // namespace erp::daemon::api::sync_routes
