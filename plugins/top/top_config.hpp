#pragma once
// The options both TOP plugins accept beyond the daemon's common shop keys (base_url, app_key,
// sign_method, app_secret, session are common and reach the plugin through HostContext).

#include <vector>

#include "erp/plugin.hpp"

namespace erp::plugins::top {

inline constexpr std::int64_t kDefaultPageSize = 100;

std::vector<sdk::ConfigKeySpec> top_config_keys();

}  // namespace erp::plugins::top
