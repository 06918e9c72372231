#pragma once
// erpd's command line (DESIGN "Public surface"):
//   erpd --config FILE          run in the foreground
//   erpd check-config FILE      validate and exit 0, or 2 with one line per problem
//   erpd --version              the daemon version and the plugin ABI version

namespace erp::daemon::app {

/// Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad config.
int run_cli(int argc, char** argv);

}  // namespace erp::daemon::app
