#include "api/push_routes.hpp"

#include <spdlog/spdlog.h>

#include "api/http_util.hpp"
#include "api/signed_calls.hpp"

namespace erp::daemon::api::push_routes {

ApiResponse handle_push(ApiDeps& deps, const ApiRequest& request, const std::string& path) {
  if (auto refused = refuse_unless_post(request, "push path " + path)) return *refused;
  try {
    sdk::PushRequest push{request.headers, request.body};
    return plugin_reply(deps.push(path, push));
  } catch (const std::exception& e) {
    // The platform does not send a push again (rule D11): the shop's sync will read what it missed.
    spdlog::error("api: push on {} could not be taken over: {}", path, e.what());
    return json_response(500, error_json("internal", std::string("the push could not be taken over: ") + e.what()));
  }
}

}  // namespace erp::daemon::api::push_routes
