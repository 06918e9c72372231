#pragma once
// The factory API (rules D2, D5-D8, D10; docs/dropship.md "Factory API"): everything under
// /v1/factory/, answered only to a factory's own token (workflows.dropship.factories[].token_file),
// never to the daemon's token, and scoped to that factory: another factory's binding or line is
// "not found". A factory confirms or ends its bindings, lists its lines, fetches a receiver for
// printing (decrypted on demand, every hand-out audited) and posts its shipment, which the daemon
// uploads to the platform for the merchant through the outbox.

#include <string_view>

#include "api/router.hpp"

namespace erp::daemon::api::factory_routes {

inline constexpr std::string_view kPrefix = "/v1/factory";

/// True for kPrefix and every path under it.
bool is_factory_path(std::string_view path) noexcept;

/// Authenticates the bearer token as a factory's and answers; `route` is the matched pattern.
ApiResponse handle(ApiDeps& deps, const ApiRequest& request);

}  // namespace erp::daemon::api::factory_routes
