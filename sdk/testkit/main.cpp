// erp-plugin-check PLUGIN.so [--platform NAME] [--sim URL | --sim-binary PATH] [--orders N]
//                  [--option KEY=VALUE]... [--json] [--verbose]
// The SDK's contract checks against one platform plugin file (docs/plugin-authoring.md).

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <string>
#include <vector>

#include "testkit/check_runner.hpp"
#include "testkit/report.hpp"
#include "testkit/run_options.hpp"

int main(int argc, char** argv) {
  using namespace erp::testkit;
  const auto parsed = parse_run_options(std::vector<std::string>(argv + 1, argv + argc));
  if (parsed.help) {
    std::cout << kUsage;
    return 0;
  }
  if (!parsed.options) {
    std::cerr << "erp-plugin-check: " << parsed.error << "\n" << kUsage;
    return 2;
  }
  const RunOptions& options = *parsed.options;
  // The host's and the plugin's log lines go to stderr, as erpd's do: stdout holds the verdicts
  // (or the JSON) alone. The checks read the plugin's lines whatever this level is.
  auto logger = spdlog::stderr_color_mt("erp-plugin-check");
  spdlog::set_default_logger(logger);
  spdlog::set_level(options.verbose ? spdlog::level::trace : spdlog::level::warn);

  auto report = run_checks(options);
  if (!report) {
    std::cerr << "erp-plugin-check: " << report.error().message << "\n";
    return 2;
  }
  std::cout << (options.json ? render_json(*report) : render_text(*report));
  return exit_code(*report);
}
