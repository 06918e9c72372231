#include "api/signed_calls.hpp"

#include "api/http_util.hpp"

namespace erp::daemon::api {

std::optional<ApiResponse> refuse_unless_post(const ApiRequest& request, const std::string& what) {
  if (request.method == "POST") return std::nullopt;
  ApiResponse r = json_response(
      405, error_json("method_not_allowed", request.method + " is not allowed on " + what + " (allowed: POST)"));
  r.headers.emplace_back("Allow", "POST");
  return r;
}

ApiResponse plugin_reply(sdk::PushReply reply) {
  ApiResponse r;
  r.status = reply.status;
  r.content_type = std::move(reply.content_type);
  r.body = std::move(reply.body);
  return r;
}

}  // namespace erp::daemon::api
