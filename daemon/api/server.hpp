#pragma once
// The local HTTP API (Boost.Beast) that erpctl, warehouse systems and monitoring talk to.
// Bound to 127.0.0.1 by default; every route but /healthz needs the bearer token.

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "holds/release_gate.hpp"
#include "metrics/metrics.hpp"
#include "store/store.hpp"

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
};

class Server {
 public:
  Server(boost::asio::io_context& io, ApiDeps deps, std::string token);
  ~Server();

  /// Binds and starts accepting. Port 0 picks a free port; port() tells which.
  sdk::Result<void> listen(const std::string& host, std::uint16_t port);
  std::uint16_t port() const noexcept;

  /// Swaps the bearer token (config reload).
  void set_token(std::string token);

  /// Stops accepting; in-flight requests finish on their own.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace erp::daemon::api
