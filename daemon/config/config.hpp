#pragma once
// The daemon's typed configuration, validated in full before anything starts (DESIGN "Public
// surface" fixes the key names). Secrets are held in Secret, which never prints its value.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "deadline/calendar.hpp"

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

/// Who ships a 1-yuan reservation order once its repurchase ships (rule G5): `platform` (Tmall
/// does it with the main order's waybill; the daemon verifies) or `merchant` (rule G12: the daemon
/// links repurchases by its own rules and uploads the waybill itself).
enum class GiftMode { platform, merchant };

/// One merchant-managed gift rule (rule G12): a repurchase earns its buyer's reservation gifts
/// when it meets every condition the rule sets. Rules are tried in order; the first that matches
/// and has stock left wins.
struct GiftRule {
  std::string name;  ///< Unique within the list; its stock is counted under this name.
  std::int64_t min_amount_fen = 0;  ///< The order's total at least this (0: any).
  std::int64_t min_quantity = 0;    ///< Pieces on the order at least this (0: any).
  /// The order has at least one line whose outer_sku or sku is in the set (empty: any).
  std::vector<std::string> skus;
  /// Paid within [from, until) (either may be absent). Same type as sdk::Instant.
  std::optional<std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>> from;
  std::optional<std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>> until;
  /// Gift pieces this rule may give in all (across the shops that use it); absent: no cap.
  /// Exhausted: the rule stops matching and an alert is raised.
  std::optional<std::int64_t> stock;
  int line = 0;  ///< Where the rule starts in the file, for messages.
  friend bool operator==(const GiftRule& a, const GiftRule& b) {
    return a.name == b.name && a.min_amount_fen == b.min_amount_fen && a.min_quantity == b.min_quantity &&
           a.skus == b.skus && a.from == b.from && a.until == b.until && a.stock == b.stock;
  }
};

/// The 1-yuan reservation gift workflow's settings (rules G1-G13): `workflows.gift` holds the
/// defaults, each shop's `gift:` map overrides the keys it sets (`rules` as a whole list).
/// Only Tmall shops take part.
struct GiftConfig {
  bool enabled = false;
  GiftMode mode = GiftMode::platform;
  /// G2: how long a repurchase candidate waits for the platform's reservation tag.
  std::chrono::milliseconds tag_window{std::chrono::hours{4}};
  /// G2: how often a waiting candidate is fetched again during the window.
  std::chrono::milliseconds refetch_every{std::chrono::minutes{30}};
  /// G5, platform mode: an alert is raised when a reservation is not marked shipped this long
  /// after its repurchase shipped.
  std::chrono::milliseconds verify_within{std::chrono::hours{2}};
  /// G1: an order whose every line's outer_sku or sku is in this set is a reservation order.
  std::vector<std::string> reservation_skus;
  /// G1: an order whose every line has this unit price (fen) is a reservation order; 0: off.
  std::int64_t reservation_price_fen = 100;
  /// G12 (merchant mode only): empty means every repurchase earns the gift.
  std::vector<GiftRule> rules;
  friend bool operator==(const GiftConfig&, const GiftConfig&) = default;
};

/// A shop's dropship identity (rule D1): it hands items to factories, or it is a factory that
/// ships what merchants hand it. Fixed once the shop has a binding.
enum class DropshipRole { merchant, factory };

/// A factory the merchant hands items to (rules D2-D8). It talks to the daemon's factory API with
/// its own token, which sees only its own lines (D5).
struct FactoryConfig {
  std::string id;    ///< [A-Za-z0-9_.-]{1,64}, unique.
  std::string name;  ///< For people; the id when not set.
  std::filesystem::path token_file;  ///< Its API token; created (mode 0600) when missing.
  /// The factory's own Douyin shop id: a Douyin merchant shop assigns to it through the platform
  /// (iop.sellerDistribute). Empty: the factory is not on Douyin.
  std::string douyin_shop_id;
  /// A configured shop with `dropship.role: factory` that is this factory's own platform shop:
  /// the items merchants assign to that shop on the platform are this factory's lines. Empty: none.
  std::string shop;
  /// Optional http(s) URL the daemon POSTs the factory's line events to (assigned, cancelled by
  /// the buyer: D8); empty: the factory polls.
  std::string notify_url;
  int line = 0;  ///< Where the entry starts, for messages.
  friend bool operator==(const FactoryConfig&, const FactoryConfig&) = default;
};

/// Automatic assignment (rule D4): a paid line whose sku or outer sku is listed goes to the
/// factory, if the shop has a binding with it in force. The first matching rule wins.
struct DropshipRule {
  std::string name;
  std::vector<std::string> skus;
  std::string factory;
  std::vector<std::string> shops;  ///< Empty: every merchant shop.
  friend bool operator==(const DropshipRule&, const DropshipRule&) = default;
};

/// workflows.dropship (rules D1-D11).
struct DropshipConfig {
  std::vector<FactoryConfig> factories;
  std::vector<DropshipRule> rules;
  /// D11: how often bindings, assignments and shipments are read back from the platforms.
  std::chrono::milliseconds reconcile_every{std::chrono::minutes{5}};
  friend bool operator==(const DropshipConfig&, const DropshipConfig&) = default;
};

/// workflows.deadlines (rules S1-S13): where the holiday calendars are and how early to warn.
struct DeadlineConfig {
  /// The holiday calendars' directory (config/calendars/*.yaml, rule S5); relative paths start at
  /// the config file's directory. Default: "calendars" beside the config file.
  std::filesystem::path calendars;
  /// S1: paid time + this, unless a shop sets its own `deadlines.promised`.
  std::chrono::milliseconds promised{std::chrono::hours{48}};
  /// An order not shipped this long before its ship-by is "at risk" (alert deadline.at_risk).
  std::chrono::milliseconds at_risk_before{std::chrono::hours{4}};
  /// Holds with an auto-release time are released at least this long before the ship-by, so the
  /// warehouse still has time to ship (and the order is marked urgent).
  std::chrono::milliseconds warehouse_lead{std::chrono::hours{2}};
  /// How often ship-by, pickup and after-sale deadlines are checked against the clock.
  std::chrono::milliseconds sweep_every{std::chrono::minutes{1}};
  /// A warehouse or carrier feed posts the parcels' scans (POST .../tracking). Only then is a
  /// missing pickup scan (S2) or a parcel gone quiet (S3) a sign about the parcel rather than about
  /// a feed that does not exist, so only then are they alerted.
  bool tracking_feed = false;
  friend bool operator==(const DeadlineConfig&, const DeadlineConfig&) = default;
};

/// A shop's `deadlines:` map.
struct ShopDeadlines {
  std::optional<std::chrono::milliseconds> promised;  ///< S1 per shop; workflows.deadlines.promised otherwise.
  /// S8: ids of the holiday calendars whose "open during the holiday" activity the shop joined.
  std::vector<std::string> activities;
  friend bool operator==(const ShopDeadlines&, const ShopDeadlines&) = default;
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
  /// workflows.gift merged with this shop's own `gift:` map; enabled only for Tmall shops.
  GiftConfig gift;
  /// `dropship.role` (D1); merchant when not set.
  DropshipRole dropship_role = DropshipRole::merchant;
  ShopDeadlines deadlines;
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
  /// A connector plugin's: the API path its warehouse calls in on (confirmations, reports),
  /// checked by the plugin's signature instead of the API token. Empty for the builtin connector.
  std::string inbound_path;
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
  /// The gift defaults as written under workflows.gift; what a shop uses is ShopConfig::gift.
  GiftConfig gift;
  DropshipConfig dropship;
  DeadlineConfig deadlines;
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
  /// The holiday calendars found in workflows.deadlines.calendars (rule S5), checked with the config.
  deadline::Calendar calendar;
};

}  // namespace erp::daemon::config
