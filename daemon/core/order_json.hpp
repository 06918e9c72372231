#pragma once
// The order JSON of the public API (DESIGN "Public surface") and of the stored payload.
// One mapping, used by the store, the API, the webhook and erpctl, so they never disagree.

#include <nlohmann/json.hpp>
#include <string>

#include "erp/model.hpp"
#include "erp/result.hpp"

namespace erp::daemon {

/// The full normalized order. Receiver appears only in masked form plus its ciphertext when
/// `include_ciphertext` (the store keeps it; the API never shows it).
nlohmann::json order_to_json(const sdk::Order& order, bool include_ciphertext);

/// The inverse of order_to_json(order, true); an invalid_input error names the offending field.
sdk::Result<sdk::Order> order_from_json(const nlohmann::json& json);

nlohmann::json line_to_json(const sdk::OrderLine& line);

}  // namespace erp::daemon
