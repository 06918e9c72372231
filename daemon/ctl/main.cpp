// erpctl: the command-line client of erpd's local API. Tables for people, --json for scripts.
// Exit codes: 0 ok, 1 the daemon answered with an error, 2 usage or config error, 3 the daemon
// could not be reached.

#include <curl/curl.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/time_format.hpp"
#include "ctl/client.hpp"
#include "ctl/deadline_commands.hpp"
#include "ctl/dropship_commands.hpp"
#include "ctl/gift_commands.hpp"
#include "ctl/intercept_commands.hpp"
#include "ctl/render.hpp"

namespace erp::daemon::ctl {
namespace {

using nlohmann::json;

constexpr const char* kDefaultConfig = "/etc/erpd/erpd.yaml";

struct Args {
  std::string config;
  bool json = false;
  bool help = false;
  std::vector<std::string> words;
  std::map<std::string, std::string> options;  ///< Command options; flags hold "true".

  bool has(const std::string& name) const { return options.contains(name); }
  std::string get(const std::string& name) const {
    auto it = options.find(name);
    return it == options.end() ? std::string() : it->second;
  }
};

const std::set<std::string> kValueOptions{"config",  "platform",    "shop",   "state",   "limit",   "reason",
                                          "until",   "by",          "waybill", "carrier", "lines",   "shipment-id",
                                          "before",  "factory",     "order",   "kind",    "move-to", "note",
                                          "at",      "source",      "line",    "step"};
const std::set<std::string> kFlagOptions{"json", "help", "all", "force", "waive", "end"};

std::optional<Args> parse_args(int argc, char** argv, Failure& failure) {
  Args args;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (options_done || word.size() < 2 || word[0] != '-') {
      args.words.push_back(std::move(word));
      continue;
    }
    if (word == "--") {
      options_done = true;
      continue;
    }
    if (word == "-h") word = "--help";
    if (word.rfind("--", 0) != 0) {
      failure = {kUsage, "unknown option '" + word + "' (see erpctl --help)"};
      return std::nullopt;
    }
    std::string name = word.substr(2);
    std::optional<std::string> value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (kFlagOptions.contains(name)) {
      if (value) {
        failure = {kUsage, "option --" + name + " takes no value"};
        return std::nullopt;
      }
      if (name == "json") {
        args.json = true;
      } else if (name == "help") {
        args.help = true;
      } else {
        args.options[name] = "true";
      }
      continue;
    }
    if (!kValueOptions.contains(name)) {
      failure = {kUsage, "unknown option '--" + name + "' (see erpctl --help)"};
      return std::nullopt;
    }
    if (!value) {
      if (i + 1 >= argc) {
        failure = {kUsage, "option --" + name + " needs a value"};
        return std::nullopt;
      }
      value = argv[++i];
    }
    if (name == "config") {
      args.config = *value;
    } else {
      args.options[name] = *value;
    }
  }
  return args;
}

// --- what a command sees ----------------------------------------------------------------------

struct Context {
  const Client& client;
  const Args& args;
};

std::string segment_path(const std::string& platform, const std::string& shop, const std::string& order_id) {
  return "/v1/orders/" + escape(platform) + "/" + escape(shop) + "/" + escape(order_id);
}

/// ORDER is "platform/shop/order_id" (the order id may itself hold '/'), "shop/order_id", or a
/// bare order id; the shorter forms are looked up and must match exactly one stored order.
std::optional<OrderRef> resolve_order(const Context& ctx, const std::string& ref, Failure& failure) {
  if (ref.empty()) {
    failure = {kUsage, "ORDER is empty"};
    return std::nullopt;
  }
  const auto first = ref.find('/');
  const auto second = first == std::string::npos ? std::string::npos : ref.find('/', first + 1);
  if (second != std::string::npos) {
    OrderRef order{ref.substr(0, first), ref.substr(first + 1, second - first - 1), ref.substr(second + 1)};
    if (order.platform.empty() || order.shop.empty() || order.order_id.empty()) {
      failure = {kUsage, "ORDER '" + ref + "' is not platform/shop/order_id"};
      return std::nullopt;
    }
    return order;
  }
  std::string query = "/v1/orders?order_id=";
  if (first != std::string::npos) {
    query += escape(ref.substr(first + 1)) + "&shop=" + escape(ref.substr(0, first));
  } else {
    query += escape(ref);
  }
  auto found = ctx.client.call("GET", query, "", failure);
  if (!found) return std::nullopt;
  const json& orders = (*found)["orders"];
  if (!orders.is_array() || orders.empty()) {
    failure = {kDaemonError, "order " + ref + " not found"};
    return std::nullopt;
  }
  auto key = [](const json& o) { return text(o, "platform") + "/" + text(o, "shop") + "/" + text(o, "order_id"); };
  if (orders.size() > 1) {
    std::string message = "order id " + ref + " is ambiguous; write it as platform/shop/order_id:";
    for (const auto& o : orders) message += "\n  " + key(o);
    failure = {kUsage, message};
    return std::nullopt;
  }
  return OrderRef{text(orders[0], "platform"), text(orders[0], "shop"), text(orders[0], "order_id")};
}

/// ORDER resolved as above, as "/v1/orders/{platform}/{shop}/{order_id}".
std::optional<std::string> order_path(const Context& ctx, const std::string& ref, Failure& failure) {
  const auto order = resolve_order(ctx, ref, failure);
  if (!order) return std::nullopt;
  return segment_path(order->platform, order->shop, order->order_id);
}

/// `method` on the order the first word names, plus `suffix` ("/why", "/holds" ...): the answer,
/// or nullopt with `failure` set when the reference does not resolve or the call fails. `raw` is
/// the answer's text, for --json.
std::optional<json> call_on_order(const Context& ctx, const std::string& method, const std::string& suffix,
                                  const std::string& body, Failure& failure, std::string& raw) {
  auto path = order_path(ctx, ctx.args.words.at(0), failure);
  if (!path) return std::nullopt;
  return ctx.client.call(method, *path + suffix, body, failure, &raw);
}

/// Prints the API's JSON as it came (--json) or the rendering for people.
int print(const Context& ctx, const std::string& raw, const std::string& rendered) {
  print_answer(ctx.args.json, raw, rendered);
  return kOk;
}

/// Who to name as the operator: --by, else the login behind sudo, else the current user.
std::string operator_name(const Args& args) {
  if (args.has("by")) return args.get("by");
  if (const char* sudo = std::getenv("SUDO_USER"); sudo && *sudo) return sudo;
  if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_name) return pw->pw_name;
  return "erpctl";
}

// --- commands -----------------------------------------------------------------------------------

int cmd_status(const Context& ctx) {
  Failure failure;
  std::string raw;
  auto status = ctx.client.call("GET", "/v1/status", "", failure, &raw);
  if (!status) return failed(failure);
  return print(ctx, raw, render_status(*status));
}

int cmd_orders_list(const Context& ctx) {
  std::string query;
  for (const char* name : {"platform", "shop", "state", "limit"}) {
    if (ctx.args.has(name)) query += std::string(query.empty() ? "?" : "&") + name + "=" + escape(ctx.args.get(name));
  }
  Failure failure;
  std::string raw;
  auto page = ctx.client.call("GET", "/v1/orders" + query, "", failure, &raw);
  if (!page) return failed(failure);
  if (!ctx.args.has("all")) {
    const bool more = (*page)["next_cursor"].is_string();
    if (ctx.args.json) return print(ctx, raw, "");
    std::cout << render_orders((*page)["orders"]);
    if (more) std::cout << "(more orders: add --all, or a larger --limit)\n";
    return kOk;
  }
  json all = (*page)["orders"].is_array() ? (*page)["orders"] : json::array();
  while ((*page)["next_cursor"].is_string()) {
    const std::string cursor = (*page)["next_cursor"].get<std::string>();
    page = ctx.client.call("GET", "/v1/orders" + query + (query.empty() ? "?" : "&") + "cursor=" + escape(cursor), "",
                           failure);
    if (!page) return failed(failure);
    for (auto& order : (*page)["orders"]) all.push_back(std::move(order));
  }
  const json combined{{"orders", all}, {"next_cursor", nullptr}};
  return print(ctx, combined.dump() + "\n", render_orders(all));
}

int cmd_orders_show(const Context& ctx) {
  Failure failure;
  std::string raw;
  auto order = call_on_order(ctx, "GET", "", "", failure, raw);
  if (!order) return failed(failure);
  return print(ctx, raw, render_order(*order));
}

int cmd_orders_why(const Context& ctx) {
  Failure failure;
  std::string raw;
  auto why = call_on_order(ctx, "GET", "/why", "", failure, raw);
  if (!why) return failed(failure);
  return print(ctx, raw, render_why(*why));
}

int cmd_hold(const Context& ctx) {
  if (!ctx.args.has("reason") || ctx.args.get("reason").empty()) {
    return failed({kUsage, "hold needs --reason TEXT (what people will read as the reason)"});
  }
  json body{{"reason", ctx.args.get("reason")}, {"by", operator_name(ctx.args)}};
  if (ctx.args.has("until")) {
    const std::string until = ctx.args.get("until");
    auto t = parse_rfc3339(until);
    if (!t) t = parse_cst(until);  // "2026-11-12 10:00:00" read as China time, as merchants write it
    if (!t) {
      return failed({kUsage, "--until '" + until +
                                 "' is not a time: write 2026-11-12T02:00:00Z, 2026-11-12T10:00:00+08:00 or "
                                 "'2026-11-12 10:00:00' (China time)"});
    }
    body["auto_release_at"] = format_rfc3339(*t);
  }
  Failure failure;
  std::string raw;
  auto hold = call_on_order(ctx, "POST", "/holds", body.dump(), failure, raw);
  if (!hold) return failed(failure);
  std::string out = "Hold #" + text(*hold, "id") + " placed on " + text(*hold, "order") + ": " + text(*hold, "note");
  if ((*hold)["auto_release_at"].is_string())
    out += " (lifts itself at " + local_time((*hold)["auto_release_at"]) + " UTC+8)";
  return print(ctx, raw, out + "\n");
}

/// Posts what the warehouse shipped, as a warehouse system would (manual or scripted shipping).
/// The shipment id defaults to the waybill, so running the same command twice ships nothing twice.
int cmd_ship(const Context& ctx) {
  const std::string waybill = ctx.args.has("waybill") ? ctx.args.get("waybill") : "";
  const std::string carrier = ctx.args.has("carrier") ? ctx.args.get("carrier") : "";
  if (waybill.empty() || carrier.empty()) {
    return failed({kUsage, "ship needs --waybill NUMBER and --carrier CODE (the platform's company code, e.g. SF)"});
  }
  json package{{"waybill", waybill}, {"carrier", carrier}};
  if (ctx.args.has("lines")) {
    json lines = json::array();
    const std::string list = ctx.args.get("lines");
    for (std::size_t start = 0; start <= list.size();) {
      const auto comma = std::min(list.find(',', start), list.size());
      if (comma > start) lines.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
    package["lines"] = std::move(lines);
  }
  const std::string shipment_id = ctx.args.has("shipment-id") ? ctx.args.get("shipment-id") : "erpctl-" + waybill;
  const json body{{"shipment_id", shipment_id}, {"packages", json::array({package})}};
  Failure failure;
  std::string raw;
  auto answer = call_on_order(ctx, "POST", "/shipments", body.dump(), failure, raw);
  if (!answer) return failed(failure);
  const json& upload = (*answer)["upload"];
  std::string out = "Shipment " + shipment_id + ": " + carrier + " " + waybill;
  out += (*answer)["duplicate"].is_boolean() && (*answer)["duplicate"].get<bool>()
             ? " was posted before; nothing new is owed."
             : " recorded.";
  out += " Upload to the platform: outbox #" + text(upload, "id") + ", " + text(upload, "state") + ".\n";
  return print(ctx, raw, out);
}

int cmd_release(const Context& ctx) {
  Failure failure;
  auto path = order_path(ctx, ctx.args.words.at(0), failure);
  if (!path) return failed(failure);
  const std::string hold_id = ctx.args.words.at(1);
  std::string query = "?by=" + escape(operator_name(ctx.args));
  if (ctx.args.has("force")) query += "&force=true";
  if (ctx.args.has("reason")) query += "&reason=" + escape(ctx.args.get("reason"));
  std::string raw;
  auto hold = ctx.client.call("DELETE", *path + "/holds/" + escape(hold_id) + query, "", failure, &raw);
  if (!hold) return failed(failure);
  if (ctx.args.json) return print(ctx, raw, "");
  std::cout << "Hold #" << text(*hold, "id") << " on " << text(*hold, "order") << " lifted.\n";
  // Say where the order stands now: released, or what still holds it.
  if (auto order = ctx.client.call("GET", *path, "", failure)) {
    if ((*order)["released"].is_boolean() && (*order)["released"].get<bool>()) {
      std::cout << "The order is released to the warehouse.\n";
    } else if ((*order)["holds"].is_array() && !(*order)["holds"].empty()) {
      std::cout << "Still held by " << (*order)["holds"].size() << " hold(s):\n" << render_holds((*order)["holds"]);
    } else {
      std::cout << "No hold remains; the order is not released (status " << text(*order, "status") << ").\n";
    }
  }
  return kOk;
}

int cmd_outbox_list(const Context& ctx) {
  std::string query;
  for (const char* name : {"state", "limit"}) {
    if (ctx.args.has(name)) query += std::string(query.empty() ? "?" : "&") + name + "=" + escape(ctx.args.get(name));
  }
  Failure failure;
  std::string raw;
  auto items = ctx.client.call("GET", "/v1/outbox" + query, "", failure, &raw);
  if (!items) return failed(failure);
  return print(ctx, raw, render_outbox((*items)["items"]));
}

int cmd_outbox_retry(const Context& ctx) {
  Failure failure;
  std::string raw;
  auto item = ctx.client.call("POST", "/v1/outbox/" + escape(ctx.args.words.at(0)) + "/retry", "", failure, &raw);
  if (!item) return failed(failure);
  std::string what = text(*item, "kind");
  if (!text(*item, "order").empty()) what += " for " + text(*item, "order");
  return print(ctx, raw,
               "Outbox item " + text(*item, "id") + " (" + what + ") is pending again and will be sent shortly.\n");
}

int cmd_quarantine(const Context& ctx) {
  std::string query;
  for (const char* name : {"shop", "limit"}) {
    if (ctx.args.has(name)) query += std::string(query.empty() ? "?" : "&") + name + "=" + escape(ctx.args.get(name));
  }
  Failure failure;
  std::string raw;
  auto items = ctx.client.call("GET", "/v1/quarantine" + query, "", failure, &raw);
  if (!items) return failed(failure);
  return print(ctx, raw, render_quarantine((*items)["items"]));
}

int cmd_alerts(const Context& ctx) {
  Failure failure;
  std::string raw;
  auto alerts = ctx.client.call("GET", "/v1/alerts", "", failure, &raw);
  if (!alerts) return failed(failure);
  return print(ctx, raw, render_alerts(*alerts));
}

int cmd_sync(const Context& ctx) {
  Failure failure;
  std::string raw;
  const std::string& shop = ctx.args.words.at(0);
  auto answer = ctx.client.call("POST", "/v1/shops/" + escape(shop) + "/sync", "", failure, &raw);
  if (!answer) return failed(failure);
  return print(ctx, raw, "Sync of shop " + shop + " requested; see erpctl status for its progress.\n");
}

/// The intercept commands live in intercept_commands.cpp; they get the parsed words and options,
/// the operator and this file's ORDER resolution.
InterceptArgs intercept_args(const Context& ctx) {
  return {ctx.client, ctx.args.words, ctx.args.options, ctx.args.json, operator_name(ctx.args),
          [&ctx](const std::string& ref, Failure& failure) { return order_path(ctx, ref, failure); }};
}

int cmd_intercept_request(const Context& ctx) { return intercept_request(intercept_args(ctx)); }
int cmd_intercept_status(const Context& ctx) { return intercept_status(intercept_args(ctx)); }
int cmd_intercept_cancel(const Context& ctx) { return intercept_cancel(intercept_args(ctx)); }
int cmd_intercept_unlock(const Context& ctx) { return intercept_unlock(intercept_args(ctx)); }
int cmd_intercept_list(const Context& ctx) { return intercept_list(intercept_args(ctx)); }

/// The gift commands (and alerts clear) live in gift_commands.cpp, handed the same as the
/// intercept commands.
GiftArgs gift_args(const Context& ctx) {
  return {ctx.client, ctx.args.words, ctx.args.options, ctx.args.json, operator_name(ctx.args),
          [&ctx](const std::string& ref, Failure& failure) { return order_path(ctx, ref, failure); }};
}

int cmd_gift_list(const Context& ctx) { return gift_list(gift_args(ctx)); }
int cmd_gift_show(const Context& ctx) { return gift_show(gift_args(ctx)); }
int cmd_alerts_clear(const Context& ctx) { return alerts_clear(gift_args(ctx)); }

/// The dropship commands live in dropship_commands.cpp, handed the same as the gift commands
/// (they name no operator: the dropship routes record none).
DropshipArgs dropship_args(const Context& ctx) {
  return {ctx.client, ctx.args.words, ctx.args.options, ctx.args.json,
          [&ctx](const std::string& ref, Failure& failure) { return resolve_order(ctx, ref, failure); }};
}

int cmd_dropship_factories(const Context& ctx) { return dropship_factories(dropship_args(ctx)); }
int cmd_dropship_bindings(const Context& ctx) { return dropship_bindings(dropship_args(ctx)); }
int cmd_dropship_bind(const Context& ctx) { return dropship_bind(dropship_args(ctx)); }
int cmd_dropship_unbind(const Context& ctx) { return dropship_unbind(dropship_args(ctx)); }
int cmd_dropship_assign(const Context& ctx) { return dropship_assign(dropship_args(ctx)); }
int cmd_dropship_unassign(const Context& ctx) { return dropship_unassign(dropship_args(ctx)); }
int cmd_dropship_lines(const Context& ctx) { return dropship_lines(dropship_args(ctx)); }
int cmd_dropship_show(const Context& ctx) { return dropship_show(dropship_args(ctx)); }
int cmd_dropship_audit(const Context& ctx) { return dropship_audit(dropship_args(ctx)); }
int cmd_dropship_reconcile(const Context& ctx) { return dropship_reconcile(dropship_args(ctx)); }

/// The deadline commands live in deadline_commands.cpp, handed the same as the dropship commands,
/// plus the operator a report records (S4).
DeadlineArgs deadline_args(const Context& ctx) {
  return {ctx.client, ctx.args.words, ctx.args.options, ctx.args.json, operator_name(ctx.args),
          [&ctx](const std::string& ref, Failure& failure) { return resolve_order(ctx, ref, failure); }};
}

int cmd_deadline_show(const Context& ctx) { return deadline_show(deadline_args(ctx)); }
int cmd_deadline_report(const Context& ctx) { return deadline_report(deadline_args(ctx)); }
int cmd_deadline_track(const Context& ctx) { return deadline_track(deadline_args(ctx)); }
int cmd_deadline_after_sale(const Context& ctx) { return deadline_after_sale(deadline_args(ctx)); }

// --- the command table --------------------------------------------------------------------------

struct Command {
  std::vector<std::string> path;
  /// Names, for usage and the exact count; a last name ending in "..." takes one or more words.
  std::vector<std::string> positionals;
  std::set<std::string> options;
  std::string usage;
  std::string summary;
  std::string help;
  int (*run)(const Context&);
};

const std::vector<Command>& commands() {
  static const std::vector<Command> table{
      {{"status"},
       {},
       {},
       "status",
       "daemon version, uptime, database, shops, plugins and counts",
       "Shows what erpd is doing: version and uptime, config and last reload, database, API address,\n"
       "warehouse connector, each shop with its platform and state, loaded plugins, and counts of\n"
       "orders, holds, outbox items and quarantined payloads.\n",
       cmd_status},
      {{"orders", "list"},
       {},
       {"platform", "shop", "state", "limit", "all"},
       "orders list [--platform P] [--shop S] [--state X] [--limit N] [--all]",
       "list orders, oldest first",
       "Lists stored orders, oldest first, one page (--limit, default 100, at most 1000) or --all pages.\n"
       "  --platform P   only this platform (taobao, tmall, douyin, ...)\n"
       "  --shop S       only this shop id\n"
       "  --state X      pending_payment, paid, partially_shipped, shipped, completed, closed,\n"
       "                 held (has an active hold), released (at the warehouse, not shipped yet),\n"
       "                 unreleased\n"
       "  --all          follow the cursor through every page\n",
       cmd_orders_list},
      {{"orders", "show"},
       {"ORDER"},
       {},
       "orders show ORDER",
       "one order with its lines and holds",
       "Shows one order: status, the daemon's state (released, held, waiting), paid and ship-by times\n"
       "(China time), total, the masked receiver, memo, lines and active holds.\n"
       "ORDER is platform/shop/order_id, shop/order_id, or a bare order id when it is unique.\n",
       cmd_orders_show},
      {{"orders", "why"},
       {"ORDER"},
       {},
       "orders why ORDER",
       "the order's history: why it is held or released",
       "Explains an order: one sentence on where it stands, then every recorded event (received,\n"
       "held, hold lifted, released ...) with its time in China time and the rule that decided it.\n",
       cmd_orders_why},
      {{"why"},
       {"ORDER"},
       {},
       "why ORDER",
       "shorthand for orders why ORDER",
       "Shorthand for `erpctl orders why ORDER`.\n",
       cmd_orders_why},
      {{"hold"},
       {"ORDER"},
       {"reason", "until", "by"},
       "hold ORDER --reason TEXT [--until TIME] [--by NAME]",
       "keep an order from the warehouse",
       "Places a manual hold: the order is not released to the warehouse while any hold remains.\n"
       "A released order cannot be held any more (it is the warehouse's): use `erpctl intercept request`.\n"
       "  --reason TEXT  why, in words people will read (required)\n"
       "  --until TIME   lift the hold automatically then: RFC 3339 (2026-11-12T02:00:00Z) or\n"
       "                 '2026-11-12 10:00:00' read as China time\n"
       "  --by NAME      the operator to record (default: your login name)\n",
       cmd_hold},
      {{"ship"},
       {"ORDER"},
       {"waybill", "carrier", "lines", "shipment-id"},
       "ship ORDER --waybill NUMBER --carrier CODE [--lines L1,L2] [--shipment-id ID]",
       "report a parcel shipped; its waybill goes to the platform once",
       "Records that the order (or some of its lines) left the warehouse and uploads the waybill to\n"
       "the platform through the outbox, exactly once: posting the same shipment again is answered,\n"
       "not repeated. Warehouse systems post the same thing to .../shipments (docs/api.md).\n"
       "  --waybill NUMBER   the carrier's tracking number\n"
       "  --carrier CODE     the platform's company code (SF, YTO, ZTO, POST ...)\n"
       "  --lines L1,L2      only these line ids (default: every line of the order)\n"
       "  --shipment-id ID   the warehouse's id for this shipment (default: erpctl-WAYBILL)\n",
       cmd_ship},
      {{"release"},
       {"ORDER", "HOLD_ID"},
       {"force", "reason", "by"},
       "release ORDER HOLD_ID [--force] [--reason TEXT] [--by NAME]",
       "lift one hold",
       "Lifts one hold (see `orders show` for the ids). When no hold remains the order is released\n"
       "to the warehouse. Holds placed by a workflow (gift window, intercept, dropship ...) need\n"
       "--force, so a rule is not undone by accident.\n"
       "  --reason TEXT  why, recorded in the order's history\n"
       "  --by NAME      the operator to record (default: your login name)\n",
       cmd_release},
      {{"intercept", "request"},
       {"ORDER"},
       {"lines", "reason", "by"},
       "intercept request ORDER [--lines L1,L2] [--reason TEXT] [--by NAME]",
       "stop an order or some lines from shipping",
       "Intercepts the order before it ships (rules I1-I4, docs/intercept.md): writes the shop's intercept\n"
       "memo on the platform order and locks the order. One line says how it went:\n"
       "  locked         the daemon still held the order; it does not go to the warehouse\n"
       "  waiting for the warehouse to confirm the lock\n"
       "                 the order was released; the warehouse was asked to lock it\n"
       "  memo written only\n"
       "                 the shop's orders bypass erpd (I8): nothing could be locked\n"
       "  too late       something already shipped; a paid parcel interception with the\n"
       "                 carrier is what is left (exit code 1)\n"
       "The platform order status does not change (I5): the buyer still has to request a refund.\n"
       "  --lines L1,L2   only these line ids (sub-orders); default the whole order\n"
       "  --reason TEXT   why, recorded with the intercept\n"
       "  --by NAME       the operator to record (default: your login name)\n",
       cmd_intercept_request},
      {{"intercept", "status"},
       {"ORDER"},
       {},
       "intercept status ORDER",
       "the order's intercepts, newest first",
       "Lists the order's intercepts, newest first: state (locked, awaiting_warehouse, memo_only,\n"
       "too_late, cancelled, unlocked, resolved), lines, who asked, when, and the result.\n",
       cmd_intercept_status},
      {{"intercept", "cancel"},
       {"ORDER"},
       {"reason", "by"},
       "intercept cancel ORDER [--reason TEXT] [--by NAME]",
       "undo the order's open intercept",
       "Cancels the order's open intercept (rule I6): the memo text comes off the platform order and the\n"
       "lock is lifted (the daemon's hold, or the warehouse is told to unlock), so the order ships.\n"
       "Exit code 1 when the order has no open intercept.\n"
       "  --reason TEXT   why, recorded with the intercept\n"
       "  --by NAME       the operator to record (default: your login name)\n",
       cmd_intercept_cancel},
      {{"intercept", "unlock"},
       {},
       {"before", "shop", "by"},
       "intercept unlock --before DATETIME [--shop S] [--by NAME]",
       "ship locked orders nobody asked a refund for",
       "Batch unlock (rule I7): every locked intercept requested before DATETIME whose lines have no\n"
       "refund request becomes unlocked and may ship, so it does not miss the shipping deadline. Prints\n"
       "how many were unlocked and each one kept locked with why.\n"
       "  --before DATETIME  RFC 3339 (2026-11-11T16:00:00Z) or China time: '2026-11-12 00:00',\n"
       "                     '2026-11-12 00:00:00', 2026-11-12 (the start of that day)\n"
       "  --shop S           only this shop's intercepts\n"
       "  --by NAME          the operator to record (default: your login name)\n",
       cmd_intercept_unlock},
      {{"intercept", "list"},
       {},
       {"state", "shop", "platform", "limit"},
       "intercept list [--state S] [--shop S] [--platform P] [--limit N]",
       "intercepts of every order, newest first",
       "Lists intercepts, newest first.\n"
       "  --state S      open, locked, awaiting_warehouse, memo_only, too_late, cancelled, unlocked,\n"
       "                 resolved\n"
       "  --shop S       only this shop id\n"
       "  --platform P   only this platform\n"
       "  --limit N      at most N intercepts (default 100, at most 1000)\n",
       cmd_intercept_list},
      {{"gift", "list"},
       {},
       {"state", "shop", "platform", "limit"},
       "gift list [--state S] [--shop S] [--platform P] [--limit N]",
       "1-yuan reservation orders and the repurchase each rides on",
       "Lists the 1-yuan reservation orders the gift workflow holds (rules G1-G13), newest first: the\n"
       "order, its state, pieces, the repurchase (main) order its gift line rides on, the waybill it\n"
       "ships with, and since when (China time).\n"
       "  --state S      waiting (held, no repurchase yet), linked (rides on a repurchase not shipped\n"
       "                 yet), shipped (with the repurchase's waybill), closed (refunded or closed)\n"
       "  --shop S       only this shop id\n"
       "  --platform P   only this platform\n"
       "  --limit N      at most N reservation orders (default 100, at most 1000)\n",
       cmd_gift_list},
      {{"gift", "show"},
       {"ORDER"},
       {},
       "gift show ORDER",
       "an order's gift role, links and gift lines",
       "Shows the order's part in the gift workflow: a reservation order (its state, hold and the\n"
       "repurchase it rides on), or a repurchase (main) order carrying gifts; every link with its rule\n"
       "(G2 Tmall's tag, G12 a merchant rule), state and waybill, dropped ones too; and the gift lines\n"
       "the repurchase carries to the warehouse (G4).\n"
       "ORDER is platform/shop/order_id, shop/order_id, or a bare order id when it is unique.\n",
       cmd_gift_show},
      {{"dropship", "factories"},
       {},
       {},
       "dropship factories",
       "the configured dropship factories and their bindings",
       "Lists workflows.dropship.factories (rules D1-D11, docs/dropship.md): id, name, the factory's\n"
       "Douyin shop id, the factory's own shop run by this erpd, whether erpd POSTs its line events\n"
       "to a notify_url (else the factory polls), and its bindings: merchant shop and state.\n",
       cmd_dropship_factories},
      {{"dropship", "bindings"},
       {},
       {"shop", "factory", "state"},
       "dropship bindings [--shop S] [--factory F] [--state ST]",
       "merchant shops' bindings with factories, newest first",
       "Lists bindings (rule D2), newest first: shop, factory, state, when requested, bound and ended\n"
       "(China time), and the latest outcome in words.\n"
       "  --shop S       only this merchant shop id\n"
       "  --factory F    only this factory id\n"
       "  --state ST     requested (the factory has not confirmed yet), bound (in force: orders\n"
       "                 created from then on may be assigned, D3), unbound (ended by either side)\n",
       cmd_dropship_bindings},
      {{"dropship", "bind"},
       {"SHOP", "FACTORY"},
       {},
       "dropship bind SHOP FACTORY",
       "ask a factory for a binding",
       "Requests a binding of the merchant shop SHOP with the factory FACTORY (rule D2). The factory\n"
       "confirms it through the factory API (POST /v1/factory/bindings/{id}/confirm), or on Douyin\n"
       "for a Douyin shop and a factory with a douyin_shop_id, which erpd sees at its next\n"
       "reconciliation. Only orders created after it is bound may be assigned (D3).\n"
       "Exit code 1 when the shop is a dropship factory (D1), already has an open binding with\n"
       "the factory, or either is not configured.\n",
       cmd_dropship_bind},
      {{"dropship", "unbind"},
       {"BINDING_ID"},
       {},
       "dropship unbind BINDING_ID",
       "end a binding",
       "Ends a binding (rule D2, see `dropship bindings` for the ids). Its lines not shipped yet are\n"
       "taken back from the factory (it is told when it has a notify_url); the merchant's warehouse\n"
       "ships them. Unbinding an ended binding changes nothing.\n",
       cmd_dropship_unbind},
      {{"dropship", "assign"},
       {"FACTORY", "ORDER[:LINE[,LINE...]]..."},
       {},
       "dropship assign FACTORY ORDER[:LINE[,LINE...]] ...",
       "hand orders or some of their lines to a factory",
       "Assigns lines to the factory (rule D4): every line of ORDER, or the line ids after a colon\n"
       "(tmall/shop1/4001:4001-1,4001-2). Name as many orders as you like; each is resolved first, so\n"
       "a typo assigns nothing. Prints one row per line: assigned (with the dropship line id) or\n"
       "refused with the reason: no binding in force (D2), the order was created before the binding\n"
       "(D3), a line already assigned, shipped (D7), cancelled by the buyer (D8) or with a refund\n"
       "under way. Exit code 1 when anything was refused; what could be assigned still is.\n"
       "While every line left to ship is a factory's, the order is held (DROPSHIP); otherwise the\n"
       "warehouse gets the order without the factories' lines (D6).\n"
       "ORDER is platform/shop/order_id, shop/order_id, or a bare order id when it is unique.\n",
       cmd_dropship_assign},
      {{"dropship", "unassign"},
       {"LINE_ID"},
       {},
       "dropship unassign LINE_ID",
       "take a line back from its factory",
       "Takes the dropship line LINE_ID (the ID column of `dropship lines`) back from its factory: the\n"
       "merchant's warehouse ships it. Exit code 1 once it shipped (D7): nothing ships twice.\n",
       cmd_dropship_unassign},
      {{"dropship", "lines"},
       {},
       {"factory", "shop", "state", "order"},
       "dropship lines [--factory F] [--shop S] [--state ST] [--order ORDER_ID]",
       "lines assigned to factories, oldest first",
       "Lists dropship lines, oldest first, every page: order, line, factory, state, whether the buyer\n"
       "cancelled (D8: it stays assigned but must not ship), the waybill and who shipped it (D7).\n"
       "  --factory F       only this factory id\n"
       "  --shop S          only this shop id\n"
       "  --state ST        assigning (on its way to the platform), assigned, shipped, unassigned,\n"
       "                    refused (the platform refused the assignment)\n"
       "  --order ORDER_ID  only lines of this order id\n",
       cmd_dropship_lines},
      {{"dropship", "show"},
       {"ORDER"},
       {},
       "dropship show ORDER",
       "an order's lines assigned to factories",
       "Shows every dropship line of the order, live and ended, oldest first.\n"
       "ORDER is platform/shop/order_id, shop/order_id, or a bare order id when it is unique.\n",
       cmd_dropship_show},
      {{"dropship", "audit"},
       {},
       {"factory"},
       "dropship audit [--factory F]",
       "which factory was handed which receiver, newest first",
       "Lists the receiver audit (rule D10), newest first: every time a factory asked for a receiver\n"
       "to print a waybill, with the outcome (decrypted, or why not). The receivers themselves are\n"
       "never stored and never shown.\n"
       "  --factory F   only this factory id\n",
       cmd_dropship_audit},
      {{"dropship", "reconcile"},
       {},
       {},
       "dropship reconcile",
       "read the dropship state from the platforms now",
       "Asks erpd to read bindings and the items assigned to its factory shops from the platforms now\n"
       "instead of at the next workflows.dropship.reconcile_every (rule D11: pushes can be lost).\n",
       cmd_dropship_reconcile},
      {{"deadline", "show"},
       {"ORDER"},
       {},
       "deadline show ORDER",
       "an order's ship-by, pickup clock, reports and tracking",
       "Shows the order's deadlines as erpd's deadline engine decided them (rules S1-S13,\n"
       "docs/deadlines.md): the ship-by in China time with the rule that decided it (S1 paid time +\n"
       "the promised time or the agreed time, S5-S7 a holiday window and its id, S4 a report) and why;\n"
       "the state (open, at_risk, late, shipped, exempt, waived); once shipped, when the first pickup\n"
       "scan is due (S2, S11) and when it came; the first sorting centre (S3); then every report and\n"
       "tracking event recorded for the order.\n"
       "ORDER is platform/shop/order_id, shop/order_id, or a bare order id when it is unique.\n",
       cmd_deadline_show},
      {{"deadline", "report"},
       {"ORDER"},
       {"kind", "waive", "move-to", "note", "by"},
       "deadline report ORDER --kind K (--waive | --move-to TIME) --note TEXT [--by NAME]",
       "record an approved report that waives or moves the ship-by",
       "Records a report the platform approved (rule S4) and applies it at once: the latest report\n"
       "of the order decides its ship-by.\n"
       "  --kind K        force_majeure (disaster, epidemic, power cut, weather, large events),\n"
       "                  address (an abnormal buyer address) or buyer_delay (the buyer asked to wait)\n"
       "  --waive         the order has no ship-by any more (state waived)\n"
       "  --move-to TIME  the new ship-by: RFC 3339 (2024-02-19T15:59:59Z) or\n"
       "                  '2024-02-19 23:59:59' read as China time\n"
       "  --note TEXT     the report, in words people will read (required)\n"
       "  --by NAME       the operator to record (default: your login name)\n",
       cmd_deadline_report},
      {{"deadline", "track"},
       {"ORDER"},
       {"waybill", "kind", "at", "source"},
       "deadline track ORDER --waybill W --kind KIND --at TIME [--source S]",
       "record a tracking event of the order's parcel",
       "Records one tracking event of the order's parcel, as a warehouse system or a carrier feed\n"
       "posts it to .../tracking. The first pickup scan stops the pickup clock (S2, alert\n"
       "deadline.pickup_missing, raised only with workflows.deadlines.tracking_feed); the first sorting\n"
       "centre reached more than 24 h after pickup, or (with a feed) none yet or no update for 24 h,\n"
       "raises deadline.fake_shipping_risk (S3), except for orders paid in a holiday window that\n"
       "relaxes it (S9). A delivered event ends the watch.\n"
       "  --waybill W     the parcel's tracking number\n"
       "  --kind KIND     pickup, hub_arrival, hub_departure, transit or delivered\n"
       "  --at TIME       when it happened: RFC 3339 or '2024-02-19 23:59:59' read as China time\n"
       "  --source S      who saw it (default warehouse), e.g. carrier:sf\n",
       cmd_deadline_track},
      {{"deadline", "after-sale"},
       {"ORDER"},
       {"line", "step", "at", "end"},
       "deadline after-sale ORDER --line L --step STEP [--at TIME] [--end]",
       "start or end an after-sale step's response timer",
       "Starts the response timer of an after-sale step the platform's order does not show (rule\n"
       "S10), or ends one. erpd starts merchant_response_shipped (a refund asked on a shipped line)\n"
       "and buyer_return_info (the request agreed) itself, and ends a line's timers when its refund\n"
       "ends. Timers run only for steps begun in a holiday notice's after-sale window, due after\n"
       "the notice's days; the merchant's steps raise deadline.after_sale_due as they come due.\n"
       "  --line L        the order line (sku order) the request is about\n"
       "  --step STEP     merchant_response_shipped, merchant_confirm_return (a returned parcel\n"
       "                  arrived), buyer_amend (a request was rejected), buyer_return_info or\n"
       "                  exchange_auto_confirm (an exchange parcel was sent)\n"
       "  --at TIME       when the step began (default now): RFC 3339 or China time\n"
       "  --end           the step was answered: its timer ends and its alert clears\n",
       cmd_deadline_after_sale},
      {{"outbox", "list"},
       {},
       {"state", "limit"},
       "outbox list [--state S] [--limit N]",
       "side effects waiting, sent or dead",
       "Lists outbox items (warehouse deliveries, platform memos, waybill uploads), newest first.\n"
       "  --state S   pending, in_flight, done or dead\n"
       "  --limit N   at most N items (default 200)\n",
       cmd_outbox_list},
      {{"outbox", "retry"},
       {"ID"},
       {},
       "outbox retry ID",
       "send a dead (or waiting) item again now",
       "Puts an outbox item back to pending with its attempts reset, and wakes the dispatcher. It is\n"
       "sent with the same idempotency key, so the other side can tell it is not a new effect.\n",
       cmd_outbox_retry},
      {{"quarantine"},
       {},
       {"shop", "limit"},
       "quarantine [--shop S] [--limit N]",
       "platform payloads that could not be read",
       "Lists payloads the sync could not turn into orders, newest first, with the reason. Sync went\n"
       "on without them; fix the cause (often a plugin update) and the next reconciliation re-reads\n"
       "the order. The payloads themselves: GET /v1/quarantine?payload=true (--json shows the API's).\n"
       "  --shop S    only this shop id\n"
       "  --limit N   at most N payloads (default 100, at most 1000)\n",
       cmd_quarantine},
      {{"alerts", "clear"},
       {"KIND", "SUBJECT"},
       {"by"},
       "alerts clear KIND SUBJECT [--by NAME]",
       "a person saw to a workflow alert",
       "Clears the open alert of this kind and subject (as `erpctl alerts` lists them), e.g.\n"
       "  erpctl alerts clear gift.not_shipped tmall/tm-1/4001\n"
       "It is noted in the order's history when the alert is about an order. The workflow raises it\n"
       "again if its check still fails later. Exit code 1 when no such alert is open.\n"
       "  --by NAME   the operator to record (default: your login name)\n",
       cmd_alerts_clear},
      {{"alerts"},
       {},
       {},
       "alerts",
       "what needs a person: re-authorization, config, quarantine, dead outbox, workflow alerts",
       "Shows shops that need re-authorization (needs_reauth), have a config error or a plugin that\n"
       "failed, the workflows' open alerts (kind, subject, since, message: gift.not_shipped,\n"
       "gift.stock_exhausted, gift.tag_late, gift.warehouse_stale, deadline.at_risk, deadline.late,\n"
       "deadline.pickup_missing, deadline.fake_shipping_risk), and the number of quarantined\n"
       "payloads and of dead outbox items. `erpctl alerts clear KIND SUBJECT` clears one.\n",
       cmd_alerts},
      {{"sync"},
       {"SHOP"},
       {},
       "sync SHOP",
       "sync a shop now instead of at its next poll",
       "Wakes the shop's sync worker: it polls now (a shop backing off after an error also tries\n"
       "again now). Progress shows in erpctl status.\n",
       cmd_sync},
  };
  return table;
}

std::string command_list() {
  std::string out;
  for (const auto& c : commands()) {
    std::string usage = "  " + c.usage;
    if (usage.size() < 58) {
      usage.resize(58, ' ');
    } else {
      usage += "\n" + std::string(58, ' ');
    }
    out += usage + c.summary + "\n";
  }
  return out;
}

std::string general_help() {
  return "Usage: erpctl [--config FILE] COMMAND ... [--json]\n"
         "\n"
         "The command-line client of erpd. It reads the daemon's config file (--config, else\n"
         "$ERPD_CONFIG, else " +
         std::string(kDefaultConfig) +
         ") for the API address (api.listen, or api.port_file\n"
         "when the port is 0) and the token (api.token_file).\n"
         "\n"
         "Commands:\n" +
         command_list() +
         "\n"
         "ORDER is platform/shop/order_id, shop/order_id, or a bare order id when it is unique.\n"
         "Times are shown in China time (UTC+8).\n"
         "\n"
         "Options:\n"
         "  --config FILE   the erpd config file\n"
         "  --json          print the API's JSON as it is, for scripts\n"
         "  --help, -h      this help; `erpctl COMMAND --help` for one command\n"
         "\n"
         "Exit codes: 0 ok, 1 erpd answered with an error, 2 usage or config error,\n"
         "3 erpd could not be reached.\n";
}

std::string command_help(const Command& c) {
  return "Usage: erpctl [--config FILE] " + c.usage + " [--json]\n\n" + c.help;
}

/// The command the words name, or nullptr with `prefix` set to a command group ("orders") the
/// words started but did not finish.
const Command* find_command(const std::vector<std::string>& words, std::string& group) {
  for (const auto& c : commands()) {
    if (words.size() >= c.path.size() && std::equal(c.path.begin(), c.path.end(), words.begin())) return &c;
  }
  for (const auto& c : commands()) {
    if (!words.empty() && c.path.size() > 1 && c.path[0] == words[0]) group = words[0];
  }
  return nullptr;
}

std::string group_help(const std::string& group) {
  std::string out = "Usage: erpctl [--config FILE] " + group + " SUBCOMMAND ... [--json]\n\nSubcommands:\n";
  for (const auto& c : commands()) {
    if (c.path.size() > 1 && c.path[0] == group) out += "  " + c.usage + "\n      " + c.summary + "\n";
  }
  return out;
}

int run(int argc, char** argv) {
  Failure failure;
  auto args = parse_args(argc, argv, failure);
  if (!args) return failed(failure);

  // "erpctl help [COMMAND...]" is "erpctl [COMMAND...] --help".
  if (!args->words.empty() && args->words[0] == "help") {
    args->words.erase(args->words.begin());
    args->help = true;
  }
  std::string group;
  const Command* command = find_command(args->words, group);
  if (args->help || args->words.empty()) {
    if (command) {
      std::cout << command_help(*command);
    } else if (!group.empty()) {
      std::cout << group_help(group);
    } else {
      std::cout << general_help();
    }
    return args->help ? kOk : kUsage;
  }
  if (!command) {
    if (!group.empty()) {
      const std::string sub =
          args->words.size() > 1 ? "unknown subcommand '" + args->words[1] + "'" : "missing subcommand";
      std::cerr << "erpctl: " << group << ": " << sub << "\n\n" << group_help(group);
      return kUsage;
    }
    std::cerr << "erpctl: unknown command '" << args->words[0] << "'\n\n" << general_help();
    return kUsage;
  }
  args->words.erase(args->words.begin(), args->words.begin() + static_cast<std::ptrdiff_t>(command->path.size()));
  const bool variadic = !command->positionals.empty() && command->positionals.back().ends_with("...");
  if (args->words.size() < command->positionals.size() ||
      (!variadic && args->words.size() != command->positionals.size())) {
    std::cerr << "erpctl: " << (args->words.size() < command->positionals.size() ? "missing " : "too many ")
              << "arguments\n\n"
              << command_help(*command);
    return kUsage;
  }
  for (const auto& [name, value] : args->options) {
    if (!command->options.contains(name)) {
      std::cerr << "erpctl: option --" << name << " does not apply here\n\n" << command_help(*command);
      return kUsage;
    }
  }

  std::string config = args->config;
  if (config.empty()) {
    const char* env = std::getenv("ERPD_CONFIG");
    config = env && *env ? env : kDefaultConfig;
  }
  auto endpoint = find_endpoint(config, failure);
  if (!endpoint) return failed(failure);
  const Client client(std::move(*endpoint));
  return command->run(Context{client, *args});
}

}  // namespace
}  // namespace erp::daemon::ctl

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int code = erp::daemon::ctl::kUsage;
  try {
    code = erp::daemon::ctl::run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "erpctl: " << e.what() << "\n";
    code = erp::daemon::ctl::kUsage;
  }
  std::cout.flush();
  curl_global_cleanup();
  return code;
}
