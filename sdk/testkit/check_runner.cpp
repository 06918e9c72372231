#include "testkit/check_runner.hpp"

#include <functional>
#include <memory>

#include "net/curl_http_client.hpp"
#include "net/system_clock.hpp"
#include "plugin_host/plugin_host.hpp"
#include "testkit/checks.hpp"
#include "testkit/shop_entry.hpp"
#include "testkit/sim_process.hpp"

namespace erp::testkit {
namespace {

// No plugin call waits longer than this: a plugin asking for more would only slow a failing run.
constexpr std::chrono::seconds kRequestCap{15};
// Generated orders are modified within the half hour before the clock stops (platform-sim's
// generators); two hours leave room for a simulator of another author's making.
constexpr std::chrono::hours kSeededSpan{2};
// The clock moves on this far after seeding, so the span lies wholly in the simulator's past as
// erpd's windows do.
constexpr std::chrono::seconds kClockStep{5};

void skip_rest(RunReport& report, std::size_t from, const std::string& why) {
  for (std::size_t i = from; i < std::size(kAllChecks); ++i) report.checks.push_back(skipped(kAllChecks[i], why));
}

sdk::Result<std::unique_ptr<SimProcess>> start_simulator(const RunOptions& options) {
  std::filesystem::path binary = options.sim_binary;
  if (binary.empty()) {
    const auto found = find_platform_sim();
    if (!found) {
      return sdk::fail(sdk::ErrorCode::config_error,
                       "cannot find platform-sim beside erp-plugin-check nor installed; give --sim-binary or --sim");
    }
    binary = *found;
  }
  return SimProcess::start(binary);
}

/// Stops the simulator's clock at a whole second, seeds the shop and returns its generated entry.
sdk::Result<nlohmann::json> seed(SimAdmin& sim, const std::string& platform, int orders, sdk::Instant& stopped_at) {
  stopped_at = std::chrono::floor<std::chrono::seconds>(daemon::net::SystemClock().now());
  if (auto reset = sim.reset(); !reset) return std::move(reset).error();
  if (auto clock = sim.set_clock(stopped_at); !clock) return std::move(clock).error();
  auto shop = sim.generate(platform, orders);
  if (!shop) {
    return sdk::fail(shop.error().code, "platform-sim cannot seed a " + platform + " shop: " + shop.error().message);
  }
  if (auto step = sim.advance_clock(kClockStep); !step) return std::move(step).error();
  return shop;
}

}  // namespace

sdk::Result<RunReport> run_checks(const RunOptions& options) {
  RunReport report;
  report.plugin_file = options.plugin.string();
  const auto dir = options.plugin.has_parent_path() ? options.plugin.parent_path() : std::filesystem::path(".");
  daemon::plugin_host::PluginHost plugins(dir);
  auto load = check_load(plugins, options.plugin);
  report.checks.push_back(load.result);
  if (!load.plugin) {
    skip_rest(report, 1, "needs a loaded plugin (PC1)");
    return report;
  }
  report.platform = options.platform.empty() ? load.plugin->name() : options.platform;

  daemon::net::ensure_curl_initialized();
  auto curl = std::make_shared<daemon::net::CurlHttpClient>();
  std::unique_ptr<SimProcess> sim_process;
  report.sim_url = options.sim_url;
  if (report.sim_url.empty()) {
    auto started = start_simulator(options);
    if (!started) return std::move(started).error();
    sim_process = std::move(started).value();
    report.sim_url = sim_process->url();
  }
  SimAdmin sim(report.sim_url, curl);
  sdk::Instant stopped_at{};
  auto generated = seed(sim, report.platform, options.orders, stopped_at);
  if (!generated) return std::move(generated).error();

  // Declared after the simulator, so the adapter (and its host context) go first.
  CheckContext context;
  context.plugin = load.plugin;
  context.keys = load.plugin->config_keys();
  context.sim = &sim;
  context.http = std::make_shared<CappedHttpClient>(curl, kRequestCap);
  context.clock = std::make_shared<daemon::net::SystemClock>();
  context.shop =
      shop_entry_from_generated(*generated, report.sim_url, load.plugin->name(), context.keys, options.options);
  context.seeded_orders = options.orders;
  context.span_from = stopped_at - kSeededSpan;
  context.span_to = stopped_at + std::chrono::seconds{1};

  report.checks.push_back(check_config(context));
  if (!context.adapter) {
    skip_rest(report, 2, "needs an adapter for the seeded shop (PC2)");
    return report;
  }
  const std::vector<std::function<CheckResult(CheckContext&)>> checks = {
      check_capabilities, check_listing, check_repeatable, check_get_order, check_errors, check_writes, check_privacy};
  for (const auto& check : checks) report.checks.push_back(check(context));
  return report;
}

}  // namespace erp::testkit
