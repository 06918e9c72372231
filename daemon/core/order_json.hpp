#pragma once
// The order JSON of the public API (DESIGN "Public surface") and of the stored payload.
// One mapping, used by the store, the API, the webhook and erpctl, so they never disagree.

#include <nlohmann/json.hpp>
#include <string>

#include "erp/model.hpp"
#include "erp/result.hpp"

namespace erp::sdk {
struct AddedLine;  // erp/warehouse.hpp
}  // namespace erp::sdk

namespace erp::daemon {

/// The full normalized order. Receiver appears only in masked form plus its ciphertext when
/// `include_ciphertext` (the store keeps it; the API never shows it).
nlohmann::json order_to_json(const sdk::Order& order, bool include_ciphertext);

/// The inverse of order_to_json(order, true); an invalid_input error names the offending field.
sdk::Result<sdk::Order> order_from_json(const nlohmann::json& json);

/// One line of the order JSON. `shipped_at` is RFC 3339 UTC or null until the platform records the
/// line shipped; `waybill` and `carrier` are "" until then.
nlohmann::json line_to_json(const sdk::OrderLine& line);

/// A line the daemon added to a delivery (the gift line, rule G4): line_to_json's keys plus
/// `"gift": true`, `"rule"` (the rule id, e.g. "G4") and `"fulfils"` (the order ids it fulfils).
nlohmann::json added_line_to_json(const sdk::AddedLine& added);

}  // namespace erp::daemon
