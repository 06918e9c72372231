#pragma once
// One Douyin open-platform call through the host (PLATFORMS.md §3.1-3.3): canonical param_json as
// the body, signed query parameters, both answer envelopes unwrapped and classified. An expired
// access_token is refreshed once with token.refresh and the call repeated with the new token.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "erp/host.hpp"
#include "erp/result.hpp"
#include "plugins/douyin/douyin_errors.hpp"
#include "plugins/douyin/douyin_tokens.hpp"

namespace erp::plugins::douyin {

class DouyinClient {
 public:
  explicit DouyinClient(sdk::HostContext& host) : host_(host), tokens_(host) {}

  /// The answer's `data` (an empty object when it has none). `douyin_error` (optional) receives
  /// the raw code and sub_code of a refusal, for callers that branch on a business number.
  sdk::Result<nlohmann::json> call(std::string_view method, const nlohmann::json& params,
                                   DouyinError* douyin_error = nullptr);

 private:
  /// One attempt; `access_token` empty for token.* methods.
  sdk::Result<nlohmann::json> send(std::string_view method, const nlohmann::json& params,
                                   const std::string& access_token, DouyinError* douyin_error);
  sdk::Result<TokenPair> refresh_call(const std::string& refresh_token);

  sdk::HostContext& host_;
  DouyinTokens tokens_;
};

/// The gateway path of a method: "order.searchList" -> "/order/searchList".
std::string method_path(std::string_view method);

}  // namespace erp::plugins::douyin
