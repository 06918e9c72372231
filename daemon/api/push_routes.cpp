#include "api/push_routes.hpp"

#include <spdlog/spdlog.h>

#include "api/http_util.hpp"

namespace erp::daemon::api::push_routes {

ApiResponse handle_push(ApiDeps& deps, const ApiRequest& request, const std::string& path) {
  if (request.method != "POST") {
    ApiResponse r = json_response(
        405,
        error_json("method_not_allowed", request.method + " is not allowed on push path " + path + " (allowed: POST)"));
    r.headers.emplace_back("Allow", "POST");
    return r;
  }
  try {
    sdk::PushRequest push{request.headers, request.body};
    sdk::PushReply reply = deps.push(path, push);
    ApiResponse r;
    r.status = reply.status;
    r.content_type = std::move(reply.content_type);
    r.body = std::move(reply.body);
    return r;
  } catch (const std::exception& e) {
    // The platform does not send a push again (rule D11): the shop's sync will read what it missed.
    spdlog::error("api: push on {} could not be taken over: {}", path, e.what());
    return json_response(500, error_json("internal", std::string("the push could not be taken over: ") + e.what()));
  }
}

}  // namespace erp::daemon::api::push_routes
