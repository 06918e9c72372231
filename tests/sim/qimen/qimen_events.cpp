// Scenario events of a Qimen WMS (tests/sim/README.md, "Qimen WMS module"): `settings` changes how
// the WMS behaves; `ship`, `process`, `stock` and `cancel_outcome` make it do something and tell
// the ERP. Keys are checked strictly: a misspelt key would otherwise be a silent default.

#include <set>
#include <stdexcept>

#include "core/scenario.hpp"
#include "qimen/qimen_impl.hpp"

namespace erp::sim::qimen {
namespace {

/// A refusal of the event, with its reason.
struct EventError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void check_keys(const YAML::Node& event, const std::string& type, const std::set<std::string>& known) {
  for (const auto& kv : event) {
    const std::string key = kv.first.Scalar();
    if (key == "at" || key == "shop" || key == "type" || known.count(key) > 0) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    throw EventError("unknown key '" + key + "' for " + type + " (known: " + list + ")");
  }
}

std::string ystr(const YAML::Node& node, const char* key, const std::string& fallback = "") {
  const YAML::Node value = node[key];
  if (!value || value.IsNull()) return fallback;
  if (!value.IsScalar()) throw EventError(std::string(key) + ": must be a single value");
  return value.Scalar();
}

std::string required(const YAML::Node& node, const char* key) {
  std::string value = ystr(node, key);
  if (value.empty()) throw EventError(std::string(key) + ": missing");
  return value;
}

std::int64_t parse_int(const std::string& text, const std::string& where, std::int64_t lo, std::int64_t hi) {
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size() || value < lo || value > hi) {
    throw EventError(where + ": '" + text + "' is not a whole number from " + std::to_string(lo) + " to " +
                     std::to_string(hi));
  }
  return value;
}

std::optional<std::int64_t> yint(const YAML::Node& node, const char* key, std::int64_t lo, std::int64_t hi) {
  const std::string text = ystr(node, key);
  if (text.empty()) return std::nullopt;
  return parse_int(text, key, lo, hi);
}

bool ybool(const YAML::Node& node, const char* key, bool fallback) {
  const std::string text = ystr(node, key);
  if (text.empty()) return fallback;
  if (text == "true" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "no" || text == "off") return false;
  throw EventError(std::string(key) + ": '" + text + "' is not true or false");
}

milliseconds yduration(const YAML::Node& node, const char* key) {
  const std::string text = ystr(node, key);
  const auto d = parse_sim_duration(text);
  if (!d) throw EventError(std::string(key) + ": '" + text + "' is not a duration like 250ms, 2s, 5m");
  return *d;
}

int yrepeat(const YAML::Node& node) { return static_cast<int>(yint(node, "repeat", 1, 100).value_or(1)); }

void read_settings(const YAML::Node& event, Settings& s) {
  check_keys(event, "settings",
             {"format", "json_style", "sign_method", "cancel_mode", "cancel_after", "auto_ship", "auto_ship_after",
              "carrier", "warehouse_code", "owner_code", "timeout", "retry_after", "confirm_retries"});
  if (event["format"]) {
    const std::string text = ystr(event, "format");
    const auto format = text.empty() ? std::nullopt : format_from_string(text);
    if (!format) throw EventError("format: '" + text + "' is not xml or json");
    s.format = *format;
  }
  if (event["json_style"]) {
    const std::string text = ystr(event, "json_style");
    if (text != "typed" && text != "mechanical")
      throw EventError("json_style: '" + text + "' is not typed or mechanical");
    s.json_style = text == "typed" ? JsonStyle::typed : JsonStyle::mechanical;
  }
  if (event["sign_method"]) {
    const std::string text = ystr(event, "sign_method");
    const auto method = text.empty() ? std::nullopt : sign_method_from_string(text);
    if (!method) throw EventError("sign_method: '" + text + "' is not md5 or hmac");
    s.sign_method = *method;
  }
  if (event["cancel_mode"]) {
    const std::string text = ystr(event, "cancel_mode");
    if (text != "sync" && text != "async") throw EventError("cancel_mode: '" + text + "' is not sync or async");
    s.async_cancel = text == "async";
  }
  if (event["cancel_after"]) {
    const std::string text = ystr(event, "cancel_after");
    if (text == "never") {
      s.cancel_after.reset();
    } else {
      s.cancel_after = yduration(event, "cancel_after");
    }
  }
  s.auto_ship = ybool(event, "auto_ship", s.auto_ship);
  if (event["auto_ship_after"]) s.auto_ship_after = yduration(event, "auto_ship_after");
  if (event["carrier"]) s.carrier = required(event, "carrier");
  if (event["warehouse_code"]) s.warehouse_code = required(event, "warehouse_code");
  if (event["owner_code"]) s.owner_code = ystr(event, "owner_code");
  if (event["timeout"]) s.timeout = yduration(event, "timeout");
  if (event["retry_after"]) s.retry_after = yduration(event, "retry_after");
  if (event["confirm_retries"]) s.confirm_retries = static_cast<int>(*yint(event, "confirm_retries", 0, 10));
  if (s.timeout.count() <= 0) throw EventError("timeout: must be above 0");
}

/// `lines: ["1", {line: "2", qty: 1}]`, with an optional `quantities: [2, 1]` beside it.
ParcelRequest read_parcel(const YAML::Node& node, std::size_t index) {
  const std::string at = "packages[" + std::to_string(index) + "]";
  if (!node.IsMap()) throw EventError(at + ": must be a map with carrier, waybill and lines");
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (key != "carrier" && key != "waybill" && key != "lines" && key != "quantities") {
      throw EventError(at + ": unknown key '" + key + "' (known: carrier, waybill, lines, quantities)");
    }
  }
  ParcelRequest parcel;
  parcel.carrier = ystr(node, "carrier");
  parcel.waybill = ystr(node, "waybill");
  const YAML::Node lines = node["lines"];
  if (!lines || !lines.IsSequence() || lines.size() == 0) throw EventError(at + ".lines: a list of orderLineNo");
  const YAML::Node quantities = node["quantities"];
  if (quantities && (!quantities.IsSequence() || quantities.size() != lines.size())) {
    throw EventError(at + ".quantities: a list as long as lines");
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const YAML::Node entry = lines[i];
    std::string line_no;
    std::optional<std::int64_t> quantity;
    if (entry.IsScalar()) {
      line_no = entry.Scalar();
    } else if (entry.IsMap()) {
      line_no = ystr(entry, "line", ystr(entry, "orderLineNo"));
      quantity = entry["qty"] ? yint(entry, "qty", 1, 1000000) : yint(entry, "quantity", 1, 1000000);
    }
    if (line_no.empty()) throw EventError(at + ".lines[" + std::to_string(i) + "]: an orderLineNo or {line, qty}");
    if (!quantity && quantities) {
      const std::string where = at + ".quantities[" + std::to_string(i) + "]";
      if (!quantities[i].IsScalar()) throw EventError(where + ": a whole number");
      quantity = parse_int(quantities[i].Scalar(), where, 1, 1000000);
    }
    parcel.lines.emplace_back(line_no, quantity);
  }
  return parcel;
}

ShipRequest read_ship(const YAML::Node& event) {
  check_keys(event, "ship",
             {"code", "packages", "carrier", "waybill", "partial", "out_biz_code", "repeat", "omit_items"});
  ShipRequest request;
  request.code = required(event, "code");
  if (const YAML::Node packages = event["packages"]) {
    if (!packages.IsSequence() || packages.size() == 0) throw EventError("packages: a list of parcels");
    for (std::size_t i = 0; i < packages.size(); ++i) request.parcels.push_back(read_parcel(packages[i], i));
  }
  request.carrier = ystr(event, "carrier");
  request.waybill = ystr(event, "waybill");
  request.partial = ybool(event, "partial", false);
  request.out_biz_code = ystr(event, "out_biz_code");
  request.repeat = yrepeat(event);
  request.omit_items = ybool(event, "omit_items", false);
  return request;
}

StockChange read_stock(const YAML::Node& event) {
  check_keys(
      event, "stock",
      {"item_code", "quantity", "out_biz_code", "order_code", "order_type", "warehouse_code", "owner_code", "repeat"});
  StockChange change;
  change.item_code = required(event, "item_code");
  const auto quantity = yint(event, "quantity", -1000000000, 1000000000);
  if (!quantity) throw EventError("quantity: missing (a signed whole number)");
  change.quantity = *quantity;
  change.out_biz_code = ystr(event, "out_biz_code");
  change.order_code = ystr(event, "order_code");
  change.order_type = ystr(event, "order_type");
  change.warehouse_code = ystr(event, "warehouse_code");
  change.owner_code = ystr(event, "owner_code");
  change.repeat = yrepeat(event);
  return change;
}

}  // namespace

std::optional<std::string> QimenModuleImpl::apply(const Shop& shop, const YAML::Node& event) {
  std::lock_guard lock(mutex_);
  auto found = wms_.find(shop.id);
  if (found == wms_.end()) found = wms_.emplace(shop.id, Wms{shop, {}, {}, {}, {}}).first;
  try {
    return apply_locked(found->second, event);
  } catch (const EventError& e) {
    return std::string(e.what());
  } catch (const YAML::Exception& e) {
    return std::string("unreadable event: ") + e.what();
  }
}

std::optional<std::string> QimenModuleImpl::apply_locked(Wms& wms, const YAML::Node& event) {
  const std::string type = ystr(event, "type");
  if (type == "settings") {
    Settings settings = wms.settings;  // all or nothing: a bad key leaves the settings as they were
    read_settings(event, settings);
    wms.settings = settings;
    return std::nullopt;
  }
  if (type == "ship") return ship(wms, read_ship(event));
  if (type == "process") {
    check_keys(event, "process", {"code", "status", "info", "repeat"});
    return report_process(wms, required(event, "code"), required(event, "status"),
                          ystr(event, "info", "reported by platform-sim"), yrepeat(event));
  }
  if (type == "stock") {
    report_stock(wms, read_stock(event));
    return std::nullopt;
  }
  if (type == "cancel_outcome") {
    check_keys(event, "cancel_outcome", {"code", "result"});
    const std::string code = required(event, "code");
    const std::string result = required(event, "result");
    if (result != "canceled" && result != "failed") return "result: '" + result + "' is not canceled or failed";
    const auto order = wms.orders.find(code);
    if (order == wms.orders.end()) return "no delivery order '" + code + "' in WMS " + wms.shop.id;
    if (!order->second.pending_cancel) return "no cancel of " + code + " is pending (cancel_mode async takes one)";
    if (result == "canceled") {
      for (const std::size_t i : order->second.pending_cancel->lines) {
        if (order->second.lines[i].shipped > 0) {
          return "line " + order->second.lines[i].line_no + " of " + code + " has shipped; only result: failed fits";
        }
      }
    }
    decide_cancel(wms, order->second, result == "canceled");
    return std::nullopt;
  }
  return "unknown event type '" + type + "' (qimen: settings, ship, process, stock, cancel_outcome)";
}

}  // namespace erp::sim::qimen
