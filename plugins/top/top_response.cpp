#include "plugins/top/top_response.hpp"

#include "plugins/common/json_fields.hpp"

namespace erp::plugins::top {
namespace {

long code_of(const nlohmann::json& value) {
  if (value.is_number_integer()) return value.get<long>();
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    long out = 0;
    for (const char c : text) {
      if (c < '0' || c > '9' || out > 1000000) return 0;
      out = out * 10 + (c - '0');
    }
    return out;
  }
  return 0;
}

}  // namespace

std::string response_root(std::string_view method) {
  constexpr std::string_view kPrefix = "taobao.";
  if (method.substr(0, kPrefix.size()) == kPrefix) method.remove_prefix(kPrefix.size());
  std::string out(method);
  for (auto& c : out) {
    if (c == '.') c = '_';
  }
  return out + "_response";
}

sdk::Result<nlohmann::json> unwrap_response(std::string_view method, const sdk::HttpResponse& response,
                                            TopError* top_error) {
  auto parsed = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    // A cut-off body means the call may or may not have taken effect: transient, and callers that
    // change state read back before retrying.
    if (response.status >= 300) return classify_http_status(response.status);
    return sdk::fail(sdk::ErrorCode::transient, "TOP answer to " + std::string(method) +
                                                    " was truncated or not JSON (HTTP " +
                                                    std::to_string(response.status) + ")");
  }
  if (const auto it = parsed.find("error_response"); it != parsed.end() && it->is_object()) {
    TopError error;
    error.code = it->contains("code") ? code_of((*it)["code"]) : 0;
    error.msg = text_field(*it, "msg");
    error.sub_code = text_field(*it, "sub_code");
    error.sub_msg = text_field(*it, "sub_msg");
    if (top_error != nullptr) *top_error = error;
    auto classified = classify_top_error(error);
    // A 5xx wrapped around a TOP error of an otherwise final class is still the platform's fault.
    if (response.status >= 500 && !classified.retryable) return classify_http_status(response.status);
    return classified;
  }
  if (response.status >= 300) return classify_http_status(response.status);
  const auto root = parsed.find(response_root(method));
  if (root == parsed.end() || !root->is_object()) {
    return sdk::fail(sdk::ErrorCode::transient, "TOP answer to " + std::string(method) + " has neither " +
                                                    response_root(method) + " nor error_response");
  }
  return std::move(*root);
}

}  // namespace erp::plugins::top
