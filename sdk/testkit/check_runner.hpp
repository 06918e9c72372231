#pragma once
// Runs erp-plugin-check from start to end: loads the plugin (PC1), starts or resets platform-sim,
// seeds a shop of the platform with a standing clock, runs PC2-PC9 in order and stops the simulator.

#include <string>
#include <vector>

#include "erp/result.hpp"
#include "testkit/check_result.hpp"
#include "testkit/run_options.hpp"

namespace erp::testkit {

struct RunReport {
  std::string plugin_file;
  std::string platform;             ///< Empty when the plugin did not load.
  std::string sim_url;              ///< Empty when no simulator was needed.
  std::vector<CheckResult> checks;  ///< One per check, in id order.
};

/// The report, or why the run could not start (no platform-sim, a platform it does not simulate):
/// erp-plugin-check exits 2 then.
sdk::Result<RunReport> run_checks(const RunOptions& options);

}  // namespace erp::testkit
