#pragma once
// Logs go to stderr through spdlog. Under systemd (JOURNAL_STREAM set) each line starts with the
// syslog priority "<N>" so journald records the right level; no timestamps then, journald adds them.

#include <string>

namespace erp::daemon::app {

/// Installs the default logger. `level` is trace|debug|info|warn|error (validated by config).
void setup_logging(const std::string& level);

/// Changes the level of the running logger (config reload).
void set_log_level(const std::string& level);

}  // namespace erp::daemon::app
