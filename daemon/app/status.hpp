#pragma once
// The body of GET /v1/status (and `erpctl status`): what an operator checks first.

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/shop_registry.hpp"
#include "config/config.hpp"
#include "plugin_host/plugin_host.hpp"
#include "store/store.hpp"
#include "sync/sync_status.hpp"

namespace erp::daemon::app {

struct LastReload {
  sdk::Instant at{};
  bool ok = false;
  std::string message;
};

/// Everything the status shows, gathered by the daemon.
struct StatusFacts {
  config::Config config;
  std::string state;
  sdk::Instant started_at{};
  sdk::Instant now{};
  std::uint16_t api_port = 0;
  int schema_version = 0;
  store::Counts counts;
  std::vector<ShopRuntime> shops;
  std::vector<sync::ShopSyncStatus> sync;  ///< Shops with a running sync worker.
  std::vector<std::shared_ptr<plugin_host::LoadedPlugin>> plugins;
  std::optional<LastReload> last_reload;
};

nlohmann::json build_status(const StatusFacts& facts);

/// A shop's `sync` object in the status; a shop without a worker (disabled, failed) is "stopped".
nlohmann::json sync_status_json(const sync::ShopSyncStatus* status);

}  // namespace erp::daemon::app
