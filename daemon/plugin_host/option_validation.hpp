#pragma once
// Validates a shop's (or the warehouse's) `options:` against the keys its plugin declares
// (CONVENTIONS 6), before any instance is made: `erpd check-config`, start-up and SIGHUP reload
// all call this, so a reload with a bad option is refused and the running config stays.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/loader.hpp"
#include "erp/plugin.hpp"
#include "plugin_host/plugin_host.hpp"

namespace erp::daemon::plugin_host {

/// Where a set of options lives, for messages.
struct OptionsScope {
  std::string file;      ///< The config file, as it should appear in messages.
  std::string key_path;  ///< "shops[2].options" or "warehouse.options"
  int line = 0;          ///< The entry's line: where a missing required key is reported.
  std::string plugin;    ///< The plugin's name, for the messages.
};

/// One issue per problem (ConfigIssue::to_string() gives "FILE:LINE: KEY_PATH.KEY: message"):
///  - unknown key:   "unknown option for plugin NAME (did you mean 'x'?)", or the known keys listed
///  - wrong type:    "expected an integer, got \"abc\"" / "expected true or false, got ..." /
///                   "expected a duration such as 30s, 5m, 4h or 2d, got ..." (secret values are
///                   never repeated)
///  - missing:       "required by plugin NAME but missing" (at the entry's line)
///  - empty:         "required by plugin NAME but empty"
std::vector<config::ConfigIssue> validate_plugin_options(const std::vector<sdk::ConfigKeySpec>& keys,
                                                         const std::vector<config::PluginOption>& options,
                                                         const OptionsScope& scope);

/// The same for `shops[index]`, with the loaded plugin's declared keys.
std::vector<config::ConfigIssue> validate_shop_options(const LoadedPlugin& plugin, const config::ShopConfig& shop,
                                                       std::size_t index, const std::filesystem::path& file);

/// The same for `warehouse.options` (missing keys are reported at the first option's line, or 0).
std::vector<config::ConfigIssue> validate_warehouse_options(const LoadedPlugin& plugin,
                                                            const config::WarehouseConfig& warehouse,
                                                            const std::filesystem::path& file);

/// The declared spec of `key`, or null when the plugin does not declare it.
const sdk::ConfigKeySpec* find_key_spec(const std::vector<sdk::ConfigKeySpec>& keys, const std::string& key);

/// Whether `text` is a value of `type` as the option validator understands it.
bool option_value_is_valid(sdk::ConfigType type, const std::string& text);

}  // namespace erp::daemon::plugin_host
