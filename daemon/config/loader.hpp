#pragma once
// Reads and validates a config file. Every problem is reported, not just the first, as
// "FILE:LINE: key.path: what is wrong"; an unknown key suggests the nearest known one.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace erp::daemon::config {

struct ConfigIssue {
  std::string file;
  int line = 0;          ///< 1-based; 0 when the problem is not at a line (file missing).
  std::string key_path;  ///< "shops[1].app_secret_file"
  std::string message;
  /// "FILE:LINE: key.path: message"
  std::string to_string() const;
};

struct LoadOptions {
  /// false: `${env:NAME}` and `*_file` secrets are checked for form but not read, and come back
  /// as empty Secrets whose describe() says "(not read)". For erpctl, which needs only the API
  /// address and token file and runs without the daemon's environment or its secret files.
  bool resolve_secrets = true;
};

struct LoadResult {
  std::optional<Config> config;  ///< Set only when there are no issues.
  std::vector<ConfigIssue> issues;
};

/// Reads FILE. Relative paths inside it (database.path, plugins.dir, token_file, *_file) are
/// resolved against the file's directory.
LoadResult load_config(const std::filesystem::path& file);

LoadResult load_config(const std::filesystem::path& file, const LoadOptions& options);

/// Parses YAML text as if read from `file` (used by tests and by load_config).
LoadResult parse_config(std::string_view yaml, const std::filesystem::path& file);
LoadResult parse_config(std::string_view yaml, const std::filesystem::path& file, const LoadOptions& options);

}  // namespace erp::daemon::config
