#include "plugins/top/top_request.hpp"

#include "plugins/common/percent_encode.hpp"
#include "plugins/top/top_time.hpp"

namespace erp::plugins::top {

std::map<std::string, std::string> signed_params(std::string_view method, std::map<std::string, std::string> business,
                                                 const TopCredentials& credentials, sdk::Instant now) {
  auto params = std::move(business);
  params["method"] = std::string(method);
  params["app_key"] = credentials.app_key;
  // The session must be in the map before signing (PLATFORMS.md §1.3 pitfall: signing first gives code 25).
  params["session"] = credentials.session;
  params["timestamp"] = format_china_time(now);
  params["v"] = "2.0";
  params["format"] = "json";
  params["sign_method"] = std::string(sign_method_name(credentials.sign_method));
  params.erase("sign");
  params["sign"] = sign(params, credentials.app_secret, credentials.sign_method);
  return params;
}

sdk::Result<sdk::HttpRequest> build_request(std::string_view method, std::map<std::string, std::string> business,
                                            const TopCredentials& credentials, sdk::Instant now) {
  const auto params = signed_params(method, std::move(business), credentials, now);
  if (params.at("sign").empty()) {
    return sdk::fail(sdk::ErrorCode::internal, "signing " + std::string(method) + " failed in OpenSSL");
  }
  sdk::HttpRequest request;
  request.method = "POST";
  request.url = credentials.base_url;
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded;charset=utf-8");
  for (const auto& [name, value] : params) {
    // Empty values are not signed (§1.3 step 1), so they are not sent either.
    if (value.empty()) continue;
    if (!request.body.empty()) request.body += '&';
    request.body += percent_encode(name);
    request.body += '=';
    request.body += percent_encode(value);
  }
  return request;
}

}  // namespace erp::plugins::top
