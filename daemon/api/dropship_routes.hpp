#pragma once
// The merchant's dropship routes (rules D1-D11, docs/dropship.md), under the daemon's own token:
// factories and bindings, assigning lines one by one or in batches, the lines and their state,
// the receiver access audit. The factories' own routes are factory_routes.

#include <map>
#include <string>

#include "api/router.hpp"
#include "core/order_key.hpp"

namespace erp::daemon::api::dropship_routes {

using Query = std::map<std::string, std::string>;

/// Most orders one assignment request may name (D4 batches).
inline constexpr std::size_t kMaxBatch = 500;

/// GET /v1/dropship/factories: {"factories": [{id, name, douyin_shop_id, shop, notifies, bindings}]}.
ApiResponse list_factories(ApiDeps& deps);
/// GET /v1/dropship/bindings?shop=&factory=&state=&limit=: {"bindings": [...]}, newest first.
ApiResponse list_bindings(ApiDeps& deps, const Query& query);
/// POST /v1/dropship/bindings {"shop", "factory"}: 201 with the binding (D2, requested).
ApiResponse post_binding(ApiDeps& deps, const std::string& body);
/// POST /v1/dropship/bindings/{id}/unbind: 200 with the binding (D2, by the merchant).
ApiResponse post_unbind(ApiDeps& deps, const std::string& id);
/// POST /v1/dropship/assign {"factory", "orders": [{"platform", "shop", "order_id", "lines"?}]}:
/// 200 {"results": [{order, line_id, outcome "assigned" | "refused", refusal, message, line}]};
/// an order refused as a whole (unknown, no binding D2, created before it D3) has one result
/// with line_id null.
ApiResponse post_assign(ApiDeps& deps, const std::string& body);
/// GET /v1/dropship/lines?factory=&shop=&state=&order_id=&after=&limit=: {"lines", "next_after"}.
ApiResponse list_lines(ApiDeps& deps, const Query& query);
/// GET /v1/dropship/lines/{id}.
ApiResponse get_line(ApiDeps& deps, const std::string& id);
/// POST /v1/dropship/lines/{id}/unassign: 200 with the line; 409 once shipped (D7).
ApiResponse post_unassign(ApiDeps& deps, const std::string& id);
/// GET .../{order_id}/dropship: {"order", "lines"} (live and ended, oldest first).
ApiResponse of_order(ApiDeps& deps, const OrderKey& key);
/// GET /v1/dropship/audit?factory=&limit=: {"accesses": [...]}, newest first (D10).
ApiResponse list_audit(ApiDeps& deps, const Query& query);
/// POST /v1/dropship/reconcile: 202; the platforms are read again now (D11).
ApiResponse post_reconcile(ApiDeps& deps);

/// The order JSON's `factory_lines`: the lines factories ship, which the merchant's warehouse
/// leaves out (D6): [{line_id, factory, state}], [] for most orders (one indexed read).
nlohmann::json factory_lines_json(ApiDeps& deps, const OrderKey& key);

/// Answer for an error a dropship decision returned: 400, 404, 409 (conflict, already shipped)
/// with the code in `error.code`.
ApiResponse refused(const sdk::Error& error);

}  // namespace erp::daemon::api::dropship_routes
