#pragma once
// The shop entry erp-plugin-check hands the plugin: what an operator would write in erpd.yaml for
// the shop platform-sim generated, built from the credentials the simulator answered with.

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "erp/plugin.hpp"

namespace erp::testkit {

namespace config = daemon::config;

/// Orders per page asked of a plugin that declares an integer `page_size` option (the built-in
/// plugins do), so that even a few dozen seeded orders take several pages.
inline constexpr const char* kCheckPageSize = "10";

/// The shop's config entry. `generated` is one shop of /admin/generate's answer: id, app_key,
/// app_secret, the platform's token under its own name (session, access_token, api_token ...)
/// and base_path. The token goes to the common key of its name, or to the plugin's `options:` when
/// the plugin declares a key of that name; so do the other credentials. `options` (KEY=VALUE from
/// the command line) come last and win.
config::ShopConfig shop_entry_from_generated(const nlohmann::json& generated, const std::string& sim_url,
                                             const std::string& plugin_name,
                                             const std::vector<sdk::ConfigKeySpec>& keys,
                                             const std::vector<std::pair<std::string, std::string>>& options);

/// Every secret the entry holds, by name (app_secret, session, access_token and declared secret
/// options): what must never appear in the plugin's log lines or error messages.
std::vector<std::pair<std::string, std::string>> shop_secrets(const config::ShopConfig& shop,
                                                              const std::vector<sdk::ConfigKeySpec>& keys);

}  // namespace erp::testkit
