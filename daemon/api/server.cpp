#include "api/server.hpp"

#include "api/router.hpp"
#include "http/http_server.hpp"

namespace erp::daemon::api {

namespace {

http::Response to_http(ApiResponse r) {
  http::Response out;
  out.status = r.status;
  out.content_type = std::move(r.content_type);
  out.body = std::move(r.body);
  out.headers = std::move(r.headers);
  return out;
}

http::Options transport_options(const ServerOptions& o) {
  http::Options out;
  out.body_limit = o.body_limit;
  out.header_limit = o.header_limit;
  out.header_timeout = o.header_timeout;
  out.body_timeout = o.body_timeout;
  out.write_timeout = o.write_timeout;
  out.max_connections = o.max_connections;
  out.server_name = "erpd";
  out.fixed_headers = {{"Cache-Control", "no-store"}};
  out.log_name = "api";
  return out;
}

}  // namespace

struct Server::Impl {
  Impl(boost::asio::io_context& io, ApiDeps deps, std::string token, const ServerOptions& options)
      : router(std::make_shared<Router>(std::move(deps), std::move(token))),
        transport(
            io,
            [r = router](const http::Request& req) {
              ApiRequest request;
              request.method = req.method;
              request.target = req.target;
              request.authorization = std::string(req.header("authorization"));
              request.body = req.body;
              request.headers = req.headers;
              return to_http(r->handle(request));
            },
            [r = router](const http::TransportError& e) {
              return to_http(r->transport_error(e.status, e.code, e.message));
            },
            transport_options(options)) {}

  std::shared_ptr<Router> router;  ///< Shared with the transport's handlers, which may outlive the Server.
  http::HttpServer transport;
};

Server::Server(boost::asio::io_context& io, ApiDeps deps, std::string token)
    : Server(io, std::move(deps), std::move(token), ServerOptions{}) {}

Server::Server(boost::asio::io_context& io, ApiDeps deps, std::string token, ServerOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(deps), std::move(token), options)) {}

Server::~Server() { stop(); }

sdk::Result<void> Server::listen(const std::string& host, std::uint16_t port) {
  if (auto error = impl_->transport.listen(host, port)) return sdk::fail(sdk::ErrorCode::config_error, *error);
  return {};
}

std::uint16_t Server::port() const noexcept { return impl_->transport.port(); }

void Server::set_token(std::string token) { impl_->router->set_token(std::move(token)); }

void Server::stop() { impl_->transport.stop(); }

std::size_t Server::connections() const noexcept { return impl_->transport.connections(); }

}  // namespace erp::daemon::api
