#include "api/json_views.hpp"

#include "core/order_json.hpp"
#include "core/time_format.hpp"

namespace erp::daemon::api {
namespace {

using nlohmann::json;

json instant_or_null(const std::optional<Instant>& t) { return t ? json(format_rfc3339(*t)) : json(nullptr); }

}  // namespace

json hold_to_json(const store::Hold& hold) {
  return json{{"id", hold.id},
              {"order", hold.key.to_string()},
              {"reason_code", hold.reason_code},
              {"owner", hold.owner},
              {"rule_id", hold.rule_id},
              {"note", hold.note},
              {"created_at", format_rfc3339(hold.created_at)},
              {"auto_release_at", instant_or_null(hold.auto_release_at)},
              {"active", !hold.released_at.has_value()},
              {"released_at", instant_or_null(hold.released_at)},
              {"released_by", hold.released_by},
              {"release_reason", hold.release_reason}};
}

json stored_order_to_json(const store::StoredOrder& order) {
  json j = order_to_json(order.order, false);
  json holds = json::array();
  for (const auto& hold : order.holds) holds.push_back(hold_to_json(hold));
  j["holds"] = std::move(holds);
  j["released"] = order.released;
  j["released_at"] = instant_or_null(order.released_at);
  j["urgent"] = order.urgent;
  j["stored_at"] = format_rfc3339(order.stored_at);
  j["updated_at"] = format_rfc3339(order.updated_at);
  return j;
}

json outbox_item_to_json(const store::OutboxItem& item) {
  json payload = item.payload;
  strip_ciphertext(payload);
  return json{{"id", item.id},
              {"idempotency_key", item.idempotency_key},
              {"kind", item.kind},
              {"target", item.target},
              {"order", item.key ? json(item.key->to_string()) : json(nullptr)},
              {"payload", std::move(payload)},
              {"state", store::to_string(item.state)},
              {"attempts", item.attempts},
              {"next_attempt_at", format_rfc3339(item.next_attempt_at)},
              {"last_error", item.last_error},
              {"created_at", format_rfc3339(item.created_at)},
              {"updated_at", format_rfc3339(item.updated_at)}};
}

void strip_ciphertext(json& j) {
  if (j.is_object()) {
    j.erase("ciphertext");
    for (auto& item : j.items()) strip_ciphertext(item.value());
  } else if (j.is_array()) {
    for (auto& value : j) strip_ciphertext(value);
  }
}

}  // namespace erp::daemon::api
