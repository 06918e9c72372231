#pragma once
// The PluginFactory both TOP plugins export; only the Tmall flag differs.

#include <memory>

#include "erp/plugin.hpp"

namespace erp::plugins::top {

/// config_keys: top_config_keys(); create_platform_adapter: a TopAdapter, refusing a page_size
/// outside 1-100 or an unknown sign_method with config_error.
std::unique_ptr<sdk::PluginFactory> make_top_factory(bool tmall);

}  // namespace erp::plugins::top
