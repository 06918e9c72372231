#pragma once
// What the routes other systems call with their own signature instead of the API token have in
// common (a platform's push path, a warehouse connector's inbound path): POST only, and the answer
// worded by the plugin that checked the signature.

#include <optional>
#include <string>

#include "api/router.hpp"
#include "erp/adapter.hpp"

namespace erp::daemon::api {

/// 405 with `Allow: POST` for any other method, naming the path as `what` ("push path /push/dy1").
std::optional<ApiResponse> refuse_unless_post(const ApiRequest& request, const std::string& what);

/// The plugin's answer (status, content type, body) as the API's response.
ApiResponse plugin_reply(sdk::PushReply reply);

}  // namespace erp::daemon::api
