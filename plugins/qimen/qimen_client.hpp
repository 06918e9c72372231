#pragma once
// One call from the ERP to the WMS (WAREHOUSE-QIMEN.md §2): POST to the configured URL with the
// signed system parameters in the query string and the payload as the raw body, and the answer's
// flag, code and message read back.

#include <optional>
#include <string>
#include <string_view>

#include "erp/host.hpp"
#include "erp/result.hpp"
#include "plugins/qimen/qimen_config.hpp"
#include "plugins/qimen/qimen_tree.hpp"

namespace erp::plugins::qimen {

/// The full method name: "taobao.qimen." + `short_name` when method_prefix, else `short_name`.
std::string method_name(const QimenConfig& config, std::string_view short_name);

/// The request exactly as it goes out.
sdk::HttpRequest build_request(const QimenConfig& config, std::string_view short_name, const Node& payload,
                               sdk::Instant now);

/// What the WMS answered (the business result; HTTP was 2xx and the body had a flag).
struct QimenAnswer {
  bool success = false;
  std::string code;
  std::string message;
};

/// Reads an answer body, XML (<response>) or JSON ({"response":{..}} or the members at the top),
/// whatever format was asked for. transient when it has no flag of success or failure.
sdk::Result<QimenAnswer> read_answer(std::string_view body);

/// A failure answer that is about the call, not the order: the gateway or WMS refused our
/// signature, app_key or customerId (config_error), throttled us (a code with "limit":
/// rate_limited) or was not up to it ("isp.*", "unavailable", "timeout", "busy": transient).
/// nullopt for a failure about the order itself, the WMS's own word.
std::optional<sdk::Error> failure_of_the_call(const QimenAnswer& answer);

/// Sends the call. Transport failures and timeouts (as the host reports them), HTTP 5xx and 408,
/// and an answer with no readable flag are transient; 429 rate_limited; any other non-2xx status
/// config_error (a wrong URL or a refused app_key is the operator's to fix); a failure answer
/// about the call (failure_of_the_call) that error. Otherwise the answer, success or failure.
sdk::Result<QimenAnswer> call(sdk::HttpClient& http, const QimenConfig& config, std::string_view short_name,
                              const Node& payload, sdk::Instant now);

}  // namespace erp::plugins::qimen
