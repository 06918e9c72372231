#include "api/factory_routes.hpp"

#include "api/dropship_routes.hpp"
#include "api/http_util.hpp"
#include "api/json_views.hpp"
#include "api/receiver_routes.hpp"
#include "core/time_format.hpp"
#include "workflows/dropship/dropship_service.hpp"

namespace erp::daemon::api::factory_routes {
namespace {

using nlohmann::json;
using store::DropshipSide;

/// The side whose lines this factory ships: a factory running its own platform shop ships the
/// items merchants assign to that shop; any other ships the merchant's lines.
DropshipSide side_of(const config::FactoryConfig& factory) {
  return factory.shop.empty() ? DropshipSide::merchant : DropshipSide::factory;
}

ApiResponse error(unsigned status, std::string_view code, std::string_view message) {
  return json_response(status, error_json(code, message));
}

std::optional<std::int64_t> id_of(const std::string& text) { return parse_bounded_int(text, 1, INT64_MAX); }

/// The factory's own line, or nullopt (another factory's line is not found, never forbidden).
std::optional<store::DropshipLine> own_line(const FactoryCall& c) {
  const auto id = id_of(c.params.at(0));
  if (!id) return std::nullopt;
  auto line = c.deps.store.get_dropship_line(*id);
  if (!line || line->factory != c.factory.id || line->side != side_of(c.factory)) return std::nullopt;
  return line;
}

ApiResponse line_not_found(const FactoryCall& c) {
  return error(404, "not_found", "no dropship line " + c.params.at(0) + " of factory " + c.factory.id);
}

/// D10: every hand-out (or attempt) is on record, in the factory's audit and, for an order the
/// daemon stores, in its event log; neither holds any plaintext.
void audit(ApiDeps& deps, const config::FactoryConfig& factory, const store::DropshipLine& line,
           const std::string& outcome) {
  const auto now = now_utc();
  auto tx = deps.store.begin();
  deps.store.log_receiver_access(
      *tx, store::ReceiverAccess{0, factory.id, line.id, line.platform, line.shop, line.order_id, outcome, now});
  if (line.side == DropshipSide::merchant && outcome == "decrypted") {
    deps.store.append_event(*tx, OrderKey{line.platform, line.shop, line.order_id},
                            store::NewEvent{"receiver.decrypted", "handed to factory " + factory.id + " for printing",
                                            "D10", "factory:" + factory.id,
                                            json{{"dropship_line", line.id}, {"fields", {"name", "phone", "address"}}}},
                            now);
  }
  tx->commit();
}

}  // namespace

ApiResponse get_me(const FactoryCall& c) {
  return json_response(200, json{{"id", c.factory.id},
                                  {"name", c.factory.name.empty() ? c.factory.id : c.factory.name},
                                  {"ships", store::to_string(side_of(c.factory))}});
}

ApiResponse list_bindings(const FactoryCall& c) {
  store::BindingFilter filter;
  filter.factory = c.factory.id;
  json bindings = json::array();
  for (const auto& b : c.deps.store.list_bindings(filter)) bindings.push_back(binding_to_json(b));
  return json_response(200, json{{"bindings", std::move(bindings)}});
}

ApiResponse confirm_binding(const FactoryCall& c) {
  const auto id = id_of(c.params.at(0));
  if (!id) return error(404, "not_found", "no binding " + c.params.at(0) + " of yours");
  auto b = c.service.confirm_binding(*id, c.factory.id, now_utc());
  if (!b) return dropship_routes::refused(b.error());
  return json_response(200, binding_to_json(*b));
}

ApiResponse end_binding(const FactoryCall& c) {
  const auto id = id_of(c.params.at(0));
  if (!id) return error(404, "not_found", "no binding " + c.params.at(0) + " of yours");
  auto b = c.service.end_binding(*id, "factory", c.factory.id, now_utc());
  if (!b) return dropship_routes::refused(b.error());
  return json_response(200, binding_to_json(*b));
}

ApiResponse list_lines(const FactoryCall& c) {
  store::DropshipLineFilter filter;
  filter.side = side_of(c.factory);
  filter.factory = c.factory.id;  // D5: a factory token fetches its own lines, nothing else
  if (const auto it = c.query.find("state"); it != c.query.end()) {
    const auto state = store::dropship_line_state_from_string(it->second);
    if (!state) return error(400, "invalid_input", "state: must be assigning, assigned, shipped, unassigned or refused");
    filter.states = {*state};
  }
  if (const auto it = c.query.find("after"); it != c.query.end()) {
    const auto after = parse_bounded_int(it->second, 0, INT64_MAX);
    if (!after) return error(400, "invalid_input", "after: must be a line id");
    filter.after_id = *after;
  }
  if (const auto it = c.query.find("limit"); it != c.query.end()) {
    const auto limit = parse_bounded_int(it->second, 1, 1000);
    if (!limit) return error(400, "invalid_input", "limit: must be 1 to 1000");
    filter.limit = static_cast<int>(*limit);
  }
  const auto found = c.deps.store.list_dropship_lines(filter);
  json lines = json::array();
  for (const auto& l : found) lines.push_back(dropship_line_to_json(l));
  const bool more = static_cast<int>(found.size()) == filter.limit;
  return json_response(200, json{{"lines", std::move(lines)},
                                  {"next_after", more ? json(found.back().id) : json(nullptr)}});
}

ApiResponse get_line(const FactoryCall& c) {
  const auto line = own_line(c);
  if (!line) return line_not_found(c);
  return json_response(200, dropship_line_to_json(*line));
}

ApiResponse post_receiver(const FactoryCall& c) {
  const auto line = own_line(c);
  if (!line) return line_not_found(c);
  // Only the party that ships gets the receiver (D10), and only while it may ship (D7, D8).
  if (line->buyer_cancelled) {
    audit(c.deps, c.factory, *line, "buyer_cancelled");
    return error(409, "buyer_cancelled", "the buyer cancelled this line; it must not ship (D8)");
  }
  if (line->state != store::DropshipLineState::assigned) {
    audit(c.deps, c.factory, *line, "not_assigned");
    return error(409, line->state == store::DropshipLineState::shipped ? "already_shipped" : "not_assigned",
                 "line " + std::to_string(line->id) + " is " + std::string(store::to_string(line->state)) +
                     "; only a line to ship has its receiver handed out");
  }
  sdk::ReceiverCipher cipher{line->order_id, line->receiver_cipher};
  sdk::Receiver region;
  region.province = line->province;
  region.city = line->city;
  region.district = line->district;
  if (line->side == DropshipSide::merchant) {
    const auto stored = c.deps.store.get_order(OrderKey{line->platform, line->shop, line->order_id});
    if (!stored) return error(404, "not_found", "the order of line " + std::to_string(line->id) + " is not stored");
    cipher.ciphertext = stored->order.receiver.ciphertext;
    region = stored->order.receiver;
  }
  return receiver_routes::factory_receiver(c.deps, line->shop, cipher, region,
                                           [&](const std::string& outcome) { audit(c.deps, c.factory, *line, outcome); });
}

ApiResponse post_shipment(const FactoryCall& c) {
  const auto line = own_line(c);
  if (!line) return line_not_found(c);
  json body;
  try {
    body = parse_json_object(c.body, {"carrier", "waybill"});
  } catch (const std::invalid_argument& e) {
    return error(400, "invalid_input", e.what());
  }
  auto text = [&](const char* field) -> std::optional<std::string> {
    const auto it = body.find(field);
    if (it == body.end() || !it->is_string()) return std::nullopt;
    std::string v = trimmed(it->get<std::string>());
    if (v.empty() || v.size() > 64 || v.find_first_of("\r\n\t") != std::string::npos) return std::nullopt;
    return v;
  };
  const auto carrier = text("carrier");
  const auto waybill = text("waybill");
  if (!carrier) return error(400, "invalid_input", "carrier: required, 1 to 64 characters");
  if (!waybill) return error(400, "invalid_input", "waybill: required, 1 to 64 characters");
  auto shipped = c.service.factory_ship(line->id, c.factory.id, *carrier, *waybill, now_utc());
  if (!shipped) return dropship_routes::refused(shipped.error());
  return json_response(202, dropship_line_to_json(*shipped));
}

}  // namespace erp::daemon::api::factory_routes
