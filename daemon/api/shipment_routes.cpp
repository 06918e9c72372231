#include "api/shipment_routes.hpp"

#include "api/http_util.hpp"
#include "api/intercept_routes.hpp"
#include "api/json_views.hpp"
#include "core/time_format.hpp"
#include "shipping/shipment_recorder.hpp"

namespace erp::daemon::api::shipment_routes {
namespace {

using nlohmann::json;

ApiResponse error_reply(const sdk::Error& error) {
  unsigned status = 500;
  switch (error.code) {
    case sdk::ErrorCode::invalid_input: status = 400; break;
    case sdk::ErrorCode::not_found: status = 404; break;
    case sdk::ErrorCode::conflict: status = 409; break;
    default: break;
  }
  return json_response(status, error_json(sdk::to_string(error.code), error.message));
}

}  // namespace

ApiResponse post_shipment(ApiDeps& deps, const OrderKey& key, const std::string& body) {
  json parsed;
  try {
    parsed = parse_json_body(body);
  } catch (const std::invalid_argument& e) {
    return json_response(400, error_json("invalid_input", e.what()));
  }
  auto shipment = shipping::parse_posted_shipment(parsed);
  if (!shipment) return error_reply(shipment.error());
  auto recorded = shipping::record_shipment(deps.store, key, *shipment, now_utc(), deps.intercepts, deps.dropship);
  if (!recorded) {
    if (recorded.error().code == sdk::ErrorCode::conflict) {
      if (auto intercepted = intercept_routes::intercepted_shipment(deps, key, recorded.error().message)) {
        return *intercepted;
      }
    }
    return error_reply(recorded.error());
  }
  if (!recorded->duplicate && deps.wake_outbox) deps.wake_outbox();
  json answer{{"shipment_id", shipment->shipment_id},
              {"duplicate", recorded->duplicate},
              {"upload", outbox_item_to_json(recorded->item)}};
  // Both sides of the race are told (rule I4): this shipment won, the intercept is too late.
  if (recorded->intercept_too_late) answer["intercept"] = intercept_to_json(*recorded->intercept_too_late);
  return json_response(recorded->duplicate ? 200 : 202, answer);
}

}  // namespace erp::daemon::api::shipment_routes
