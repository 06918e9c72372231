#pragma once
// The dropship factories' API tokens (rule D5): one file per factory, created (0600) on first
// start like the daemon's own token, and the lookup the factory API authenticates with.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "erp/result.hpp"

namespace erp::daemon {

class FactoryTokens {
 public:
  /// Reads (or creates) every factory's token_file; on any error nothing changes and the error
  /// names the factory and the file. Two factories holding the same token is an error too.
  sdk::Result<void> load(const std::vector<config::FactoryConfig>& factories);

  /// The factory this token belongs to; compared in constant time.
  std::optional<std::string> factory_of(std::string_view token) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> tokens_;  ///< factory id -> token
};

}  // namespace erp::daemon
