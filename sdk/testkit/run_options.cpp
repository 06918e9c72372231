#include "testkit/run_options.hpp"

#include <charconv>

namespace erp::testkit {

const char* const kUsage =
    "usage: erp-plugin-check PLUGIN.so [--platform NAME] [--sim URL | --sim-binary PATH] [--orders N]\n"
    "                        [--option KEY=VALUE]... [--json] [--verbose]\n"
    "Runs the SDK's contract checks (PC1-PC9, docs/plugin-authoring.md) against a platform plugin,\n"
    "loaded as erpd loads it, with platform-sim standing in for the platform.\n"
    "  --platform NAME     the simulated platform to check against (default: the plugin's name)\n"
    "  --sim URL           a running platform-sim (http://HOST:PORT); it is reset first\n"
    "  --sim-binary PATH   the platform-sim to start (default: beside erp-plugin-check, then\n"
    "                      the installed one)\n"
    "  --orders N          orders seeded in the shop (default 40, 4 to 1000)\n"
    "  --option KEY=VALUE  a plugin option of the shop entry (repeatable)\n"
    "  --json              one JSON object on stdout instead of lines\n"
    "  --verbose           the plugin's log lines (every level) on stderr\n"
    "Exit: 0 every check passed (or was skipped), 1 a check failed, 2 bad usage or cannot start.\n";

ParsedArgs parse_run_options(const std::vector<std::string>& args) {
  ParsedArgs parsed;
  RunOptions options;
  bool have_plugin = false;
  auto error = [&parsed](std::string message) {
    parsed.error = std::move(message);
    return parsed;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      parsed.help = true;
      return parsed;
    }
    if (arg == "--json") {
      options.json = true;
      continue;
    }
    if (arg == "--verbose") {
      options.verbose = true;
      continue;
    }
    const bool takes_value =
        arg == "--platform" || arg == "--sim" || arg == "--sim-binary" || arg == "--orders" || arg == "--option";
    if (takes_value) {
      if (i + 1 >= args.size()) return error(arg + " needs a value");
      const std::string& value = args[++i];
      if (arg == "--platform") {
        options.platform = value;
      } else if (arg == "--sim") {
        if (value.rfind("http://", 0) != 0) return error("--sim: '" + value + "' is not an http:// URL");
        options.sim_url = value.back() == '/' ? value.substr(0, value.size() - 1) : value;
      } else if (arg == "--sim-binary") {
        options.sim_binary = value;
      } else if (arg == "--orders") {
        int orders = 0;
        const auto r = std::from_chars(value.data(), value.data() + value.size(), orders);
        if (r.ec != std::errc{} || r.ptr != value.data() + value.size() || orders < 4 || orders > 1000) {
          return error("--orders: '" + value + "' is not a number from 4 to 1000");
        }
        options.orders = orders;
      } else {
        const auto equals = value.find('=');
        if (equals == std::string::npos || equals == 0) return error("--option: '" + value + "' is not KEY=VALUE");
        options.options.emplace_back(value.substr(0, equals), value.substr(equals + 1));
      }
      continue;
    }
    if (arg.rfind("--", 0) == 0) return error("unknown option '" + arg + "'");
    if (have_plugin) return error("one plugin file at a time ('" + arg + "' is a second)");
    options.plugin = arg;
    have_plugin = true;
  }
  if (!have_plugin) return error("the plugin file is missing");
  if (!options.sim_url.empty() && !options.sim_binary.empty()) return error("give --sim or --sim-binary, not both");
  parsed.options = std::move(options);
  return parsed;
}

}  // namespace erp::testkit
