#include "config/sections.hpp"

#include <array>

#include "config/deadline_settings.hpp"
#include "config/dropship_settings.hpp"
#include "config/gift_settings.hpp"
#include "config/intercept_settings.hpp"
#include "config/push_path.hpp"
#include "config/value_rules.hpp"
#include "core/time_format.hpp"

namespace erp::daemon::config::detail {

namespace {

using std::chrono::milliseconds;

constexpr std::array<std::string_view, 9> kRootKeys{"database",  "plugins", "api",  "shops", "warehouse",
                                                    "workflows", "outbox",  "sync", "log"};
constexpr std::array<std::string_view, 1> kDatabaseKeys{"path"};
constexpr std::array<std::string_view, 1> kPluginsKeys{"dir"};
constexpr std::array<std::string_view, 3> kApiKeys{"listen", "token_file", "port_file"};
constexpr std::array<std::string_view, 7> kWarehouseKeys{
    "connector", "webhook_url", "webhook_timeout", "webhook_token", "webhook_token_file", "inbound_path", "options"};
constexpr std::array<std::string_view, 3> kOutboxKeys{"max_attempts", "backoff_initial", "backoff_max"};
constexpr std::array<std::string_view, 6> kSyncKeys{"backfill",        "lag",           "overlap", "window",
                                                    "reconcile_every", "reconcile_span"};
// The platforms refuse modified-time listings longer than a day (TOP: 1 day for increment APIs).
constexpr milliseconds kMaxSyncWindow{std::chrono::hours{24}};
constexpr std::array<std::string_view, 1> kLogKeys{"level"};
constexpr std::array<std::string_view, 5> kWorkflowKeys{"release_delay", "gift", "intercept", "dropship", "deadlines"};
constexpr milliseconds kMaxReleaseDelay{std::chrono::hours{24}};
constexpr std::array<std::string_view, 5> kLogLevels{"trace", "debug", "info", "warn", "error"};
// The builtin connector: the warehouse pulls through the local API, optionally nudged by a webhook.
constexpr std::string_view kBuiltinConnector = "api";
constexpr std::string_view kDefaultTokenFileName = "api.token";
// Zero would mean "no timeout" to libcurl and "retry in a hot loop" to the outbox.
constexpr milliseconds kMinPositive{1};

}  // namespace

std::span<const std::string_view> root_keys() { return kRootKeys; }

DatabaseConfig read_database(const MapReader& root, const ReadContext& context) {
  const MapReader section = root.child("database", kDatabaseKeys);
  DatabaseConfig out;
  if (auto p = section.file_path("path", Need::required, context.base)) out.path = std::move(*p);
  return out;
}

PluginsConfig read_plugins(const MapReader& root, const ReadContext& context) {
  const MapReader section = root.child("plugins", kPluginsKeys);
  PluginsConfig out;
  if (auto p = section.file_path("dir", Need::required, context.base)) out.dir = std::move(*p);
  return out;
}

ApiConfig read_api(const MapReader& root, const ReadContext& context, const DatabaseConfig& database) {
  const MapReader section = root.child("api", kApiKeys);
  ApiConfig out;
  if (const auto listen = section.text("listen", Need::optional)) {
    auto parsed = parse_listen(*listen);
    if (parsed.value) {
      out.listen_host = std::move(parsed.value->host);
      out.listen_port = parsed.value->port;
    } else {
      section.report("listen", in_quotes(*listen) + " " + parsed.error);
    }
  }
  if (auto p = section.file_path("token_file", Need::optional, context.base)) {
    out.token_file = std::move(*p);
  } else if (!database.path.empty()) {
    out.token_file = database.path.parent_path() / kDefaultTokenFileName;
  }
  if (auto p = section.file_path("port_file", Need::optional, context.base)) out.port_file = std::move(*p);
  return out;
}

namespace {

/// warehouse.inbound_path: a connector plugin's own, off the daemon's routes and every shop's push path.
void read_inbound_path(const MapReader& section, const std::vector<ShopConfig>& shops, WarehouseConfig& out) {
  const auto path = section.text("inbound_path", Need::optional);
  if (out.connector == kBuiltinConnector) {
    // The builtin connector's warehouse calls the API with its token; it has no inbound path.
    if (path)
      section.report("inbound_path",
                     "applies only to a connector plugin; the 'api' connector's warehouse "
                     "calls the API (/v1/...) with the API token");
    return;
  }
  out.inbound_path = path ? *path : default_inbound_path(out.connector);
  if (std::string why = check_push_path(out.inbound_path); !why.empty()) {
    section.report("inbound_path", in_quotes(out.inbound_path) + " " + why);
    return;
  }
  for (const auto& shop : shops) {
    if (shop.push_path == out.inbound_path) {
      section.report("inbound_path", in_quotes(out.inbound_path) + " is already shop " + in_quotes(shop.id) +
                                         "'s push_path; give one of them another path");
    }
  }
}

}  // namespace

WarehouseConfig read_warehouse(const MapReader& root, const ReadContext& context,
                               const std::vector<ShopConfig>& shops) {
  const MapReader section = root.child("warehouse", kWarehouseKeys);
  WarehouseConfig out;
  if (auto connector = section.text("connector", Need::optional)) {
    if (std::string why = check_plugin_name(*connector); why.empty()) {
      out.connector = std::move(*connector);
    } else {
      section.report("connector", in_quotes(*connector) + " " + why);
    }
  }
  if (auto url = section.text("webhook_url", Need::optional)) {
    if (std::string why = url->empty() ? std::string() : check_http_url(*url); why.empty()) {
      out.webhook_url = std::move(*url);
    } else {
      section.report("webhook_url", std::move(why));
    }
  }
  if (const auto timeout = section.duration("webhook_timeout", kMinPositive)) out.webhook_timeout = *timeout;
  out.webhook_token = section.secret("webhook_token", Need::optional, context);
  out.options = section.options("options");
  read_inbound_path(section, shops, out);
  // The webhook belongs to the builtin connector; a connector plugin takes its settings from
  // `options`, so webhook keys next to one would be silently ignored.
  if (out.connector != kBuiltinConnector) {
    for (const std::string_view key : {"webhook_url", "webhook_timeout", "webhook_token", "webhook_token_file"}) {
      if (section.find(key) != nullptr) {
        section.report(key, "applies only to the builtin 'api' connector; connector " + in_quotes(out.connector) +
                                " takes its settings from warehouse.options");
      }
    }
  }
  return out;
}

OutboxConfig read_outbox(const MapReader& root) {
  const MapReader section = root.child("outbox", kOutboxKeys);
  OutboxConfig out;
  if (const auto attempts = section.whole_number("max_attempts", 1)) out.max_attempts = *attempts;
  const auto initial = section.duration("backoff_initial", kMinPositive);
  const auto max = section.duration("backoff_max", kMinPositive);
  if (initial) out.backoff_initial = *initial;
  if (max) out.backoff_max = *max;
  if ((initial || max) && out.backoff_max < out.backoff_initial) {
    section.report(max ? "backoff_max" : "backoff_initial", "backoff_max (" + format_duration(out.backoff_max) +
                                                                ") must not be less than backoff_initial (" +
                                                                format_duration(out.backoff_initial) + ")");
  }
  return out;
}

SyncConfig read_sync(const MapReader& root) {
  const MapReader section = root.child("sync", kSyncKeys);
  SyncConfig out;
  // lag and overlap may be zero (a test platform with no commit delay); the others drive loops.
  if (const auto v = section.duration("backfill", kMinPositive)) out.backfill = *v;
  if (const auto v = section.duration("lag", milliseconds{0})) out.lag = *v;
  if (const auto v = section.duration("overlap", milliseconds{0})) out.overlap = *v;
  if (const auto v = section.duration("window", kMinPositive)) {
    if (*v > kMaxSyncWindow) {
      section.report("window", "must be at most " + format_duration(kMaxSyncWindow) +
                                   " (platforms refuse longer "
                                   "listings), got " +
                                   format_duration(*v));
    } else {
      out.window = *v;
    }
  }
  if (const auto v = section.duration("reconcile_every", kMinPositive)) out.reconcile_every = *v;
  if (const auto v = section.duration("reconcile_span", kMinPositive)) out.reconcile_span = *v;
  return out;
}

LogConfig read_log(const MapReader& root) {
  const MapReader section = root.child("log", kLogKeys);
  LogConfig out;
  if (auto level = section.one_of("level", kLogLevels, "log level")) out.level = std::move(*level);
  return out;
}

WorkflowsConfig read_workflows(const MapReader& root, const ReadContext& context,
                               DropshipReferences& dropship_references) {
  WorkflowsConfig out;
  const MapReader::Entry* entry = root.find("workflows");
  if (entry != nullptr && !entry->value.IsNull() && !entry->value.IsMap()) {
    root.report("workflows", "must be a map of workflow settings, got " + std::string(kind_of(entry->value)));
    return out;
  }
  const MapReader section = root.child("workflows", kWorkflowKeys);
  if (const auto delay = section.duration("release_delay", milliseconds{0})) {
    if (*delay > kMaxReleaseDelay) {
      section.report("release_delay", "must be at most " + format_duration(kMaxReleaseDelay) +
                                          " (orders have to ship within the platform's deadline), got " +
                                          format_duration(*delay));
    } else {
      out.release_delay = *delay;
    }
  }
  out.intercept = read_intercept_defaults(section);
  out.gift = read_gift_defaults(section);
  out.dropship = read_dropship(section, context, dropship_references);
  out.deadlines = read_deadlines(section, context);
  return out;
}

}  // namespace erp::daemon::config::detail
