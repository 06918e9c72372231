#pragma once
// One TOP call through the host: read the shop's credentials, sign, send with HostContext::http(),
// unwrap and classify. Credentials are read per call so a rotated secret takes effect at once.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "erp/host.hpp"
#include "erp/result.hpp"
#include "plugins/top/top_errors.hpp"
#include "plugins/top/top_request.hpp"

namespace erp::plugins::top {

class TopClient {
 public:
  explicit TopClient(sdk::HostContext& host) : host_(host) {}

  /// The object under the method's `_response` root. `top_error` (optional) receives the raw
  /// error_response fields when there was one, for callers that branch on a sub_code.
  sdk::Result<nlohmann::json> call(std::string_view method, std::map<std::string, std::string> params,
                                   TopError* top_error = nullptr);

 private:
  sdk::Result<TopCredentials> credentials() const;

  sdk::HostContext& host_;
};

}  // namespace erp::plugins::top
