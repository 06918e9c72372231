#include "plugins/douyin/douyin_errors.hpp"

#include <chrono>
#include <string_view>

namespace erp::plugins::douyin {
namespace {

using sdk::ErrorCode;

constexpr long kSuccess = 10000;

std::string named(const DouyinError& e) {
  std::string text = "Douyin code " + std::to_string(e.code);
  if (!e.sub_code.empty()) text += " (" + e.sub_code + ")";
  return text;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

std::string text_field(const nlohmann::json& answer, const char* name) {
  const auto it = answer.find(name);
  return it != answer.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::optional<DouyinError> read_error(const nlohmann::json& answer) {
  if (!answer.is_object()) return DouyinError{-1, "", "", "", nullptr};
  DouyinError error;
  if (const auto code = answer.find("code"); code != answer.end() && code->is_number_integer()) {
    error.code = code->get<long>();
    if (error.code == kSuccess) return std::nullopt;
    error.sub_code = text_field(answer, "sub_code");
    error.msg = text_field(answer, "msg");
    error.sub_msg = text_field(answer, "sub_msg");
    if (const auto data = answer.find("data"); data != answer.end() && !data->is_null()) error.data = *data;
    return error;
  }
  if (const auto err_no = answer.find("err_no"); err_no != answer.end() && err_no->is_number_integer()) {
    error.code = err_no->get<long>();
    if (error.code == 0) return std::nullopt;
    error.msg = text_field(answer, "message");
    if (const auto data = answer.find("data"); data != answer.end() && !data->is_null()) error.data = *data;
    return error;
  }
  return DouyinError{-1, "", "", "", nullptr};
}

sdk::Error classify_douyin_error(const DouyinError& e) {
  const std::string_view sub = e.sub_code;
  const std::string what = named(e);

  if (e.code == 60000 || sub == "isv.traffic-limited") {
    // Douyin states no ban length; its quotas are per second (PLATFORMS.md §3.3), so a second's
    // wait is what the host should take instead of its default minute.
    auto limited = sdk::fail(ErrorCode::rate_limited, what + ": too many requests; slowing down");
    limited.retry_after = std::chrono::seconds{1};
    return limited;
  }
  if (sub == "isv.access-token-expired") {
    return sdk::fail(ErrorCode::auth_expired, what + ": the access token expired; refreshing it");
  }
  if (sub == "isv.access-token-no-existed" || sub == "isv.access-token-invalid" ||
      sub == "dop.authorization-no-existed" || sub == "dop.authorization-closed" ||
      starts_with(sub, "dop.token-generate-failed:token-")) {
    return sdk::fail(ErrorCode::needs_reauth,
                     what + ": the shop's authorization is gone; the merchant must authorize the app again");
  }
  if (sub == "isv.signature-invalid") {
    return sdk::fail(ErrorCode::config_error,
                     what + ": the signature was refused; check the shop's app_secret (and sign_method) in the config");
  }
  if (sub == "isv.app-id-invalid" || sub == "isv.app-id-expired") {
    return sdk::fail(ErrorCode::config_error, what + ": the app key was refused; check the shop's app_key in the config");
  }
  if (e.code == 30002 || sub == "isv.invalid_ip") {
    return sdk::fail(ErrorCode::config_error,
                     what + ": this server's IP address is not on the app's whitelist in the Douyin console");
  }
  if (e.code == 30001) {
    return sdk::fail(ErrorCode::config_error,
                     what + ": the app has no permission for this API; grant it in the Douyin console");
  }
  if (sub == "isv.timestamp-invalid") {
    return sdk::fail(ErrorCode::config_error, what + ": the request time was refused; check this server's clock");
  }
  if (e.code == 70000) return sdk::fail(ErrorCode::unsupported, what + ": the platform has taken this API offline");
  if (e.code == 20000 || e.code == 90000 || starts_with(sub, "isp.") || e.code == -1) {
    return sdk::fail(ErrorCode::transient, e.code == -1 ? std::string("Douyin answered without a code or err_no")
                                                        : what + ": the platform failed; retrying");
  }
  if (e.code == 10001 || e.code == 50001 || e.code == 50002) {
    return sdk::fail(ErrorCode::conflict, what + ": the platform refused the operation");
  }
  return sdk::fail(ErrorCode::invalid_input, what + ": the platform refused the request's parameters");
}

}  // namespace erp::plugins::douyin
