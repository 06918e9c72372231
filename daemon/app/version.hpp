#pragma once
// The daemon's version, from the CMake project version.

namespace erp::daemon::app {

inline constexpr const char* kDaemonVersion = ERP_DAEMON_VERSION;

}  // namespace erp::daemon::app
