#include "api/gift_routes.hpp"

#include "api/http_util.hpp"
#include "api/json_views.hpp"
#include "core/order_json.hpp"
#include "workflows/gift/gift_lines.hpp"

namespace erp::daemon::api::gift_routes {
namespace {

using nlohmann::json;
using store::GiftLink;
using store::GiftLinkState;

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;

ApiResponse error(unsigned status, std::string_view code, std::string_view message) {
  return json_response(status, error_json(code, message));
}

std::string param(const Query& query, const char* name) {
  const auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

/// The link a reservation stands by: the one not dropped, else the latest (links come oldest
/// first), else none.
const GiftLink* standing_link(const std::vector<GiftLink>& links) {
  for (const auto& link : links) {
    if (link.state != GiftLinkState::dropped) return &link;
  }
  return links.empty() ? nullptr : &links.back();
}

json reservation_json(ApiDeps& deps, const store::GiftReservation& reservation, std::vector<GiftLink>* links_out) {
  std::vector<GiftLink> links = deps.store.gift_links_of_reservation(reservation.key);
  json j = reservation_to_json(reservation, standing_link(links));
  if (links_out) *links_out = std::move(links);
  return j;
}

json links_json(const std::vector<GiftLink>& links) {
  json out = json::array();
  for (const auto& link : links) out.push_back(gift_link_to_json(link));
  return out;
}

json gift_lines_json(ApiDeps& deps, const OrderKey& key) {
  json out = json::array();
  for (const auto& added : workflows::gift::gift_lines(deps.store, key)) out.push_back(added_line_to_json(added));
  return out;
}

/// A repurchase's gift state from its links not dropped: the least advanced one.
const char* main_state(const std::vector<GiftLink>& links) {
  bool main_shipped = false;
  for (const auto& link : links) {
    if (link.state == GiftLinkState::linked) return "linked";
    if (link.state == GiftLinkState::main_shipped) main_shipped = true;
  }
  return main_shipped ? "main_shipped" : "shipped";
}

}  // namespace

ApiResponse list(ApiDeps& deps, const Query& query) {
  store::ReservationFilter filter;
  filter.platform = param(query, "platform");
  filter.shop = param(query, "shop");
  filter.limit = kDefaultLimit;
  if (const std::string state = param(query, "state"); !state.empty()) {
    const auto known = store::reservation_state_from_string(state);
    if (!known) {
      return error(400, "invalid_input",
                   "state: unknown value '" + state + "' (one of waiting, linked, shipped, closed)");
    }
    filter.states = {*known};
  }
  if (const std::string limit = param(query, "limit"); !limit.empty()) {
    const auto value = parse_bounded_int(limit, 1, kMaxLimit);
    if (!value) {
      return error(400, "invalid_input",
                   "limit: must be an integer from 1 to " + std::to_string(kMaxLimit) + ", not '" + limit + "'");
    }
    filter.limit = static_cast<int>(*value);
  }
  json reservations = json::array();
  for (const auto& reservation : deps.store.list_reservations(filter)) {
    reservations.push_back(reservation_json(deps, reservation, nullptr));
  }
  return json_response(200, json{{"reservations", std::move(reservations)}});
}

ApiResponse of_order(ApiDeps& deps, const OrderKey& key) {
  if (!deps.store.get_order(key)) return error(404, "not_found", "order " + key.to_string() + " not found");
  if (const auto reservation = deps.store.get_reservation(key)) {
    std::vector<GiftLink> links;
    json j = reservation_json(deps, *reservation, &links);
    return json_response(200, json{{"order", key.to_string()},
                                   {"role", "reservation"},
                                   {"reservation", std::move(j)},
                                   {"links", links_json(links)},
                                   {"gift_lines", json::array()}});
  }
  const auto links = deps.store.gift_links_of_main(key, true);
  if (links.empty()) {
    return json_response(200, json{{"order", key.to_string()},
                                   {"role", nullptr},
                                   {"reservation", nullptr},
                                   {"links", json::array()},
                                   {"gift_lines", json::array()}});
  }
  return json_response(200, json{{"order", key.to_string()},
                                 {"role", "main"},
                                 {"reservation", nullptr},
                                 {"links", links_json(links)},
                                 {"gift_lines", gift_lines_json(deps, key)}});
}

OrderGift order_gift(ApiDeps& deps, const OrderKey& key) {
  if (const auto reservation = deps.store.get_reservation(key)) {
    const auto link = deps.store.active_gift_link(key);
    return {json{{"role", "reservation"},
                 {"state", store::to_string(reservation->state)},
                 {"main_order_id", link ? json(link->main.order_id) : json(nullptr)}},
            json::array()};
  }
  const auto links = deps.store.gift_links_of_main(key, false);
  if (links.empty()) return {json(nullptr), json::array()};
  json ids = json::array();
  for (const auto& link : links) ids.push_back(link.reservation.order_id);
  return {json{{"role", "main"}, {"reservation_order_ids", std::move(ids)}, {"state", main_state(links)}},
          gift_lines_json(deps, key)};
}

}  // namespace erp::daemon::api::gift_routes
