#include "ctl/dropship_commands.hpp"

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "ctl/render.hpp"
#include "ctl/table.hpp"

namespace erp::daemon::ctl {
namespace {

using nlohmann::json;

std::string option(const DropshipArgs& args, const std::string& name) {
  const auto it = args.options.find(name);
  return it == args.options.end() ? std::string() : it->second;
}

/// "?shop=s1&factory=acme" from the options given, each under its query name.
std::string query_of(const DropshipArgs& args, const std::vector<std::pair<const char*, const char*>>& names) {
  std::string query;
  for (const auto& [option_name, query_name] : names) {
    if (!args.options.contains(option_name)) continue;
    query += std::string(query.empty() ? "?" : "&") + query_name + "=" + escape(option(args, option_name));
  }
  return query;
}


/// Prints the API's JSON as it came (--json) or the rendering for people.
int print(const DropshipArgs& args, const std::string& raw, const std::string& rendered) {
  print_answer(args.json, raw, rendered);
  return kOk;
}

/// A dropship line's order: platform/shop/order_id, or the platform's assignment id for a factory
/// shop's item whose merchant order the platform has not named.
std::string line_order(const json& line) {
  const std::string where = text(line, "platform") + "/" + text(line, "shop");
  if (!text(line, "order_id").empty()) return where + "/" + text(line, "order_id");
  const std::string distr = text(line, "distr_order_id");
  return where + (distr.empty() ? "" : " distr " + distr);
}

/// "SF SF100 (factory)": the parcel and who shipped it (D7), "-" while nothing shipped.
std::string line_waybill(const json& line) {
  const std::string waybill = text(line, "waybill");
  if (waybill.empty()) return "-";
  std::string out = text(line, "carrier").empty() ? waybill : text(line, "carrier") + " " + waybill;
  if (!text(line, "shipped_by").empty()) out += " (" + text(line, "shipped_by") + ")";
  return out;
}

bool flag(const json& object, const char* key) {
  const json& v = field(object, key);
  return v.is_boolean() && v.get<bool>();
}

/// Bindings in a few words: "s1 bound, s2 requested, 1 unbound"; "none" when there are none.
std::string bindings_summary(const json& bindings) {
  std::string out;
  std::size_t ended = 0;
  for (const auto& b : bindings) {
    if (text(b, "state") == "unbound") {
      ++ended;
      continue;
    }
    out += (out.empty() ? "" : ", ") + text(b, "shop") + " " + text(b, "state");
  }
  if (ended > 0) out += (out.empty() ? "" : ", ") + std::to_string(ended) + " unbound";
  return out.empty() ? "none" : out;
}

std::string binding_sentence(const json& b) {
  std::string out = "Binding " + text(b, "id") + ": shop " + text(b, "shop") + " with factory " + text(b, "factory") +
                    " is " + text(b, "state") + ".\n";
  if (!text(b, "message").empty()) out += text(b, "message") + "\n";
  return out;
}

/// --lines "a,b" after the order: the ids, or nullopt when one is empty or holds a space.
std::optional<std::vector<std::string>> split_lines(const std::string& list) {
  std::vector<std::string> lines;
  for (std::size_t start = 0;;) {
    const auto comma = std::min(list.find(',', start), list.size());
    std::string id = list.substr(start, comma - start);
    if (id.empty() || id.find_first_of(" \t\r\n") != std::string::npos) return std::nullopt;
    lines.push_back(std::move(id));
    if (comma == list.size()) break;
    start = comma + 1;
  }
  return lines;
}

}  // namespace

std::string order_path(const OrderRef& order) {
  return "/v1/orders/" + escape(order.platform) + "/" + escape(order.shop) + "/" + escape(order.order_id);
}

std::optional<AssignTarget> parse_assign_target(const std::string& word) {
  // The lines follow the first ':' after the order id (which itself may hold '/').
  const auto slash = word.rfind('/');
  const auto colon = word.find(':', slash == std::string::npos ? 0 : slash + 1);
  if (colon == std::string::npos) return AssignTarget{word, {}};
  AssignTarget target{word.substr(0, colon), {}};
  if (target.order.empty()) return std::nullopt;
  auto lines = split_lines(word.substr(colon + 1));
  if (!lines) return std::nullopt;
  target.lines = std::move(*lines);
  return target;
}

// --- rendering ----------------------------------------------------------------------------------

std::string render_dropship_factories(const json& factories) {
  if (count(factories) == 0) return "No factories configured (workflows.dropship.factories).\n";
  Table table({"ID", "NAME", "DOUYIN SHOP", "OWN SHOP", "NOTIFIES", "BINDINGS"});
  for (const auto& f : factories) {
    table.add_row({text(f, "id"), or_dash(text(f, "name")), or_dash(text(f, "douyin_shop_id")),
                   or_dash(text(f, "shop")), flag(f, "notifies") ? "yes" : "no (polls)",
                   bindings_summary(field(f, "bindings"))});
  }
  table.set_max_width(1, 30);
  table.set_max_width(5, 60);
  return table.render();
}

std::string render_dropship_bindings(const json& bindings) {
  if (count(bindings) == 0) return "No bindings.\n";
  Table table(
      {"ID", "PLATFORM", "SHOP", "FACTORY", "STATE", "REQUESTED (UTC+8)", "BOUND (UTC+8)", "ENDED (UTC+8)", "MESSAGE"});
  for (const auto& b : bindings) {
    table.add_row({text(b, "id"), text(b, "platform"), text(b, "shop"), text(b, "factory"), text(b, "state"),
                   local_time(field(b, "requested_at")), local_time(field(b, "bound_at")),
                   local_time(field(b, "ended_at")), or_dash(text(b, "message"))});
  }
  table.set_max_width(8, 80);
  return table.render();
}

std::string render_dropship_lines(const json& lines) {
  if (count(lines) == 0) return "No dropship lines.\n";
  Table table({"ID", "ORDER", "LINE", "FACTORY", "STATE", "CANCELLED", "WAYBILL", "MESSAGE"});
  for (const auto& l : lines) {
    table.add_row({text(l, "id"), line_order(l), or_dash(text(l, "line_id")), text(l, "factory"), text(l, "state"),
                   flag(l, "buyer_cancelled") ? "yes" : "-", line_waybill(l), or_dash(text(l, "message"))});
  }
  table.set_max_width(1, 50);
  table.set_max_width(7, 80);
  return table.render();
}

std::string render_dropship_assign(const json& results) {
  if (count(results) == 0) return "Nothing to assign.\n";
  Table table({"ORDER", "LINE", "OUTCOME", "DROPSHIP LINE", "MESSAGE"});
  std::size_t assigned = 0;
  for (const auto& r : results) {
    const bool ok = text(r, "outcome") == "assigned";
    assigned += ok ? 1u : 0u;
    std::string outcome = text(r, "outcome");
    if (!ok && !text(r, "refusal").empty()) outcome += " (" + text(r, "refusal") + ")";
    const json& line = field(r, "line");
    table.add_row({text(r, "order"), field(r, "line_id").is_null() ? "(order)" : text(r, "line_id"), outcome,
                   ok ? or_dash(text(line, "id")) : "-", or_dash(text(r, "message"))});
  }
  table.set_max_width(4, 120);
  const std::size_t refused = count(results) - assigned;
  return table.render() + std::to_string(assigned) + " assigned, " + std::to_string(refused) + " refused.\n";
}

std::string render_dropship_audit(const json& accesses) {
  if (count(accesses) == 0) return "No receiver was handed to a factory, nor asked for.\n";
  Table table({"ID", "AT (UTC+8)", "FACTORY", "DROPSHIP LINE", "ORDER", "OUTCOME"});
  for (const auto& a : accesses) {
    table.add_row({text(a, "id"), local_time(field(a, "at")), text(a, "factory"), text(a, "dropship_line"),
                   line_order(a), text(a, "outcome")});
  }
  return table.render();
}

// --- commands -----------------------------------------------------------------------------------

int dropship_factories(const DropshipArgs& args) {
  Failure failure;
  std::string raw;
  auto answer = args.client.call("GET", "/v1/dropship/factories", "", failure, &raw);
  if (!answer) return failed(failure);
  return print(args, raw, render_dropship_factories(field(*answer, "factories")));
}

int dropship_bindings(const DropshipArgs& args) {
  const std::string query = query_of(args, {{"shop", "shop"}, {"factory", "factory"}, {"state", "state"}});
  Failure failure;
  std::string raw;
  auto answer = args.client.call("GET", "/v1/dropship/bindings" + query, "", failure, &raw);
  if (!answer) return failed(failure);
  return print(args, raw, render_dropship_bindings(field(*answer, "bindings")));
}

int dropship_bind(const DropshipArgs& args) {
  const json body{{"shop", args.words.at(0)}, {"factory", args.words.at(1)}};
  Failure failure;
  std::string raw;
  auto binding = args.client.call("POST", "/v1/dropship/bindings", body.dump(), failure, &raw);
  if (!binding) return failed(failure);
  return print(args, raw, binding_sentence(*binding));
}

int dropship_unbind(const DropshipArgs& args) {
  Failure failure;
  std::string raw;
  auto binding =
      args.client.call("POST", "/v1/dropship/bindings/" + escape(args.words.at(0)) + "/unbind", "", failure, &raw);
  if (!binding) return failed(failure);
  std::string out = binding_sentence(*binding);
  if (text(*binding, "state") == "unbound") {
    out += "Its lines not shipped yet are taken back from factory " + text(*binding, "factory") +
           ": the merchant's warehouse ships them.\n";
  }
  return print(args, raw, out);
}

int dropship_assign(const DropshipArgs& args) {
  const std::string& factory = args.words.at(0);
  // Every ORDER is read and resolved before anything is asked: a typo assigns nothing.
  json orders = json::array();
  for (std::size_t i = 1; i < args.words.size(); ++i) {
    const auto target = parse_assign_target(args.words[i]);
    if (!target) {
      return failed({kUsage, "'" + args.words[i] +
                                 "' is not ORDER[:LINE[,LINE...]]: write the line ids after a colon, separated by "
                                 "commas, e.g. tmall/shop1/4001:4001-1,4001-2 (leave them out for every line)"});
    }
    Failure failure;
    const auto order = args.resolve_order(target->order, failure);
    if (!order) return failed(failure);
    json entry{{"platform", order->platform}, {"shop", order->shop}, {"order_id", order->order_id}};
    if (!target->lines.empty()) entry["lines"] = target->lines;
    orders.push_back(std::move(entry));
  }
  json results = json::array();
  std::string raw;
  std::size_t batches = 0;
  for (std::size_t start = 0; start < orders.size(); start += kAssignBatch) {
    const std::size_t end = std::min(orders.size(), start + kAssignBatch);
    json batch = json::array();
    for (std::size_t i = start; i < end; ++i) batch.push_back(orders[i]);
    const json body{{"factory", factory}, {"orders", std::move(batch)}};
    Failure failure;
    auto answer = args.client.call("POST", "/v1/dropship/assign", body.dump(), failure, &raw);
    if (!answer) {
      // An earlier batch may have gone through: say what was, then why the rest was not.
      if (batches > 0 && !args.json) std::cout << render_dropship_assign(results);
      return failed(failure);
    }
    ++batches;
    for (auto& r : (*answer)["results"]) results.push_back(std::move(r));
  }
  if (batches > 1) raw = json{{"results", results}}.dump() + "\n";
  bool refused = false;
  for (const auto& r : results) refused = refused || text(r, "outcome") != "assigned";
  print(args, raw, render_dropship_assign(results));
  return refused ? kDaemonError : kOk;
}

int dropship_unassign(const DropshipArgs& args) {
  Failure failure;
  std::string raw;
  auto line =
      args.client.call("POST", "/v1/dropship/lines/" + escape(args.words.at(0)) + "/unassign", "", failure, &raw);
  if (!line) return failed(failure);
  std::string out = "Dropship line " + text(*line, "id") + " (" + line_order(*line) + " line " +
                    or_dash(text(*line, "line_id")) + ", factory " + text(*line, "factory") + ") is " +
                    text(*line, "state");
  if (!text(*line, "message").empty()) out += ": " + text(*line, "message");
  return print(args, raw, out + ".\n");
}

int dropship_lines(const DropshipArgs& args) {
  const std::string query =
      query_of(args, {{"factory", "factory"}, {"shop", "shop"}, {"state", "state"}, {"order", "order_id"}});
  Failure failure;
  json all = json::array();
  std::string page_query = query;
  for (;;) {
    auto page = args.client.call("GET", "/v1/dropship/lines" + page_query, "", failure);
    if (!page) return failed(failure);
    for (auto& l : (*page)["lines"]) all.push_back(std::move(l));
    const json& next = (*page)["next_after"];
    if (!next.is_number_integer()) break;
    page_query = query + (query.empty() ? "?" : "&") + "after=" + std::to_string(next.get<std::int64_t>());
  }
  const json combined{{"lines", all}, {"next_after", nullptr}};
  return print(args, combined.dump() + "\n", render_dropship_lines(all));
}

int dropship_show(const DropshipArgs& args) {
  Failure failure;
  const auto order = args.resolve_order(args.words.at(0), failure);
  if (!order) return failed(failure);
  std::string raw;
  auto answer = args.client.call("GET", order_path(*order) + "/dropship", "", failure, &raw);
  if (!answer) return failed(failure);
  const std::string key = or_dash(text(*answer, "order"));
  const json& lines = field(*answer, "lines");
  if (count(lines) == 0) {
    return print(args, raw, key + ": no line of this order was ever assigned to a factory; the merchant ships it.\n");
  }
  return print(args, raw, key + "\n" + render_dropship_lines(lines));
}

int dropship_audit(const DropshipArgs& args) {
  const std::string query = query_of(args, {{"factory", "factory"}});
  Failure failure;
  std::string raw;
  auto answer = args.client.call("GET", "/v1/dropship/audit" + query, "", failure, &raw);
  if (!answer) return failed(failure);
  return print(args, raw, render_dropship_audit(field(*answer, "accesses")));
}

int dropship_reconcile(const DropshipArgs& args) {
  Failure failure;
  std::string raw;
  auto answer = args.client.call("POST", "/v1/dropship/reconcile", "", failure, &raw);
  if (!answer) return failed(failure);
  return print(args, raw,
               "Reconciliation started (D11): erpd reads bindings, assignments and shipments from the platforms "
               "again now.\n");
}

}  // namespace erp::daemon::ctl
