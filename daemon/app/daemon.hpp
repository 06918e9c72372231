#pragma once
// erpd's lifecycle: start everything from a validated config, serve until SIGTERM/SIGINT, reload
// on SIGHUP (an invalid new config is rejected and the old one keeps running), stop gracefully.

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "api/server.hpp"
#include "app/factory_tokens.hpp"
#include "app/gift_settings.hpp"
#include "app/intercept_settings.hpp"
#include "app/shop_registry.hpp"
#include "app/status.hpp"
#include "app/systemd_notify.hpp"
#include "config/config.hpp"
#include "holds/release_gate.hpp"
#include "metrics/metrics.hpp"
#include "outbox/dispatcher.hpp"
#include "plugin_host/plugin_host.hpp"
#include "store/store.hpp"
#include "sync/dropship_poller.hpp"
#include "sync/order_refetcher.hpp"
#include "sync/push_intake.hpp"
#include "sync/sync_clock.hpp"
#include "sync/sync_engine.hpp"
#include "warehouse/inbound_intake.hpp"
#include "workflows/deadline/deadline_service.hpp"
#include "workflows/dropship/dropship_service.hpp"
#include "workflows/gift/gift_service.hpp"
#include "workflows/order_pipeline.hpp"
#include "workflows/release_delay.hpp"

namespace erp::daemon::app {

class Daemon {
 public:
  explicit Daemon(config::Config config);
  ~Daemon();

  /// Starts, serves until asked to stop, and returns the process exit code
  /// (0 clean stop, 1 could not start or failed while running).
  int run();

 private:
  sdk::Result<void> start();
  void serve();
  void wait_for_signals();
  void on_signal(int signal_number);
  void reload();
  void stop();
  /// Shops, warehouse connector, outbox policy and log level: what a reload may change.
  sdk::Result<void> apply(const config::Config& config);
  /// The dropship hub's part of apply(): factory tokens, settings, D1 roles, the poller.
  sdk::Result<void> apply_dropship(const config::Config& config);
  void sweep_holds();
  void ping_watchdog();
  nlohmann::json status_json();
  /// Shops whose adapter could not be made or whose sync needs re-authorization or a config fix.
  nlohmann::json sync_alerts_json();
  void register_metrics();

  enum class State { starting, running, reloading, stopping };

  std::mutex config_mutex_;  ///< Guards config_ and last_reload_ (read by the API's threads).
  config::Config config_;

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer hold_timer_;
  boost::asio::steady_timer watchdog_timer_;

  metrics::Registry metrics_;
  plugin_host::PluginHost plugins_;
  std::shared_ptr<sdk::HttpClient> http_;
  std::shared_ptr<const sync::SyncClock> clock_;
  ShopRegistry shops_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<holds::ReleaseGate> gate_;
  std::unique_ptr<holds::HoldService> holds_;
  std::unique_ptr<workflows::OrderPipeline> pipeline_;
  std::shared_ptr<workflows::ReleaseDelay> release_delay_;
  InterceptSettingsTable intercept_settings_;
  std::unique_ptr<workflows::intercept::InterceptService> intercepts_;
  std::chrono::steady_clock::time_point next_unlock_sweep_{};
  GiftSettingsTable gift_settings_;
  std::unique_ptr<workflows::gift::GiftService> gifts_;
  std::unique_ptr<workflows::dropship::DropshipService> dropship_;
  std::unique_ptr<workflows::deadline::DeadlineService> deadlines_;
  std::chrono::steady_clock::time_point next_deadline_sweep_{};
  FactoryTokens factory_tokens_;
  std::chrono::steady_clock::time_point next_gift_sweep_{};
  /// Declared after the store and the pipeline, so it is destroyed (its workers joined) first.
  std::unique_ptr<sync::SyncEngine> sync_;
  /// Platform pushes (rule D11): the shops' fetchers. Also destroyed before the store.
  std::unique_ptr<sync::PushIntake> push_;
  /// The warehouse connector's calls in (warehouse.inbound_path).
  std::unique_ptr<warehouse::InboundIntake> warehouse_inbound_;
  /// Single orders fetched again for the gift workflow (rule G2). Also destroyed before the store.
  std::unique_ptr<sync::OrderRefetcher> refetcher_;
  std::unique_ptr<sync::DropshipPoller> dropship_poller_;
  std::unique_ptr<outbox::Dispatcher> outbox_;
  std::unique_ptr<api::Server> api_;
  SystemdNotifier notify_;

  /// Whether released orders are pushed to the warehouse (webhook or connector plugin) or only
  /// pulled through the API; read by the release gate inside its transaction.
  std::atomic<bool> push_deliveries_{false};
  std::atomic<bool> push_alerts_{false};  ///< Deadline alerts go to the warehouse's webhook too.
  std::atomic<State> state_{State::starting};
  sdk::Instant started_at_{};
  std::optional<LastReload> last_reload_;
  std::thread stopper_;
  int exit_code_ = 0;
};

}  // namespace erp::daemon::app
