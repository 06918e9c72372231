#include "plugins/douyin/douyin_client.hpp"

#include <chrono>

#include "plugins/common/percent_encode.hpp"
#include "plugins/common/timeout_option.hpp"
#include "plugins/douyin/douyin_config.hpp"
#include "plugins/douyin/douyin_sign.hpp"

namespace erp::plugins::douyin {
namespace {

using nlohmann::json;
using sdk::ErrorCode;

struct Credentials {
  std::string base_url;
  std::string app_key;
  std::string app_secret;
  SignMethod sign_method = SignMethod::hmac_sha256;
};

sdk::Result<Credentials> credentials(const sdk::HostContext& host) {
  Credentials out;
  out.base_url = host.config().get_or("base_url", "");
  if (out.base_url.empty()) return sdk::fail(ErrorCode::config_error, "the shop has no base_url");
  while (!out.base_url.empty() && out.base_url.back() == '/') out.base_url.pop_back();
  out.app_key = host.config().get_or("app_key", "");
  if (out.app_key.empty()) return sdk::fail(ErrorCode::config_error, "the shop has no app_key");
  const auto method = sign_method_from_string(host.config().get_or("sign_method", "hmac-sha256"));
  if (!method) return sdk::fail(ErrorCode::config_error, "sign_method must be hmac-sha256 or md5");
  out.sign_method = *method;
  auto secret = host.secrets().get("app_secret");
  if (!secret || secret->empty()) return sdk::fail(ErrorCode::config_error, "the shop has no app_secret");
  out.app_secret = std::move(*secret);
  return out;
}

bool is_token_method(std::string_view method) { return method.substr(0, 6) == "token."; }

}  // namespace

std::string method_path(std::string_view method) {
  std::string path = "/";
  for (const char c : method) path += c == '.' ? '/' : c;
  return path;
}

sdk::Result<json> DouyinClient::send(std::string_view method, const json& params, const std::string& access_token,
                                     DouyinError* douyin_error) {
  auto creds = credentials(host_);
  if (!creds) return std::move(creds).error();
  auto body = canonical_param_json(params);
  if (!body) return std::move(body).error();
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(host_.clock().now().time_since_epoch()).count();
  const std::string timestamp = std::to_string(seconds);
  const std::string signature =
      sign(SignedFields{creds->app_key, method, *body, timestamp}, creds->app_secret, creds->sign_method);
  if (signature.empty()) return sdk::fail(ErrorCode::internal, "OpenSSL could not sign the request");

  sdk::HttpRequest request;
  request.method = "POST";
  request.url = creds->base_url + method_path(method) + "?app_key=" + percent_encode(creds->app_key) +
                "&method=" + percent_encode(method) + "&v=2&timestamp=" + timestamp + "&sign=" + signature +
                "&sign_method=" + std::string(sign_method_name(creds->sign_method));
  if (!access_token.empty()) request.url += "&access_token=" + percent_encode(access_token);
  request.headers = {{"Content-Type", "application/json;charset=utf-8"}, {"x-open-no-old-err-code", "1"}};
  request.body = std::move(*body);
  request.timeout = parse_timeout(host_.config().get_or("timeout", "")).value_or(kDefaultTimeout);

  auto response = host_.http().send(request);
  if (!response) return std::move(response).error();  // the host classified the transport failure
  const json answer = json::parse(response->body, nullptr, false);
  if (!answer.is_object()) {
    if (response->status >= 500 || response->status == 429) {
      return sdk::fail(ErrorCode::transient, std::string(method) + ": HTTP " + std::to_string(response->status) +
                                                 " without a Douyin answer");
    }
    // A cut-off body (the connection dropped mid-answer) reads like this too: the outcome is unknown.
    return sdk::fail(ErrorCode::transient, std::string(method) + ": the answer is not a JSON object (HTTP " +
                                               std::to_string(response->status) + ")");
  }
  if (auto error = read_error(answer)) {
    if (douyin_error != nullptr) *douyin_error = *error;
    auto classified = classify_douyin_error(*error);
    classified.message = std::string(method) + ": " + classified.message;
    return classified;
  }
  const auto data = answer.find("data");
  if (data == answer.end() || data->is_null()) return json::object();
  return *data;
}

sdk::Result<TokenPair> DouyinClient::refresh_call(const std::string& refresh_token) {
  auto data = send("token.refresh", json{{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}}, "",
                   nullptr);
  if (!data) return std::move(data).error();
  TokenPair pair;
  if (data->is_object()) {
    pair.access_token = data->value("access_token", "");
    pair.refresh_token = data->value("refresh_token", "");
  }
  return pair;
}

sdk::Result<json> DouyinClient::call(std::string_view method, const json& params, DouyinError* douyin_error) {
  std::string token;
  if (!is_token_method(method)) {
    auto current = tokens_.access_token();
    if (!current) return std::move(current).error();
    token = std::move(*current);
  }
  auto answer = send(method, params, token, douyin_error);
  if (answer || answer.error().code != ErrorCode::auth_expired || token.empty()) {
    if (!answer) host_.logger().warn(answer.error().message);
    return answer;
  }
  // 40003 isv.access-token-expired: refresh once, then repeat the call with the new token. The
  // expired call did nothing on the platform, so repeating it cannot do anything twice.
  auto refreshed = tokens_.refresh(token, [this](const std::string& refresh) { return refresh_call(refresh); });
  if (!refreshed) {
    host_.logger().warn("token.refresh failed: " + refreshed.error().message);
    auto error = refreshed.error();
    if (error.code == ErrorCode::auth_expired) error.code = ErrorCode::needs_reauth;
    error.retryable = sdk::is_retryable(error.code);
    return error;
  }
  auto current = tokens_.access_token();
  if (!current) return std::move(current).error();
  answer = send(method, params, *current, douyin_error);
  if (!answer) host_.logger().warn(answer.error().message);
  return answer;
}

}  // namespace erp::plugins::douyin
