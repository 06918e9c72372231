#pragma once
// Each shop's gift settings (rules G1-G13) as the gift workflow reads them: the shop's `gift`
// config merged with the defaults. Rebuilt on every (re)load; read from any thread.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace erp::daemon::app {

class GiftSettingsTable {
 public:
  void apply(const std::vector<config::ShopConfig>& shops);
  std::optional<config::GiftConfig> lookup(const std::string& shop) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, config::GiftConfig> shops_;
};

}  // namespace erp::daemon::app
