#pragma once
// platform-sim's module for the "example" platform: the made-up JSON API described at the top of
// sdk/template/example_plugin.cpp, so the plugin template passes through erp-plugin-check the same
// way the real adapters do. Served under /example/ (base_url http://HOST:PORT/example).

#include <memory>

#include "core/module.hpp"

namespace erp::sim {

/// Makes the example module (also declared in core/modules.hpp).
std::unique_ptr<PlatformModule> make_example_module(Context& context);

}  // namespace erp::sim
