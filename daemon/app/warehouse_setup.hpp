#pragma once
// Chooses how released orders reach the warehouse from the `warehouse:` config: the builtin
// connector (pull API, plus a webhook when webhook_url is set) or a connector plugin.

#include <memory>

#include "config/config.hpp"
#include "erp/host.hpp"
#include "outbox/handler.hpp"
#include "plugin_host/plugin_host.hpp"
#include "store/store.hpp"

namespace erp::daemon::app {

struct WarehouseSetup {
  bool pushes = false;         ///< Released orders are pushed (outbox "warehouse.deliver").
  bool alerts = false;         ///< Deadline alerts are pushed (outbox "warehouse.alert", webhook only).
  outbox::HandlerMap handlers;  ///< Outbox handlers for the warehouse side.
  /// The connector that is told of releases and intercept locks; null when the warehouse pulls.
  std::shared_ptr<sdk::WarehouseConnector> connector;
};

sdk::Result<WarehouseSetup> setup_warehouse(const config::WarehouseConfig& config, store::Store& store,
                                            plugin_host::PluginHost& plugins,
                                            const std::shared_ptr<sdk::HttpClient>& http,
                                            const std::shared_ptr<const sdk::Clock>& clock);

}  // namespace erp::daemon::app
