// The control API under /admin/ (JSON in, JSON out; 400 names the problem).
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/time_format.hpp"
#include "simulator.hpp"

namespace erp::sim {

namespace {

Response ok(const nlohmann::json& body) {
  Response r;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response bad(const std::string& message) { return json_error(400, "bad_request", message); }

Response not_allowed(const Request& request, const std::string& allow) {
  Response r = json_error(405, "method_not_allowed", request.method + " " + request.path + ": use " + allow);
  r.headers.emplace_back("Allow", allow);
  return r;
}

/// The body as a JSON object, or the reason it is not one.
std::optional<nlohmann::json> json_object(const Request& request, std::string& problem) {
  if (request.body.empty()) {
    problem = "body: expected a JSON object, got nothing";
    return std::nullopt;
  }
  auto j = nlohmann::json::parse(request.body, nullptr, false);
  if (j.is_discarded()) {
    problem = "body: not valid JSON";
    return std::nullopt;
  }
  if (!j.is_object()) {
    problem = "body: expected a JSON object";
    return std::nullopt;
  }
  return j;
}

const std::pair<const char*, Fault> kFaultKeys[] = {{"server_error", Fault::server_error},
                                                    {"timeout", Fault::timeout},
                                                    {"rate_limit", Fault::rate_limit},
                                                    {"truncated", Fault::truncated},
                                                    {"expired_session", Fault::expired_session}};

}  // namespace

nlohmann::json Simulator::faults_snapshot() const {
  std::lock_guard lock(timeline_mutex_);
  nlohmann::json out = faults_.snapshot();
  out["push_drop"] = push_faults_.first;
  out["push_duplicate"] = push_faults_.second;
  return out;
}

void Simulator::set_push_faults(double drop, double duplicate) {
  std::lock_guard lock(timeline_mutex_);
  for (auto& module : modules_) module->set_push_faults(drop, duplicate);
  push_faults_ = {drop, duplicate};
}

Response Simulator::admin(const Request& request) {
  const std::string& path = request.path;
  const std::string& method = request.method;
  std::string problem;

  if (path == "/admin/scenario") {
    if (method != "POST") return not_allowed(request, "POST");
    const std::string source = request.has_query("name") ? request.query_value("name") : "scenario";
    auto result = load_scenario(request.body, source);
    if (!result.errors.empty()) {
      nlohmann::json body;
      body["error"] = {
          {"code", "bad_scenario"},
          {"message",
           result.errors.front() +
               (result.errors.size() > 1 ? " (and " + std::to_string(result.errors.size() - 1) + " more)" : "")},
          {"problems", result.errors}};
      Response r = ok(body);
      r.status = 400;
      return r;
    }
    return ok(result.answer);
  }

  if (path == "/admin/clock") {
    if (method == "GET") {
      const Instant now = clock_.now();
      return ok({{"now", daemon::format_rfc3339(now)},
                 {"now_cst", daemon::format_cst(now)},
                 {"follows_real_time", clock_.follows_real_time()},
                 {"pending_events", pending_events()}});
    }
    if (method != "POST") return not_allowed(request, "GET, POST");
    auto body = json_object(request, problem);
    if (!body) return bad(problem);
    const bool has_set = body->contains("set");
    const bool has_advance = body->contains("advance");
    const bool has_follow = body->contains("follow_real_time");
    if (static_cast<int>(has_set) + static_cast<int>(has_advance) + static_cast<int>(has_follow) != 1) {
      return bad(
          "body: give exactly one of \"set\" (a time), \"advance\" (like \"90m\") or \"follow_real_time\" (true)");
    }
    for (const auto& [key, value] : body->items()) {
      if (key != "set" && key != "advance" && key != "follow_real_time")
        return bad("body: unknown key \"" + key + "\" (known: set, advance, follow_real_time)");
    }
    if (has_follow) {
      if ((*body)["follow_real_time"] != true) return bad("follow_real_time: expected true");
      return ok(follow_real_time());
    }
    if (has_set) {
      const auto& v = (*body)["set"];
      if (!v.is_string()) return bad("set: expected a string time");
      const auto t = parse_sim_time(v.get<std::string>());
      if (!t) {
        return bad("set: '" + v.get<std::string>() +
                   "' is not a time (\"YYYY-MM-DD HH:MM:SS\" China Standard Time or RFC 3339)");
      }
      return ok(set_clock(*t));
    }
    const auto& v = (*body)["advance"];
    if (!v.is_string()) return bad("advance: expected a duration string like \"90m\"");
    const auto d = parse_sim_duration(v.get<std::string>());
    if (!d) return bad("advance: '" + v.get<std::string>() + "' is not a duration like 30s, 90m, 2h, 1d");
    return ok(advance_clock(*d));
  }

  if (path == "/admin/faults") {
    if (method == "GET") return ok(faults_snapshot());
    if (method == "DELETE") {
      faults_.clear();
      set_push_faults(0.0, 0.0);
      return ok(faults_snapshot());
    }
    if (method != "POST") return not_allowed(request, "GET, POST, DELETE");
    auto body = json_object(request, problem);
    if (!body) return bad(problem);
    std::vector<std::pair<Fault, double>> shares;
    std::vector<std::string> methods;
    double sum = 0.0;
    double push_drop = 0.0;
    double push_duplicate = 0.0;
    for (const auto& [key, value] : body->items()) {
      if (key == "push_drop" || key == "push_duplicate") {
        // Pushes are not requests: their shares stand apart from the per-request ones.
        if (!value.is_number() || !(value.get<double>() >= 0.0 && value.get<double>() <= 1.0)) {
          return bad(key + ": expected a share from 0 to 1");
        }
        (key == "push_drop" ? push_drop : push_duplicate) = value.get<double>();
        continue;
      }
      if (key == "methods") {
        if (!value.is_array()) return bad("methods: expected a list of method names");
        for (const auto& m : value) {
          if (!m.is_string()) return bad("methods: expected a list of method names");
          methods.push_back(m.get<std::string>());
        }
        continue;
      }
      const auto known =
          std::find_if(std::begin(kFaultKeys), std::end(kFaultKeys), [&](const auto& k) { return key == k.first; });
      if (known == std::end(kFaultKeys)) {
        return bad("body: unknown key \"" + key +
                   "\" (known: server_error, timeout, rate_limit, truncated, expired_session, methods, push_drop, "
                   "push_duplicate)");
      }
      if (!value.is_number()) return bad(key + ": expected a share from 0 to 1");
      const double share = value.get<double>();
      if (!(share >= 0.0 && share <= 1.0)) return bad(key + ": " + value.dump() + " is not a share from 0 to 1");
      sum += share;
      shares.emplace_back(known->second, share);
    }
    if (sum > 1.0 + 1e-9) return bad("body: the shares add up to " + std::to_string(sum) + ", more than 1");
    faults_.clear();
    for (const auto& [kind, share] : shares) faults_.set(kind, share);
    faults_.only_methods(std::move(methods));
    set_push_faults(push_drop, push_duplicate);
    return ok(faults_snapshot());
  }

  if (path == "/admin/counters") {
    if (method != "GET") return not_allowed(request, "GET");
    nlohmann::json all = counters_.snapshot();
    if (!request.has_query("order_id")) return ok(all);
    const std::string order = request.query_value("order_id");
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [kind, per_key] : all.items()) {
      nlohmann::json k = nlohmann::json::object();
      for (const auto& [key, n] : per_key.items()) {
        if (key == order || key.rfind(order + "/", 0) == 0) k[key] = n;
      }
      out[kind] = k;
    }
    return ok(out);
  }

  if (path == "/admin/counters/reset") {
    if (method != "POST") return not_allowed(request, "POST");
    counters_.clear();
    return ok(counters_.snapshot());
  }

  if (path == "/admin/state") {
    if (method != "GET") return not_allowed(request, "GET");
    return ok(state());
  }

  if (path == "/admin/reset") {
    if (method != "POST") return not_allowed(request, "POST");
    reset();
    return ok({{"reset", true}, {"now", daemon::format_rfc3339(clock_.now())}});
  }

  if (path == "/admin/generate") {
    if (method == "GET") return ok(generator_state());
    if (method == "DELETE") {
      stop_generator();
      return ok(generator_state());
    }
    if (method != "POST") return not_allowed(request, "GET, POST, DELETE");
    auto body = json_object(request, problem);
    if (!body) return bad(problem);
    for (const auto& [key, value] : body->items()) {
      if (key != "shops" && key != "orders" && key != "platform" && key != "orders_per_second" && key != "seconds") {
        return bad("body: unknown key \"" + key + "\" (known: platform, shops, orders, orders_per_second, seconds)");
      }
    }
    if (!body->contains("platform") || !(*body)["platform"].is_string())
      return bad("platform: missing (taobao, tmall, douyin or example)");
    const std::string platform = (*body)["platform"].get<std::string>();
    int shops = 1;
    if (body->contains("shops")) {
      if (!(*body)["shops"].is_number_integer()) return bad("shops: expected a whole number");
      const auto n = (*body)["shops"].get<long long>();
      if (n < 1 || n > 10000) return bad("shops: must be 1 to 10000");
      shops = static_cast<int>(n);
    }
    try {
      if (body->contains("orders_per_second") || body->contains("seconds")) {
        if (body->contains("orders")) return bad("body: give orders, or orders_per_second with seconds, not both");
        if (!body->contains("orders_per_second") || !(*body)["orders_per_second"].is_number()) {
          return bad("orders_per_second: missing or not a number");
        }
        if (!body->contains("seconds") || !(*body)["seconds"].is_number())
          return bad("seconds: missing or not a number");
        return ok(start_generator(platform, shops, (*body)["orders_per_second"].get<double>(),
                                  (*body)["seconds"].get<double>()));
      }
      int orders = 0;
      if (body->contains("orders")) {
        if (!(*body)["orders"].is_number_integer()) return bad("orders: expected a whole number");
        const auto n = (*body)["orders"].get<long long>();
        if (n < 0 || n > 1000000) return bad("orders: must be 0 to 1000000");
        orders = static_cast<int>(n);
      }
      return ok(generate(platform, shops, orders));
    } catch (const std::invalid_argument& e) {
      return bad(e.what());
    }
  }

  return json_error(404, "not_found",
                    "no admin route " + path +
                        " (routes: /admin/scenario, /admin/clock, /admin/faults, /admin/counters, "
                        "/admin/counters/reset, /admin/state, /admin/reset, /admin/generate)");
}

}  // namespace erp::sim
