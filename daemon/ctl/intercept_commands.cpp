#include "ctl/intercept_commands.hpp"

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/time_format.hpp"
#include "ctl/render.hpp"

namespace erp::daemon::ctl {
namespace {

using nlohmann::json;

std::string option(const InterceptArgs& args, const std::string& name) {
  auto it = args.options.find(name);
  return it == args.options.end() ? std::string() : it->second;
}

bool has(const InterceptArgs& args, const std::string& name) { return args.options.contains(name); }

/// Prints the API's JSON as it came (--json) or the rendering for people.
void print(const InterceptArgs& args, const std::string& raw, const std::string& rendered) {
  print_answer(args.json, raw, rendered);
}

/// --lines "a,b": the line ids, or nullopt when an id is empty or holds a space.
std::optional<json> parse_lines(const std::string& list) {
  json lines = json::array();
  for (std::size_t start = 0;;) {
    const auto comma = std::min(list.find(',', start), list.size());
    std::string id = list.substr(start, comma - start);
    id.erase(0, id.find_first_not_of(" \t"));
    id.erase(id.find_last_not_of(" \t") + 1);
    if (id.empty() || id.find_first_of(" \t\r\n") != std::string::npos) return std::nullopt;
    lines.push_back(std::move(id));
    if (comma == list.size()) break;
    start = comma + 1;
  }
  return lines;
}

/// The daemon's error as erpctl prints every error: its message and the HTTP status.
Failure daemon_error(const Response& response, const json& answer) {
  std::string message;
  if (answer.is_object() && answer.contains("error") && answer["error"].is_object()) {
    const auto& error = answer["error"];
    message = error.value("message", std::string());
    if (message.empty()) message = error.value("code", std::string());
  }
  if (message.empty()) message = response.body;
  return {kDaemonError, message + " (HTTP " + std::to_string(response.status) + ")"};
}

bool is_open(const json& intercept) {
  if (intercept.contains("open") && intercept["open"].is_boolean()) return intercept["open"].get<bool>();
  const std::string state = text(intercept, "state");
  return state == "locked" || state == "awaiting_warehouse" || state == "memo_only";
}

}  // namespace

int intercept_request(const InterceptArgs& args) {
  json body{{"by", args.by}};
  if (has(args, "lines")) {
    auto lines = parse_lines(option(args, "lines"));
    if (!lines) {
      return failed({kUsage, "--lines '" + option(args, "lines") +
                                 "' is not a list of line ids: write them separated by commas, e.g. "
                                 "--lines 3100000000000000002,3100000000000000003 (leave it out for the whole order)"});
    }
    body["lines"] = std::move(*lines);
  }
  if (has(args, "reason")) body["reason"] = option(args, "reason");

  Failure failure;
  auto path = args.order_path(args.words.at(0), failure);
  if (!path) return failed(failure);
  auto response = args.client.send("POST", *path + "/intercepts", body.dump(), failure);
  if (!response) return failed(failure);
  const json answer = json::parse(response->body, nullptr, false);
  const bool has_intercept = answer.is_object() && answer.contains("intercept") && answer["intercept"].is_object();
  if (response->status >= 400) {
    // Too late (I4) is an answer, not a failure to ask: the intercept is recorded as too_late and
    // the merchant needs the way that is left.
    const bool too_late = has_intercept && answer.contains("error") && answer["error"].is_object() &&
                          answer["error"].value("code", std::string()) == "too_late";
    if (!too_late) return failed(daemon_error(*response, answer));
    print(args, response->body, render_intercept_outcome(answer["intercept"], false));
    return kDaemonError;
  }
  if (!has_intercept) {
    return failed({kDaemonError, "erpd answered " + *path + "/intercepts without an intercept (HTTP " +
                                     std::to_string(response->status) + ")"});
  }
  const json& intercept = answer["intercept"];
  const bool duplicate = answer.contains("duplicate") && answer["duplicate"].is_boolean() && answer["duplicate"].get<bool>();
  print(args, response->body, render_intercept_outcome(intercept, duplicate));
  return text(intercept, "state") == "too_late" ? kDaemonError : kOk;
}

int intercept_status(const InterceptArgs& args) {
  Failure failure;
  auto path = args.order_path(args.words.at(0), failure);
  if (!path) return failed(failure);
  std::string raw;
  auto answer = args.client.call("GET", *path + "/intercepts", "", failure, &raw);
  if (!answer) return failed(failure);
  print(args, raw, render_intercepts((*answer)["intercepts"], false));
  return kOk;
}

int intercept_cancel(const InterceptArgs& args) {
  const std::string& ref = args.words.at(0);
  Failure failure;
  auto path = args.order_path(ref, failure);
  if (!path) return failed(failure);
  auto list = args.client.call("GET", *path + "/intercepts", "", failure);
  if (!list) return failed(failure);
  const json* open = nullptr;
  if ((*list)["intercepts"].is_array()) {
    for (const auto& intercept : (*list)["intercepts"]) {
      if (is_open(intercept)) {
        open = &intercept;
        break;
      }
    }
  }
  if (!open) {
    return failed({kDaemonError, "order " + ref + " has no open intercept (erpctl intercept status " + ref + ")"});
  }
  json body{{"by", args.by}};
  if (has(args, "reason")) body["reason"] = option(args, "reason");
  std::string raw;
  auto cancelled =
      args.client.call("POST", "/v1/intercepts/" + escape(text(*open, "id")) + "/cancel", body.dump(), failure, &raw);
  if (!cancelled) return failed(failure);
  print(args, raw, render_intercept_cancelled(*cancelled));
  return kOk;
}

int intercept_unlock(const InterceptArgs& args) {
  const std::string before_text = option(args, "before");
  if (before_text.empty()) {
    return failed({kUsage,
                   "intercept unlock needs --before DATETIME: locked intercepts requested before it, with no refund "
                   "request, are unlocked (e.g. --before '2026-11-12 00:00', China time)"});
  }
  const auto before = parse_merchant_time(before_text);
  if (!before) {
    return failed({kUsage, "--before '" + before_text +
                               "' is not a time: write 2026-11-11T16:00:00Z, 2026-11-12T00:00:00+08:00, "
                               "'2026-11-12 00:00' or 2026-11-12 (China time)"});
  }
  json body{{"before", format_rfc3339(*before)}, {"by", args.by}};
  if (has(args, "shop")) body["shop"] = option(args, "shop");
  Failure failure;
  std::string raw;
  auto answer = args.client.call("POST", "/v1/intercepts/unlock", body.dump(), failure, &raw);
  if (!answer) return failed(failure);
  print(args, raw, render_unlock(*answer, format_cst(*before) + " (UTC+8)"));
  return kOk;
}

int intercept_list(const InterceptArgs& args) {
  std::string query;
  for (const char* name : {"state", "platform", "shop", "limit"}) {
    if (has(args, name)) query += std::string(query.empty() ? "?" : "&") + name + "=" + escape(option(args, name));
  }
  Failure failure;
  std::string raw;
  auto answer = args.client.call("GET", "/v1/intercepts" + query, "", failure, &raw);
  if (!answer) return failed(failure);
  print(args, raw, render_intercepts((*answer)["intercepts"], true));
  return kOk;
}

}  // namespace erp::daemon::ctl
