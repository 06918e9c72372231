#include "api/intercept_routes.hpp"

#include "api/http_util.hpp"
#include "api/json_views.hpp"
#include "core/time_format.hpp"

namespace erp::daemon::api::intercept_routes {
namespace {

using nlohmann::json;
using workflows::intercept::Refusal;

/// Thrown by the readers below; the handlers answer it as a 400.
struct BadRequest {
  std::string message;
};

ApiResponse error(unsigned status, std::string_view code, std::string_view message) {
  return json_response(status, error_json(code, message));
}

ApiResponse refused(const Refusal& refusal) {
  unsigned status = 409;
  std::string code = "conflict";
  switch (refusal.kind) {
    case Refusal::Kind::not_found: status = 404; code = "not_found"; break;
    case Refusal::Kind::invalid_input: status = 400; code = "invalid_input"; break;
    case Refusal::Kind::not_enabled: code = "not_enabled"; break;
    case Refusal::Kind::too_late: code = "too_late"; break;
    case Refusal::Kind::conflict: break;
  }
  json body = error_json(code, refusal.message);
  if (refusal.intercept) body["intercept"] = intercept_to_json(*refusal.intercept);
  return json_response(status, body);
}

/// Bodies may be left out where every field is optional.
json object_body(const std::string& body, const std::set<std::string>& known) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  try {
    return parse_json_object(body, known);
  } catch (const std::invalid_argument& e) {
    throw BadRequest{e.what()};
  }
}

std::string text(const json& body, const char* field) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) return {};
  if (!it->is_string()) throw BadRequest{std::string(field) + ": must be a string"};
  return trimmed(it->get<std::string>());
}

std::string actor(const json& body) {
  try {
    return "operator:" + operator_name(text(body, "by"), "by");
  } catch (const std::invalid_argument& e) {
    throw BadRequest{e.what()};
  }
}

std::vector<std::string> lines(const json& body) {
  std::vector<std::string> out;
  const auto it = body.find("lines");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) throw BadRequest{"lines: must be a list of line ids"};
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& id = (*it)[i];
    if (!id.is_string() || id.get<std::string>().empty()) {
      throw BadRequest{"lines[" + std::to_string(i) + "]: must be a non-empty string"};
    }
    out.push_back(id.get<std::string>());
  }
  return out;
}

std::int64_t intercept_id(const std::string& text) {
  const auto id = parse_bounded_int(text, 1, INT64_MAX);
  if (!id) throw BadRequest{"id: must be a positive integer, not '" + text + "'"};
  return *id;
}

/// RFC 3339, or China time as merchants write it ("2026-11-12 00:00").
Instant when(const std::string& text, const char* field) {
  if (auto t = parse_merchant_time(text)) return *t;
  throw BadRequest{std::string(field) + ": not a time: '" + text +
                   "' (RFC 3339, or China time as 2026-11-12 00:00)"};
}

json intercept_list(const std::vector<store::Intercept>& intercepts) {
  json out = json::array();
  for (const auto& intercept : intercepts) out.push_back(intercept_to_json(intercept));
  return json{{"intercepts", std::move(out)}};
}

/// Runs a handler body with the service present and bad input answered as 400.
template <class F>
ApiResponse guarded(ApiDeps& deps, F&& handle) {
  if (deps.intercepts == nullptr) return error(503, "unavailable", "the intercept workflow is not running");
  try {
    return handle(*deps.intercepts);
  } catch (const BadRequest& bad) {
    return error(400, "invalid_input", bad.message);
  }
}

}  // namespace

ApiResponse post_intercept(ApiDeps& deps, const OrderKey& key, const std::string& body) {
  return guarded(deps, [&](workflows::intercept::InterceptService& service) {
    const json request = object_body(body, {"lines", "reason", "by"});
    workflows::intercept::NewRequest wanted;
    wanted.key = key;
    wanted.line_ids = lines(request);
    wanted.reason = text(request, "reason");
    wanted.requested_by = actor(request);
    auto decision = service.request(wanted, now_utc());
    if (!decision) return refused(*decision.refusal);
    const auto& requested = *decision.value;
    unsigned status = 201;
    if (requested.duplicate) {
      status = 200;
    } else if (requested.intercept.state == store::InterceptState::awaiting_warehouse) {
      status = 202;
    }
    return json_response(status, json{{"intercept", intercept_to_json(requested.intercept)},
                                      {"duplicate", requested.duplicate}});
  });
}

ApiResponse list_of_order(ApiDeps& deps, const OrderKey& key) {
  if (!deps.store.get_order(key)) return error(404, "not_found", "order " + key.to_string() + " not found");
  return json_response(200, intercept_list(deps.store.intercepts_of(key)));
}

ApiResponse list(ApiDeps& deps, const Query& query) {
  const auto param = [&](const char* name) {
    const auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  };
  store::InterceptFilter filter;
  filter.platform = param("platform");
  filter.shop = param("shop");
  if (const std::string state = param("state"); state == "open") {
    filter.states = {store::InterceptState::locked, store::InterceptState::awaiting_warehouse,
                     store::InterceptState::memo_only};
  } else if (!state.empty()) {
    const auto known = store::intercept_state_from_string(state);
    if (!known) {
      return error(400, "invalid_input",
                   "state: unknown value '" + state +
                       "' (one of open, locked, awaiting_warehouse, memo_only, too_late, cancelled, unlocked, resolved)");
    }
    filter.states = {*known};
  }
  if (const std::string limit = param("limit"); !limit.empty()) {
    const auto value = parse_bounded_int(limit, 1, 1000);
    if (!value) return error(400, "invalid_input", "limit: must be an integer from 1 to 1000, not '" + limit + "'");
    filter.limit = static_cast<int>(*value);
  }
  return json_response(200, intercept_list(deps.store.list_intercepts(filter)));
}

ApiResponse get(ApiDeps& deps, const std::string& id) {
  return guarded(deps, [&](workflows::intercept::InterceptService&) {
    const auto intercept = deps.store.get_intercept(intercept_id(id));
    if (!intercept) return error(404, "not_found", "intercept " + id + " not found");
    return json_response(200, intercept_to_json(*intercept));
  });
}

ApiResponse post_confirm(ApiDeps& deps, const std::string& id, const std::string& body) {
  return guarded(deps, [&](workflows::intercept::InterceptService& service) {
    const std::int64_t which = intercept_id(id);
    const json request = object_body(body, {"outcome", "by", "note"});
    const std::string outcome = text(request, "outcome");
    if (outcome != "locked" && outcome != "too_late") {
      throw BadRequest{"outcome: required, locked or too_late"};
    }
    std::string by = text(request, "by");
    try {
      by = "warehouse:" + operator_name(by.empty() ? "warehouse" : by, "by");
    } catch (const std::invalid_argument& e) {
      throw BadRequest{e.what()};
    }
    auto decision = service.confirm(which, outcome == "locked", by, text(request, "note"), now_utc());
    if (!decision) return refused(*decision.refusal);
    return json_response(200, intercept_to_json(*decision.value));
  });
}

ApiResponse post_cancel(ApiDeps& deps, const std::string& id, const std::string& body) {
  return guarded(deps, [&](workflows::intercept::InterceptService& service) {
    const std::int64_t which = intercept_id(id);
    const json request = object_body(body, {"by", "reason"});
    auto decision = service.cancel(which, actor(request), text(request, "reason"), now_utc());
    if (!decision) return refused(*decision.refusal);
    return json_response(200, intercept_to_json(*decision.value));
  });
}

ApiResponse post_unlock(ApiDeps& deps, const std::string& body) {
  return guarded(deps, [&](workflows::intercept::InterceptService& service) {
    const json request = object_body(body, {"before", "shop", "by"});
    const std::string before = text(request, "before");
    if (before.empty()) throw BadRequest{"before: required, the time up to which locked intercepts are released"};
    const auto report = service.unlock_before(when(before, "before"), text(request, "shop"), actor(request), now_utc());
    json unlocked = json::array();
    for (const auto& intercept : report.unlocked) unlocked.push_back(intercept_to_json(intercept));
    json kept = json::array();
    for (const auto& [intercept, why] : report.kept) kept.push_back({{"intercept", intercept_to_json(intercept)}, {"why", why}});
    return json_response(200, json{{"unlocked", std::move(unlocked)}, {"kept", std::move(kept)}});
  });
}

nlohmann::json open_intercept_json(ApiDeps& deps, const OrderKey& key) {
  const auto open = deps.store.open_intercept(key);
  return open ? intercept_to_json(*open) : json(nullptr);
}

std::optional<ApiResponse> intercepted_shipment(ApiDeps& deps, const OrderKey& key, const std::string& message) {
  const auto open = deps.store.open_intercept(key);
  if (!open || open->state != store::InterceptState::locked) return std::nullopt;
  json body = error_json("intercepted", message);
  body["intercept"] = intercept_to_json(*open);
  return json_response(409, body);
}

}  // namespace erp::daemon::api::intercept_routes
