#pragma once
// erpctl must reach a running daemon even when the config file on disk no longer validates (an
// edit that a SIGHUP reload rejected is exactly when an operator runs `erpctl status`). It then
// reads only the sections that locate the API.

#include <string>
#include <string_view>

namespace erp::daemon::ctl {

/// The YAML text with only the top-level `database`, `plugins` and `api` blocks kept; every
/// other line becomes empty, so line numbers in config messages still match the file.
std::string api_blocks_only(std::string_view yaml);

}  // namespace erp::daemon::ctl
