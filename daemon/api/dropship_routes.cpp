#include "api/dropship_routes.hpp"

#include "api/http_util.hpp"
#include "api/json_views.hpp"
#include "core/time_format.hpp"
#include "workflows/dropship/dropship_service.hpp"

namespace erp::daemon::api::dropship_routes {
namespace {

using nlohmann::json;
using workflows::dropship::DropshipService;

ApiResponse error(unsigned status, std::string_view code, std::string_view message) {
  return json_response(status, error_json(code, message));
}

/// Thrown by the readers below; answered as a 400.
struct BadRequest {
  std::string message;
};

/// The daemon runs without the dropship service (tests of other routes): answered as a 503.
struct NotRunning {};

DropshipService& service(ApiDeps& deps) {
  if (!deps.dropship) throw NotRunning{};
  return *deps.dropship;
}

std::string required_text(const json& body, const char* field) {
  const auto it = body.find(field);
  if (it == body.end() || !it->is_string() || trimmed(it->get<std::string>()).empty())
    throw BadRequest{std::string(field) + ": required, a non-empty string"};
  return trimmed(it->get<std::string>());
}

std::int64_t id_param(const std::string& text, const char* what) {
  const auto id = parse_bounded_int(text, 1, INT64_MAX);
  if (!id) throw BadRequest{std::string(what) + " must be a positive integer, got '" + text + "'"};
  return *id;
}

int limit_param(const Query& query, int fallback) {
  const auto it = query.find("limit");
  if (it == query.end()) return fallback;
  const auto n = parse_bounded_int(it->second, 1, 1000);
  if (!n) throw BadRequest{"limit: must be 1 to 1000"};
  return static_cast<int>(*n);
}

std::string param(const Query& query, const char* name) {
  const auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

template <typename F>
ApiResponse answer(F&& f) {
  try {
    return f();
  } catch (const BadRequest& e) {
    return error(400, "invalid_input", e.message);
  } catch (const NotRunning&) {
    return error(503, "unavailable", "the dropship workflow is not running");
  } catch (const std::invalid_argument& e) {
    return error(400, "invalid_input", e.what());
  }
}

}  // namespace

ApiResponse refused(const sdk::Error& e) {
  // Conflicts name their reason before a colon ("buyer_cancelled: ..."): that is the code.
  std::string code(sdk::to_string(e.code));
  std::string message = e.message;
  unsigned status = 500;
  switch (e.code) {
    case sdk::ErrorCode::invalid_input: status = 400; break;
    case sdk::ErrorCode::not_found: status = 404; break;
    case sdk::ErrorCode::already_shipped: status = 409; break;
    case sdk::ErrorCode::conflict: {
      status = 409;
      const auto colon = message.find(": ");
      if (colon != std::string::npos && message.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == colon) {
        code = message.substr(0, colon);
        if (code == "already_shipped" || code == "buyer_cancelled" || code == "not_assigned") {
          message = message.substr(colon + 2);
        } else {
          code = "conflict";
        }
      }
      break;
    }
    default: break;
  }
  return error(status, code, message);
}

ApiResponse list_factories(ApiDeps& deps) {
  return answer([&] {
    const auto settings = service(deps).settings();
    json factories = json::array();
    for (const auto& f : settings.config.factories) {
      store::BindingFilter filter;
      filter.factory = f.id;
      json bindings = json::array();
      for (const auto& b : deps.store.list_bindings(filter)) bindings.push_back(binding_to_json(b));
      factories.push_back({{"id", f.id},
                           {"name", f.name.empty() ? f.id : f.name},
                           {"douyin_shop_id", f.douyin_shop_id},
                           {"shop", f.shop},
                           {"notifies", !f.notify_url.empty()},
                           {"bindings", std::move(bindings)}});
    }
    return json_response(200, json{{"factories", std::move(factories)}});
  });
}

ApiResponse list_bindings(ApiDeps& deps, const Query& query) {
  return answer([&] {
    store::BindingFilter filter;
    filter.shop = param(query, "shop");
    filter.factory = param(query, "factory");
    if (const auto state = param(query, "state"); !state.empty()) {
      const auto parsed = store::binding_state_from_string(state);
      if (!parsed) throw BadRequest{"state: must be requested, bound or unbound"};
      filter.states = {*parsed};
    }
    filter.limit = limit_param(query, 200);
    json bindings = json::array();
    for (const auto& b : deps.store.list_bindings(filter)) bindings.push_back(binding_to_json(b));
    return json_response(200, json{{"bindings", std::move(bindings)}});
  });
}

ApiResponse post_binding(ApiDeps& deps, const std::string& body) {
  return answer([&] {
    const json j = parse_json_object(body, {"shop", "factory"});
    auto binding = service(deps).request_binding(required_text(j, "shop"), required_text(j, "factory"), now_utc());
    if (!binding) return refused(binding.error());
    return json_response(201, binding_to_json(*binding));
  });
}

ApiResponse post_unbind(ApiDeps& deps, const std::string& id) {
  return answer([&] {
    auto binding = service(deps).end_binding(id_param(id, "binding id"), "merchant", "", now_utc());
    if (!binding) return refused(binding.error());
    return json_response(200, binding_to_json(*binding));
  });
}

ApiResponse post_assign(ApiDeps& deps, const std::string& body) {
  return answer([&] {
    const json j = parse_json_object(body, {"factory", "orders"});
    const std::string factory = required_text(j, "factory");
    const auto orders = j.find("orders");
    if (orders == j.end() || !orders->is_array() || orders->empty() || orders->size() > kMaxBatch)
      throw BadRequest{"orders: required, a list of 1 to " + std::to_string(kMaxBatch) +
                       " {platform, shop, order_id, lines?}"};
    struct Wanted {
      OrderKey key;
      std::vector<std::string> lines;
    };
    std::vector<Wanted> wanted;
    for (std::size_t i = 0; i < orders->size(); ++i) {
      const json& o = (*orders)[i];
      const std::string at = "orders[" + std::to_string(i) + "]";
      if (!o.is_object()) throw BadRequest{at + ": must be an object"};
      for (const auto& item : o.items())
        if (item.key() != "platform" && item.key() != "shop" && item.key() != "order_id" && item.key() != "lines")
          throw BadRequest{at + ": unknown field '" + item.key() + "'"};
      Wanted w;
      try {
        w.key = OrderKey{required_text(o, "platform"), required_text(o, "shop"), required_text(o, "order_id")};
      } catch (const BadRequest& e) {
        throw BadRequest{at + "." + e.message};
      }
      if (const auto lines = o.find("lines"); lines != o.end() && !lines->is_null()) {
        if (!lines->is_array()) throw BadRequest{at + ".lines: must be a list of line ids"};
        for (const auto& l : *lines) {
          if (!l.is_string() || l.get<std::string>().empty()) throw BadRequest{at + ".lines: must hold line ids"};
          w.lines.push_back(l.get<std::string>());
        }
      }
      wanted.push_back(std::move(w));
    }
    json results = json::array();
    const auto now = now_utc();
    for (const auto& w : wanted) {
      auto outcomes = service(deps).assign(w.key, w.lines, factory, "manual", now);
      if (!outcomes) {
        const auto& e = outcomes.error();
        results.push_back({{"order", w.key.to_string()},
                           {"line_id", nullptr},
                           {"outcome", "refused"},
                           {"refusal", std::string(sdk::to_string(e.code))},
                           {"message", e.message},
                           {"line", nullptr}});
        continue;
      }
      for (const auto& o : *outcomes) {
        results.push_back({{"order", w.key.to_string()},
                           {"line_id", o.line_id},
                           {"outcome", o.line ? "assigned" : "refused"},
                           {"refusal", o.refusal},
                           {"message", o.message},
                           {"line", o.line ? dropship_line_to_json(*o.line) : json(nullptr)}});
      }
    }
    return json_response(200, json{{"results", std::move(results)}});
  });
}

ApiResponse list_lines(ApiDeps& deps, const Query& query) {
  return answer([&] {
    store::DropshipLineFilter filter;
    filter.factory = param(query, "factory");
    filter.shop = param(query, "shop");
    filter.order_id = param(query, "order_id");
    if (const auto state = param(query, "state"); !state.empty()) {
      const auto parsed = store::dropship_line_state_from_string(state);
      if (!parsed) throw BadRequest{"state: must be assigning, assigned, shipped, unassigned or refused"};
      filter.states = {*parsed};
    }
    if (const auto after = param(query, "after"); !after.empty()) {
      const auto n = parse_bounded_int(after, 0, INT64_MAX);
      if (!n) throw BadRequest{"after: must be a line id"};
      filter.after_id = *n;
    }
    filter.limit = limit_param(query, 200);
    json lines = json::array();
    std::int64_t last = 0;
    const auto found = deps.store.list_dropship_lines(filter);
    for (const auto& l : found) {
      lines.push_back(dropship_line_to_json(l));
      last = l.id;
    }
    const bool more = static_cast<int>(found.size()) == filter.limit;
    return json_response(200, json{{"lines", std::move(lines)}, {"next_after", more ? json(last) : json(nullptr)}});
  });
}

ApiResponse get_line(ApiDeps& deps, const std::string& id) {
  return answer([&] {
    const auto line = deps.store.get_dropship_line(id_param(id, "line id"));
    if (!line) return error(404, "not_found", "no dropship line " + id);
    return json_response(200, dropship_line_to_json(*line));
  });
}

ApiResponse post_unassign(ApiDeps& deps, const std::string& id) {
  return answer([&] {
    auto line = service(deps).unassign(id_param(id, "line id"), now_utc());
    if (!line) return refused(line.error());
    return json_response(200, dropship_line_to_json(*line));
  });
}

ApiResponse of_order(ApiDeps& deps, const OrderKey& key) {
  return answer([&] {
    if (!deps.store.get_order(key)) return error(404, "not_found", "order " + key.to_string() + " not found");
    json lines = json::array();
    for (const auto& l : deps.store.dropship_lines_of(key)) lines.push_back(dropship_line_to_json(l));
    return json_response(200, json{{"order", key.to_string()}, {"lines", std::move(lines)}});
  });
}

ApiResponse list_audit(ApiDeps& deps, const Query& query) {
  return answer([&] {
    json accesses = json::array();
    for (const auto& a : deps.store.receiver_accesses(param(query, "factory"), limit_param(query, 200)))
      accesses.push_back(receiver_access_to_json(a));
    return json_response(200, json{{"accesses", std::move(accesses)}});
  });
}

json factory_lines_json(ApiDeps& deps, const OrderKey& key) {
  json out = json::array();
  for (const auto& l : deps.store.dropship_lines_of(key)) {
    if (l.state != store::DropshipLineState::assigning && l.state != store::DropshipLineState::assigned &&
        l.state != store::DropshipLineState::shipped)
      continue;
    out.push_back({{"line_id", l.line_id}, {"factory", l.factory}, {"state", store::to_string(l.state)}});
  }
  return out;
}

ApiResponse post_reconcile(ApiDeps& deps) {
  if (!deps.dropship_reconcile) return error(503, "unavailable", "dropship reconciliation is not running");
  deps.dropship_reconcile();
  return json_response(202, json{{"reconciling", true}});
}

}  // namespace erp::daemon::api::dropship_routes
