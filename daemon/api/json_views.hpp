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

/// id, idempotency_key, kind, target, order ("p/s/id" or null), payload (any receiver
/// ciphertext removed), state, attempts, next_attempt_at, last_error, created_at, updated_at.
nlohmann::json outbox_item_to_json(const store::OutboxItem& item);

/// Removes every "ciphertext" member at any depth: receiver ciphertext never leaves via the API.
void strip_ciphertext(nlohmann::json& json);

}  // namespace erp::daemon::api
