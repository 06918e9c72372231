#pragma once
// `erpctl why ORDER` / GET .../why: an order's history in words a merchant understands. Small pure
// functions over stored facts, so the wording is tested without a daemon.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.hpp"

namespace erp::daemon::api::why {

/// Who did something, for people: "operator:alice" -> "operator alice", "workflow:gift" -> "the
/// gift workflow", "platform" -> "the platform", "daemon" or "" -> "erpd".
std::string describe_actor(std::string_view actor);

/// One hold as a phrase: "operator alice: check address", "the gift workflow (rule G2): waiting
/// for the reservation tag", with "until <time>" when it releases itself.
std::string describe_hold(const store::Hold& hold);

/// One event as a sentence: "Held by operator alice: check address", "Hold #3 (check address)
/// lifted by operator bob: address confirmed", "Released to the warehouse: no hold remains",
/// "Order received from the platform: paid, 3 lines, 123.00 yuan". `hold` is the hold a
/// hold.* event concerns (its note and release reason), when known.
std::string event_text(const store::Event& event, const store::Hold* hold = nullptr);

/// Where the order stands, in one sentence: held by whom and why, released when, or what it is
/// waiting for.
std::string summary(const store::StoredOrder& order);

/// The body of GET .../why: {"order", "summary", "entries": [{at, at_local, kind, rule_id, actor,
/// text}]}, entries oldest first. `holds` are the order's holds, released ones included.
nlohmann::json why_json(const store::StoredOrder& order, const std::vector<store::Event>& events,
                        const std::vector<store::Hold>& holds);

}  // namespace erp::daemon::api::why
