#pragma once
// Builds one signed TOP call: system parameters (PLATFORMS.md §1.2) plus the business ones, all in
// an application/x-www-form-urlencoded POST body (the signature covers both, so placement does not matter).

#include <map>
#include <string>
#include <string_view>

#include "erp/host.hpp"
#include "erp/result.hpp"
#include "plugins/top/top_sign.hpp"

namespace erp::plugins::top {

/// What a shop needs to call TOP. Held only for the duration of one call.
struct TopCredentials {
  std::string base_url;
  std::string app_key;
  std::string app_secret;
  std::string session;
  SignMethod sign_method = SignMethod::hmac_sha256;
};

/// Every parameter of the call, system ones included, with `sign` set.
std::map<std::string, std::string> signed_params(std::string_view method, std::map<std::string, std::string> business,
                                                 const TopCredentials& credentials, sdk::Instant now);

/// The HTTP request for the host to send; internal error only if OpenSSL could not sign.
sdk::Result<sdk::HttpRequest> build_request(std::string_view method, std::map<std::string, std::string> business,
                                            const TopCredentials& credentials, sdk::Instant now);

}  // namespace erp::plugins::top
