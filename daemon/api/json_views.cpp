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

json gift_link_to_json(const store::GiftLink& link) {
  return json{{"id", link.id},
              {"reservation_order_id", link.reservation.order_id},
              {"main_order_id", link.main.order_id},
              {"state", store::to_string(link.state)},
              {"rule", link.rule_id},
              {"source", link.source},
              {"pieces", link.pieces},
              {"waybill", link.waybill},
              {"carrier", link.carrier_code},
              {"waybill_tie", link.waybill_tie},
              {"main_shipped_at", instant_or_null(link.main_shipped_at)},
              {"verify_by", instant_or_null(link.verify_by)},
              {"outbox_id", link.outbox_id ? json(*link.outbox_id) : json(nullptr)},
              {"created_at", format_rfc3339(link.created_at)},
              {"updated_at", format_rfc3339(link.updated_at)},
              {"ended_at", instant_or_null(link.ended_at)},
              {"message", link.detail}};
}

json reservation_to_json(const store::GiftReservation& reservation, const store::GiftLink* link) {
  return json{{"platform", reservation.key.platform},
              {"shop", reservation.key.shop},
              {"order_id", reservation.key.order_id},
              {"state", store::to_string(reservation.state)},
              {"recognised_by", reservation.recognised_by},
              {"pieces", reservation.pieces},
              {"paid_at", instant_or_null(reservation.paid_at)},
              {"hold_id", reservation.hold_id ? json(*reservation.hold_id) : json(nullptr)},
              {"created_at", format_rfc3339(reservation.created_at)},
              {"updated_at", format_rfc3339(reservation.updated_at)},
              {"ended_at", instant_or_null(reservation.ended_at)},
              {"link", link ? gift_link_to_json(*link) : json(nullptr)}};
}

json alert_to_json(const store::Alert& alert) {
  const auto part = [&](const std::string OrderKey::*member) {
    return alert.key ? json((*alert.key).*member) : json(nullptr);
  };
  return json{{"id", alert.id},
              {"kind", alert.kind},
              {"subject", alert.subject},
              {"platform", part(&OrderKey::platform)},
              {"shop", part(&OrderKey::shop)},
              {"order_id", part(&OrderKey::order_id)},
              {"rule", alert.rule_id},
              {"message", alert.message},
              {"detail", alert.detail.is_null() ? json::object() : alert.detail},
              {"raised_at", format_rfc3339(alert.raised_at)},
              {"cleared_at", instant_or_null(alert.cleared_at)}};
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

json binding_to_json(const store::DropshipBinding& b) {
  return json{{"id", b.id},
              {"platform", b.platform},
              {"shop", b.shop},
              {"factory", b.factory},
              {"state", store::to_string(b.state)},
              {"requested_at", format_rfc3339(b.requested_at)},
              {"bound_at", instant_or_null(b.bound_at)},
              {"ended_at", instant_or_null(b.ended_at)},
              {"ended_by", b.ended_by},
              {"message", b.detail}};
}

json dropship_line_to_json(const store::DropshipLine& l) {
  const bool may_ship = l.state == store::DropshipLineState::assigned && !l.buyer_cancelled;
  return json{{"id", l.id},
              {"side", store::to_string(l.side)},
              {"platform", l.platform},
              {"shop", l.shop},
              {"order_id", l.order_id},
              {"line_id", l.line_id},
              {"factory", l.factory},
              {"state", store::to_string(l.state)},
              {"buyer_cancelled", l.buyer_cancelled},
              {"cancel_reason", l.cancel_reason},
              {"may_ship", may_ship},
              {"rule", l.rule_id},
              {"source", l.source},
              {"distr_order_id", l.distr_order_id},
              {"merchant_shop_id", l.merchant_shop_id},
              {"sku", l.sku},
              {"outer_sku", l.outer_sku},
              {"title", l.title},
              {"quantity", l.quantity},
              {"region", {{"province", l.province}, {"city", l.city}, {"district", l.district}}},
              {"waybill", l.waybill},
              {"carrier", l.carrier},
              {"shipped_by", l.shipped_by},
              {"shipped_at", instant_or_null(l.shipped_at)},
              {"assigned_at", format_rfc3339(l.assigned_at)},
              {"updated_at", format_rfc3339(l.updated_at)},
              {"ended_at", instant_or_null(l.ended_at)},
              {"message", l.detail}};
}

json receiver_access_to_json(const store::ReceiverAccess& a) {
  return json{{"id", a.id},           {"factory", a.factory},   {"dropship_line", a.dropship_line},
              {"platform", a.platform}, {"shop", a.shop},        {"order_id", a.order_id},
              {"outcome", a.outcome},   {"at", format_rfc3339(a.at)}};
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
