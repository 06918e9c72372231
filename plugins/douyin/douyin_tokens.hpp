#pragma once
// The shop's access_token / refresh_token pair. token.refresh replaces both and the old pair stops
// working at once (PLATFORMS.md §3.3), so the new pair is written to the host's durable state
// before it is used: a restart must not fall back to the configured, now dead, token.
//
// The configured pair still wins when the operator changes it (a re-authorization): the stored
// pair remembers a digest of the configured access_token it replaced, and is ignored once the
// configuration names a different one.

#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "erp/host.hpp"
#include "erp/result.hpp"

namespace erp::plugins::douyin {

struct TokenPair {
  std::string access_token;
  std::string refresh_token;
};

/// Calls token.refresh with a refresh_token and returns the new pair.
using RefreshCall = std::function<sdk::Result<TokenPair>(const std::string& refresh_token)>;

class DouyinTokens {
 public:
  explicit DouyinTokens(sdk::HostContext& host) : host_(host) {}

  /// The access_token to sign with now; needs_reauth when the shop has none.
  sdk::Result<std::string> access_token();

  /// Replaces `expired` (the token a call was refused with) by a refreshed pair. When another
  /// thread already replaced it, returns at once: one expiry costs one token.refresh.
  sdk::Result<void> refresh(const std::string& expired, const RefreshCall& call);

 private:
  /// The pair in force: the stored one, unless the configuration changed under it. Read from
  /// the host's state once, then kept: every call signs with it, and only refresh() changes it
  /// (a changed configuration makes a new adapter, and so a new DouyinTokens).
  sdk::Result<TokenPair> current();

  sdk::HostContext& host_;
  std::mutex mutex_;
  std::optional<TokenPair> pair_;  ///< Guarded by mutex_.
};

}  // namespace erp::plugins::douyin
