#include "app/plugin_state_store.hpp"

#include <exception>

namespace erp::daemon::app {

PluginStateStore::PluginStateStore(store::Store& store, std::string platform, std::string shop,
                                   std::shared_ptr<const sdk::Clock> clock)
    : store_(store), platform_(std::move(platform)), shop_(std::move(shop)), clock_(std::move(clock)) {}

sdk::Result<std::optional<std::string>> PluginStateStore::get(std::string_view key) const noexcept {
  try {
    return store_.plugin_state(platform_, shop_, std::string(key));
  } catch (const std::exception& e) {
    return sdk::fail(sdk::ErrorCode::transient, std::string("reading plugin state failed: ") + e.what());
  }
}

sdk::Result<void> PluginStateStore::put(std::string_view key, std::string_view value, bool) noexcept {
  // `secret` matters to the log redaction, which the host context does before this is called.
  try {
    store_.set_plugin_state(platform_, shop_, std::string(key), std::string(value), clock_->now());
    return {};
  } catch (const std::exception& e) {
    return sdk::fail(sdk::ErrorCode::transient, std::string("storing plugin state failed: ") + e.what());
  }
}

}  // namespace erp::daemon::app
