#pragma once
// HostContext::state() for a shop's adapter, kept in the daemon's database (table plugin_state),
// so what a plugin learns at run time (Douyin's refreshed token pair) survives a restart.

#include <memory>
#include <string>

#include "erp/host.hpp"
#include "store/store.hpp"

namespace erp::daemon::app {

class PluginStateStore final : public sdk::StateStore {
 public:
  PluginStateStore(store::Store& store, std::string platform, std::string shop, std::shared_ptr<const sdk::Clock> clock);

  sdk::Result<std::optional<std::string>> get(std::string_view key) const noexcept override;
  sdk::Result<void> put(std::string_view key, std::string_view value, bool secret) noexcept override;

 private:
  store::Store& store_;
  std::string platform_;
  std::string shop_;
  std::shared_ptr<const sdk::Clock> clock_;
};

}  // namespace erp::daemon::app
