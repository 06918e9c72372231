#include "api/server.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <vector>

#include "api/router.hpp"

namespace erp::daemon::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;

namespace {

/// The server's shared state; sessions keep it alive while they run.
class Session;

struct Core : std::enable_shared_from_this<Core> {
  Core(asio::io_context& io_context, ApiDeps deps, std::string token, ServerOptions opts)
      : io(io_context),
        router(std::move(deps), std::move(token)),
        options(opts),
        acceptor(asio::make_strand(io_context)),
        retry_timer(acceptor.get_executor()) {}

  void accept();
  void on_accept(error_code ec, tcp::socket socket);

  asio::io_context& io;
  Router router;
  const ServerOptions options;
  tcp::acceptor acceptor;
  asio::steady_timer retry_timer;  ///< Backs off when accept fails (out of file descriptors).
  std::atomic<std::uint16_t> port{0};
  std::atomic<bool> stopped{false};
  std::atomic<std::size_t> connections{0};
  std::mutex sessions_mutex;
  std::vector<std::weak_ptr<Session>> sessions;  ///< To close idle keep-alive connections on stop.

  void track(const std::shared_ptr<Session>& session) {
    std::lock_guard lock(sessions_mutex);
    std::erase_if(sessions, [](const auto& s) { return s.expired(); });
    sessions.push_back(session);
  }
  void close_idle_sessions();
};

bool is_http_error(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category();
}

/// One client connection: reads requests one after another (keep-alive), answers each through
/// the Router. All its handlers run on the connection's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Core> server) : stream_(std::move(socket)), server_(std::move(server)) {}
  ~Session() { --server_->connections; }

  void start() {
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read_header, shared_from_this()));
  }

  /// On stop: a connection waiting for its next request is closed now, so the io_context can
  /// run dry; one in the middle of a request finishes it and closes after the response.
  void close_if_idle() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) self->close();
    });
  }

 private:
  void read_header() {
    if (server_->stopped) return close();
    idle_ = true;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_->options.header_limit));
    parser_->body_limit(server_->options.body_limit);
    stream_.expires_after(server_->options.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(error_code ec, std::size_t) {
    idle_ = false;
    if (ec) return on_read_failed(ec);
    const auto& req = parser_->get();
    if (parser_->is_done()) return handle();
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, req.version());
      stream_.expires_after(server_->options.write_timeout);
      http::async_write(stream_, *continue_, [self = shared_from_this()](error_code wec, std::size_t) {
        if (wec) return self->close();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    stream_.expires_after(server_->options.body_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(error_code ec, std::size_t) {
    if (ec) return on_read_failed(ec);
    handle();
  }

  void on_read_failed(const error_code& ec) {
    // The client went away or stayed silent: nobody to answer.
    if (ec == http::error::end_of_stream || ec == http::error::partial_message || ec == beast::error::timeout ||
        !is_http_error(ec)) {
      return close();
    }
    // Malformed HTTP: answer once and close; the connection's framing can no longer be trusted.
    constexpr unsigned kHttp11 = 11;
    if (ec == http::error::body_limit) {
      const auto limit = std::to_string(server_->options.body_limit);
      return respond(
          server_->router.transport_error(413, "payload_too_large", "request body larger than " + limit + " bytes"),
          false, kHttp11);
    }
    if (ec == http::error::header_limit) {
      return respond(server_->router.transport_error(431, "header_too_large", "request header too large"), false,
                     kHttp11);
    }
    respond(server_->router.transport_error(400, "bad_request", "malformed HTTP request: " + ec.message()), false,
            kHttp11);
  }

  void handle() {
    auto& req = parser_->get();
    ApiRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.authorization = std::string(req[http::field::authorization]);
    request.body = std::move(req.body());
    const bool keep_alive = req.keep_alive() && !server_->stopped;
    respond(server_->router.handle(request), keep_alive, req.version());
  }

  void respond(ApiResponse r, bool keep_alive, unsigned version) {
    response_.emplace(static_cast<http::status>(r.status), version);
    response_->set(http::field::server, "erpd");
    response_->set(http::field::content_type, r.content_type);
    response_->set(http::field::cache_control, "no-store");
    for (const auto& [name, value] : r.headers) response_->set(name, value);
    response_->body() = std::move(r.body);
    response_->keep_alive(keep_alive);
    response_->prepare_payload();
    stream_.expires_after(server_->options.write_timeout);
    http::async_write(stream_, *response_,
                      beast::bind_front_handler(&Session::on_write, shared_from_this(), !keep_alive));
  }

  void on_write(bool close_after, error_code ec, std::size_t) {
    if (ec) return close();
    if (close_after) return linger();
    response_.reset();
    read_header();
  }

  // Closing a socket with unread input makes the kernel send RST, which can destroy the error
  // response before the client reads it (a 413 while the client is still sending its body).
  // So: stop sending, read and discard for a short while, then close.
  void linger() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds{2});
    drain();
  }

  void drain() {
    stream_.async_read_some(asio::buffer(drain_buf_), [self = shared_from_this()](error_code ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > 8 * 1024 * 1024) return self->close();
      self->drain();
    });
  }

  void close() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<Core> server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::string_body>> response_;
  std::array<char, 16 * 1024> drain_buf_{};
  std::size_t drained_ = 0;
  bool idle_ = false;  ///< Waiting for a request header (strand only).
};

void Core::accept() {
  acceptor.async_accept(asio::make_strand(io), [self = shared_from_this()](error_code ec, tcp::socket socket) {
    self->on_accept(ec, std::move(socket));
  });
}

void Core::on_accept(error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || stopped || !acceptor.is_open()) return;
  if (ec) {
    spdlog::warn("api: accept failed: {}; retrying in 100 ms", ec.message());
    retry_timer.expires_after(std::chrono::milliseconds{100});
    retry_timer.async_wait([self = shared_from_this()](error_code tec) {
      if (!tec) self->accept();
    });
    return;
  }
  if (connections >= options.max_connections) {
    spdlog::warn("api: {} connections open, refusing another", connections.load());
    error_code ignored;
    socket.close(ignored);
  } else {
    ++connections;
    auto session = std::make_shared<Session>(std::move(socket), shared_from_this());
    track(session);
    session->start();
  }
  accept();
}

void Core::close_idle_sessions() {
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(sessions_mutex);
    for (const auto& weak : sessions) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  for (const auto& session : open) session->close_if_idle();
}

}  // namespace

struct Server::Impl : Core {
  using Core::Core;
};

Server::Server(asio::io_context& io, ApiDeps deps, std::string token)
    : Server(io, std::move(deps), std::move(token), ServerOptions{}) {}

Server::Server(asio::io_context& io, ApiDeps deps, std::string token, ServerOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(deps), std::move(token), options)) {}

Server::~Server() { stop(); }

sdk::Result<void> Server::listen(const std::string& host, std::uint16_t port) {
  const std::string where =
      (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  error_code ec;
  tcp::endpoint endpoint;
  const auto address = asio::ip::make_address(host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, port);
  } else {
    tcp::resolver resolver(impl_->io);
    auto results = resolver.resolve(host, std::to_string(port), ec);
    if (ec || results.empty()) {
      return sdk::fail(sdk::ErrorCode::config_error, "cannot listen on " + where + ": cannot resolve " + host + ": " +
                                                         (ec ? ec.message() : std::string("no address")));
    }
    endpoint = results.begin()->endpoint();
  }
  auto& acceptor = impl_->acceptor;
  auto failed = [&](const char* step) {
    error_code ignored;
    acceptor.close(ignored);
    return sdk::fail(sdk::ErrorCode::config_error, "cannot listen on " + where + ": " + step + ": " + ec.message());
  };
  if (acceptor.open(endpoint.protocol(), ec)) return failed("open");
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec)) return failed("set SO_REUSEADDR");
  if (acceptor.bind(endpoint, ec)) return failed("bind");
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec)) return failed("listen");
  impl_->port = acceptor.local_endpoint(ec).port();
  impl_->stopped = false;
  asio::dispatch(acceptor.get_executor(), [impl = impl_] { impl->accept(); });
  return {};
}

std::uint16_t Server::port() const noexcept { return impl_->port; }

void Server::set_token(std::string token) { impl_->router.set_token(std::move(token)); }

void Server::stop() {
  if (impl_->stopped.exchange(true)) return;
  asio::post(impl_->acceptor.get_executor(), [impl = impl_] {
    error_code ignored;
    impl->acceptor.close(ignored);
    impl->retry_timer.cancel();
  });
  impl_->close_idle_sessions();
}

std::size_t Server::connections() const noexcept { return impl_->connections; }

}  // namespace erp::daemon::api
