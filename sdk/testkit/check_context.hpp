#pragma once
// What the contract checks share: the loaded plugin, the simulator, the seeded shop and span, the
// adapter made for it, and what earlier checks learned (the listing, every error message seen).
// The runner fills it in; each check reads it and may add to `listed` and `errors_seen`.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "erp/adapter.hpp"
#include "plugin_host/plugin_host.hpp"
#include "testkit/capped_http_client.hpp"
#include "testkit/capturing_host.hpp"
#include "testkit/sim_admin.hpp"

namespace erp::testkit {

namespace config = daemon::config;

struct CheckContext {
  std::shared_ptr<daemon::plugin_host::LoadedPlugin> plugin;
  std::vector<sdk::ConfigKeySpec> keys;  ///< What the plugin declared.
  SimAdmin* sim = nullptr;
  std::shared_ptr<CappedHttpClient> http;  ///< erpd's libcurl client, timeouts capped.
  std::shared_ptr<const sdk::Clock> clock;

  config::ShopConfig shop;  ///< The seeded shop's entry.
  int seeded_orders = 0;
  sdk::Instant span_from{};  ///< Every seeded order was modified in [span_from, span_to).
  sdk::Instant span_to{};

  std::shared_ptr<CapturingHostContext> host;  ///< Null until PC2 made the adapter.
  std::shared_ptr<sdk::PlatformAdapter> adapter;
  sdk::Capabilities capabilities;

  std::vector<sdk::Order> listed;        ///< PC4's listing (empty if it failed).
  std::vector<std::string> errors_seen;  ///< Messages of every error the plugin returned.

  /// Records the message of an error for the privacy check (PC9).
  void remember(const sdk::Error& error) { errors_seen.push_back(error.message); }

  /// Remembers the error and says "WHAT failed: code: message".
  std::string failure(const std::string& what, const sdk::Error& error);

  /// The listing window length the checks walk with: the plugin's limit, at most 20 minutes, so
  /// that the seeded span takes several windows and their boundaries are crossed.
  std::chrono::seconds window_length() const {
    return std::chrono::seconds{std::min<std::int64_t>(capabilities.max_window_seconds, 1200)};
  }
};

/// "code: message", as the reasons print an error.
inline std::string describe(const sdk::Error& error) {
  return std::string(sdk::to_string(error.code)) + ": " + error.message;
}

inline std::string CheckContext::failure(const std::string& what, const sdk::Error& error) {
  remember(error);
  return what + " failed: " + describe(error);
}

/// Whether the host's guard made this error out of an exception the plugin threw.
inline bool is_throw(const sdk::Error& error) {
  return error.code == sdk::ErrorCode::internal && error.message.find(" threw: ") != std::string::npos;
}

}  // namespace erp::testkit
