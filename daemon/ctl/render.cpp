#include "ctl/render.hpp"

#include <algorithm>
#include <vector>

#include "core/time_format.hpp"
#include "ctl/table.hpp"
#include "erp/money.hpp"

namespace erp::daemon::ctl {
namespace {

using nlohmann::json;

std::string yuan(const json& fen) {
  if (!fen.is_number_integer()) return "-";
  return sdk::format_yuan(sdk::Money{fen.get<std::int64_t>()});
}

// The daemon's view of an order in a few words: released, held by what, or waiting.
std::string order_state(const json& order) {
  if (field(order, "released").is_boolean() && field(order, "released").get<bool>()) {
    return "released " + local_time(field(order, "released_at"));
  }
  const json& holds = field(order, "holds");
  if (count(holds) > 0) {
    std::string codes;
    for (const auto& hold : holds) codes += (codes.empty() ? "" : ",") + text(hold, "reason_code");
    return "held (" + codes + ")";
  }
  return "not released";
}

std::string order_key(const json& object) {
  return text(object, "platform") + "/" + text(object, "shop") + "/" + text(object, "order_id");
}

std::string line(const std::string& label, const std::string& value) {
  std::string padded = label + ":";
  padded.resize(std::max<std::size_t>(padded.size() + 1, 12), ' ');
  return padded + value + "\n";
}

}  // namespace

const json& field(const json& object, const char* key) {
  static const json null;
  if (!object.is_object()) return null;
  const auto it = object.find(key);
  return it == object.end() ? null : *it;
}

std::string or_dash(std::string value) { return value.empty() ? "-" : value; }

std::size_t count(const json& array) { return array.is_array() ? array.size() : 0; }

std::string text(const json& object, const char* key) {
  const json& v = field(object, key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_number() || v.is_object() || v.is_array()) return v.dump();
  return {};
}

std::string local_time(const json& value) {
  if (!value.is_string()) return "-";
  const auto t = parse_rfc3339(value.get<std::string>());
  return t ? format_cst(*t) : value.get<std::string>();
}

std::string format_uptime(long long seconds) {
  if (seconds < 0) seconds = 0;
  const long long d = seconds / 86400, h = seconds / 3600 % 24, m = seconds / 60 % 60, s = seconds % 60;
  if (d > 0) return std::to_string(d) + "d " + std::to_string(h) + "h";
  if (h > 0) return std::to_string(h) + "h " + std::to_string(m) + "m";
  if (m > 0) return std::to_string(m) + "m " + std::to_string(s) + "s";
  return std::to_string(s) + "s";
}

std::string render_status(const json& s) {
  std::string out = "erpd " + or_dash(text(s, "version"));
  if (!text(s, "abi_version").empty()) out += " (plugin ABI " + text(s, "abi_version") + ")";
  out += ": " + or_dash(text(s, "state"));
  if (field(s, "uptime_seconds").is_number_integer()) {
    out += ", up " + format_uptime(field(s, "uptime_seconds").get<long long>());
  }
  if (field(s, "started_at").is_string()) out += " since " + local_time(field(s, "started_at"));
  out += "\n";
  if (!text(s, "config_file").empty()) {
    std::string config = text(s, "config_file");
    const json& reload = field(s, "last_reload");
    if (reload.is_object()) {
      const bool ok = field(reload, "ok").is_boolean() && field(reload, "ok").get<bool>();
      config += "; last reload " + local_time(field(reload, "at")) + (ok ? " applied" : " REJECTED");
      if (!text(reload, "message").empty()) config += ": " + text(reload, "message");
    }
    out += line("config", config);
  }
  if (const json& db = field(s, "database"); db.is_object()) {
    out += line("database", or_dash(text(db, "path")) + " (schema " + or_dash(text(db, "schema_version")) + ")");
  }
  if (const json& api = field(s, "api"); api.is_object()) out += line("api", or_dash(text(api, "listen")));
  if (const json& wh = field(s, "warehouse"); wh.is_object()) {
    std::string value = "connector " + or_dash(text(wh, "connector"));
    const json& webhook = field(wh, "webhook");
    const json& inbound = field(wh, "inbound_path");
    if (inbound.is_string() && !inbound.get<std::string>().empty()) {
      // A connector plugin: erpd calls the warehouse, which calls back on this path.
      value += ", the warehouse calls in on " + inbound.get<std::string>();
    } else if (webhook.is_boolean()) {
      value += webhook.get<bool>() ? ", webhook on" : ", pulls through the API";
    } else if (webhook.is_string() && !webhook.get<std::string>().empty()) {
      value += ", webhook " + webhook.get<std::string>();
    }
    out += line("warehouse", value);
  }

  if (const json& shops = field(s, "shops"); shops.is_array()) {
    out += "\n";
    if (shops.empty()) {
      out += "No shops configured.\n";
    } else {
      Table table({"SHOP", "PLATFORM", "STATE", "PLUGIN", "SYNC", "CURSOR (UTC+8)", "SYNCED", "DETAIL"});
      for (const auto& shop : shops) {
        const json& sync = field(shop, "sync");
        // The adapter's failure explains more than the sync's; otherwise the sync's last error.
        std::string detail = text(shop, "detail");
        if (detail.empty()) detail = text(sync, "last_error");
        table.add_row({text(shop, "id"), text(shop, "platform"), text(shop, "state"),
                       or_dash(text(shop, "plugin_version")), or_dash(text(sync, "state")),
                       local_time(field(sync, "cursor")), or_dash(text(sync, "orders_synced")), detail});
      }
      table.set_max_width(7, 60);
      out += table.render();
    }
  }
  if (const json& plugins = field(s, "plugins"); plugins.is_array() && !plugins.empty()) {
    out += "\n";
    Table table({"PLUGIN", "VERSION", "KIND", "STATE", "FILE"});
    for (const auto& p : plugins) {
      const bool failed = field(p, "failed").is_boolean() && field(p, "failed").get<bool>();
      table.add_row({text(p, "name"), text(p, "version"), text(p, "kind"), failed ? "FAILED" : "ok", text(p, "file")});
    }
    out += table.render();
  }
  if (const json& c = field(s, "counts"); c.is_object()) {
    auto n = [&](const char* key) { return or_dash(text(c, key)); };
    out += "\n";
    out += line("orders", n("orders") + " (held " + n("held_orders") + ", released " + n("released_orders") +
                              "), active holds " + n("active_holds"));
    out += line("outbox", "pending " + n("outbox_pending") + ", in flight " + n("outbox_in_flight") + ", dead " +
                              n("outbox_dead"));
    out += line("quarantine", n("quarantined") + " payloads");
  }
  return out;
}

std::string render_orders(const json& orders) {
  if (count(orders) == 0) return "No orders.\n";
  Table table({"ORDER", "STATUS", "PAID (UTC+8)", "TOTAL", "LINES", "STATE"});
  for (const auto& o : orders) {
    table.add_row({text(o, "platform") + "/" + text(o, "shop") + "/" + text(o, "order_id"), text(o, "status"),
                   local_time(field(o, "paid_at")), yuan(field(o, "total_fen")),
                   std::to_string(count(field(o, "lines"))), order_state(o)});
  }
  return table.render();
}

std::string render_holds(const json& holds) {
  if (count(holds) == 0) return "No holds.\n";
  Table table({"HOLD", "REASON", "OWNER", "RULE", "SINCE (UTC+8)", "UNTIL", "STATE", "NOTE"});
  for (const auto& h : holds) {
    const bool active = !field(h, "released_at").is_string();
    std::string state = active ? "active" : "lifted " + local_time(field(h, "released_at"));
    if (!active && !text(h, "released_by").empty()) state += " by " + text(h, "released_by");
    table.add_row({text(h, "id"), text(h, "reason_code"), text(h, "owner"), or_dash(text(h, "rule_id")),
                   local_time(field(h, "created_at")), local_time(field(h, "auto_release_at")), state,
                   text(h, "note")});
  }
  table.set_max_width(7, 60);
  return table.render();
}

std::string render_order(const json& o) {
  std::string out = text(o, "platform") + "/" + text(o, "shop") + "/" + text(o, "order_id") + "\n";
  std::string status = text(o, "status");
  if (!text(o, "platform_status").empty()) status += " (platform: " + text(o, "platform_status") + ")";
  out += line("status", status);
  out += line("state",
              order_state(o) + (field(o, "urgent").is_boolean() && field(o, "urgent").get<bool>() ? ", URGENT" : ""));
  out += line("paid", local_time(field(o, "paid_at")) + " (UTC+8)");
  if (field(o, "ship_by").is_string()) out += line("ship by", local_time(field(o, "ship_by")) + " (UTC+8)");
  out += line("total", yuan(field(o, "total_fen")) + " yuan");
  if (const json& r = field(o, "receiver"); r.is_object()) {
    std::string who = text(r, "name") + " " + text(r, "phone") + " " + text(r, "address");
    out += line("receiver", single_line(who));
  }
  if (!text(o, "memo").empty()) out += line("memo", single_line(text(o, "memo")));
  if (const json& ids = field(o, "reservation_order_ids"); count(ids) > 0) {
    std::string list;
    for (const auto& id : ids)
      list += (list.empty() ? "" : ", ") + (id.is_string() ? id.get<std::string>() : id.dump());
    out += line("reservation orders", list);
  }
  if (const json& intercept = field(o, "intercept"); intercept.is_object()) {
    std::string value = "#" + text(intercept, "id") + " " + text(intercept, "state") + ", ";
    const std::string lines = intercept_lines(intercept);
    if (lines != "whole order") value += count(field(intercept, "lines")) == 1 ? "line " : "lines ";
    value += lines + ", requested " + local_time(field(intercept, "requested_at"));
    if (!text(intercept, "requested_by").empty()) value += " by " + text(intercept, "requested_by");
    out += line("intercept", value + " (erpctl intercept status)");
  }
  if (const json& gift = field(o, "gift"); gift.is_object()) {
    std::string value;
    if (text(gift, "role") == "reservation") {
      value = "1-yuan reservation order, " + text(gift, "state");
      if (!text(gift, "main_order_id").empty()) value += ", rides on repurchase " + text(gift, "main_order_id");
    } else {
      std::string ids;
      for (const auto& id : field(gift, "reservation_order_ids")) {
        ids += (ids.empty() ? "" : ", ") + (id.is_string() ? id.get<std::string>() : id.dump());
      }
      value = "carries the gift of reservation order(s) " + ids + ", " + text(gift, "state");
      value += " (" + std::to_string(count(field(o, "gift_lines"))) + " gift line(s))";
    }
    out += line("gift", value + " (erpctl gift show)");
  }
  if (const json& lines = field(o, "lines"); count(lines) > 0) {
    out += "\n";
    Table table({"LINE", "SKU", "OUTER SKU", "TITLE", "QTY", "PRICE", "PAID", "STATUS", "REFUND"});
    for (const auto& l : lines) {
      table.add_row({text(l, "line_id"), text(l, "sku"), text(l, "outer_sku"), text(l, "title"), text(l, "quantity"),
                     yuan(field(l, "price_fen")), yuan(field(l, "paid_fen")), text(l, "status"),
                     text(l, "refund_status")});
    }
    table.set_max_width(3, 40);
    out += table.render();
  }
  if (count(field(o, "holds")) > 0) out += "\n" + render_holds(field(o, "holds"));
  return out;
}

std::string render_why(const json& why) {
  std::string out = text(why, "order") + ": " + text(why, "summary") + "\n";
  const json& entries = field(why, "entries");
  if (count(entries) == 0) return out + "No recorded events.\n";
  Table table({"TIME (UTC+8)", "RULE", "EVENT"});
  for (const auto& e : entries) {
    std::string when = text(e, "at_local");
    if (when.empty()) when = local_time(field(e, "at"));
    table.add_row({when, or_dash(text(e, "rule_id")), text(e, "text")});
  }
  return out + "\n" + table.render();
}

std::string render_outbox(const json& items) {
  if (count(items) == 0) return "No outbox items.\n";
  Table table({"ID", "STATE", "KIND", "TARGET", "ORDER", "ATTEMPTS", "NEXT ATTEMPT (UTC+8)", "LAST ERROR"});
  for (const auto& i : items) {
    table.add_row({text(i, "id"), text(i, "state"), text(i, "kind"), text(i, "target"), or_dash(text(i, "order")),
                   text(i, "attempts"), text(i, "state") == "pending" ? local_time(field(i, "next_attempt_at")) : "-",
                   text(i, "last_error")});
  }
  table.set_max_width(7, 60);
  return table.render();
}

std::string render_quarantine(const json& items) {
  if (count(items) == 0) return "No quarantined payloads.\n";
  Table table({"ID", "RECEIVED (UTC+8)", "PLATFORM", "SHOP", "ORDER", "BYTES", "REASON"});
  for (const auto& i : items) {
    table.add_row({text(i, "id"), local_time(field(i, "received_at")), text(i, "platform"), text(i, "shop"),
                   or_dash(text(i, "order_id")), text(i, "payload_bytes"), text(i, "reason")});
  }
  table.set_max_width(6, 80);
  return table.render();
}

std::string render_alerts(const json& alerts) {
  const json& shops = field(alerts, "shops");
  const json& raised = field(alerts, "alerts");
  const std::string quarantined = text(alerts, "quarantined");
  const std::string dead = text(alerts, "outbox_dead");
  const bool quiet = count(shops) == 0 && count(raised) == 0 && (quarantined.empty() || quarantined == "0") &&
                     (dead.empty() || dead == "0");
  if (quiet) return "No alerts.\n";
  std::string out;
  if (count(shops) > 0) {
    Table table({"SHOP", "PLATFORM", "PROBLEM", "LAST ERROR"});
    for (const auto& shop : shops) {
      table.add_row({text(shop, "shop"), text(shop, "platform"), text(shop, "state"), text(shop, "last_error")});
    }
    table.set_max_width(3, 80);
    out += table.render();
    out += "\n";
  }
  if (count(raised) > 0) {
    Table table({"KIND", "SUBJECT", "SINCE (UTC+8)", "MESSAGE"});
    for (const auto& alert : raised) {
      table.add_row(
          {text(alert, "kind"), text(alert, "subject"), local_time(field(alert, "raised_at")), text(alert, "message")});
    }
    table.set_max_width(3, 100);
    out += table.render();
    out += "(once seen to: erpctl alerts clear KIND SUBJECT)\n\n";
  }
  out += line("quarantined", or_dash(quarantined) + " payload(s) (erpctl quarantine)");
  out += line("outbox dead", or_dash(dead) + " item(s) (erpctl outbox list --state dead)");
  return out;
}

std::string render_alert_cleared(const json& alert) {
  std::string out = "Alert " + text(alert, "kind") + " about " + text(alert, "subject") + " cleared";
  if (field(alert, "raised_at").is_string()) out += " (raised " + local_time(field(alert, "raised_at")) + " UTC+8)";
  return out + ".\n";
}

// --- intercepts ----------------------------------------------------------------------------------

std::string intercept_lines(const json& intercept) {
  const json& lines = field(intercept, "lines");
  const bool whole = field(intercept, "whole_order").is_boolean() && field(intercept, "whole_order").get<bool>();
  if (whole || count(lines) == 0) return "whole order";
  std::string list;
  for (const auto& id : lines) list += (list.empty() ? "" : ", ") + (id.is_string() ? id.get<std::string>() : id.dump());
  return list;
}

std::string intercept_label(const json& intercept) {
  std::string label = "intercept " + text(intercept, "id") + " on " + order_key(intercept);
  if (const std::string lines = intercept_lines(intercept); lines != "whole order") {
    label += (count(field(intercept, "lines")) == 1 ? " (line " : " (lines ") + lines + ")";
  }
  return label;
}

std::string render_intercept_outcome(const json& intercept, bool duplicate) {
  const std::string state = text(intercept, "state");
  const std::string message = text(intercept, "message");
  std::string what;
  if (state == "locked") {
    // A new request locks at once only when the daemon still held the order; the warehouse's
    // confirmation comes later, so only a repeated request can find a warehouse lock.
    const bool daemon_hold = !duplicate || field(intercept, "hold_id").is_number();
    what = daemon_hold ? "locked (the daemon still held the order; rule I4)"
                       : "locked (the warehouse confirmed the lock; rule I4)";
  } else if (state == "awaiting_warehouse") {
    what = "waiting for the warehouse to confirm the lock (the order was already released to it; rule I4)";
  } else if (state == "memo_only") {
    what = "memo written only; this shop's orders do not pass through erpd (I8)";
  } else if (state == "too_late") {
    // The daemon's message may already say "too late: ..." and name the way left; say each once.
    std::string why = message.rfind("too late: ", 0) == 0 ? message.substr(10) : message;
    what = "too late: " + (why.empty() ? std::string("something already shipped") : why);
    if (why.find("parcel interception") == std::string::npos) {
      what += "; a paid parcel interception with the carrier is the remaining way (I9)";
    }
  } else {
    what = or_dash(state) + (message.empty() ? "" : ": " + message);
  }
  if (duplicate) {
    what += "; already requested " + local_time(field(intercept, "requested_at")) + " (UTC+8), nothing new was asked";
  }
  return intercept_label(intercept) + ": " + single_line(what) + "\n";
}

std::string render_intercept_cancelled(const json& intercept) {
  if (text(intercept, "state") != "cancelled") {
    return intercept_label(intercept) + ": " + or_dash(text(intercept, "state")) + "\n";
  }
  return intercept_label(intercept) +
         ": cancelled (rule I6); the memo text comes off the platform order and the order may ship again\n";
}

std::string render_intercepts(const json& intercepts, bool with_order) {
  if (count(intercepts) == 0) return "No intercepts.\n";
  std::vector<std::string> headers{"ID", "STATE", "LINES", "SOURCE", "BY", "REQUESTED (UTC+8)", "UPDATED (UTC+8)",
                                   "REASON", "RESULT"};
  if (with_order) headers.insert(headers.begin() + 1, "ORDER");
  Table table(headers);
  for (const auto& i : intercepts) {
    std::string result = text(i, "message");
    if (text(i, "suggestion") == "parcel_interception") {
      result += std::string(result.empty() ? "" : "; ") + "suggestion: paid parcel interception";
    }
    std::vector<std::string> row{text(i, "id"),
                                 text(i, "state"),
                                 intercept_lines(i),
                                 or_dash(text(i, "source")),
                                 or_dash(text(i, "requested_by")),
                                 local_time(field(i, "requested_at")),
                                 local_time(field(i, "updated_at")),
                                 or_dash(text(i, "reason")),
                                 or_dash(result)};
    if (with_order) row.insert(row.begin() + 1, order_key(i));
    table.add_row(std::move(row));
  }
  const std::size_t shift = with_order ? 1 : 0;
  table.set_max_width(2 + shift, 40);  // LINES
  table.set_max_width(7 + shift, 40);  // REASON
  table.set_max_width(8 + shift, 70);  // RESULT
  return table.render();
}

std::string render_unlock(const json& answer, const std::string& before) {
  const json& unlocked = field(answer, "unlocked");
  const json& kept = field(answer, "kept");
  const std::size_t n = count(unlocked);
  std::string out = "Unlocked " + std::to_string(n) + (n == 1 ? " intercept" : " intercepts") + " requested before " +
                    before + " (rule I7)" + (n > 0 ? ": their orders may ship again.\n" : ".\n");
  if (n > 0) {
    Table table({"ID", "ORDER", "LINES", "REQUESTED (UTC+8)"});
    for (const auto& i : unlocked) {
      table.add_row({text(i, "id"), order_key(i), intercept_lines(i), local_time(field(i, "requested_at"))});
    }
    table.set_max_width(2, 40);
    out += table.render();
  }
  if (const std::size_t k = count(kept); k > 0) {
    out += "\nKept " + std::to_string(k) + " locked:\n";
    Table table({"ID", "ORDER", "LINES", "WHY"});
    for (const auto& entry : kept) {
      const json& i = field(entry, "intercept");
      table.add_row({text(i, "id"), order_key(i), intercept_lines(i), or_dash(text(entry, "why"))});
    }
    table.set_max_width(2, 40);
    table.set_max_width(3, 80);
    out += table.render();
  }
  return out;
}

// --- gifts ---------------------------------------------------------------------------------------

namespace {

/// A link that still stands (not dropped): the reservation rides on its repurchase.
bool standing(const json& link) { return link.is_object() && text(link, "state") != "dropped"; }

std::string reservation_state_words(const json& reservation, const json& link) {
  const std::string state = text(reservation, "state");
  if (state == "waiting") return "waiting: held until the buyer's repurchase (G1)";
  if (state == "linked") {
    return "linked: its gift line rides on repurchase " + or_dash(text(link, "main_order_id")) + " (G4)";
  }
  if (state == "shipped") return "shipped with the repurchase's waybill (G5)";
  if (state == "closed") return "closed: refunded or closed, no gift owed (G11)";
  return or_dash(state);
}

std::string waybill_of(const json& link) {
  std::string waybill = text(link, "waybill");
  if (waybill.empty()) return "-";
  if (!text(link, "carrier").empty()) waybill = text(link, "carrier") + " " + waybill;
  if (field(link, "waybill_tie").is_boolean() && field(link, "waybill_tie").get<bool>()) waybill += " (tie, G6)";
  return waybill;
}

}  // namespace

std::string render_gifts(const json& reservations) {
  if (count(reservations) == 0) return "No reservation orders.\n";
  Table table({"ORDER", "SHOP", "STATE", "PIECES", "LINKED MAIN", "WAYBILL", "SINCE (UTC+8)"});
  for (const auto& r : reservations) {
    const json& link = field(r, "link");
    const bool rides = standing(link);
    table.add_row({text(r, "order_id"), text(r, "shop"), text(r, "state"), or_dash(text(r, "pieces")),
                   rides ? or_dash(text(link, "main_order_id")) : "-", rides ? waybill_of(link) : "-",
                   local_time(field(r, "updated_at"))});
  }
  return table.render();
}

std::string render_gift(const json& answer) {
  const std::string order = text(answer, "order");
  const std::string role = text(answer, "role");
  if (role.empty()) {
    return or_dash(order) +
           ": no gift role: not a 1-yuan reservation order, and no reservation order is linked to it.\n";
  }
  std::string out = order + "\n";
  const json& links = field(answer, "links");
  const bool reservation = role == "reservation";
  if (reservation) {
    const json& r = field(answer, "reservation");
    const json& link = field(r, "link");
    out += line("role", "1-yuan reservation order (G1), recognised by " + or_dash(text(r, "recognised_by")));
    out += line("state", reservation_state_words(r, standing(link) ? link : json()) + ", since " +
                             local_time(field(r, "updated_at")) + " (UTC+8)");
    out += line("pieces", or_dash(text(r, "pieces")) + " (one shipment whatever the quantity, G9)");
    out += line("paid", local_time(field(r, "paid_at")) + " (UTC+8)");
    if (field(r, "hold_id").is_number()) out += line("hold", "#" + text(r, "hold_id") + " RESERVATION");
  } else {
    std::size_t linked = 0;
    for (const auto& link : links) linked += standing(link) ? 1u : 0u;
    out += line("role", "repurchase (main) order; " + std::to_string(linked) + " reservation order(s) linked");
  }
  if (count(links) > 0) {
    out += "\n";
    Table table({"LINK", reservation ? "MAIN" : "RESERVATION", "STATE", "RULE", "SOURCE", "PIECES", "WAYBILL",
                 "MAIN SHIPPED (UTC+8)", "MESSAGE"});
    for (const auto& link : links) {
      table.add_row({text(link, "id"), text(link, reservation ? "main_order_id" : "reservation_order_id"),
                     text(link, "state"), or_dash(text(link, "rule")), or_dash(text(link, "source")),
                     text(link, "pieces"), waybill_of(link), local_time(field(link, "main_shipped_at")),
                     text(link, "message")});
    }
    table.set_max_width(8, 80);
    out += table.render();
  }
  if (const json& lines = field(answer, "gift_lines"); count(lines) > 0) {
    out += "\nGift lines in the parcel (G4):\n";
    Table table({"LINE", "OUTER SKU", "TITLE", "QTY", "RULE", "FULFILS"});
    for (const auto& l : lines) {
      std::string fulfils;
      for (const auto& id : field(l, "fulfils")) {
        fulfils += (fulfils.empty() ? "" : ", ") + (id.is_string() ? id.get<std::string>() : id.dump());
      }
      table.add_row({text(l, "line_id"), text(l, "outer_sku"), text(l, "title"), text(l, "quantity"),
                     or_dash(text(l, "rule")), or_dash(fulfils)});
    }
    table.set_max_width(2, 40);
    out += table.render();
  }
  return out;
}

}  // namespace erp::daemon::ctl
