#include "app/daemon.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <thread>

#include "api/token.hpp"
#include "app/logging.hpp"
#include "app/plugin_checks.hpp"
#include "app/status.hpp"
#include "app/version.hpp"
#include "app/warehouse_setup.hpp"
#include "config/loader.hpp"
#include "core/time_format.hpp"
#include "dropship/dropship_handlers.hpp"
#include "erp/version.hpp"
#include "memo/memo_handler.hpp"
#include "net/curl_http_client.hpp"
#include "shipping/platform_ship_handler.hpp"
#include "shipping/shipment_recorder.hpp"
#include "warehouse/alert_webhook.hpp"
#include "warehouse/delivery.hpp"
#include "warehouse/inbound_intake.hpp"
#include "warehouse/lock_handler.hpp"
#include "workflows/deadline/deadline_workflow.hpp"
#include "workflows/dropship/dropship_workflow.hpp"
#include "workflows/gift/gift_workflow.hpp"
#include "workflows/intercept/intercept_workflow.hpp"

namespace erp::daemon::app {
namespace {

constexpr auto kHoldSweepInterval = std::chrono::seconds{1};
// Scheduled intercept unlocks (rule I7) are due at a time of day; half a minute late is on time.
constexpr auto kUnlockSweepInterval = std::chrono::seconds{30};
// Gift timers (tag window refetches, G2; shipment verification, G5): two indexed reads a sweep,
// so looking every second costs nothing and keeps their times as exact as the configured ones.
constexpr auto kGiftSweepInterval = std::chrono::seconds{1};
constexpr auto kOutboxDrainDeadline = std::chrono::seconds{10};
constexpr auto kRequestDrainDeadline = std::chrono::seconds{2};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "none" : out;
}

// Settings read once at start; a reload that changes them is applied only after a restart.
std::vector<std::string> restart_only_changes(const config::Config& running, const config::Config& next) {
  std::vector<std::string> changed;
  if (running.database.path != next.database.path) changed.push_back("database.path");
  if (running.plugins.dir != next.plugins.dir) changed.push_back("plugins.dir");
  if (running.api.listen_host != next.api.listen_host || running.api.listen_port != next.api.listen_port)
    changed.push_back("api.listen");
  if (running.api.token_file != next.api.token_file) changed.push_back("api.token_file");
  if (running.api.port_file != next.api.port_file) changed.push_back("api.port_file");
  return changed;
}

void write_port_file(const std::filesystem::path& file, std::uint16_t port) {
  if (file.empty()) return;
  const auto temp = file.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << port << "\n";
  }
  std::filesystem::rename(temp, file);
}

}  // namespace

Daemon::Daemon(config::Config config)
    : config_(std::move(config)),
      work_(boost::asio::make_work_guard(io_)),
      signals_(io_, SIGTERM, SIGINT, SIGHUP),
      hold_timer_(io_),
      watchdog_timer_(io_),
      plugins_(config_.plugins.dir),
      http_(std::make_shared<net::CurlHttpClient>()),
      clock_(std::make_shared<sync::SystemSyncClock>()),
      shops_(plugins_, http_, clock_) {}

Daemon::~Daemon() {
  if (stopper_.joinable()) stopper_.join();
}

int Daemon::run() {
  const auto t0 = std::chrono::steady_clock::now();
  started_at_ = now_utc();
  if (auto started = start(); !started) {
    spdlog::error("erpd could not start: {}", started.error().message);
    return 1;
  }
  const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 2U, 4U);
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([this] { serve(); });
  state_ = State::running;
  notify_.ready();
  const auto ready_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  {
    std::lock_guard lock(config_mutex_);
    spdlog::info("erpd {} ready in {} ms: API on {}:{}, {} shop(s), {} plugin(s) loaded, database {}",
                 kDaemonVersion, ready_ms, config_.api.listen_host, api_->port(), config_.shops.size(),
                 plugins_.loaded().size(), config_.database.path.string());
  }
  serve();
  for (auto& thread : pool) thread.join();
  if (stopper_.joinable()) stopper_.join();
  spdlog::info("erpd stopped");
  return exit_code_;
}

void Daemon::serve() {
  for (;;) {
    try {
      io_.run();
      return;
    } catch (const std::exception& e) {
      // A bug in one handler must not take the daemon down with the orders it holds.
      spdlog::error("unexpected error in the event loop (continuing): {}", e.what());
    }
  }
}

sdk::Result<void> Daemon::start() {
  config::Config config;
  {
    std::lock_guard lock(config_mutex_);
    config = config_;
  }
  auto opened = store::Store::open(config.database.path);
  if (!opened) return std::move(opened).error();
  store_ = std::move(opened).value();
  shops_.set_state_store(store_.get());

  gate_ = std::make_unique<holds::ReleaseGate>(
      *store_, [this, enqueue = warehouse::enqueue_delivery_on_release(*store_)](
                   store::Tx& tx, const store::StoredOrder& order, sdk::Instant now) {
        if (!push_deliveries_) return;  // the warehouse pulls released orders through the API
        enqueue(tx, order, now);
        // The dispatcher's claim waits for this transaction (the store's lock), so it sees the row.
        outbox_->wake();
      });
  holds_ = std::make_unique<holds::HoldService>(*store_, *gate_);
  pipeline_ = std::make_unique<workflows::OrderPipeline>(*store_, *gate_);
  release_delay_ = std::make_shared<workflows::ReleaseDelay>(*store_);
  pipeline_->add(release_delay_);
  outbox_ = std::make_unique<outbox::Dispatcher>(io_, *store_, metrics_);
  intercepts_ = std::make_unique<workflows::intercept::InterceptService>(
      *store_, *gate_, [this](const std::string& shop) { return intercept_settings_.lookup(shop); },
      workflows::intercept::ServiceHooks{
          [this] { outbox_->wake(); }, [this] { return push_deliveries_.load(); },
          [this](const std::string& shop, std::string_view outcome) {
            metrics_.add("erpd_intercepts_total", {{"shop", shop}, {"outcome", std::string(outcome)}});
          }});
  pipeline_->add(std::make_shared<workflows::intercept::InterceptWorkflow>(*intercepts_));
  gifts_ = std::make_unique<workflows::gift::GiftService>(
      *store_, *gate_, [this](const std::string& shop) { return gift_settings_.lookup(shop); },
      workflows::gift::GiftHooks{[this] { outbox_->wake(); },
                                 [this](const OrderKey& key) {
                                   if (refetcher_) refetcher_->request(key);
                                 }});
  pipeline_->add(std::make_shared<workflows::gift::GiftWorkflow>(*gifts_));
  dropship_ = std::make_unique<workflows::dropship::DropshipService>(
      *store_, *gate_, workflows::dropship::Hooks{[this] { outbox_->wake(); }});
  // Last: it places its DROPSHIP hold seeing what the other workflows decided.
  pipeline_->add(std::make_shared<workflows::dropship::DropshipWorkflow>(*dropship_));
  deadlines_ = std::make_unique<workflows::deadline::DeadlineService>(
      *store_, workflows::deadline::Hooks{
                   [this](const OrderKey& key) { return gifts_->is_reservation(key); },
                   [this](store::Tx& tx, const store::NewAlert& alert, store::Instant now) {
                     if (!push_alerts_) return;  // no webhook: the warehouse reads /v1/alerts
                     warehouse::enqueue_alert(*store_, tx, alert, now);
                     outbox_->wake();
                   }});
  // After the others: it reads the holds and links they decided.
  pipeline_->add(std::make_shared<workflows::deadline::DeadlineWorkflow>(*deadlines_));
  // Workers start in apply(), once the shops' adapters exist.
  sync_ = std::make_unique<sync::SyncEngine>(sync::ShopSyncDeps{*store_, *pipeline_, metrics_}, clock_);
  // Fetches look the adapter up when they run, so a reloaded shop's new adapter is used.
  push_ = std::make_unique<sync::PushIntake>(
      sync::PushDeps{*store_, *pipeline_, metrics_, [this](const std::string& shop) { return shops_.adapter(shop); }},
      clock_);
  refetcher_ = std::make_unique<sync::OrderRefetcher>(
      sync::PushDeps{*store_, *pipeline_, metrics_, [this](const std::string& shop) { return shops_.adapter(shop); }},
      clock_);
  dropship_poller_ = std::make_unique<sync::DropshipPoller>(
      *store_, *dropship_, [this](const std::string& shop) { return shops_.adapter(shop); }, clock_);
  push_->on_dropship_message([this](const std::string& shop) { dropship_poller_->nudge(shop); });
  warehouse_inbound_ = std::make_unique<warehouse::InboundIntake>(
      warehouse::InboundDeps{*store_, *intercepts_, dropship_.get(), [this] { outbox_->wake(); }}, metrics_);
  register_metrics();
  if (auto applied = apply(config); !applied) return applied;

  auto token = api::load_or_create_token(config.api.token_file);
  if (!token) return std::move(token).error();
  api_ = std::make_unique<api::Server>(
      io_,
      api::ApiDeps{
          *store_, *holds_, metrics_, [this] { return status_json(); }, [this] { outbox_->wake(); },
          [this] { return sync_alerts_json(); }, [this](const std::string& shop) { return sync_->sync_now(shop); },
          [this](const std::string& path) { return push_->is_push_path(path); },
          [this](const std::string& path, const sdk::PushRequest& request) { return push_->receive(path, request); },
          [this](const std::string& shop) { return shops_.adapter(shop); }, intercepts_.get(), dropship_.get(),
          [this](std::string_view presented) { return factory_tokens_.factory_of(presented); },
          [this] { dropship_poller_->nudge(); }, deadlines_.get(),
          [this](const std::string& path) { return warehouse_inbound_->is_inbound_path(path); },
          [this](const sdk::WarehouseCall& call) { return warehouse_inbound_->receive(call); }},
      std::move(token).value());
  if (auto listening = api_->listen(config.api.listen_host, config.api.listen_port); !listening) {
    return std::move(listening).error();
  }
  try {
    write_port_file(config.api.port_file, api_->port());
  } catch (const std::exception& e) {
    return sdk::fail(sdk::ErrorCode::config_error,
                     "cannot write api.port_file " + config.api.port_file.string() + ": " + e.what());
  }

  outbox_->start();
  sweep_holds();
  if (auto interval = notify_.watchdog_ping_interval()) {
    spdlog::info("systemd watchdog on: pinging every {} ms",
                 std::chrono::duration_cast<std::chrono::milliseconds>(*interval).count());
    ping_watchdog();
  }
  wait_for_signals();
  return {};
}

sdk::Result<void> Daemon::apply(const config::Config& config) {
  set_log_level(config.log.level);
  release_delay_->set_delay(config.workflows.release_delay);
  const ShopChanges changes = shops_.apply(config.shops);
  if (!changes.empty()) {
    spdlog::info("shops: added {}; removed {}; changed {}", join(changes.added), join(changes.removed),
                 join(changes.changed));
  }
  intercept_settings_.apply(config.shops, [this](const std::string& shop) { return shops_.adapter(shop); });
  gift_settings_.apply(config.shops);
  if (auto dropship = apply_dropship(config); !dropship) return dropship;
  {
    workflows::deadline::Settings deadlines{config.workflows.deadlines, config.calendar, {}};
    for (const auto& shop : config.shops) deadlines.shops[shop.id] = shop.deadlines;
    deadlines_->apply(std::move(deadlines));
  }
  std::vector<sync::ShopSyncSpec> syncing;
  for (const auto& shop : shops_.snapshot()) {
    if (!shop.adapter) continue;  // disabled, or its adapter could not be made
    syncing.push_back({shop.config.platform, shop.config.id, shop.config.poll_interval, shop.adapter, shop.http});
  }
  // Unchanged shops keep their workers; added, changed and removed ones are started or stopped.
  // A retired worker is joined here: it leaves at its next page boundary, so a reload waits at
  // most for one request in flight (bounded by the HTTP timeout), never for a whole window.
  sync_->apply(config.sync, std::move(syncing));
  std::vector<sync::PushShop> pushing;
  for (const auto& shop : config.shops) {
    if (shop.enabled) pushing.push_back({shop.platform, shop.id, shop.push_path});
  }
  push_->configure(pushing);
  auto warehouse = setup_warehouse(config.warehouse, *store_, plugins_, http_, clock_);
  if (!warehouse) return std::move(warehouse).error();
  push_deliveries_ = warehouse->pushes;
  push_alerts_ = warehouse->alerts;
  // The builtin connector has no inbound path: its warehouse calls the API with the token.
  warehouse_inbound_->configure(config.warehouse.inbound_path, warehouse->connector);
  outbox::HandlerMap handlers = std::move(warehouse->handlers);
  if (warehouse->connector) {
    handlers[workflows::intercept::kLockKind] =
        std::make_shared<warehouse::LockHandler>(*store_, *intercepts_, warehouse->connector, false);
    handlers[workflows::intercept::kUnlockKind] =
        std::make_shared<warehouse::LockHandler>(*store_, *intercepts_, warehouse->connector, true);
  }
  // Seller memos (rules I3, I6) go through the shop's adapter as it runs when the item does.
  handlers[workflows::intercept::kMemoKind] = std::make_shared<memo::MemoHandler>(
      *store_, *intercepts_, [this](const std::string& shop) { return shops_.adapter(shop); });
  // Waybill uploads look the adapter up when they run, so a reloaded shop's new adapter is used.
  handlers[shipping::kPlatformShipKind] = std::make_shared<shipping::PlatformShipHandler>(
      *store_, [this](const std::string& shop) { return shops_.adapter(shop); });
  const dropship::AdapterLookup adapters = [this](const std::string& shop) { return shops_.adapter(shop); };
  handlers[workflows::dropship::kDistributeKind] = std::make_shared<dropship::DistributeHandler>(*dropship_, adapters);
  handlers[workflows::dropship::kCancelKind] = std::make_shared<dropship::CancelDistributionHandler>(adapters);
  handlers[workflows::dropship::kWaybillReturnKind] =
      std::make_shared<dropship::WaybillReturnHandler>(*dropship_, adapters);
  handlers[workflows::dropship::kNotifyKind] = std::make_shared<dropship::FactoryNotifyHandler>(*dropship_, http_);
  outbox_->configure(config.outbox, std::move(handlers));
  return {};
}

sdk::Result<void> Daemon::apply_dropship(const config::Config& config) {
  if (auto tokens = factory_tokens_.load(config.workflows.dropship.factories); !tokens) return tokens;
  workflows::dropship::Settings settings;
  settings.config = config.workflows.dropship;
  std::vector<sync::DropshipShop> polled;
  for (const auto& shop : config.shops) {
    const auto adapter = shops_.adapter(shop.id);
    const bool channel = adapter && adapter->capabilities().dropship;
    settings.shops[shop.id] = {shop.platform, shop.dropship_role, channel};
    const bool factory = shop.dropship_role == config::DropshipRole::factory;
    if (channel) polled.push_back({shop.platform, shop.id, factory});
  }
  dropship_->apply(std::move(settings));
  // D1: a shop's identity is fixed once it has a binding; refusing here keeps the old config.
  if (const auto conflicts = dropship_->settle_roles(now_utc()); !conflicts.empty())
    return sdk::fail(sdk::ErrorCode::config_error, conflicts.front());
  sync::DropshipPollerOptions options;
  options.every = config.workflows.dropship.reconcile_every;
  dropship_poller_->configure(options, std::move(polled));
  return {};
}

void Daemon::wait_for_signals() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal_number) {
    if (ec) return;
    on_signal(signal_number);
    if (state_ != State::stopping || signal_number != SIGHUP) wait_for_signals();
  });
}

void Daemon::on_signal(int signal_number) {
  if (signal_number == SIGHUP) {
    if (state_ == State::stopping) return;
    reload();
    return;
  }
  if (state_ == State::stopping) {
    spdlog::warn("second stop signal: stopping now without waiting for in-flight work");
    io_.stop();
    return;
  }
  spdlog::info("received {}: stopping gracefully", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  stop();
}

void Daemon::reload() {
  state_ = State::reloading;
  notify_.reloading();
  std::filesystem::path source;
  {
    std::lock_guard lock(config_mutex_);
    source = config_.source;
  }
  spdlog::info("SIGHUP: reloading {}", source.string());
  auto reject = [this](const std::vector<std::string>& problems) {
    for (const auto& problem : problems) spdlog::error("reload: {}", problem);
    const std::string message = std::to_string(problems.size()) + " problem(s); still running the previous config";
    spdlog::error("config reload rejected: {}", message);
    std::lock_guard lock(config_mutex_);
    last_reload_ = LastReload{now_utc(), false, message + ": " + problems.front()};
    metrics_.add("erpd_config_reloads_total", {{"result", "rejected"}});
  };

  auto loaded = config::load_config(source);
  std::vector<std::string> problems;
  for (const auto& issue : loaded.issues) problems.push_back(issue.to_string());
  if (problems.empty()) problems = check_plugins(*loaded.config, plugins_);
  if (!problems.empty()) {
    reject(problems);
  } else {
    config::Config next = std::move(*loaded.config);
    config::Config running;
    {
      std::lock_guard lock(config_mutex_);
      running = config_;
    }
    const auto restart_only = restart_only_changes(running, next);
    if (!restart_only.empty()) {
      spdlog::warn("reload: {} changed; that takes effect only after a restart", join(restart_only));
      next.database = running.database;
      next.plugins = running.plugins;
      next.api = running.api;
    }
    if (auto applied = apply(next); !applied) {
      reject({applied.error().message});
      // Back to what was running; it was valid a moment ago.
      if (auto back = apply(running); !back) spdlog::error("reload: restoring the previous config: {}", back.error().message);
    } else {
      {
        std::lock_guard lock(config_mutex_);
        config_ = next;
        last_reload_ = LastReload{now_utc(), true, "reloaded"};
      }
      metrics_.add("erpd_config_reloads_total", {{"result", "applied"}});
      spdlog::info("config reloaded: {} shop(s)", next.shops.size());
    }
  }
  state_ = State::running;
  notify_.ready();
}

void Daemon::stop() {
  state_ = State::stopping;
  notify_.stopping();
  if (api_) api_->stop();
  hold_timer_.cancel();
  watchdog_timer_.cancel();
  // Waiting for the outbox blocks, so it happens off the event loop, which keeps serving the
  // requests already in flight meanwhile.
  stopper_ = std::thread([this] {
    // Workers leave at the next page boundary; a request in flight ends by its HTTP timeout.
    if (sync_) sync_->stop();
    // After the sync: its stop also ends the shops' waits for request budget.
    if (push_) push_->stop();
    if (refetcher_) refetcher_->stop();
    if (dropship_poller_) dropship_poller_->stop();
    if (!outbox_->stop(kOutboxDrainDeadline)) {
      spdlog::warn("an outbox side effect was still in flight after {} s; it will be retried with the same "
                   "idempotency key on the next start",
                   kOutboxDrainDeadline.count());
    }
    boost::asio::post(io_, [this] {
      signals_.cancel();
      work_.reset();
    });
    const auto deadline = std::chrono::steady_clock::now() + kRequestDrainDeadline;
    while (!io_.stopped() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    io_.stop();
  });
}

void Daemon::sweep_holds() {
  if (state_ == State::stopping) return;
  try {
    const int released = holds_->release_due(now_utc());
    if (released > 0) spdlog::info("released {} hold(s) whose auto-release time came", released);
  } catch (const std::exception& e) {
    spdlog::error("hold auto-release failed (will try again): {}", e.what());
  }
  if (const auto now = std::chrono::steady_clock::now(); now >= next_unlock_sweep_) {
    next_unlock_sweep_ = now + kUnlockSweepInterval;
    try {
      const int unlocked = intercepts_->unlock_due(now_utc());
      if (unlocked > 0) spdlog::info("unlocked {} intercepted order(s) whose shop's unlock time came (rule I7)", unlocked);
    } catch (const std::exception& e) {
      spdlog::error("scheduled intercept unlock failed (will try again): {}", e.what());
    }
  }
  if (const auto now = std::chrono::steady_clock::now(); now >= next_gift_sweep_) {
    next_gift_sweep_ = now + kGiftSweepInterval;
    try {
      const auto swept = gifts_->sweep(now_utc());
      if (swept.linked > 0) spdlog::info("linked {} reservation order(s) that arrived after their tag (rule G2)", swept.linked);
      if (swept.alerts > 0) spdlog::warn("{} gift alert(s) raised: see erpctl alerts", swept.alerts);
    } catch (const std::exception& e) {
      spdlog::error("gift sweep failed (will try again): {}", e.what());
    }
  }
  if (const auto now = std::chrono::steady_clock::now(); now >= next_deadline_sweep_) {
    std::chrono::milliseconds every;
    {
      std::lock_guard lock(config_mutex_);
      every = config_.workflows.deadlines.sweep_every;
    }
    next_deadline_sweep_ = now + every;
    try {
      const auto swept = deadlines_->sweep(now_utc());
      if (swept.late > 0 || swept.at_risk > 0 || swept.pickup_missing > 0 || swept.fake_shipping > 0 ||
          swept.after_sale_due > 0)
        spdlog::warn(
            "deadlines: {} order(s) now late, {} at risk, {} without a pickup scan, {} at fake-shipping risk, {} "
            "after-sale step(s) due: see erpctl alerts",
            swept.late, swept.at_risk, swept.pickup_missing, swept.fake_shipping, swept.after_sale_due);
    } catch (const std::exception& e) {
      spdlog::error("deadline sweep failed (will try again): {}", e.what());
    }
  }
  try {
    push_->prune_if_due();  // at most once an hour
  } catch (const std::exception& e) {
    spdlog::error("forgetting old push message ids failed (will try again in an hour): {}", e.what());
  }
  hold_timer_.expires_after(kHoldSweepInterval);
  hold_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) sweep_holds();
  });
}

void Daemon::ping_watchdog() {
  auto interval = notify_.watchdog_ping_interval();
  if (!interval || state_ == State::stopping) return;
  notify_.watchdog();
  watchdog_timer_.expires_after(*interval);
  watchdog_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) ping_watchdog();
  });
}

nlohmann::json Daemon::status_json() {
  StatusFacts facts;
  {
    std::lock_guard lock(config_mutex_);
    facts.config = config_;
    facts.last_reload = last_reload_;
  }
  facts.state = state_ == State::running     ? "running"
                : state_ == State::reloading ? "reloading"
                : state_ == State::stopping  ? "stopping"
                                             : "starting";
  facts.started_at = started_at_;
  facts.now = now_utc();
  facts.api_port = api_ ? api_->port() : 0;
  facts.schema_version = store_->schema_version();
  facts.counts = store_->counts();
  facts.shops = shops_.snapshot();
  facts.sync = sync_ ? sync_->statuses() : std::vector<sync::ShopSyncStatus>{};
  // A shop without a worker (disabled, failed) still shows how far its sync had come.
  for (const auto& shop : facts.shops) {
    const bool has_worker = std::any_of(facts.sync.begin(), facts.sync.end(),
                                        [&](const sync::ShopSyncStatus& s) { return s.shop == shop.config.id; });
    if (has_worker) continue;
    sync::ShopSyncStatus stopped;
    stopped.platform = shop.config.platform;
    stopped.shop = shop.config.id;
    stopped.state = sync::SyncState::stopped;
    if (auto cursor = store_->cursor(shop.config.platform, shop.config.id, sync::kModifiedCursor)) {
      stopped.cursor = parse_rfc3339(*cursor);
    }
    facts.sync.push_back(std::move(stopped));
  }
  facts.plugins = plugins_.loaded();
  return build_status(facts);
}

nlohmann::json Daemon::sync_alerts_json() {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& shop : shops_.snapshot()) {
    if (shop.state == "failed") {
      out.push_back({{"shop", shop.config.id}, {"platform", shop.config.platform}, {"state", "failed"},
                     {"last_error", shop.detail}});
    }
  }
  for (const auto& status : sync_->statuses()) {
    if (status.state != sync::SyncState::needs_reauth && status.state != sync::SyncState::config_error) continue;
    out.push_back({{"shop", status.shop}, {"platform", status.platform},
                   {"state", std::string(sync::to_string(status.state))}, {"last_error", status.last_error}});
  }
  return out;
}

void Daemon::register_metrics() {
  metrics_.describe("erpd_config_reloads_total", "counter", "SIGHUP reloads by result (applied, rejected).");
  metrics_.describe("erpd_build_info", "gauge", "Daemon version and plugin ABI version.");
  metrics_.describe("erpd_intercepts_total", "counter",
                    "Intercept decisions by shop and outcome (locked, awaiting_warehouse, memo_only, too_late, "
                    "cancelled, unlocked, resolved).");
  metrics_.describe("erpd_uptime_seconds", "gauge", "Seconds since the daemon started.");
  metrics_.describe("erpd_orders", "gauge", "Stored orders by daemon state (all, held, released).");
  metrics_.describe("erpd_holds_active", "gauge", "Active holds on orders.");
  metrics_.describe("erpd_outbox_items", "gauge", "Outbox side effects by state.");
  metrics_.describe("erpd_quarantined_payloads", "gauge", "Platform payloads kept in quarantine.");
  metrics_.describe("erpd_shops", "gauge", "Configured shops by state (ok, disabled, failed).");
  metrics_.describe("erpd_plugins_loaded", "gauge", "Plugin libraries loaded.");
  metrics_.describe("erpd_deadline_alerts_open", "gauge",
                    "Open deadline alerts by kind (at_risk, late, pickup_missing, fake_shipping_risk; rules S1-S3).");
  metrics_.set("erpd_build_info",
               {{"version", kDaemonVersion}, {"abi_version", std::to_string(sdk::kAbiVersion)}}, 1);
  metrics_.add_collector([this](metrics::Registry& registry) {
    const auto counts = store_->counts();
    registry.set("erpd_uptime_seconds", {},
                 static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(now_utc() - started_at_).count()));
    registry.set("erpd_orders", {{"state", "all"}}, static_cast<double>(counts.orders));
    registry.set("erpd_orders", {{"state", "held"}}, static_cast<double>(counts.held_orders));
    registry.set("erpd_orders", {{"state", "released"}}, static_cast<double>(counts.released_orders));
    registry.set("erpd_holds_active", {}, static_cast<double>(counts.active_holds));
    registry.set("erpd_outbox_items", {{"state", "pending"}}, static_cast<double>(counts.outbox_pending));
    registry.set("erpd_outbox_items", {{"state", "in_flight"}}, static_cast<double>(counts.outbox_in_flight));
    registry.set("erpd_outbox_items", {{"state", "dead"}}, static_cast<double>(counts.outbox_dead));
    registry.set("erpd_quarantined_payloads", {}, static_cast<double>(counts.quarantined));
    std::map<std::string, int> by_state{{"ok", 0}, {"disabled", 0}, {"failed", 0}};
    for (const auto& shop : shops_.snapshot()) ++by_state[shop.state];
    for (const auto& [state, n] : by_state) registry.set("erpd_shops", {{"state", state}}, n);
    registry.set("erpd_plugins_loaded", {}, static_cast<double>(plugins_.loaded().size()));
    // From the open alerts (a partial index), not the deadline rows: a scrape must not read a
    // million orders while ingest waits for the store.
    std::map<std::string, std::int64_t> alerts{{workflows::deadline::kAlertAtRisk, 0},
                                               {workflows::deadline::kAlertLate, 0},
                                               {workflows::deadline::kAlertPickupMissing, 0},
                                               {workflows::deadline::kAlertFakeShipping, 0}};
    for (const auto& [kind, n] : store_->count_open_alerts("deadline.")) alerts[kind] = n;
    for (const auto& [kind, n] : alerts) registry.set("erpd_deadline_alerts_open", {{"kind", kind.substr(9)}}, static_cast<double>(n));
  });
}

}  // namespace erp::daemon::app
