#pragma once
// Unwraps a TOP JSON answer: `<method minus taobao., dots to underscores>_response` or `error_response`.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "erp/host.hpp"
#include "erp/result.hpp"
#include "plugins/top/top_errors.hpp"

namespace erp::plugins::top {

/// "taobao.trade.fullinfo.get" -> "trade_fullinfo_get_response".
std::string response_root(std::string_view method);

/// The object under the success root. Errors: error_response classified (and copied to
/// `top_error` when given), unparseable or truncated bodies and 5xx as transient.
sdk::Result<nlohmann::json> unwrap_response(std::string_view method, const sdk::HttpResponse& response,
                                            TopError* top_error = nullptr);

}  // namespace erp::plugins::top
