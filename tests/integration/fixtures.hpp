#pragma once
// Config files and stored orders the integration tests start erpd with.

#include <map>
#include <string>
#include <vector>

#include "erp/model.hpp"
#include "integration/harness.hpp"

namespace erp::test {

/// What a test changes in the generated config.
struct ConfigOptions {
  std::string webhook_url;
  std::string log_level = "info";
  std::string shops_yaml;     ///< The `shops:` block's items, already indented by two spaces.
  std::string plugins_dir;    ///< Default: the build's plugin dir.
  std::string extra_yaml;     ///< Appended at the end (outbox:, warehouse extras ...).
  /// api.listen; a fixed port keeps the push URL the platform knows valid across restarts.
  std::string api_listen = "127.0.0.1:0";
  std::string webhook_token;  ///< When set, warehouse.webhook_token.
  /// The `warehouse:` section's items in place of the builtin connector (a connector plugin's).
  std::string warehouse_yaml;
  /// The `outbox:` section's items: by default few, quick retries so tests see dead items soon.
  std::string outbox_yaml = "  max_attempts: 3\n  backoff_initial: 100ms\n  backoff_max: 500ms\n";
};

/// Options with only the warehouse webhook set.
inline ConfigOptions with_webhook(const std::string& url) {
  ConfigOptions options;
  options.webhook_url = url;
  return options;
}

/// Writes DIR/erpd.yaml with database, token and port files inside DIR and api.listen on port 0.
fs::path write_config(const TempDir& dir, const ConfigOptions& options = {});

/// The API's base URL and token once erpd is READY (reads the port and token files).
std::string api_url(const TempDir& dir);
std::string api_token(const TempDir& dir);

/// Runs erpctl against the config in DIR.
CommandResult erpctl(const TempDir& dir, std::vector<std::string> args);

/// A paid order with `lines` lines; its receiver is masked from the plaintext given.
sdk::Order paid_order(const std::string& order_id, int lines = 2, const std::string& plain_name = "王小明",
                      const std::string& plain_phone = "13812345678");

/// Stores orders (and optionally a manual hold on each) in DIR's database before erpd starts.
/// Returns the ids of the holds placed.
std::vector<std::int64_t> seed_orders(const TempDir& dir, const std::vector<sdk::Order>& orders, bool hold_each);

}  // namespace erp::test
