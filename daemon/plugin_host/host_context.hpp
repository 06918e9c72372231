#pragma once
// The host services one plugin instance gets (CONVENTIONS 5): a logger that prefixes the plugin and
// shop, the daemon's HTTP client and clock, the shop's secrets and a read-only view of its config.
// One DaemonHostContext per adapter (or connector); a reload makes a new one with the new config.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "erp/host.hpp"
#include "erp/plugin.hpp"

namespace erp::daemon::plugin_host {

class DaemonHostContext final : public sdk::HostContext {
 public:
  /// `secrets`: "app_secret", "session", "access_token", ... Secrets::get answers not_found for any
  /// other name. `config`: what the plugin's ConfigView shows (common keys such as base_url,
  /// app_key, sign_method, plus the entry's `options`). `shop` may be empty (warehouse plugins).
  /// `state`: where StateStore values live (the daemon's database); null keeps them in memory,
  /// lost at exit (tests, warehouse connectors).
  DaemonHostContext(std::string plugin, std::string shop, std::shared_ptr<sdk::HttpClient> http,
                    std::map<std::string, config::Secret> secrets, std::map<std::string, std::string> config,
                    std::shared_ptr<const sdk::Clock> clock, std::shared_ptr<sdk::StateStore> state = nullptr);
  ~DaemonHostContext() override;

  DaemonHostContext(const DaemonHostContext&) = delete;
  DaemonHostContext& operator=(const DaemonHostContext&) = delete;

  sdk::Logger& logger() noexcept override;
  sdk::HttpClient& http() noexcept override;
  const sdk::Clock& clock() const noexcept override;
  const sdk::Secrets& secrets() const noexcept override;
  const sdk::ConfigView& config() const noexcept override;
  /// Values put as secret are hidden in this plugin's log lines from then on.
  sdk::StateStore& state() noexcept override;

  /// "[taobao shop tb-1] " or "[qimen] ": what every line this plugin logs starts with.
  const std::string& log_prefix() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The context for one shop's adapter: secrets app_secret, session and access_token (those set) and
/// every `options` key the plugin declared as a secret; config id, platform, base_url, app_key,
/// sign_method (when set) and the other options, with the declared defaults for absent keys.
std::shared_ptr<DaemonHostContext> make_shop_host_context(const config::ShopConfig& shop,
                                                          const std::vector<sdk::ConfigKeySpec>& keys,
                                                          std::shared_ptr<sdk::HttpClient> http,
                                                          std::shared_ptr<const sdk::Clock> clock,
                                                          std::shared_ptr<sdk::StateStore> state = nullptr);

/// The context for a warehouse connector plugin: secret webhook_token (when set), config
/// connector and webhook_url (when set) and the warehouse `options`, as for a shop. `state`
/// null: an in-memory one.
std::shared_ptr<DaemonHostContext> make_warehouse_host_context(const config::WarehouseConfig& warehouse,
                                                               const std::vector<sdk::ConfigKeySpec>& keys,
                                                               std::shared_ptr<sdk::HttpClient> http,
                                                               std::shared_ptr<const sdk::Clock> clock,
                                                               std::shared_ptr<sdk::StateStore> state = nullptr);

}  // namespace erp::daemon::plugin_host
