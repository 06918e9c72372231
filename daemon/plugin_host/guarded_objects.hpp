#pragma once
// Wrappers the host hands out instead of a plugin's own objects (CONVENTIONS 3 and 4). Each one
// forwards every call inside try/catch, and owns, in destruction order: the plugin's object, the
// host context the object was made with, and the LoadedPlugin that keeps the library mapped.

#include <memory>

#include "erp/adapter.hpp"
#include "erp/host.hpp"
#include "erp/warehouse.hpp"
#include "plugin_host/plugin_host.hpp"

namespace erp::daemon::plugin_host::detail {

std::shared_ptr<sdk::PlatformAdapter> guard_adapter(std::shared_ptr<LoadedPlugin> plugin,
                                                    std::shared_ptr<sdk::HostContext> host,
                                                    std::unique_ptr<sdk::PlatformAdapter> adapter);

std::shared_ptr<sdk::WarehouseConnector> guard_connector(std::shared_ptr<LoadedPlugin> plugin,
                                                         std::shared_ptr<sdk::HostContext> host,
                                                         std::unique_ptr<sdk::WarehouseConnector> connector);

/// The Error a guard returns when a call threw; also marks the plugin failed.
sdk::Error thrown(LoadedPlugin& plugin, std::string_view call, std::string_view what) noexcept;

}  // namespace erp::daemon::plugin_host::detail
