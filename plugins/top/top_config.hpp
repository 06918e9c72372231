#pragma once
// The options both TOP plugins accept beyond the daemon's common shop keys (base_url, app_key,
// sign_method, app_secret, session are common and reach the plugin through HostContext).

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "erp/plugin.hpp"
#include "plugins/common/timeout_option.hpp"

namespace erp::plugins::top {

inline constexpr std::int64_t kDefaultPageSize = 100;

/// How long one TOP call may take before its outcome counts as unknown (the official SDKs wait
/// 15-30 s; a shorter value lets a warehouse-facing upload be re-checked sooner).
inline constexpr std::chrono::milliseconds kDefaultTimeout{30000};

std::vector<sdk::ConfigKeySpec> top_config_keys();

}  // namespace erp::plugins::top
