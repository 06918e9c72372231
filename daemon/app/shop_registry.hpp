#pragma once
// One adapter instance per configured shop. A reload makes new instances for added or changed
// shops (the libraries stay loaded) and drops removed ones; unchanged shops keep theirs.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "erp/adapter.hpp"
#include "plugin_host/plugin_host.hpp"
#include "store/store.hpp"
#include "sync/budgeted_http_client.hpp"
#include "sync/sync_clock.hpp"

namespace erp::daemon::app {

struct ShopRuntime {
  config::ShopConfig config;
  std::shared_ptr<plugin_host::LoadedPlugin> plugin;
  std::shared_ptr<sdk::PlatformAdapter> adapter;  ///< Null when disabled or when creation failed.
  /// The HttpClient the adapter was given: the daemon's client behind the shop's request budget
  /// (`requests_per_minute`). Null when there is no adapter.
  std::shared_ptr<sync::BudgetedHttpClient> http;
  std::string state;   ///< "ok", "disabled", "failed"
  std::string detail;  ///< Why it failed, in words.
};

/// What a reload changed, for the log.
struct ShopChanges {
  std::vector<std::string> added, removed, changed;
  bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};

class ShopRegistry {
 public:
  /// `clock` is what plugins read; the request budget waits on the same time.
  ShopRegistry(plugin_host::PluginHost& plugins, std::shared_ptr<sdk::HttpClient> http,
               std::shared_ptr<const sync::SyncClock> clock);

  /// Where adapters created from now on keep their HostContext::state() (the daemon's database).
  /// Unset: in memory.
  void set_state_store(store::Store* store);

  /// Brings the running shops in line with `shops`. Plugins must already have passed
  /// check_plugins(); a shop whose adapter cannot be created is kept as "failed" with the reason.
  ShopChanges apply(const std::vector<config::ShopConfig>& shops);

  std::vector<ShopRuntime> snapshot() const;

  /// The running adapter of a shop; null when the shop is unknown, disabled or failed.
  std::shared_ptr<sdk::PlatformAdapter> adapter(const std::string& shop_id) const;

 private:
  ShopRuntime make(const config::ShopConfig& shop);

  plugin_host::PluginHost& plugins_;
  std::shared_ptr<sdk::HttpClient> http_;
  std::shared_ptr<const sync::SyncClock> clock_;
  store::Store* store_ = nullptr;
  mutable std::mutex mutex_;
  std::map<std::string, ShopRuntime> shops_;
};

}  // namespace erp::daemon::app
