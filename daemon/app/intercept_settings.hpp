#pragma once
// Each shop's intercept settings (rules I1, I7, I8) as the intercept workflow reads them: the
// shop's `intercept` config merged with the defaults, plus what its adapter can do with memos.
// Rebuilt on every (re)load; read from any thread.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "erp/adapter.hpp"
#include "workflows/intercept/intercept_service.hpp"

namespace erp::daemon::app {

/// The workflow's view of one shop's config and adapter.
workflows::intercept::ShopSettings intercept_settings(const config::InterceptConfig& config,
                                                      const sdk::PlatformAdapter* adapter);

class InterceptSettingsTable {
 public:
  /// Replaces every shop's settings. `adapters` gives the running adapter of a shop (null when
  /// it has none: its memos wait, and its settings stay as configured).
  void apply(const std::vector<config::ShopConfig>& shops,
             const std::function<std::shared_ptr<sdk::PlatformAdapter>(const std::string&)>& adapters);
  std::optional<workflows::intercept::ShopSettings> lookup(const std::string& shop) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, workflows::intercept::ShopSettings> shops_;
};

}  // namespace erp::daemon::app
