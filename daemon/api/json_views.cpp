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

json intercept_to_json(const store::Intercept& intercept) {
  using store::InterceptState;
  const auto state = intercept.state;
  json succeeded = nullptr;  // still waiting for the warehouse
  if (state == InterceptState::too_late || state == InterceptState::memo_only) {
    succeeded = false;
  } else if (state != InterceptState::awaiting_warehouse) {
    succeeded = intercept.was_locked;
  }
  const char* rule = state == InterceptState::memo_only   ? "I8"
                     : state == InterceptState::cancelled ? "I6"
                     : state == InterceptState::unlocked  ? "I7"
                     : state == InterceptState::resolved  ? "I5"
                                                          : "I4";
  return json{{"id", intercept.id},
              {"platform", intercept.key.platform},
              {"shop", intercept.key.shop},
              {"order_id", intercept.key.order_id},
              {"lines", intercept.line_ids},
              {"whole_order", intercept.line_ids.empty()},
              {"state", store::to_string(state)},
              {"open", store::is_open(state)},
              {"succeeded", std::move(succeeded)},
              {"source", intercept.source},
              {"requested_by", intercept.requested_by},
              {"reason", intercept.reason},
              {"rule_id", rule},
              {"message", intercept.detail},
              {"suggestion", state == InterceptState::too_late ? json("parcel_interception") : json(nullptr)},
              {"memo",
               {{"text", intercept.memo_text},
                {"written", intercept.memo_written_at.has_value()},
                {"written_at", instant_or_null(intercept.memo_written_at)}}},
              {"hold_id", intercept.hold_id ? json(*intercept.hold_id) : json(nullptr)},
              {"requested_at", format_rfc3339(intercept.requested_at)},
              {"decided_at", instant_or_null(intercept.decided_at)},
              {"ended_at", instant_or_null(intercept.ended_at)},
              {"updated_at", format_rfc3339(intercept.updated_at)}};
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
