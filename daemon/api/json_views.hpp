#pragma once
// The JSON shapes the API serves for stored rows (orders with their daemon state, holds, outbox
// items). One place, so every route and docs/api.md agree.

#include <nlohmann/json.hpp>

#include "store/records.hpp"

namespace erp::daemon::api {

/// id, order, reason_code, owner, rule_id, note, created_at, auto_release_at, active,
/// released_at, released_by, release_reason. Instants RFC 3339 UTC or null.
nlohmann::json hold_to_json(const store::Hold& hold);

/// order_to_json(order, false) (masked receiver only, never the ciphertext) plus `holds` (active
/// holds), `released`, `released_at`, `urgent`, `stored_at`, `updated_at`.
nlohmann::json stored_order_to_json(const store::StoredOrder& order);

/// The intercept JSON of docs/api.md "Intercepts": id, platform, shop, order_id, lines,
/// whole_order, state, open, succeeded (null while awaiting the warehouse), source,
/// requested_by, reason, rule_id, message, suggestion, memo {text, written, written_at}, hold_id,
/// requested_at, decided_at, ended_at, updated_at.
nlohmann::json intercept_to_json(const store::Intercept& intercept);

/// The gift link JSON of docs/api.md "Gifts" (rules G2-G12): id, reservation_order_id,
/// main_order_id, state, rule, source, pieces, waybill, carrier, waybill_tie, main_shipped_at,
/// verify_by, outbox_id, created_at, updated_at, ended_at, message.
nlohmann::json gift_link_to_json(const store::GiftLink& link);

/// The reservation JSON of docs/api.md "Gifts" (rule G1): platform, shop, order_id, state,
/// recognised_by, pieces, paid_at, hold_id, created_at, updated_at, ended_at, and `link` (the
/// link given, or null).
nlohmann::json reservation_to_json(const store::GiftReservation& reservation, const store::GiftLink* link);

/// id, kind, subject, platform, shop, order_id (null when not about a stored order), rule,
/// message, detail, raised_at, cleared_at (null while open).
nlohmann::json alert_to_json(const store::Alert& alert);

/// id, idempotency_key, kind, target, order ("p/s/id" or null), payload (any receiver
/// ciphertext removed), state, attempts, next_attempt_at, last_error, created_at, updated_at.
nlohmann::json outbox_item_to_json(const store::OutboxItem& item);

/// The binding JSON of docs/dropship.md (rule D2): id, shop, platform, factory, state,
/// requested_at, bound_at, ended_at, ended_by, message.
nlohmann::json binding_to_json(const store::DropshipBinding& binding);

/// The dropship line JSON of docs/dropship.md (rules D4-D8): id, side, platform, shop, order_id,
/// line_id, factory, state, buyer_cancelled, cancel_reason, may_ship, rule, source,
/// distr_order_id, merchant_shop_id, sku, outer_sku, title, quantity, region {province, city,
/// district}, waybill, carrier, shipped_by, shipped_at, assigned_at, updated_at, ended_at, message.
/// Never the receiver ciphertext.
nlohmann::json dropship_line_to_json(const store::DropshipLine& line);

/// id, factory, dropship_line, platform, shop, order_id, outcome, at (rule D10's audit).
nlohmann::json receiver_access_to_json(const store::ReceiverAccess& access);

/// Removes every "ciphertext" member at any depth: receiver ciphertext never leaves via the API.
void strip_ciphertext(nlohmann::json& json);

}  // namespace erp::daemon::api
