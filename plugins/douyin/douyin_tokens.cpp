#include "plugins/douyin/douyin_tokens.hpp"

#include <nlohmann/json.hpp>

#include "plugins/common/digest.hpp"

namespace erp::plugins::douyin {
namespace {

using sdk::ErrorCode;

constexpr const char* kStateKey = "douyin.tokens";

/// What the stored pair was refreshed from, without keeping the configured token itself.
std::string fingerprint(const std::string& configured) {
  return digest_hex(Digest::sha256, "erpd douyin token " + configured, HexCase::lower);
}

std::string secret_or_empty(const sdk::HostContext& host, const char* name) {
  auto value = host.secrets().get(name);
  return value ? *value : std::string();
}

}  // namespace

sdk::Result<TokenPair> DouyinTokens::current() {
  if (pair_) return *pair_;
  TokenPair configured{secret_or_empty(host_, "access_token"), secret_or_empty(host_, "refresh_token")};
  auto stored = host_.state().get(kStateKey);
  if (!stored) return std::move(stored).error();
  if (*stored) {
    const auto saved = nlohmann::json::parse(**stored, nullptr, false);
    if (saved.is_object() && saved.value("replaces", "") == fingerprint(configured.access_token)) {
      TokenPair pair{saved.value("access_token", ""), saved.value("refresh_token", "")};
      if (!pair.access_token.empty()) return *(pair_ = std::move(pair));
    }
  }
  return *(pair_ = std::move(configured));
}

sdk::Result<std::string> DouyinTokens::access_token() {
  std::lock_guard lock(mutex_);
  auto pair = current();
  if (!pair) return std::move(pair).error();
  if (pair->access_token.empty()) {
    return sdk::fail(ErrorCode::needs_reauth,
                     "the shop has no Douyin access_token; authorize the app for this shop and configure "
                     "access_token and refresh_token");
  }
  return std::move(pair->access_token);
}

sdk::Result<void> DouyinTokens::refresh(const std::string& expired, const RefreshCall& call) {
  std::lock_guard lock(mutex_);
  auto pair = current();
  if (!pair) return std::move(pair).error();
  if (pair->access_token != expired) return {};  // another call refreshed it meanwhile
  if (pair->refresh_token.empty()) {
    return sdk::fail(ErrorCode::needs_reauth,
                     "the Douyin access_token expired and no refresh_token is configured; re-authorize the "
                     "shop or configure options.refresh_token");
  }
  auto fresh = call(pair->refresh_token);
  if (!fresh) return std::move(fresh).error();
  if (fresh->access_token.empty() || fresh->refresh_token.empty()) {
    return sdk::fail(ErrorCode::transient, "token.refresh answered without a new token pair");
  }
  const nlohmann::json saved{{"access_token", fresh->access_token},
                             {"refresh_token", fresh->refresh_token},
                             {"replaces", fingerprint(secret_or_empty(host_, "access_token"))}};
  // Written before use: the old pair is already dead on the platform's side. Kept in memory even
  // if storing fails, so this process goes on working until it restarts.
  pair_ = *fresh;
  auto put = host_.state().put(kStateKey, saved.dump(), /*secret=*/true);
  if (!put) {
    host_.logger().error("token.refresh succeeded but the new tokens could not be stored: " + put.error().message);
    return put;
  }

  host_.logger().info("access_token refreshed with token.refresh; the new pair is stored");
  return {};
}

}  // namespace erp::plugins::douyin
