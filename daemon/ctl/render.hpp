#pragma once
// What erpctl prints for people, from the API's JSON. Pure functions (JSON in, text out) that
// tolerate missing fields, so an older or newer daemon still renders.

#include <nlohmann/json.hpp>
#include <string>

namespace erp::daemon::ctl {

/// A field as text: strings as they are, numbers and booleans written out, null/missing "".
std::string text(const nlohmann::json& object, const char* key);
/// object[key], or null when the object or the key is missing.
const nlohmann::json& field(const nlohmann::json& object, const char* key);
/// "-" for an empty value.
std::string or_dash(std::string value);
/// The array's size; 0 for anything else.
std::size_t count(const nlohmann::json& array);

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
/// GET /v1/alerts: shops that need a person, quarantine and dead outbox counts, and the
/// workflows' open alerts (kind, subject, message, since).
std::string render_alerts(const nlohmann::json& alerts);
/// One line after `erpctl alerts clear` (POST /v1/alerts/clear's answer).
std::string render_alert_cleared(const nlohmann::json& alert);

// --- intercepts (rules I1-I9; docs/intercept.md) ---

/// "whole order", or the intercepted line ids: "3100000000000000002, 3100000000000000003".
std::string intercept_lines(const nlohmann::json& intercept);
/// "intercept 7 on taobao/tb-1/123" (plus " (lines 2, 3)" when not the whole order).
std::string intercept_label(const nlohmann::json& intercept);
/// The answer to an intercept request in one line a merchant understands: locked, waiting for
/// the warehouse, memo only (I8), or too late with the paid parcel interception left (I9).
/// `duplicate`: an open intercept already covered the lines, nothing new was asked.
std::string render_intercept_outcome(const nlohmann::json& intercept, bool duplicate);
/// One line after `erpctl intercept cancel` (rule I6).
std::string render_intercept_cancelled(const nlohmann::json& intercept);
/// The intercepts table, newest first as the API lists them; `with_order` adds the ORDER column
/// (erpctl intercept list; `intercept status` is about one order and leaves it out).
std::string render_intercepts(const nlohmann::json& intercepts, bool with_order);
/// POST /v1/intercepts/unlock's answer (rule I7): how many were unlocked, and each one kept
/// locked with why. `before` is the cut-off as people should read it.
std::string render_unlock(const nlohmann::json& answer, const std::string& before);

// --- gifts (rules G1-G13; docs/api.md#gifts) ---

/// GET /v1/gifts's reservations, newest first as the API lists them: order, shop, state, pieces,
/// the repurchase it rides on, the waybill it ships with, since when in its state.
std::string render_gifts(const nlohmann::json& reservations);
/// GET .../gift: the order's role, its state, its links with rule ids and waybills, and the gift
/// lines a repurchase carries.
std::string render_gift(const nlohmann::json& answer);

}  // namespace erp::daemon::ctl
