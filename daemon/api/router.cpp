#include "api/router.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

#include "api/deadline_routes.hpp"
#include "api/dropship_routes.hpp"
#include "api/factory_routes.hpp"
#include "api/gift_routes.hpp"
#include "api/http_util.hpp"
#include "api/intercept_routes.hpp"
#include "api/json_views.hpp"
#include "api/push_routes.hpp"
#include "api/receiver_routes.hpp"
#include "api/shipment_routes.hpp"
#include "api/sync_routes.hpp"
#include "api/warehouse_routes.hpp"
#include "api/why_text.hpp"
#include "workflows/dropship/dropship_service.hpp"
#include "core/time_format.hpp"

namespace erp::daemon::api {

ApiResponse json_response(unsigned status, const nlohmann::json& body) {
  ApiResponse r;
  r.status = status;
  r.body = dump_json(body);
  return r;
}

namespace {

using nlohmann::json;
using Query = std::map<std::string, std::string>;

/// Thrown inside a handler to answer with an error; caught in Router::dispatch.
struct HttpError {
  unsigned status;
  std::string code;
  std::string message;
};

[[noreturn]] void bad_request(std::string message) { throw HttpError{400, "invalid_input", std::move(message)}; }

ApiResponse error_response(unsigned status, std::string_view code, std::string_view message) {
  return json_response(status, error_json(code, message));
}

unsigned status_for(sdk::ErrorCode code) {
  switch (code) {
    case sdk::ErrorCode::not_found:
      return 404;
    case sdk::ErrorCode::conflict:
    case sdk::ErrorCode::already_shipped:
      return 409;
    case sdk::ErrorCode::invalid_input:
      return 400;
    default:
      return 500;
  }
}

[[noreturn]] void fail_with(const sdk::Error& error) {
  throw HttpError{status_for(error.code), std::string(sdk::to_string(error.code)), error.message};
}

/// What a handler sees: decoded path parameters, query, body.
struct Call {
  ApiDeps& deps;
  std::vector<std::string> params;
  Query query;
  const std::string& body;
  /// The factory whose token called a factory route (rule D5); unset on the others.
  std::optional<config::FactoryConfig> factory;

  factory_routes::FactoryCall factory_call() const {
    return factory_routes::FactoryCall{deps, *deps.dropship, *factory, params, query, body};
  }

  OrderKey key() const { return OrderKey{params.at(0), params.at(1), params.at(2)}; }
  std::string param(const char* name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
};

std::int64_t parse_int(const std::string& text, const char* field, std::int64_t min, std::int64_t max) {
  const auto value = parse_bounded_int(text, min, max);
  if (!value) {
    bad_request(std::string(field) + ": must be an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                ", not '" + text + "'");
  }
  return *value;
}

int limit_param(const Call& call, int fallback) {
  const std::string text = call.param("limit");
  return text.empty() ? fallback : static_cast<int>(parse_int(text, "limit", 1, 1000));
}

bool bool_param(const Call& call, const char* name) {
  const std::string text = call.param(name);
  if (text.empty() || text == "false" || text == "0") return false;
  if (text == "true" || text == "1") return true;
  bad_request(std::string(name) + ": must be true or false, not '" + text + "'");
}

store::StoredOrder require_order(const Call& call) {
  const OrderKey key = call.key();
  auto order = call.deps.store.get_order(key);
  if (!order) throw HttpError{404, "not_found", "order " + key.to_string() + " not found"};
  return std::move(*order);
}

// --- JSON bodies -------------------------------------------------------------------------------

json parse_object_body(const std::string& body, const std::set<std::string>& known) {
  try {
    return parse_json_object(body, known);
  } catch (const std::invalid_argument& e) {
    bad_request(e.what());
  }
}

std::optional<std::string> string_field(const json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) bad_request(std::string(field) + ": must be a string");
  return it->get<std::string>();
}

// Operator names end up in owners ("operator:<by>") and event actors.
std::string operator_name(const std::string& by, const char* field) {
  try {
    return api::operator_name(by, field);
  } catch (const std::invalid_argument& e) {
    bad_request(e.what());
  }
}

// --- handlers ----------------------------------------------------------------------------------

ApiResponse get_healthz(Call&) { return json_response(200, json{{"status", "ok"}}); }

ApiResponse get_metrics(Call& call) {
  ApiResponse r;
  r.content_type = std::string(metrics::kContentType);
  r.body = call.deps.metrics.render();
  return r;
}

ApiResponse get_status(Call& call) {
  return json_response(200, call.deps.status ? call.deps.status() : json::object());
}

/// The stored order with its open intercept (rules I1-I9), its gift role and gift lines (rules
/// G1-G4) and the lines factories ship (rule D6), as every order route serves it.
json order_json(ApiDeps& deps, const store::StoredOrder& order) {
  json j = stored_order_to_json(order);
  const OrderKey key{order.order.platform, order.order.shop, order.order.order_id};
  j["intercept"] = intercept_routes::open_intercept_json(deps, key);
  auto gift = gift_routes::order_gift(deps, key);
  j["gift"] = std::move(gift.gift);
  j["gift_lines"] = std::move(gift.gift_lines);
  j["factory_lines"] = dropship_routes::factory_lines_json(deps, key);
  deadline_routes::add_to_order_json(deps, key, j);
  return j;
}

ApiResponse list_orders(Call& call) {
  store::OrderFilter filter;
  filter.platform = call.param("platform");
  filter.shop = call.param("shop");
  filter.state = call.param("state");
  filter.cursor = call.param("cursor");
  filter.limit = limit_param(call, 100);
  if (!store::is_valid_state_filter(filter.state)) {
    bad_request("state: unknown value '" + filter.state +
                "' (one of pending_payment, paid, partially_shipped, shipped, completed, closed, held, released, "
                "unreleased)");
  }
  json orders = json::array();
  // A bare platform order id, as erpctl resolves it: every order with that id (optionally within
  // one platform or shop). Few rows by nature, so no paging.
  if (const std::string order_id = call.param("order_id"); !order_id.empty()) {
    if (!filter.state.empty() || !filter.cursor.empty())
      bad_request("order_id: cannot be combined with state or cursor");
    for (const auto& key : call.deps.store.find_orders(order_id)) {
      if (!filter.platform.empty() && key.platform != filter.platform) continue;
      if (!filter.shop.empty() && key.shop != filter.shop) continue;
      if (auto order = call.deps.store.get_order(key)) orders.push_back(order_json(call.deps, *order));
    }
    return json_response(200, json{{"orders", std::move(orders)}, {"next_cursor", nullptr}});
  }
  if (!store::is_valid_cursor(filter.cursor)) bad_request("cursor: not one this daemon handed out");
  const store::OrderPage page = call.deps.store.list_orders(filter);
  for (const auto& order : page.orders) orders.push_back(order_json(call.deps, order));
  return json_response(200, json{{"orders", std::move(orders)},
                                 {"next_cursor", page.next_cursor.empty() ? json(nullptr) : json(page.next_cursor)}});
}

ApiResponse get_order(Call& call) { return json_response(200, order_json(call.deps, require_order(call))); }

ApiResponse get_why(Call& call) {
  const store::StoredOrder order = require_order(call);
  const OrderKey key = call.key();
  return json_response(200, why::why_json(order, call.deps.store.events(key), call.deps.store.holds(key)));
}

ApiResponse list_holds(Call& call) {
  require_order(call);
  json holds = json::array();
  for (const auto& hold : call.deps.store.holds(call.key())) holds.push_back(hold_to_json(hold));
  return json_response(200, json{{"holds", std::move(holds)}});
}

ApiResponse post_hold(Call& call) {
  const json body = parse_object_body(call.body, {"reason", "auto_release_at", "by"});
  const std::string reason = trimmed(string_field(body, "reason").value_or(""));
  if (reason.empty()) bad_request("reason: required, the text people see as the reason for the hold");
  store::NewHold hold;
  hold.reason_code = "MANUAL";
  hold.owner = "operator:" + operator_name(string_field(body, "by").value_or(""), "by");
  hold.note = reason;
  if (auto until = string_field(body, "auto_release_at")) {
    hold.auto_release_at = parse_rfc3339(*until);
    if (!hold.auto_release_at) bad_request("auto_release_at: not an RFC 3339 time: '" + *until + "'");
  }
  auto placed = call.deps.holds.place(call.key(), hold, now_utc());
  if (!placed) fail_with(placed.error());
  ApiResponse r = json_response(201, hold_to_json(*placed));
  const OrderKey key = call.key();
  r.headers.emplace_back("Location", "/v1/orders/" + percent_encode(key.platform) + "/" + percent_encode(key.shop) +
                                         "/" + percent_encode(key.order_id) + "/holds/" + std::to_string(placed->id));
  return r;
}

ApiResponse delete_hold(Call& call) {
  const std::int64_t hold_id = parse_int(call.params.at(3), "hold_id", 1, INT64_MAX);
  const bool force = bool_param(call, "force");
  const std::string by = "operator:" + operator_name(call.param("by"), "by");
  auto released = call.deps.holds.release(call.key(), hold_id, by, trimmed(call.param("reason")), force, now_utc());
  if (!released) fail_with(released.error());
  return json_response(200, hold_to_json(*released));
}

ApiResponse list_outbox(Call& call) {
  std::optional<store::OutboxState> state;
  if (const std::string text = call.param("state"); !text.empty()) {
    state = store::outbox_state_from_string(text);
    if (!state) bad_request("state: unknown value '" + text + "' (one of pending, in_flight, done, dead)");
  }
  json items = json::array();
  for (const auto& item : call.deps.store.list_outbox(state, limit_param(call, 200))) {
    items.push_back(outbox_item_to_json(item));
  }
  return json_response(200, json{{"items", std::move(items)}});
}

ApiResponse retry_outbox(Call& call) {
  const std::int64_t id = parse_int(call.params.at(0), "id", 1, INT64_MAX);
  auto item = call.deps.store.get_outbox_item(id);
  if (!item) throw HttpError{404, "not_found", "outbox item " + std::to_string(id) + " not found"};
  if (item->state == store::OutboxState::done) {
    throw HttpError{409, "conflict", "outbox item " + std::to_string(id) + " is already done"};
  }
  if (item->state == store::OutboxState::in_flight) {
    throw HttpError{409, "conflict", "outbox item " + std::to_string(id) + " is being executed right now"};
  }
  if (!call.deps.store.retry_outbox_item(id, now_utc())) {
    throw HttpError{409, "conflict", "outbox item " + std::to_string(id) + " cannot be retried in its state"};
  }
  if (call.deps.wake_outbox) call.deps.wake_outbox();
  item = call.deps.store.get_outbox_item(id);
  return json_response(200, item ? outbox_item_to_json(*item) : json{{"id", id}});
}

// --- the route table ---------------------------------------------------------------------------

using Handler = ApiResponse (*)(Call&);

/// Who may call a route.
enum class Access {
  daemon,   ///< The daemon's own token (api.token_file).
  open,     ///< Anyone (the health check).
  factory,  ///< A dropship factory's own token, and nothing else (rule D5).
};

struct Route {
  std::string pattern;
  std::vector<std::string> segments;
  std::vector<std::pair<std::string, Handler>> methods;
  std::set<std::string> query;  ///< Known query parameters; others are a 400 (typos never widen a filter).
  Access access = Access::daemon;
};

std::vector<std::string> pattern_segments(const std::string& pattern) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= pattern.size()) {
    const auto slash = pattern.find('/', start);
    out.push_back(pattern.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

const std::vector<Route>& routes() {
  static const std::vector<Route> table = [] {
    const std::string order = "/v1/orders/{platform}/{shop}/{order_id}";
    std::vector<Route> r{
        {"/healthz", {}, {{"GET", get_healthz}}, {}, Access::open},
        {"/metrics", {}, {{"GET", get_metrics}}, {}, Access::daemon},
        {"/v1/status", {}, {{"GET", get_status}}, {}, Access::daemon},
        {"/v1/orders", {}, {{"GET", list_orders}}, {"platform", "shop", "state", "cursor", "limit", "order_id"}, Access::daemon},
        {order, {}, {{"GET", get_order}}, {}, Access::daemon},
        {order + "/why", {}, {{"GET", get_why}}, {}, Access::daemon},
        {order + "/holds", {}, {{"GET", list_holds}, {"POST", post_hold}}, {}, Access::daemon},
        {order + "/shipments", {}, {{"POST", [](Call& c) {
           return shipment_routes::post_shipment(c.deps, c.key(), c.body);
         }}}, {}, Access::daemon},
        {order + "/holds/{hold_id}", {}, {{"DELETE", delete_hold}}, {"force", "by", "reason"}, Access::daemon},
        {order + "/receiver",
         {},
         {{"GET", [](Call& c) { return receiver_routes::get_receiver(c.deps, c.key()); }}},
         {},
         Access::daemon},
        {"/v1/receivers/decrypt",
         {},
         {{"POST", [](Call& c) { return receiver_routes::post_decrypt(c.deps, c.body); }}},
         {},
         Access::daemon},
        {order + "/intercepts",
         {},
         {{"GET", [](Call& c) { return intercept_routes::list_of_order(c.deps, c.key()); }},
          {"POST", [](Call& c) { return intercept_routes::post_intercept(c.deps, c.key(), c.body); }}},
         {},
         Access::daemon},
        {"/v1/intercepts",
         {},
         {{"GET", [](Call& c) { return intercept_routes::list(c.deps, c.query); }}},
         {"state", "platform", "shop", "limit"},
         Access::daemon},
        {"/v1/intercepts/unlock",
         {},
         {{"POST", [](Call& c) { return intercept_routes::post_unlock(c.deps, c.body); }}},
         {},
         Access::daemon},
        {"/v1/intercepts/{id}",
         {},
         {{"GET", [](Call& c) { return intercept_routes::get(c.deps, c.params.at(0)); }}},
         {},
         Access::daemon},
        {"/v1/intercepts/{id}/confirm",
         {},
         {{"POST", [](Call& c) { return intercept_routes::post_confirm(c.deps, c.params.at(0), c.body); }}},
         {},
         Access::daemon},
        {"/v1/intercepts/{id}/cancel",
         {},
         {{"POST", [](Call& c) { return intercept_routes::post_cancel(c.deps, c.params.at(0), c.body); }}},
         {},
         Access::daemon},
        {order + "/gift", {}, {{"GET", [](Call& c) { return gift_routes::of_order(c.deps, c.key()); }}}, {}, Access::daemon},
        {"/v1/gifts",
         {},
         {{"GET", [](Call& c) { return gift_routes::list(c.deps, c.query); }}},
         {"state", "platform", "shop", "limit"},
         Access::daemon},
        {order + "/deadline",
         {},
         {{"GET", [](Call& c) { return deadline_routes::of_order(c.deps, c.key()); }}},
         {},
         Access::daemon},
        {order + "/deadline/reports",
         {},
         {{"POST", [](Call& c) { return deadline_routes::post_report(c.deps, c.key(), c.body); }}},
         {},
         Access::daemon},
        {order + "/tracking",
         {},
         {{"POST", [](Call& c) { return deadline_routes::post_tracking(c.deps, c.key(), c.body); }}},
         {},
         Access::daemon},
        {order + "/after-sale",
         {},
         {{"POST", [](Call& c) { return deadline_routes::post_after_sale(c.deps, c.key(), c.body); }}},
         {},
         Access::daemon},
        {order + "/deliveries",
         {},
         {{"GET", [](Call& c) { return warehouse_routes::deliveries_of(c.deps, c.key()); }}},
         {},
         Access::daemon},
        {"/v1/warehouse/stock-changes",
         {},
         {{"GET", [](Call& c) { return warehouse_routes::list_stock_changes(c.deps, c.query); }}},
         {"item", "after", "limit"},
         Access::daemon},
        {order + "/dropship", {}, {{"GET", [](Call& c) { return dropship_routes::of_order(c.deps, c.key()); }}}, {}, Access::daemon},
        {"/v1/dropship/factories",
         {},
         {{"GET", [](Call& c) { return dropship_routes::list_factories(c.deps); }}},
         {},
         Access::daemon},
        {"/v1/dropship/bindings",
         {},
         {{"GET", [](Call& c) { return dropship_routes::list_bindings(c.deps, c.query); }},
          {"POST", [](Call& c) { return dropship_routes::post_binding(c.deps, c.body); }}},
         {"shop", "factory", "state", "limit"},
         Access::daemon},
        {"/v1/dropship/bindings/{id}/unbind",
         {},
         {{"POST", [](Call& c) { return dropship_routes::post_unbind(c.deps, c.params.at(0)); }}},
         {},
         Access::daemon},
        {"/v1/dropship/assign",
         {},
         {{"POST", [](Call& c) { return dropship_routes::post_assign(c.deps, c.body); }}},
         {},
         Access::daemon},
        {"/v1/dropship/lines",
         {},
         {{"GET", [](Call& c) { return dropship_routes::list_lines(c.deps, c.query); }}},
         {"factory", "shop", "state", "order_id", "after", "limit"},
         Access::daemon},
        {"/v1/dropship/lines/{id}",
         {},
         {{"GET", [](Call& c) { return dropship_routes::get_line(c.deps, c.params.at(0)); }}},
         {},
         Access::daemon},
        {"/v1/dropship/lines/{id}/unassign",
         {},
         {{"POST", [](Call& c) { return dropship_routes::post_unassign(c.deps, c.params.at(0)); }}},
         {},
         Access::daemon},
        {"/v1/dropship/audit",
         {},
         {{"GET", [](Call& c) { return dropship_routes::list_audit(c.deps, c.query); }}},
         {"factory", "limit"},
         Access::daemon},
        {"/v1/dropship/reconcile",
         {},
         {{"POST", [](Call& c) { return dropship_routes::post_reconcile(c.deps); }}},
         {},
         Access::daemon},
        {"/v1/factory/me", {}, {{"GET", [](Call& c) { return factory_routes::get_me(c.factory_call()); }}}, {},
         Access::factory},
        {"/v1/factory/bindings",
         {},
         {{"GET", [](Call& c) { return factory_routes::list_bindings(c.factory_call()); }}},
         {},
         Access::factory},
        {"/v1/factory/bindings/{id}/confirm",
         {},
         {{"POST", [](Call& c) { return factory_routes::confirm_binding(c.factory_call()); }}},
         {},
         Access::factory},
        {"/v1/factory/bindings/{id}/unbind",
         {},
         {{"POST", [](Call& c) { return factory_routes::end_binding(c.factory_call()); }}},
         {},
         Access::factory},
        {"/v1/factory/lines",
         {},
         {{"GET", [](Call& c) { return factory_routes::list_lines(c.factory_call()); }}},
         {"state", "after", "limit"},
         Access::factory},
        {"/v1/factory/lines/{id}",
         {},
         {{"GET", [](Call& c) { return factory_routes::get_line(c.factory_call()); }}},
         {},
         Access::factory},
        {"/v1/factory/lines/{id}/receiver",
         {},
         {{"POST", [](Call& c) { return factory_routes::post_receiver(c.factory_call()); }}},
         {},
         Access::factory},
        {"/v1/factory/lines/{id}/shipment",
         {},
         {{"POST", [](Call& c) { return factory_routes::post_shipment(c.factory_call()); }}},
         {},
         Access::factory},
        {"/v1/outbox", {}, {{"GET", list_outbox}}, {"state", "limit"}, Access::daemon},
        {"/v1/outbox/{id}/retry", {}, {{"POST", retry_outbox}}, {}, Access::daemon},
        {"/v1/quarantine",
         {},
         {{"GET", [](Call& c) { return sync_routes::list_quarantine(c.deps, c.query); }}},
         {"shop", "limit", "payload"},
         Access::daemon},
        {"/v1/alerts", {}, {{"GET", [](Call& c) { return sync_routes::get_alerts(c.deps); }}}, {}, Access::daemon},
        {"/v1/alerts/clear",
         {},
         {{"POST", [](Call& c) { return sync_routes::post_clear_alert(c.deps, c.body); }}},
         {},
         Access::daemon},
        {"/v1/shops/{shop}/sync",
         {},
         {{"POST", [](Call& c) { return sync_routes::post_sync(c.deps, c.params.at(0)); }}},
         {},
         Access::daemon},
    };
    for (auto& route : r) route.segments = pattern_segments(route.pattern);
    return r;
  }();
  return table;
}

const Route* match(const std::vector<std::string>& segments, std::vector<std::string>& params) {
  for (const auto& route : routes()) {
    if (route.segments.size() != segments.size()) continue;
    std::vector<std::string> captured;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const std::string& want = route.segments[i];
      if (want.starts_with('{')) {
        captured.push_back(segments[i]);
      } else {
        ok = want == segments[i];
      }
    }
    if (ok) {
      params = std::move(captured);
      return &route;
    }
  }
  return nullptr;
}

}  // namespace

Router::Router(ApiDeps deps, std::string token) : deps_(std::move(deps)), token_(std::move(token)) {
  deps_.metrics.describe(kRequestsMetric, "counter", "API requests answered, by route pattern and HTTP status code.");
}

void Router::set_token(std::string token) {
  std::lock_guard lock(token_mutex_);
  token_ = std::move(token);
}

std::optional<config::FactoryConfig> Router::factory_of(std::string_view authorization) {
  const auto presented = bearer_token(authorization);
  if (!presented || !deps_.factory_for_token || !deps_.dropship) return std::nullopt;
  const auto id = deps_.factory_for_token(*presented);
  return id ? deps_.dropship->factory(*id) : std::nullopt;
}

bool Router::authorized(std::string_view authorization) {
  const auto presented = bearer_token(authorization);
  std::lock_guard lock(token_mutex_);
  // An empty configured token would let "Bearer " through; never accept that.
  return presented && !token_.empty() && constant_time_equal(*presented, token_);
}

void Router::count(const ApiResponse& response) {
  try {
    deps_.metrics.add(kRequestsMetric, {{"route", response.route}, {"code", std::to_string(response.status)}});
  } catch (const std::exception& e) {
    spdlog::warn("api: cannot count request: {}", e.what());
  }
}

ApiResponse Router::handle(const ApiRequest& request) {
  ApiResponse response;
  try {
    response = dispatch(request);
  } catch (const std::exception& e) {
    spdlog::error("api: {} {}: {}", request.method, request.target, e.what());
    response = error_response(500, "internal", std::string("internal error: ") + e.what());
    response.route = "other";
  }
  count(response);
  return response;
}

ApiResponse Router::transport_error(unsigned status, std::string_view code, std::string_view message) {
  ApiResponse response = error_response(status, code, message);
  response.route = "none";
  count(response);
  return response;
}

ApiResponse Router::dispatch(const ApiRequest& request) {
  const std::string_view target = request.target;
  const auto qmark = target.find('?');
  // A platform push is signed by the platform and checked by the shop's adapter; it carries no
  // token of ours. Push paths never overlap the daemon's routes (config checks that).
  if (deps_.is_push_path && deps_.push) {
    const std::string path(target.substr(0, qmark));
    if (deps_.is_push_path(path)) {
      ApiResponse r = push_routes::handle_push(deps_, request, path);
      r.route = path;  // configured paths only, so the label set stays small
      return r;
    }
  }
  // The warehouse connector's inbound path: signed by the warehouse, checked by the connector.
  if (deps_.is_warehouse_path && deps_.warehouse_call) {
    const std::string path(target.substr(0, qmark));
    if (deps_.is_warehouse_path(path)) {
      ApiResponse r = warehouse_routes::handle_inbound(deps_, request, path);
      r.route = path;
      return r;
    }
  }
  const auto segments = split_path(target.substr(0, qmark));
  std::vector<std::string> params;
  const Route* route = segments ? match(*segments, params) : nullptr;
  const std::string label = route ? route->pattern : "other";

  auto finish = [&](ApiResponse r) {
    r.route = label;
    return r;
  };

  // Who calls: the daemon's token, a factory's (rule D5: a factory token opens its own routes
  // and nothing else), or nobody known.
  const bool daemon_caller = authorized(request.authorization);
  std::optional<config::FactoryConfig> factory;
  if (!daemon_caller) factory = factory_of(request.authorization);
  const Access access = route ? route->access : Access::daemon;
  const bool allowed = access == Access::open || (access == Access::daemon && daemon_caller) ||
                       (access == Access::factory && factory) || (!route && (daemon_caller || factory));
  if (!allowed) {
    // A caller with no known token learns nothing about the path; a known caller on the other
    // kind of route is told which token it takes.
    const bool daemon_on_factory_route = daemon_caller && access == Access::factory;
    ApiResponse r = error_response(
        401, "unauthorized",
        daemon_on_factory_route
            ? "this route takes a factory's own token (workflows.dropship.factories[].token_file)"
        : factory ? "a factory's token opens the factory routes (/v1/factory/...) only"
        : request.authorization.empty()
            ? "missing bearer token: send 'Authorization: Bearer <token>' with the token from api.token_file"
            : "invalid bearer token");
    r.headers.emplace_back("WWW-Authenticate", daemon_on_factory_route ? "Bearer realm=\"erpd-factory\""
                                                                       : "Bearer realm=\"erpd\"");
    return finish(std::move(r));
  }
  if (!segments) return finish(error_response(400, "invalid_input", "malformed request path"));
  if (!route) return finish(error_response(404, "not_found", "no route " + std::string(target.substr(0, qmark))));

  Handler handler = nullptr;
  std::string allow;
  for (const auto& [method, h] : route->methods) {
    if (method == request.method) handler = h;
    allow += (allow.empty() ? "" : ", ") + method;
  }
  if (!handler) {
    ApiResponse r =
        error_response(405, "method_not_allowed",
                       request.method + " is not allowed on " + route->pattern + " (allowed: " + allow + ")");
    r.headers.emplace_back("Allow", allow);
    return finish(std::move(r));
  }

  std::string bad_param;
  auto query = parse_query(qmark == std::string_view::npos ? std::string_view{} : target.substr(qmark + 1), bad_param);
  if (!query) return finish(error_response(400, "invalid_input", "malformed query parameter '" + bad_param + "'"));
  for (const auto& [name, value] : *query) {
    if (!route->query.contains(name)) {
      std::string known;
      for (const auto& k : route->query) known += (known.empty() ? "" : ", ") + k;
      return finish(
          error_response(400, "invalid_input",
                         "unknown query parameter '" + name + "'" +
                             (known.empty() ? std::string(" (this route takes none)") : " (known: " + known + ")")));
    }
  }

  Call call{deps_, std::move(params), std::move(*query), request.body, std::move(factory)};
  try {
    return finish(handler(call));
  } catch (const HttpError& e) {
    return finish(error_response(e.status, e.code, e.message));
  } catch (const std::exception& e) {
    // A store failure (busy disk, a damaged row) must still answer; the daemon keeps running.
    spdlog::error("api: {} {} failed: {}", request.method, request.target, e.what());
    return finish(error_response(500, "internal", std::string("the daemon could not answer: ") + e.what()));
  }
}

}  // namespace erp::daemon::api
