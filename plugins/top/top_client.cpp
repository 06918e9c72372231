#include "plugins/top/top_client.hpp"

#include "plugins/top/top_config.hpp"
#include "plugins/top/top_response.hpp"

namespace erp::plugins::top {

sdk::Result<TopCredentials> TopClient::credentials() const {
  TopCredentials out;
  const auto& config = host_.config();
  out.base_url = config.get_or("base_url", "");
  if (out.base_url.empty()) return sdk::fail(sdk::ErrorCode::config_error, "the shop has no base_url");
  out.app_key = config.get_or("app_key", "");
  if (out.app_key.empty()) return sdk::fail(sdk::ErrorCode::config_error, "the shop has no app_key");
  const std::string method = config.get_or("sign_method", "hmac-sha256");
  const auto sign_method = sign_method_from_string(method);
  if (!sign_method) {
    return sdk::fail(sdk::ErrorCode::config_error, "sign_method must be md5, hmac or hmac-sha256");
  }
  out.sign_method = *sign_method;
  auto secret = host_.secrets().get("app_secret");
  if (!secret) return sdk::fail(sdk::ErrorCode::config_error, "the shop has no app_secret");
  out.app_secret = std::move(*secret);
  auto session = host_.secrets().get("session");
  if (!session || session->empty()) {
    return sdk::fail(sdk::ErrorCode::needs_reauth,
                     "the shop has no TOP session; authorize the app for this shop and configure its session");
  }
  out.session = std::move(*session);
  return out;
}

sdk::Result<nlohmann::json> TopClient::call(std::string_view method, std::map<std::string, std::string> params,
                                            TopError* top_error) {
  auto creds = credentials();
  if (!creds) return std::move(creds).error();
  auto request = build_request(method, std::move(params), *creds, host_.clock().now());
  if (!request) return std::move(request).error();
  request->timeout = parse_timeout(host_.config().get_or("timeout", "")).value_or(kDefaultTimeout);
  auto response = host_.http().send(*request);
  if (!response) {
    // The host classified transport failures (timeouts, refused connections) already.
    host_.logger().warn(std::string(method) + ": " + response.error().message);
    return std::move(response).error();
  }
  auto inner = unwrap_response(method, *response, top_error);
  if (!inner) host_.logger().warn(std::string(method) + ": " + inner.error().message);
  return inner;
}

}  // namespace erp::plugins::top
