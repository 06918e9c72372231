#include "plugins/qimen/qimen_client.hpp"

#include "plugins/qimen/qimen_sign.hpp"
#include "plugins/qimen/qimen_text.hpp"
#include "plugins/qimen/qimen_time.hpp"

namespace erp::plugins::qimen {

using sdk::ErrorCode;
using sdk::fail;

std::string method_name(const QimenConfig& config, std::string_view short_name) {
  std::string out = config.method_prefix ? "taobao.qimen." : "";
  out += short_name;
  return out;
}

sdk::HttpRequest build_request(const QimenConfig& config, std::string_view short_name, const Node& payload,
                               sdk::Instant now) {
  sdk::HttpRequest request;
  request.method = "POST";
  request.body = write_body(payload, config.format);
  Params params{{"method", method_name(config, short_name)},
                {"timestamp", format_china_time(now)},
                {"format", config.format == Format::xml ? "xml" : "json"},
                {"app_key", config.app_key},
                {"v", config.version},
                {"sign_method", std::string(to_string(config.sign_method))},
                {"customerId", config.customer_id}};
  params.emplace_back("sign", sign(params, request.body, config.app_secret, config.sign_method));
  // A URL that already has a query keeps it; those parameters are the WMS's own and not signed.
  request.url = config.url;
  request.url += config.url.find('?') == std::string::npos ? '?' : '&';
  request.url += build_query(params);
  request.headers.emplace_back(
      "Content-Type", config.format == Format::xml ? "text/xml;charset=utf-8" : "application/json;charset=utf-8");
  request.timeout = config.timeout;
  return request;
}

sdk::Result<QimenAnswer> read_answer(std::string_view body) {
  const auto format = sniff_format(body);
  if (!format) return fail(ErrorCode::transient, "the WMS's answer is neither XML nor JSON: " + excerpt(body, 80));
  auto tree = read_body(body, *format);
  if (!tree) return fail(ErrorCode::transient, "the WMS's answer is unreadable: " + tree.error().message);
  const Node& root = *tree;
  // XML: <response><flag>..; JSON: the envelope is already off, or the members are at the top.
  const std::string flag = root.value("flag");
  QimenAnswer answer;
  if (iequals(flag, "success")) {
    answer.success = true;
  } else if (iequals(flag, "failure")) {
    answer.success = false;
  } else {
    return fail(ErrorCode::transient, flag.empty() ? std::string("the WMS's answer has no flag")
                                                   : "the WMS's answer has the flag \"" + excerpt(flag, 40) + "\"");
  }
  answer.code = root.value("code");
  answer.message = root.value("message");
  return answer;
}

sdk::Result<QimenAnswer> call(sdk::HttpClient& http, const QimenConfig& config, std::string_view short_name,
                              const Node& payload, sdk::Instant now) {
  const sdk::HttpRequest request = build_request(config, short_name, payload, now);
  auto response = http.send(request);
  const std::string what = method_name(config, short_name);
  if (!response) {
    sdk::Error error = std::move(response).error();
    error.message = what + ": " + error.message;
    return error;
  }
  const int status = response->status;
  if (status >= 500 || status == 408) {
    return fail(ErrorCode::transient, what + ": the WMS answered HTTP " + std::to_string(status));
  }
  if (status == 429) return fail(ErrorCode::rate_limited, what + ": the WMS answered HTTP 429");
  if (status < 200 || status > 299) {
    return fail(ErrorCode::config_error,
                what + ": the WMS answered HTTP " + std::to_string(status) + " (check url, app_key and app_secret)");
  }
  auto answer = read_answer(response->body);
  if (!answer) {
    sdk::Error error = std::move(answer).error();
    error.message = what + ": " + error.message;
    return error;
  }
  if (!answer->success) {
    if (auto not_about_the_order = failure_of_the_call(*answer)) {
      not_about_the_order->message = what + ": " + not_about_the_order->message;
      return *not_about_the_order;
    }
  }
  return answer;
}

std::optional<sdk::Error> failure_of_the_call(const QimenAnswer& answer) {
  const std::string code = upper(answer.code);
  const auto has = [&](std::string_view part) { return code.find(part) != std::string::npos; };
  const std::string said = "the WMS answered " + answer.code + (answer.message.empty() ? "" : ": " + answer.message);
  if (has("SIGN-CHECK") || has("INVALID-APP-KEY") || has("INVALID-CUSTOMERID") || has("INVALID-SIGNATURE")) {
    return sdk::Error::make(ErrorCode::config_error, said + " (check app_key, app_secret and customer_id)");
  }
  if (has("LIMIT")) return sdk::Error::make(ErrorCode::rate_limited, said);
  if (code.starts_with("ISP.") || has("UNAVAILABLE") || has("TIMEOUT") || has("BUSY")) {
    return sdk::Error::make(ErrorCode::transient, said);
  }
  return std::nullopt;
}

}  // namespace erp::plugins::qimen
