#pragma once
// Tmall `one_yuan_reservation_orders` (rules G2, G3). The field is documented as a String without
// saying whether it holds one id or a list, so every plausible shape is accepted.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace erp::plugins::top {

/// Maximum reservation ids linked to one main order (rule G3).
inline constexpr std::size_t kMaxReservationIds = 12;

/// Ids from a Number, a string with one id, a comma/space separated string, a JSON array (or a
/// string holding one). Order kept, duplicates removed; no cap here. nullopt when a token is not
/// a decimal id or the JSON type makes no sense (the caller rejects the trade rather than guess).
std::optional<std::vector<std::string>> parse_reservation_ids(const nlohmann::json& value);

/// Appends `ids` to `into` without duplicates, keeping at most kMaxReservationIds (rule G3).
/// Returns how many distinct ids did not fit.
std::size_t merge_reservation_ids(std::vector<std::string>& into, const std::vector<std::string>& ids);

}  // namespace erp::plugins::top
