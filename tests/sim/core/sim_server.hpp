#pragma once
// The simulator on the HTTP transport: parses targets into sim::Request (decoded path and query)
// and answers transport errors through the module the request was meant for.

#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <string>

#include "http/http_server.hpp"
#include "simulator.hpp"

namespace erp::sim {

/// Splits a raw target into decoded path and query pairs ('+' is a space in the query; a broken
/// %-escape is kept as written).
void parse_target(const std::string& target, Request& out);

class SimServer {
 public:
  /// Transport limits for the simulator: 16 MiB bodies (scenario uploads), 1024 connections.
  static daemon::http::Options default_options();

  SimServer(boost::asio::io_context& io, Simulator& sim, daemon::http::Options options = default_options());
  std::optional<std::string> listen(const std::string& host, std::uint16_t port);
  std::uint16_t port() const noexcept;
  void stop();
  std::size_t connections() const noexcept;

 private:
  std::unique_ptr<daemon::http::HttpServer> server_;
};

}  // namespace erp::sim
