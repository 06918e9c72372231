#pragma once
// The daemon's typed configuration, validated in full before anything starts (DESIGN "Public
// surface" fixes the key names). Secrets are held in Secret, which never prints its value.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace erp::daemon::config {

/// A secret value resolved from a literal, a `*_file` reference or an `${env:NAME}` reference.
/// Its value is only reachable through reveal(); `describe()` says where it came from.
class Secret {
 public:
  Secret() = default;
  Secret(std::string value, std::string origin) : value_(std::move(value)), origin_(std::move(origin)) {}
  const std::string& reveal() const noexcept { return value_; }
  /// "literal in config", "file /etc/erpd/secret", "environment ERP_SECRET": never the value.
  const std::string& describe() const noexcept { return origin_; }
  bool empty() const noexcept { return value_.empty(); }
  friend bool operator==(const Secret& a, const Secret& b) { return a.value_ == b.value_; }

 private:
  std::string value_;
  std::string origin_;
};

/// A plugin-specific key from a shop's or the warehouse's `options:` map, kept with its line so
/// the plugin host can report problems against the file once it knows the plugin's declared keys.
struct PluginOption {
  std::string key;
  std::string value;
  int line = 0;
};

/// How far an intercept goes (rule I1): `lock` writes the memo and locks the order in the daemon
/// (advanced level); `memo_only` only writes the memo, for shops whose orders go straight to a
/// third-party warehouse (basic level, rule I8).
enum class InterceptLevel { lock, memo_only };

/// When locked intercepts with no refund request are released for shipping (rule I7).
struct UnlockSchedule {
  /// next_day: at the end of the day after the request (China time); at: at `at`; never: only by hand.
  enum class Kind { next_day, at, never } kind = Kind::next_day;
  /// The instant when kind == at (same type as sdk::Instant: milliseconds since the epoch, UTC).
  std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds> at{};
  friend bool operator==(const UnlockSchedule&, const UnlockSchedule&) = default;
};

/// The intercept workflow's settings (rules I1-I9): `workflows.intercept` holds the defaults,
/// each shop's `intercept:` map overrides the keys it sets.
struct InterceptConfig {
  /// Resolved: the memo is non-empty and the shop did not set `enabled: false`.
  bool enabled = false;
  /// Written on (and recognised in) the platform's seller memo; empty: intercept off.
  std::string memo;
  /// Seller flag (TOP) / star (Douyin) written with the memo, 0..5.
  int flag = 1;
  InterceptLevel level = InterceptLevel::lock;
  /// A refund request on an unshipped line starts an intercept of that line.
  bool on_refund_request = false;
  UnlockSchedule unlock;
  friend bool operator==(const InterceptConfig&, const InterceptConfig&) = default;
};

struct ShopConfig {
  std::string id;
  std::string platform;  ///< Plugin name: taobao | tmall | douyin | any installed plugin.
  std::string base_url;
  std::string app_key;
  Secret app_secret;
  std::optional<Secret> session;       ///< TOP token.
  std::optional<Secret> access_token;  ///< Douyin token.
  std::string sign_method;             ///< Empty: the plugin's default.
  std::chrono::milliseconds poll_interval{std::chrono::seconds{60}};
  /// Budget for every HTTP request the shop's adapter makes (the platforms count calls per app).
  int requests_per_minute = 600;
  bool enabled = true;
  /// The local API path the platform pushes this shop's messages to (rule D11); several shops
  /// may share one (one app pushing for several shops). "/push/<id>" when not configured.
  std::string push_path;
  std::vector<PluginOption> options;
  /// workflows.intercept merged with this shop's own `intercept:` map.
  InterceptConfig intercept;
  int line = 0;  ///< Where the entry starts, for messages.
};

struct DatabaseConfig {
  std::filesystem::path path;
};

struct PluginsConfig {
  std::filesystem::path dir;
};

struct ApiConfig {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 7878;  ///< 0: any free port (tests); the bound port is logged and written to `port_file`.
  std::filesystem::path token_file;
  std::filesystem::path port_file;  ///< Optional: where the bound port is written for erpctl and tests.
};

struct WarehouseConfig {
  /// "api": the builtin JSON connector (the warehouse pulls through the API, plus an optional
  /// webhook); any other value names a warehouse connector plugin.
  std::string connector = "api";
  std::string webhook_url;  ///< Empty: no webhook; the warehouse pulls.
  std::chrono::milliseconds webhook_timeout{std::chrono::seconds{10}};
  std::optional<Secret> webhook_token;  ///< Sent as a bearer token to the webhook.
  std::vector<PluginOption> options;
};

struct OutboxConfig {
  int max_attempts = 10;
  std::chrono::milliseconds backoff_initial{std::chrono::seconds{1}};
  std::chrono::milliseconds backoff_max{std::chrono::minutes{5}};
};

/// How the sync engine walks each shop's modified-time windows (daemon/sync).
struct SyncConfig {
  std::chrono::milliseconds backfill{std::chrono::hours{24 * 3}};    ///< First start: how far back to read.
  std::chrono::milliseconds lag{std::chrono::seconds{30}};           ///< Windows end at least this long before now.
  std::chrono::milliseconds overlap{std::chrono::minutes{2}};        ///< Each poll starts this long before the cursor.
  std::chrono::milliseconds window{std::chrono::minutes{30}};        ///< Longest window per call (at most 1d).
  std::chrono::milliseconds reconcile_every{std::chrono::hours{1}};  ///< How often the reconciliation sweep runs.
  std::chrono::milliseconds reconcile_span{std::chrono::hours{24}};  ///< How far back the sweep re-reads.
  friend bool operator==(const SyncConfig&, const SyncConfig&) = default;
};

/// Settings of the workflows that decide whether an order may go to the warehouse.
struct WorkflowsConfig {
  /// Paid orders wait this long before release, so a buyer's change of mind (address, cancel)
  /// arrives before picking starts; 0 releases at once. Lifted early with `erpctl release --force`.
  std::chrono::milliseconds release_delay{0};
  /// The intercept defaults as written under workflows.intercept (`enabled`: the memo is set);
  /// what a shop uses is ShopConfig::intercept.
  InterceptConfig intercept;
  friend bool operator==(const WorkflowsConfig&, const WorkflowsConfig&) = default;
};

struct LogConfig {
  std::string level = "info";  ///< trace | debug | info | warn | error
};

struct Config {
  std::filesystem::path source;  ///< The file it was read from (absolute).
  DatabaseConfig database;
  PluginsConfig plugins;
  ApiConfig api;
  std::vector<ShopConfig> shops;
  WarehouseConfig warehouse;
  OutboxConfig outbox;
  SyncConfig sync;
  LogConfig log;
  WorkflowsConfig workflows;
};

}  // namespace erp::daemon::config
