#pragma once
// The options the Douyin plugin accepts beyond the daemon's common shop keys (base_url, app_key,
// app_secret, access_token, sign_method reach the plugin through HostContext).

#include <chrono>
#include <cstdint>
#include <vector>

#include "erp/plugin.hpp"

namespace erp::plugins::douyin {

/// order.searchList `size`: at most 100 (PLATFORMS.md §3.4).
inline constexpr std::int64_t kDefaultPageSize = 100;

/// One Douyin call's limit: the Go SDK reads for 12 s; an upload whose answer is lost is read back.
inline constexpr std::chrono::milliseconds kDefaultTimeout{12000};

std::vector<sdk::ConfigKeySpec> douyin_config_keys();

}  // namespace erp::plugins::douyin
