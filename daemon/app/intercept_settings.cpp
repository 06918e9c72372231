#include "app/intercept_settings.hpp"

namespace erp::daemon::app {

using workflows::intercept::Level;
using workflows::intercept::ShopSettings;

ShopSettings intercept_settings(const config::InterceptConfig& config, const sdk::PlatformAdapter* adapter) {
  ShopSettings out;
  out.enabled = config.enabled;
  out.memo = config.memo;
  out.flag = config.flag;
  out.level = config.level == config::InterceptLevel::memo_only ? Level::memo_only : Level::lock;
  out.on_refund_request = config.on_refund_request;
  out.unlock_never = config.unlock.kind == config::UnlockSchedule::Kind::never;
  if (config.unlock.kind == config::UnlockSchedule::Kind::at) out.unlock_at = config.unlock.at;
  if (adapter != nullptr) {
    const auto capabilities = adapter->capabilities();
    out.memo_write = capabilities.memo_write;
    out.memo_max_chars = capabilities.memo_max_chars;
  }
  return out;
}

void InterceptSettingsTable::apply(
    const std::vector<config::ShopConfig>& shops,
    const std::function<std::shared_ptr<sdk::PlatformAdapter>(const std::string&)>& adapters) {
  std::map<std::string, ShopSettings> next;
  for (const auto& shop : shops) {
    const auto adapter = adapters(shop.id);
    next[shop.id] = intercept_settings(shop.intercept, adapter.get());
  }
  std::lock_guard lock(mutex_);
  shops_ = std::move(next);
}

std::optional<ShopSettings> InterceptSettingsTable::lookup(const std::string& shop) const {
  std::lock_guard lock(mutex_);
  const auto it = shops_.find(shop);
  if (it == shops_.end()) return std::nullopt;
  return it->second;
}

}  // namespace erp::daemon::app
