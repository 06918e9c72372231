#include "api/warehouse_routes.hpp"

#include <spdlog/spdlog.h>

#include "api/signed_calls.hpp"
#include "core/time_format.hpp"

namespace erp::daemon::api::warehouse_routes {
namespace {

using nlohmann::json;

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;

std::string query_param(const Query& query, const char* name) {
  const auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

}  // namespace

ApiResponse handle_inbound(ApiDeps& deps, const ApiRequest& request, const std::string& path) {
  if (auto refused = refuse_unless_post(request, "the warehouse's inbound path " + path)) return *refused;
  try {
    const auto qmark = request.target.find('?');
    sdk::WarehouseCall call;
    call.query = qmark == std::string::npos ? std::string() : request.target.substr(qmark + 1);
    call.headers = request.headers;
    call.body = request.body;
    return plugin_reply(deps.warehouse_call(call));
  } catch (const std::exception& e) {
    // Not answered as taken: the warehouse sends it again.
    spdlog::error("api: warehouse call on {} could not be taken over: {}", path, e.what());
    return json_response(500, error_json("internal", std::string("the call could not be taken over: ") + e.what()));
  }
}

ApiResponse list_stock_changes(ApiDeps& deps, const Query& query) {
  std::int64_t after = 0;
  int limit = kDefaultLimit;
  if (const std::string text = query_param(query, "after"); !text.empty()) {
    const auto value = parse_bounded_int(text, 0, std::numeric_limits<std::int64_t>::max());
    if (!value)
      return json_response(400,
                           error_json("invalid_input", "after: must be a change id (0 or more), not '" + text + "'"));
    after = *value;
  }
  if (const std::string text = query_param(query, "limit"); !text.empty()) {
    const auto value = parse_bounded_int(text, 1, kMaxLimit);
    if (!value) {
      return json_response(400, error_json("invalid_input", "limit: must be an integer from 1 to " +
                                                                std::to_string(kMaxLimit) + ", not '" + text + "'"));
    }
    limit = static_cast<int>(*value);
  }
  json changes = json::array();
  std::int64_t last = after;
  for (const auto& c : deps.store.stock_changes(query_param(query, "item"), after, limit)) {
    changes.push_back(json{{"id", c.id},
                           {"warehouse_code", c.warehouse_code},
                           {"item_code", c.item_code},
                           {"quantity", c.quantity},
                           {"delivery_code", c.delivery_code},
                           {"status", c.status},
                           {"changed_at", c.changed_at ? json(format_rfc3339(*c.changed_at)) : json(nullptr)},
                           {"received_at", format_rfc3339(c.received_at)}});
    last = c.id;
  }
  const bool full = static_cast<int>(changes.size()) == limit;
  return json_response(200, json{{"changes", std::move(changes)}, {"next_after", full ? json(last) : json(nullptr)}});
}

ApiResponse deliveries_of(ApiDeps& deps, const OrderKey& key) {
  if (!deps.store.get_order(key)) {
    return json_response(404, error_json("not_found", "order " + key.to_string() + " not found"));
  }
  json deliveries = json::array();
  for (const auto& d : deps.store.deliveries_of(key)) {
    deliveries.push_back(json{{"code", d.code},
                              {"lines", d.line_ids},
                              {"state", d.cancelled ? "cancelled" : "delivered"},
                              {"created_at", format_rfc3339(d.created_at)}});
  }
  return json_response(200, json{{"order", key.to_string()}, {"deliveries", std::move(deliveries)}});
}

}  // namespace erp::daemon::api::warehouse_routes
