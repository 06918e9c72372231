#include "app/gift_settings.hpp"

namespace erp::daemon::app {

void GiftSettingsTable::apply(const std::vector<config::ShopConfig>& shops) {
  std::map<std::string, config::GiftConfig> table;
  for (const auto& shop : shops) table.emplace(shop.id, shop.gift);
  std::lock_guard lock(mutex_);
  shops_ = std::move(table);
}

std::optional<config::GiftConfig> GiftSettingsTable::lookup(const std::string& shop) const {
  std::lock_guard lock(mutex_);
  auto it = shops_.find(shop);
  if (it == shops_.end()) return std::nullopt;
  return it->second;
}

}  // namespace erp::daemon::app
