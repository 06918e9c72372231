#pragma once
// The part of config validation that needs the plugins: every platform named by a shop and a
// warehouse connector other than the builtin "api" must load, be of the right kind, and accept
// the shop's `options`. Shared by `erpd check-config`, start-up and SIGHUP reloads.

#include <string>
#include <vector>

#include "config/config.hpp"
#include "plugin_host/plugin_host.hpp"

namespace erp::daemon::app {

/// One line per problem, "FILE:LINE: key.path: what is wrong" where a line is known, or the
/// plugin host's one-line refusal. Empty when all is well.
std::vector<std::string> check_plugins(const config::Config& config, plugin_host::PluginHost& plugins);

}  // namespace erp::daemon::app
