#include "plugins/top/top_errors.hpp"

namespace erp::plugins::top {
namespace {

using sdk::ErrorCode;

bool starts_with(std::string_view text, std::string_view prefix) noexcept {
  return text.substr(0, prefix.size()) == prefix;
}

/// "TOP error 25 (sub_code): msg" with the platform's msg cut short; msg is TOP's fixed English
/// label ("Invalid signature"), safe to show, unlike sub_msg.
std::string describe(const TopError& error) {
  std::string out = "TOP error " + std::to_string(error.code);
  if (!error.sub_code.empty()) out += " (" + error.sub_code.substr(0, 120) + ")";
  if (!error.msg.empty()) out += ": " + error.msg.substr(0, 120);
  return out;
}

sdk::Error make(ErrorCode code, std::string message) { return sdk::Error::make(code, std::move(message)); }

}  // namespace

std::optional<std::chrono::seconds> parse_ban_seconds(std::string_view sub_msg) noexcept {
  constexpr std::string_view kLead = "last for ";
  const auto at = sub_msg.find(kLead);
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t i = at + kLead.size();
  long long value = 0;
  std::size_t count = 0;
  for (; i < sub_msg.size() && sub_msg[i] >= '0' && sub_msg[i] <= '9' && count < 9; ++i, ++count) {
    value = value * 10 + (sub_msg[i] - '0');
  }
  if (count == 0) return std::nullopt;
  return std::chrono::seconds{value};
}

sdk::Error classify_top_error(const TopError& error) {
  const std::string& sub = error.sub_code;
  const std::string what = describe(error);

  // Call limits (codes 4-8, accesscontrol.*, isp.call-limited) come first: they are isp-like but
  // must wait for the ban, not back off blindly.
  if ((error.code >= 4 && error.code <= 8) || starts_with(sub, "accesscontrol.") || sub == "isp.call-limited") {
    auto out = make(ErrorCode::rate_limited, what + "; the platform throttled this app");
    out.retry_after = parse_ban_seconds(error.sub_msg).value_or(std::chrono::seconds{1});
    return out;
  }
  // Business answers that the adapter turns into outcomes.
  if (sub == "isv.trade-not-exist" || starts_with(sub, "isv.logistics-offline-service-error:B01")) {
    return make(ErrorCode::not_found, what + "; the trade does not exist for this shop");
  }
  if (starts_with(sub, "isv.logistics-offline-service-error:B04")) {
    return make(ErrorCode::already_shipped, what + "; the lines already shipped or the trade cannot ship");
  }
  switch (error.code) {
    case 26:
    case 27:
      // TOP sessions are not refreshed by this adapter: the merchant must authorize the app again.
      return make(ErrorCode::needs_reauth,
                  what + "; the shop's session is missing or no longer valid; renew it by re-authorizing the app");
    case 25:
      return make(ErrorCode::config_error, what + "; check the shop's app_secret and sign_method");
    case 24:
      return make(ErrorCode::config_error, what + "; the request was not signed; check app_secret and sign_method");
    case 28:
    case 29:
      return make(ErrorCode::config_error, what + "; check the shop's app_key");
    case 11:
    case 12:
    case 13:
      return make(ErrorCode::config_error,
                  what +
                      "; the app lacks permission for this API (check the app's API permission package, IP "
                      "whitelist and the shop's authorization)");
    case 30:
    case 31:
      return make(ErrorCode::config_error,
                  what + "; the server clock is off by more than 10 minutes from TOP's; fix the host's time");
    case 40:
    case 41:
    case 43:
      return make(ErrorCode::invalid_input, what);
    default:
      break;
  }
  // isp.* is the platform's own fault (§1.4): retry later. Code 10 and a bare 15 are the same.
  if (starts_with(sub, "isp.") || error.code == 10 || (error.code == 15 && sub.empty())) {
    return make(ErrorCode::transient, what + "; platform-side failure, retry later");
  }
  if (starts_with(sub, "isv.invalid-parameter") || starts_with(sub, "isv.missing-parameter")) {
    return make(ErrorCode::invalid_input, what);
  }
  if (starts_with(sub, "isv.")) {
    // The platform refused in the trade's current state; the same call cannot succeed as is.
    return make(ErrorCode::conflict, what);
  }
  // 9, 21-23, 32-34 and anything unknown: the adapter built a call TOP does not accept.
  return make(ErrorCode::internal, what);
}

sdk::Error classify_http_status(int status) {
  if (status >= 500) return make(ErrorCode::transient, "TOP answered HTTP " + std::to_string(status));
  if (status == 429) {
    auto out = make(ErrorCode::rate_limited, "TOP answered HTTP 429");
    out.retry_after = std::chrono::seconds{1};
    return out;
  }
  if (status == 404 || status == 401 || status == 403) {
    return make(ErrorCode::config_error,
                "TOP answered HTTP " + std::to_string(status) + " without a TOP error; check the shop's base_url");
  }
  return make(ErrorCode::transient, "TOP answered HTTP " + std::to_string(status) + " without a TOP body");
}

}  // namespace erp::plugins::top
