#include "app/warehouse_setup.hpp"

#include "app/plugin_state_store.hpp"
#include "plugin_host/host_context.hpp"
#include "warehouse/alert_webhook.hpp"
#include "warehouse/delivery.hpp"
#include "warehouse/webhook_connector.hpp"

namespace erp::daemon::app {

sdk::Result<WarehouseSetup> setup_warehouse(const config::WarehouseConfig& config, store::Store& store,
                                            plugin_host::PluginHost& plugins,
                                            const std::shared_ptr<sdk::HttpClient>& http,
                                            const std::shared_ptr<const sdk::Clock>& clock) {
  WarehouseSetup setup;
  std::shared_ptr<sdk::WarehouseConnector> connector;
  bool reports_by_code = false;  // a plugin's warehouse reports back by delivery code
  if (config.connector == "api") {
    // Without a webhook the warehouse pulls released orders; there is nothing to push.
    if (config.webhook_url.empty()) return setup;
    auto webhook = std::make_shared<warehouse::WebhookConnector>(config, http);
    setup.alerts = true;
    setup.handlers[warehouse::kAlertKind] = std::make_shared<warehouse::AlertWebhookHandler>(webhook);
    connector = std::move(webhook);
  } else {
    auto plugin = plugins.load(config.connector);
    if (!plugin) return std::move(plugin).error();
    // What the connector learns at run time (Qimen: the cancels a WMS accepted) survives a restart.
    auto state = std::make_shared<PluginStateStore>(store, "warehouse", config.connector, clock);
    auto host =
        plugin_host::make_warehouse_host_context(config, (*plugin)->config_keys(), http, clock, std::move(state));
    auto created = (*plugin)->create_warehouse_connector(std::move(host));
    if (!created) return std::move(created).error();
    connector = std::move(created).value();
    reports_by_code = true;
  }
  setup.pushes = true;
  setup.connector = connector;
  setup.handlers[warehouse::kDeliverKind] =
      std::make_shared<warehouse::DeliverHandler>(store, std::move(connector), reports_by_code);
  return setup;
}

}  // namespace erp::daemon::app
