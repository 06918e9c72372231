#pragma once
// Small pure pieces of HTTP handling: path and query decoding, the bearer check, error bodies.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace erp::daemon::api {

/// Decodes %XX escapes; in a query (`plus_is_space`) '+' stands for a space. nullopt for a
/// broken escape or a decoded NUL byte.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

/// Percent-encodes everything but unreserved characters (RFC 3986), for building paths.
std::string percent_encode(std::string_view text);

/// Splits "/v1/orders/a%2Fb" into decoded segments {"v1", "orders", "a/b"}; a trailing slash
/// is ignored. nullopt when the path does not start with '/', an escape is broken or a segment
/// is empty ("//").
std::optional<std::vector<std::string>> split_path(std::string_view path);

/// "a=1&b=x+y" -> {a: "1", b: "x y"}. A repeated name keeps the last value. nullopt and the
/// offending parameter in `bad` when an escape is broken.
std::optional<std::map<std::string, std::string>> parse_query(std::string_view query, std::string& bad);

/// Compares in time that depends only on the lengths, so a caller cannot guess the token byte
/// by byte from response times.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// The token of an "Authorization: Bearer <token>" header value ("bearer" in any case);
/// nullopt for any other scheme.
std::optional<std::string_view> bearer_token(std::string_view authorization) noexcept;

/// Any JSON request body; std::invalid_argument saying what is wrong when it is not JSON.
nlohmann::json parse_json_body(const std::string& body);

/// A request body that must be a JSON object with only `known` fields; std::invalid_argument
/// with what is wrong (empty, not JSON, not an object, an unknown field) otherwise.
nlohmann::json parse_json_object(const std::string& body, const std::set<std::string>& known);

/// A decimal integer from min to max, the whole of `text`; nullopt otherwise.
std::optional<std::int64_t> parse_bounded_int(std::string_view text, std::int64_t min, std::int64_t max) noexcept;

/// `text` without leading and trailing blanks.
std::string trimmed(const std::string& text);

/// Who acts, as a request names them (`by`): trimmed, "api" when empty, at most 64 characters
/// and no control characters (it ends up in hold owners and event actors); std::invalid_argument
/// naming `field` otherwise.
std::string operator_name(const std::string& by, const char* field);

/// {"error": {"code": code, "message": message}}
nlohmann::json error_json(std::string_view code, std::string_view message);

/// JSON text for a response body: invalid UTF-8 from a platform is replaced, never thrown on.
std::string dump_json(const nlohmann::json& json);

}  // namespace erp::daemon::api
