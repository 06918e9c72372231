#pragma once
// erp-plugin-check's command line.

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace erp::testkit {

extern const char* const kUsage;

struct RunOptions {
  std::filesystem::path plugin;
  std::string platform;              ///< Empty: the plugin's own name.
  std::string sim_url;               ///< Empty: start platform-sim.
  std::filesystem::path sim_binary;  ///< Empty: find_platform_sim().
  int orders = 40;
  bool json = false;
  bool verbose = false;                                      ///< The plugin's and the host's log lines on stderr.
  std::vector<std::pair<std::string, std::string>> options;  ///< --option KEY=VALUE, in order.
};

struct ParsedArgs {
  std::optional<RunOptions> options;  ///< Set when the arguments are valid.
  bool help = false;
  std::string error;  ///< Set when they are not.
};

ParsedArgs parse_run_options(const std::vector<std::string>& args);

}  // namespace erp::testkit
