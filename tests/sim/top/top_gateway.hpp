#pragma once
// Request plumbing of the TOP gateway: collecting the parameters from the query and the
// form-encoded body, and TOP's error_response (PLATFORMS.md 1.4).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/module.hpp"

namespace erp::sim::top {

/// Limits on what one request may carry; anything beyond is answered with code 41.
inline constexpr std::size_t kMaxRequestBytes = 1 << 20;
inline constexpr std::size_t kMaxParams = 512;

/// Decodes application/x-www-form-urlencoded text ('+' is a space; a broken %-escape stays as written).
std::string form_decode(std::string_view text);

/// The request's parameters: query first, then a form-encoded body. A name given twice keeps its
/// first value. nullopt when the request is larger than the limits above.
std::optional<std::map<std::string, std::string>> collect_params(const Request& request);

/// One TOP error. `code` is TOP's platform code (< 100), `msg` its fixed text.
struct TopError {
  int code = 0;
  std::string msg;
  std::string sub_code;
  std::string sub_msg;
};

/// {"error_response":{"code":..,"msg":..,"sub_code":..,"sub_msg":..,"request_id":..}}
Response render_error(const TopError& error, const std::string& request_id);

/// The platform errors of PLATFORMS.md 1.4 the gateway answers.
TopError missing_method();
TopError invalid_method(const std::string& method);
TopError http_action_not_allowed(const std::string& verb);
TopError invalid_format(const std::string& format);
TopError missing_signature();
TopError invalid_signature();
TopError missing_session();
TopError invalid_session();
TopError expired_session();
TopError missing_app_key();
TopError invalid_app_key();
TopError missing_timestamp();
TopError invalid_timestamp(const std::string& detail);
TopError missing_version();
TopError invalid_version(const std::string& v);
TopError missing_argument(const std::string& name);
TopError invalid_argument(const std::string& name, const std::string& detail);
TopError app_call_limited(int ban_seconds);
TopError service_unavailable();
TopError remote_error(const std::string& sub_code, const std::string& sub_msg);

/// Parses a decimal integer parameter; nullopt for anything else (signs, spaces, overflow).
std::optional<std::int64_t> parse_int(std::string_view text);

}  // namespace erp::sim::top
