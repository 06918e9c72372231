#include "top/top_gateway.hpp"

#include <limits>
#include <nlohmann/json.hpp>

namespace erp::sim::top {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::map<std::string, std::string>> collect_params(const Request& request) {
  std::map<std::string, std::string> params;
  std::size_t bytes = request.body.size();
  for (const auto& [name, value] : request.query) bytes += name.size() + value.size();
  if (bytes > kMaxRequestBytes || request.query.size() > kMaxParams) return std::nullopt;
  for (const auto& [name, value] : request.query) params.emplace(name, value);

  // The official SDKs send business parameters as a form body (PLATFORMS.md 1.1). Other bodies
  // (JSON, multipart) carry no parameters the gateway reads.
  std::string content_type;
  if (const auto it = request.headers.find("content-type"); it != request.headers.end()) {
    content_type = lower(it->second);
  }
  const bool form = content_type.empty() || content_type.find("application/x-www-form-urlencoded") != std::string::npos;
  if (form && !request.body.empty()) {
    std::string_view body = request.body;
    std::size_t count = request.query.size();
    std::size_t start = 0;
    while (start <= body.size()) {
      std::size_t end = body.find('&', start);
      if (end == std::string_view::npos) end = body.size();
      const std::string_view pair = body.substr(start, end - start);
      if (!pair.empty()) {
        if (++count > kMaxParams) return std::nullopt;
        const std::size_t eq = pair.find('=');
        std::string name = form_decode(pair.substr(0, eq));
        std::string value = eq == std::string_view::npos ? std::string() : form_decode(pair.substr(eq + 1));
        params.emplace(std::move(name), std::move(value));
      }
      start = end + 1;
    }
  }
  return params;
}

Response render_error(const TopError& error, const std::string& request_id) {
  nlohmann::json body = {{"code", error.code}, {"msg", error.msg}};
  if (!error.sub_code.empty()) body["sub_code"] = error.sub_code;
  if (!error.sub_msg.empty()) body["sub_msg"] = error.sub_msg;
  body["request_id"] = request_id;
  Response response;
  // TOP answers errors with HTTP 200; the error is in the body.
  response.body = nlohmann::json{{"error_response", std::move(body)}}.dump(-1, ' ', false,
                                                                           nlohmann::json::error_handler_t::replace);
  return response;
}

// Codes and texts: PLATFORMS.md 1.4, the official table ("7 App Call Limited", "21 Missing Method",
// "22 Invalid Method", "25 Invalid Signature", "27 Invalid Session", "31 Invalid Timestamp",
// "40 Missing Required Arguments", "41 Invalid Arguments", ...).
TopError missing_method() { return {21, "Missing Method", "", ""}; }
TopError invalid_method(const std::string& method) {
  return {22, "Invalid Method", "isv.invalid-method", "no such method: " + method.substr(0, 100)};
}
TopError http_action_not_allowed(const std::string& verb) {
  return {9, "Http Action Not Allowed", "", "use GET or POST, not " + verb.substr(0, 20)};
}
TopError invalid_format(const std::string& format) {
  return {23, "Invalid Format", "", "platform-sim answers format=json only, not " + format.substr(0, 20)};
}
TopError missing_signature() { return {24, "Missing Signature", "", ""}; }
TopError invalid_signature() { return {25, "Invalid Signature", "", ""}; }
TopError missing_session() { return {26, "Missing Session", "", ""}; }
TopError invalid_session() {
  // sub_code from the test fixtures quoted in PLATFORMS.md 1.4.
  return {27, "Invalid session", "sessionkey-not-generated-by-server", "RealSession don't belong app and user !"};
}
TopError expired_session() {
  // PLATFORMS.md 1.4 [I]: "invalid-sessionkey"-style sub_codes; clients treat 26/27 as re-authorize.
  return {27, "Invalid session", "invalid-sessionkey", "session expired"};
}
TopError missing_app_key() { return {28, "Missing App Key", "", ""}; }
TopError invalid_app_key() { return {29, "Invalid App Key", "", ""}; }
TopError missing_timestamp() { return {30, "Missing Timestamp", "", ""}; }
TopError invalid_timestamp(const std::string& detail) { return {31, "Invalid Timestamp", "", detail}; }
TopError missing_version() { return {32, "Missing Version", "", ""}; }
TopError invalid_version(const std::string& v) {
  return {33, "Invalid Version", "", "unsupported version: " + v.substr(0, 20)};
}
TopError missing_argument(const std::string& name) {
  return {40, "Missing Required Arguments:" + name, "isv.missing-parameter", "missing required argument: " + name};
}
TopError invalid_argument(const std::string& name, const std::string& detail) {
  return {41, "Invalid Arguments:" + name, "isv.invalid-parameter", detail};
}
TopError app_call_limited(int ban_seconds) {
  return {7, "App Call Limited", "accesscontrol.limited-by-app-access-count",
          "This ban will last for " + std::to_string(ban_seconds) + " more seconds"};
}
TopError service_unavailable() {
  return {10, "Service Currently Unavailable", "isp.top-remote-service-unavailable",
          "platform-sim: injected server error, retry later"};
}
TopError remote_error(const std::string& sub_code, const std::string& sub_msg) {
  return {15, "Remote service error", sub_code, sub_msg};
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const int digit = c - '0';
    if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace erp::sim::top
