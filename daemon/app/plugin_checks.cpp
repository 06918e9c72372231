#include "app/plugin_checks.hpp"

#include "plugin_host/option_validation.hpp"

namespace erp::daemon::app {
namespace {

std::string at_line(const config::Config& config, int line, const std::string& key) {
  return config.source.string() + ":" + std::to_string(line) + ": " + key + ": ";
}

}  // namespace

std::vector<std::string> check_plugins(const config::Config& config, plugin_host::PluginHost& plugins) {
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < config.shops.size(); ++i) {
    const auto& shop = config.shops[i];
    const std::string key = "shops[" + std::to_string(i) + "].platform";
    auto plugin = plugins.load(shop.platform);
    if (!plugin) {
      problems.push_back(at_line(config, shop.line, key) + plugin.error().message);
      continue;
    }
    if ((*plugin)->kind() != sdk::PluginKind::platform) {
      problems.push_back(at_line(config, shop.line, key) + "plugin '" + shop.platform +
                         "' is a warehouse connector, not a platform adapter");
      continue;
    }
    for (const auto& issue : plugin_host::validate_shop_options(**plugin, shop, i, config.source)) {
      problems.push_back(issue.to_string());
    }
  }
  const auto& warehouse = config.warehouse;
  if (warehouse.connector != "api") {
    auto plugin = plugins.load(warehouse.connector);
    if (!plugin) {
      problems.push_back(config.source.string() + ": warehouse.connector: " + plugin.error().message);
    } else if ((*plugin)->kind() != sdk::PluginKind::warehouse) {
      problems.push_back(config.source.string() + ": warehouse.connector: plugin '" + warehouse.connector +
                         "' is a platform adapter, not a warehouse connector");
    } else {
      for (const auto& issue : plugin_host::validate_warehouse_options(**plugin, warehouse, config.source)) {
        problems.push_back(issue.to_string());
      }
    }
  } else if (!warehouse.options.empty()) {
    problems.push_back(at_line(config, warehouse.options.front().line, "warehouse.options") +
                       "the builtin 'api' connector takes no options");
  }
  return problems;
}

}  // namespace erp::daemon::app
