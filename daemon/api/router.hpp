#pragma once
// Request -> response for every API route, independent of the HTTP transport: the Server parses
// HTTP with Beast and hands each request here. Thread-safe (the Store locks internally).

#include <mutex>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "api/server.hpp"
#include "config/config.hpp"

namespace erp::daemon::api {

struct ApiRequest {
  std::string method;         ///< "GET", "POST", ...
  std::string target;         ///< Raw request target: path and query, still percent-encoded.
  std::string authorization;  ///< The Authorization header, empty when absent.
  std::string body;
  /// Every header as received, names in lower case (a push's signature is in one).
  std::vector<std::pair<std::string, std::string>> headers;
};

struct ApiResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  ///< Extra headers (Allow, WWW-Authenticate, Location).
  std::string route;  ///< The matched route pattern (the metrics label), "other" when none.
};

/// A JSON answer with this status (route handlers outside router.cpp use it too).
ApiResponse json_response(unsigned status, const nlohmann::json& body);

/// The metric every request is counted in, labelled by route pattern and status code.
inline constexpr const char* kRequestsMetric = "erpd_api_requests_total";

class Router {
 public:
  Router(ApiDeps deps, std::string token);

  /// Handles one request, counts it in erpd_api_requests_total, never throws.
  ApiResponse handle(const ApiRequest& request);

  /// An error response for requests that never reached routing (malformed HTTP, body too large),
  /// counted under route "none".
  ApiResponse transport_error(unsigned status, std::string_view code, std::string_view message);

  void set_token(std::string token);

 private:
  ApiResponse dispatch(const ApiRequest& request);
  void count(const ApiResponse& response);
  bool authorized(std::string_view authorization);
  /// The configured factory whose token this is, if any (rule D5).
  std::optional<config::FactoryConfig> factory_of(std::string_view authorization);

  ApiDeps deps_;
  std::mutex token_mutex_;
  std::string token_;
};

}  // namespace erp::daemon::api
