#pragma once
// Platform pushes (webhooks, rule D11) on the shops' push paths. No bearer token: the platform
// signs each push and the shop's adapter checks that signature. The daemon's side (which shops,
// dedupe, fetching) sits behind ApiDeps::push.

#include <string>

#include "api/router.hpp"

namespace erp::daemon::api::push_routes {

/// A request on a push path: a POST is handed to `deps.push` and answered with the platform's
/// reply shape; any other method is 405 with `Allow: POST`. Never throws; a failure is a 500
/// JSON error, logged without the body or header values.
ApiResponse handle_push(ApiDeps& deps, const ApiRequest& request, const std::string& path);

}  // namespace erp::daemon::api::push_routes
