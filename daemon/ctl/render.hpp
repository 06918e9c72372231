#pragma once
// What erpctl prints for people, from the API's JSON. Pure functions (JSON in, text out) that
// tolerate missing fields, so an older or newer daemon still renders.

#include <nlohmann/json.hpp>
#include <string>

namespace erp::daemon::ctl {

/// A field as text: strings as they are, numbers and booleans written out, null/missing "".
std::string text(const nlohmann::json& object, const char* key);

/// An RFC 3339 instant from the API as China Standard Time for people; "-" when null/missing.
std::string local_time(const nlohmann::json& value);

/// Seconds as "3d 4h", "2h 5m", "12m 5s", "40s".
std::string format_uptime(long long seconds);

std::string render_status(const nlohmann::json& status);
/// The orders table (one row per order).
std::string render_orders(const nlohmann::json& orders);
std::string render_order(const nlohmann::json& order);
std::string render_why(const nlohmann::json& why);
std::string render_holds(const nlohmann::json& holds);
std::string render_outbox(const nlohmann::json& items);
/// Quarantined payloads (GET /v1/quarantine items), without the payloads themselves.
std::string render_quarantine(const nlohmann::json& items);
/// GET /v1/alerts: shops that need a person, quarantine and dead outbox counts.
std::string render_alerts(const nlohmann::json& alerts);

}  // namespace erp::daemon::ctl
