#include "ctl/deadline_commands.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "core/time_format.hpp"
#include "ctl/render.hpp"
#include "ctl/table.hpp"

namespace erp::daemon::ctl {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 3> kReportKinds{"force_majeure", "address", "buyer_delay"};
constexpr std::array<const char*, 5> kTrackingKinds{"pickup", "hub_arrival", "hub_departure", "transit", "delivered"};
// The S10 steps (deadline::kAfterSaleSteps; erpctl does not link the engine).
constexpr std::array<const char*, 5> kAfterSaleSteps{"merchant_response_shipped", "merchant_confirm_return",
                                                     "buyer_amend", "buyer_return_info", "exchange_auto_confirm"};

std::string option(const DeadlineArgs& args, const std::string& name) {
  const auto it = args.options.find(name);
  return it == args.options.end() ? std::string() : it->second;
}

template <std::size_t N>
bool one_of(const std::string& value, const std::array<const char*, N>& names) {
  for (const char* name : names)
    if (value == name) return true;
  return false;
}

template <std::size_t N>
std::string listed(const std::array<const char*, N>& names) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) out += std::string(i == 0 ? "" : i + 1 == N ? " or " : ", ") + names[i];
  return out;
}

std::string order_key(const OrderRef& order) { return order.platform + "/" + order.shop + "/" + order.order_id; }

/// A time option as merchants write it (RFC 3339 or China time), as RFC 3339 for the API.
std::optional<std::string> time_option(const DeadlineArgs& args, const char* name, Failure& failure) {
  const std::string value = option(args, name);
  const auto t = parse_merchant_time(value);
  if (!t) {
    failure = {kUsage, std::string("--") + name + " '" + value +
                           "' is not a time: write 2024-02-19T15:59:59Z, 2024-02-19T23:59:59+08:00 or "
                           "'2024-02-19 23:59:59' (China time)"};
    return std::nullopt;
  }
  return format_rfc3339(*t);
}

/// Prints the API's JSON as it came (--json) or the rendering for people.
int print(const DeadlineArgs& args, const std::string& raw, const std::string& rendered) {
  print_answer(args.json, raw, rendered);
  return kOk;
}

/// The state in a few words a merchant reads.
std::string state_words(const std::string& state) {
  if (state == "open") return "open: not shipped; the ship-by is ahead";
  if (state == "at_risk") return "at risk: not shipped, and the ship-by is near (alert deadline.at_risk)";
  if (state == "late") return "late: not shipped by the ship-by (alert deadline.late)";
  if (state == "shipped") return "shipped: the waybill went to the platform; the pickup clock runs (S2)";
  if (state == "exempt") return "exempt: no ship-by applies";
  if (state == "waived") return "waived: an approved report waived the ship-by (S4)";
  return or_dash(state);
}

/// "  Label        value\n".
std::string row(const std::string& label, const std::string& value) {
  std::string out = "  " + label + ":";
  out.resize(18, ' ');
  return out + value + "\n";
}

/// "2024-02-19 23:59:59 UTC+8".
std::string china_time(const json& value) {
  const std::string t = local_time(value);
  return t == "-" ? t : t + " UTC+8";
}

}  // namespace

// --- rendering ----------------------------------------------------------------------------------

std::string render_deadline_summary(const std::string& order, const json& d) {
  std::string out = order + "\n";
  if (!d.is_object()) return out + "The deadline engine has not seen this order yet: no ship-by was computed.\n";
  const std::string rule = or_dash(text(d, "rule"));
  const std::string reason = text(d, "reason");
  const std::string why = "rule " + rule + (reason.empty() ? "" : ": " + reason);
  out += row("Ship by", field(d, "ship_by").is_string() ? china_time(field(d, "ship_by")) + " (" + why + ")"
                                                        : "none (" + why + ")");
  if (!text(d, "window").empty()) out += row("Holiday window", text(d, "window"));
  out += row("State", state_words(text(d, "state")));
  if (field(d, "shipped_at").is_string()) out += row("Shipped", china_time(field(d, "shipped_at")));
  if (field(d, "pickup_due").is_string()) {
    const std::string pickup_rule = text(d, "pickup_rule");
    out += row("Pickup due",
               china_time(field(d, "pickup_due")) + (pickup_rule.empty() ? "" : " (rule " + pickup_rule + ")"));
  }
  if (field(d, "picked_up_at").is_string()) {
    out += row("Picked up", china_time(field(d, "picked_up_at")));
  } else if (field(d, "pickup_due").is_string()) {
    out += row("Picked up", "not yet");
  }
  if (field(d, "first_hub_at").is_string()) out += row("First hub", china_time(field(d, "first_hub_at")));
  if (field(d, "last_tracking_at").is_string()) out += row("Last tracking", china_time(field(d, "last_tracking_at")));
  if (field(d, "delivered_at").is_string()) out += row("Delivered", china_time(field(d, "delivered_at")));
  return out;
}

std::string render_after_sale(const json& timers) {
  if (count(timers) == 0) return "No after-sale timers (S10).\n";
  Table table({"LINE", "STEP", "OWED BY", "STARTED (UTC+8)", "DUE (UTC+8)", "ENDED (UTC+8)", "WINDOW"});
  for (const auto& t : timers) {
    table.add_row({text(t, "line_id"), text(t, "step"), text(t, "owed_by"), local_time(field(t, "started_at")),
                   local_time(field(t, "due_at")), local_time(field(t, "ended_at")), or_dash(text(t, "window"))});
  }
  return "After-sale timers (S10):\n" + table.render();
}

std::string render_deadline(const json& answer) {
  std::string out = render_deadline_summary(or_dash(text(answer, "order")), field(answer, "deadline"));
  const json& reports = field(answer, "reports");
  if (count(reports) == 0) {
    out += "\nNo reports (S4).\n";
  } else {
    Table table({"ID", "AT (UTC+8)", "KIND", "ACTION", "NEW SHIP-BY (UTC+8)", "BY", "NOTE"});
    for (const auto& r : reports) {
      table.add_row({text(r, "id"), local_time(field(r, "created_at")), text(r, "kind"), text(r, "action"),
                     local_time(field(r, "new_ship_by")), or_dash(text(r, "by")), or_dash(text(r, "note"))});
    }
    table.set_max_width(6, 80);
    out += "\nReports (S4, the latest decides):\n" + table.render();
  }
  const json& tracking = field(answer, "tracking");
  if (count(tracking) == 0) {
    out += "\nNo tracking events.\n";
  } else {
    Table table({"AT (UTC+8)", "KIND", "WAYBILL", "SOURCE"});
    for (const auto& t : tracking) {
      table.add_row({local_time(field(t, "at")), text(t, "kind"), or_dash(text(t, "waybill")),
                     or_dash(text(t, "source"))});
    }
    out += "\nTracking:\n" + table.render();
  }
  return out + "\n" + render_after_sale(field(answer, "after_sale"));
}

// --- commands -----------------------------------------------------------------------------------

int deadline_show(const DeadlineArgs& args) {
  Failure failure;
  const auto order = args.resolve_order(args.words.at(0), failure);
  if (!order) return failed(failure);
  std::string raw;
  auto answer = args.client.call("GET", order_path(*order) + "/deadline", "", failure, &raw);
  if (!answer) return failed(failure);
  return print(args, raw, render_deadline(*answer));
}

int deadline_report(const DeadlineArgs& args) {
  // Everything is checked before anything is asked.
  const std::string kind = option(args, "kind");
  if (!one_of(kind, kReportKinds)) {
    return failed({kUsage, "deadline report needs --kind " + listed(kReportKinds) +
                               (kind.empty() ? std::string() : " (not '" + kind + "')")});
  }
  const bool waive = args.options.contains("waive");
  const bool move = args.options.contains("move-to");
  if (waive == move) {
    return failed({kUsage, "deadline report needs either --waive (no ship-by any more) or --move-to TIME (the new "
                           "ship-by), not " +
                               std::string(waive ? "both" : "neither")});
  }
  const std::string note = option(args, "note");
  if (note.find_first_not_of(" \t\r\n") == std::string::npos) {
    return failed({kUsage, "deadline report needs --note TEXT (the report as the platform approved it)"});
  }
  json body{{"kind", kind}, {"action", waive ? "waive" : "move"}, {"note", note}, {"by", args.by}};
  Failure failure;
  if (move) {
    const auto at = time_option(args, "move-to", failure);
    if (!at) return failed(failure);
    body["new_ship_by"] = *at;
  }
  const auto order = args.resolve_order(args.words.at(0), failure);
  if (!order) return failed(failure);
  std::string raw;
  auto deadline = args.client.call("POST", order_path(*order) + "/deadline/reports", body.dump(), failure, &raw);
  if (!deadline) return failed(failure);
  const std::string outcome = waive ? "its ship-by is waived"
                                    : "its ship-by is moved to " + china_time(field(*deadline, "ship_by"));
  return print(args, raw,
               "Report recorded (S4, " + kind + "): " + outcome + ".\n" + render_deadline_summary(order_key(*order), *deadline));
}

int deadline_track(const DeadlineArgs& args) {
  const std::string waybill = option(args, "waybill");
  const std::string kind = option(args, "kind");
  if (waybill.empty() || !args.options.contains("at")) {
    return failed({kUsage, "deadline track needs --waybill W, --kind KIND and --at TIME"});
  }
  if (!one_of(kind, kTrackingKinds)) {
    return failed({kUsage, "deadline track needs --kind " + listed(kTrackingKinds) +
                               (kind.empty() ? std::string() : " (not '" + kind + "')")});
  }
  Failure failure;
  const auto at = time_option(args, "at", failure);
  if (!at) return failed(failure);
  json body{{"waybill", waybill}, {"kind", kind}, {"at", *at}};
  if (args.options.contains("source")) body["source"] = option(args, "source");
  const auto order = args.resolve_order(args.words.at(0), failure);
  if (!order) return failed(failure);
  std::string raw;
  auto deadline = args.client.call("POST", order_path(*order) + "/tracking", body.dump(), failure, &raw);
  if (!deadline) return failed(failure);
  return print(args, raw,
               "Tracking recorded: " + kind + " of waybill " + waybill + " at " + china_time(json(*at)) + ".\n" +
                   render_deadline_summary(order_key(*order), *deadline));
}

int deadline_after_sale(const DeadlineArgs& args) {
  const std::string line = option(args, "line");
  const std::string step = option(args, "step");
  if (line.empty()) return failed({kUsage, "deadline after-sale needs --line LINE_ID"});
  if (!one_of(step, kAfterSaleSteps)) {
    return failed({kUsage, "deadline after-sale needs --step " + listed(kAfterSaleSteps) +
                               (step.empty() ? std::string() : " (not '" + step + "')")});
  }
  const bool end = args.options.contains("end");
  json body{{"line_id", line}, {"step", step}, {"end", end}};
  Failure failure;
  if (args.options.contains("at")) {
    const auto at = time_option(args, "at", failure);
    if (!at) return failed(failure);
    body["at"] = *at;
  }
  const auto order = args.resolve_order(args.words.at(0), failure);
  if (!order) return failed(failure);
  std::string raw;
  auto answer = args.client.call("POST", order_path(*order) + "/after-sale", body.dump(), failure, &raw);
  if (!answer) return failed(failure);
  return print(args, raw,
               std::string(end ? "Ended" : "Started") + ": " + step + " of line " + line + " (S10).\n" +
                   order_key(*order) + "\n" + render_after_sale(field(*answer, "after_sale")));
}

}  // namespace erp::daemon::ctl
