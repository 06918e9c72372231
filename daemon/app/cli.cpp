#include "app/cli.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "app/daemon.hpp"
#include "app/logging.hpp"
#include "app/plugin_checks.hpp"
#include "app/version.hpp"
#include "config/loader.hpp"
#include "erp/version.hpp"
#include "plugin_host/plugin_host.hpp"

namespace erp::daemon::app {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

constexpr const char* kUsage =
    "usage: erpd --config FILE        run the daemon in the foreground\n"
    "       erpd check-config FILE    validate FILE and its plugins; exit 0, or 2 listing each problem\n"
    "       erpd --version            print the version and the plugin ABI version\n";

// Config problems, then plugin problems: everything `check-config` and start-up refuse.
std::vector<std::string> validate(const std::filesystem::path& file, std::optional<config::Config>& config) {
  auto loaded = config::load_config(file);
  std::vector<std::string> problems;
  for (const auto& issue : loaded.issues) problems.push_back(issue.to_string());
  if (!problems.empty()) return problems;
  plugin_host::PluginHost plugins(loaded.config->plugins.dir);
  problems = check_plugins(*loaded.config, plugins);
  if (problems.empty()) config = std::move(loaded.config);
  return problems;
}

int check_config(const std::filesystem::path& file) {
  std::optional<config::Config> config;
  const auto problems = validate(file, config);
  for (const auto& problem : problems) std::cerr << problem << "\n";
  if (!problems.empty()) return kExitUsage;
  std::cout << file.string() << ": ok (" << config->shops.size() << " shop(s))\n";
  return kExitOk;
}

int run_daemon(const std::filesystem::path& file) {
  std::optional<config::Config> config;
  const auto problems = validate(file, config);
  if (!problems.empty()) {
    // Before logging is set up: plain lines on stderr, the same as check-config prints.
    for (const auto& problem : problems) std::cerr << problem << "\n";
    std::cerr << "erpd: not started: " << problems.size() << " config problem(s)\n";
    return kExitUsage;
  }
  setup_logging(config->log.level);
  Daemon daemon(std::move(*config));
  return daemon.run();
}

}  // namespace

int run_cli(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  try {
    if (args.size() == 1 && (args[0] == "--version" || args[0] == "-V")) {
      std::cout << "erpd " << kDaemonVersion << " (plugin ABI " << sdk::kAbiVersion << ")\n";
      return kExitOk;
    }
    if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
      std::cout << kUsage;
      return kExitOk;
    }
    if (args.size() == 2 && args[0] == "check-config") return check_config(std::string(args[1]));
    if (args.size() == 2 && args[0] == "--config") return run_daemon(std::string(args[1]));
    if (args.size() == 1 && args[0].substr(0, 9) == "--config=") return run_daemon(std::string(args[0].substr(9)));
  } catch (const std::exception& e) {
    std::cerr << "erpd: " << e.what() << "\n";
    return kExitFailure;
  }
  std::cerr << kUsage;
  return kExitUsage;
}

}  // namespace erp::daemon::app
