#pragma once
// The local HTTP API that erpctl, warehouse systems and monitoring talk to: the Router on the
// generic Beast transport (http::HttpServer). Bound to 127.0.0.1 by default; every route but
// /healthz and the shops' push paths needs the bearer token.

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "erp/adapter.hpp"
#include "erp/warehouse.hpp"
#include "holds/release_gate.hpp"
#include "metrics/metrics.hpp"
#include "store/store.hpp"
#include "workflows/intercept/intercept_service.hpp"

namespace erp::daemon::workflows::dropship {
class DropshipService;
}
namespace erp::daemon::workflows::deadline {
class DeadlineService;
}

namespace erp::daemon::api {

/// What the API reads from and acts on. All references outlive the server.
struct ApiDeps {
  store::Store& store;
  holds::HoldService& holds;
  metrics::Registry& metrics;
  /// The body of GET /v1/status (version, shops, plugins, counts ...), built by the daemon.
  std::function<nlohmann::json()> status;
  /// Asks the outbox dispatcher to look for work now (after a retry was requested).
  std::function<void()> wake_outbox;
  /// Shops whose sync needs a person, for GET /v1/alerts: a JSON array of {shop, platform,
  /// state, last_error}. Unset: none.
  std::function<nlohmann::json()> sync_alerts = {};
  /// "Sync now" (POST /v1/shops/{shop}/sync): false when no sync worker runs for the shop. Unset:
  /// always false.
  std::function<bool(const std::string& shop)> sync_now = {};
  /// Whether `path` (the raw request path, without the query) is a push path some running shop
  /// takes platform pushes on (rule D11): such a request needs no bearer token. Unset: none is.
  std::function<bool(const std::string& path)> is_push_path = {};
  /// Takes a POST on a push path and says how to answer the platform. Unset: none is taken.
  std::function<sdk::PushReply(const std::string& path, const sdk::PushRequest& request)> push = {};
  /// The running adapter of a shop (receiver decryption, rule D10); null when the shop is
  /// unknown, disabled or failed. Unset: no shop has one.
  std::function<std::shared_ptr<sdk::PlatformAdapter>(const std::string& shop)> adapter = {};
  /// The intercept workflow (rules I1-I9). Null: the intercept routes answer 503.
  workflows::intercept::InterceptService* intercepts = nullptr;
  /// The dropship hub (rules D1-D11). Null: the dropship and factory routes answer 503 / 401.
  workflows::dropship::DropshipService* dropship = nullptr;
  /// The factory whose token this is (compared in constant time), for the factory API. Unset: none.
  std::function<std::optional<std::string>(std::string_view token)> factory_for_token = {};
  /// Reads the platforms' dropship state again now (rule D11). Unset: POST answers 503.
  std::function<void()> dropship_reconcile = {};
  /// The deadline engine (rules S1-S13). Null: its write routes answer 503.
  workflows::deadline::DeadlineService* deadlines = nullptr;
  /// Whether `path` (without the query) is the warehouse connector's inbound path
  /// (warehouse.inbound_path): no bearer token, the connector checks the signature. Unset: none is.
  std::function<bool(const std::string& path)> is_warehouse_path = {};
  /// Verifies, applies and answers one warehouse call on that path. Unset: none is taken.
  std::function<sdk::PushReply(const sdk::WarehouseCall& call)> warehouse_call = {};
};

/// Limits that keep a slow or hostile local client from tying the daemon up.
struct ServerOptions {
  std::size_t body_limit = 1024 * 1024;  ///< Larger request bodies get 413.
  std::size_t header_limit = 16 * 1024;  ///< Larger request headers get 431.
  /// From connection (or the previous response) to a complete request header; also the
  /// keep-alive idle time.
  std::chrono::milliseconds header_timeout{std::chrono::seconds{30}};
  std::chrono::milliseconds body_timeout{std::chrono::seconds{60}};   ///< To read the body.
  std::chrono::milliseconds write_timeout{std::chrono::seconds{60}};  ///< To send a response.
  std::size_t max_connections = 256;                                  ///< Further connections are closed at once.
};

class Server {
 public:
  Server(boost::asio::io_context& io, ApiDeps deps, std::string token);
  Server(boost::asio::io_context& io, ApiDeps deps, std::string token, ServerOptions options);
  ~Server();

  /// Binds and starts accepting. Port 0 picks a free port; port() tells which.
  sdk::Result<void> listen(const std::string& host, std::uint16_t port);
  std::uint16_t port() const noexcept;

  /// Swaps the bearer token (config reload).
  void set_token(std::string token);

  /// Stops accepting; in-flight requests finish on their own (their connections then close
  /// instead of being kept alive).
  void stop();

  /// Connections open right now (tests, status).
  std::size_t connections() const noexcept;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace erp::daemon::api
