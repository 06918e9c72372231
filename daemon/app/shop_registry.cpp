#include "app/shop_registry.hpp"

#include <spdlog/spdlog.h>

#include "app/plugin_state_store.hpp"
#include "plugin_host/host_context.hpp"

namespace erp::daemon::app {
namespace {

// Whether a reload changed anything the adapter sees; where the entry sits in the file does not count.
bool same_settings(const config::ShopConfig& a, const config::ShopConfig& b) {
  auto secret = [](const std::optional<config::Secret>& s) { return s ? s->reveal() : std::string{}; };
  auto options = [](const std::vector<config::PluginOption>& list) {
    std::map<std::string, std::string> out;
    for (const auto& o : list) out[o.key] = o.value;
    return out;
  };
  return a.id == b.id && a.platform == b.platform && a.base_url == b.base_url && a.app_key == b.app_key &&
         a.app_secret.reveal() == b.app_secret.reveal() && secret(a.session) == secret(b.session) &&
         secret(a.access_token) == secret(b.access_token) && a.sign_method == b.sign_method &&
         a.poll_interval == b.poll_interval && a.requests_per_minute == b.requests_per_minute &&
         a.enabled == b.enabled && options(a.options) == options(b.options);
}

}  // namespace

ShopRegistry::ShopRegistry(plugin_host::PluginHost& plugins, std::shared_ptr<sdk::HttpClient> http,
                           std::shared_ptr<const sync::SyncClock> clock)
    : plugins_(plugins), http_(std::move(http)), clock_(std::move(clock)) {}

void ShopRegistry::set_state_store(store::Store* store) { store_ = store; }

ShopRuntime ShopRegistry::make(const config::ShopConfig& shop) {
  ShopRuntime runtime;
  runtime.config = shop;
  if (!shop.enabled) {
    runtime.state = "disabled";
    return runtime;
  }
  auto plugin = plugins_.load(shop.platform);
  if (!plugin) {
    runtime.state = "failed";
    runtime.detail = plugin.error().message;
    return runtime;
  }
  runtime.plugin = *plugin;
  // Every request of this adapter (sync, shipping, memos) spends the shop's one budget.
  auto budgeted = std::make_shared<sync::BudgetedHttpClient>(http_, shop.requests_per_minute,
                                                             std::make_shared<sync::Sleeper>(clock_));
  std::shared_ptr<sdk::StateStore> state;
  if (store_ != nullptr) state = std::make_shared<PluginStateStore>(*store_, shop.platform, shop.id, clock_);
  auto host =
      plugin_host::make_shop_host_context(shop, runtime.plugin->config_keys(), budgeted, clock_, std::move(state));
  auto adapter = runtime.plugin->create_platform_adapter(std::move(host));
  if (!adapter) {
    runtime.state = "failed";
    runtime.detail = adapter.error().message;
    return runtime;
  }
  runtime.adapter = std::move(adapter).value();
  runtime.http = std::move(budgeted);
  runtime.state = "ok";
  return runtime;
}

ShopChanges ShopRegistry::apply(const std::vector<config::ShopConfig>& shops) {
  std::map<std::string, ShopRuntime> next;
  ShopChanges changes;
  std::map<std::string, ShopRuntime> current;
  {
    std::lock_guard lock(mutex_);
    current = shops_;
  }
  for (const auto& shop : shops) {
    auto it = current.find(shop.id);
    if (it != current.end() && same_settings(it->second.config, shop)) {
      next.emplace(shop.id, it->second);  // unchanged: keep the running adapter
      continue;
    }
    (it == current.end() ? changes.added : changes.changed).push_back(shop.id);
    ShopRuntime runtime = make(shop);
    if (runtime.state == "failed") spdlog::error("shop {}: {}", shop.id, runtime.detail);
    next.emplace(shop.id, std::move(runtime));
  }
  for (const auto& [id, runtime] : current) {
    if (!next.count(id)) changes.removed.push_back(id);
  }
  std::lock_guard lock(mutex_);
  shops_ = std::move(next);
  return changes;
}

std::vector<ShopRuntime> ShopRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<ShopRuntime> out;
  for (const auto& [id, runtime] : shops_) out.push_back(runtime);
  return out;
}

std::shared_ptr<sdk::PlatformAdapter> ShopRegistry::adapter(const std::string& shop_id) const {
  std::lock_guard lock(mutex_);
  auto it = shops_.find(shop_id);
  return it == shops_.end() ? nullptr : it->second.adapter;
}

}  // namespace erp::daemon::app
