#include "http/http_server.hpp"

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
#include <cctype>
#include <exception>
#include <limits>
#include <mutex>

namespace erp::daemon::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;

std::string_view Request::header(std::string_view name) const noexcept {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

namespace {

class Session;

/// The server's shared state; sessions keep it alive while they run.
struct Core : std::enable_shared_from_this<Core> {
  Core(asio::io_context& io_context, Handler h, ErrorRenderer e, Options opts)
      : io(io_context),
        handler(std::move(h)),
        errors(std::move(e)),
        options(std::move(opts)),
        acceptor(asio::make_strand(io_context)),
        retry_timer(acceptor.get_executor()) {}

  void accept();
  void on_accept(error_code ec, tcp::socket socket);

  asio::io_context& io;
  const Handler handler;
  const ErrorRenderer errors;
  const Options options;
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

  Response render(TransportError error) const {
    try {
      return errors(error);
    } catch (const std::exception& e) {
      spdlog::error("{}: transport error renderer threw: {}", options.log_name, e.what());
    } catch (...) {
      spdlog::error("{}: transport error renderer threw", options.log_name);
    }
    Response r;
    r.status = error.status;
    r.content_type = "text/plain";
    r.body = error.message;
    return r;
  }
};

bool is_http_error(const error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// One client connection: reads requests one after another (keep-alive), answers each through
/// the handler. All its handlers run on the connection's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Core> server) : stream_(std::move(socket)), server_(std::move(server)) {}
  ~Session() { --server_->connections; }

  void start() {
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read_header, shared_from_this()));
  }

  /// On stop: a connection waiting for its next request (or hanging on purpose) is closed now,
  /// so the io_context can run dry; one in the middle of a request finishes it and closes after
  /// the response.
  void close_if_idle() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_ || self->hanging_) self->close();
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
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(error_code ec, std::size_t) {
    idle_ = false;
    if (ec) return on_read_failed(ec);
    const auto& req = parser_->get();
    if (parser_->is_done()) return handle();
    if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
      continue_.emplace(bhttp::status::continue_, req.version());
      stream_.expires_after(server_->options.write_timeout);
      bhttp::async_write(stream_, *continue_, [self = shared_from_this()](error_code wec, std::size_t) {
        if (wec) return self->close();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    stream_.expires_after(server_->options.body_timeout);
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(error_code ec, std::size_t) {
    if (ec) return on_read_failed(ec);
    handle();
  }

  void on_read_failed(const error_code& ec) {
    // The client went away or stayed silent: nobody to answer.
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == beast::error::timeout ||
        !is_http_error(ec)) {
      return close();
    }
    // Malformed HTTP: answer once and close; the connection's framing can no longer be trusted.
    constexpr unsigned kHttp11 = 11;
    TransportError error;
    // The request line is stored as soon as it is read (a Content-Length over the limit fails
    // later, among the fields); a broken request line leaves both empty.
    error.method = std::string(parser_->get().method_string());
    error.target = std::string(parser_->get().target());
    if (ec == bhttp::error::body_limit) {
      error.status = 413;
      error.code = "payload_too_large";
      error.message = "request body larger than " + std::to_string(server_->options.body_limit) + " bytes";
    } else if (ec == bhttp::error::header_limit) {
      error.status = 431;
      error.code = "header_too_large";
      error.message = "request header too large";
    } else {
      error.status = 400;
      error.code = "bad_request";
      error.message = "malformed HTTP request: " + ec.message();
    }
    Response r = server_->render(std::move(error));
    r.hang = false;
    r.truncate = false;
    respond(std::move(r), false, kHttp11);
  }

  void handle() {
    auto& req = parser_->get();
    Request request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.version = req.version();
    request.headers.reserve(8);
    for (const auto& field : req) {
      const auto name = field.name_string();
      const auto value = field.value();
      request.headers.emplace_back(lower(std::string_view(name.data(), name.size())),
                                   std::string(value.data(), value.size()));
    }
    request.body = std::move(req.body());
    const bool keep_alive = req.keep_alive() && !server_->stopped;
    Response response;
    try {
      response = server_->handler(request);
    } catch (const std::exception& e) {
      spdlog::error("{}: handler failed on {} {}: {}", server_->options.log_name, request.method, request.target,
                    e.what());
      response = server_->render(TransportError{500, "internal", "internal error", request.method, request.target});
    } catch (...) {
      spdlog::error("{}: handler failed on {} {}", server_->options.log_name, request.method, request.target);
      response = server_->render(TransportError{500, "internal", "internal error", request.method, request.target});
    }
    if (response.hang) return hang();
    respond(std::move(response), keep_alive, request.version);
  }

  void respond(Response r, bool keep_alive, unsigned version) {
    if (r.truncate) keep_alive = false;
    response_.emplace(static_cast<bhttp::status>(r.status), version);
    response_->set(bhttp::field::server, server_->options.server_name);
    response_->set(bhttp::field::content_type, r.content_type);
    for (const auto& [name, value] : server_->options.fixed_headers) response_->set(name, value);
    for (const auto& [name, value] : r.headers) response_->set(name, value);
    response_->keep_alive(keep_alive);
    if (r.truncate) {
      // The header promises the whole body; only half of it follows before the close.
      response_->content_length(r.body.size());
      r.body.resize(r.body.size() / 2);
      response_->body() = std::move(r.body);
    } else {
      response_->body() = std::move(r.body);
      response_->prepare_payload();
    }
    stream_.expires_after(server_->options.write_timeout);
    bhttp::async_write(stream_, *response_,
                       beast::bind_front_handler(&Session::on_write, shared_from_this(), !keep_alive));
  }

  void on_write(bool close_after, error_code ec, std::size_t) {
    if (ec) return close();
    if (close_after) return linger();
    response_.reset();
    read_header();
  }

  // A simulated timeout: say nothing; whatever the client sends is discarded. The connection
  // closes when the client gives up, the server stops or the hang limit passes.
  void hang() {
    hanging_ = true;
    if (server_->stopped) return close();
    stream_.expires_after(server_->options.hang_limit);
    discard(std::numeric_limits<std::size_t>::max());
  }

  // Closing a socket with unread input makes the kernel send RST, which can destroy the error
  // response before the client reads it (a 413 while the client is still sending its body).
  // So: stop sending, read and discard for a short while, then close.
  void linger() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds{2});
    discard(8 * 1024 * 1024);
  }

  void discard(std::size_t limit) {
    stream_.async_read_some(asio::buffer(drain_buf_), [self = shared_from_this(), limit](error_code ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > limit) return self->close();
      self->discard(limit);
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
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::empty_body>> continue_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  std::array<char, 16 * 1024> drain_buf_{};
  std::size_t drained_ = 0;
  bool idle_ = false;     ///< Waiting for a request header (strand only).
  bool hanging_ = false;  ///< Silent on purpose (strand only).
};

void Core::accept() {
  acceptor.async_accept(asio::make_strand(io), [self = shared_from_this()](error_code ec, tcp::socket socket) {
    self->on_accept(ec, std::move(socket));
  });
}

void Core::on_accept(error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || stopped || !acceptor.is_open()) return;
  if (ec) {
    spdlog::warn("{}: accept failed: {}; retrying in 100 ms", options.log_name, ec.message());
    retry_timer.expires_after(std::chrono::milliseconds{100});
    retry_timer.async_wait([self = shared_from_this()](error_code tec) {
      if (!tec) self->accept();
    });
    return;
  }
  if (connections >= options.max_connections) {
    spdlog::warn("{}: {} connections open, refusing another", options.log_name, connections.load());
    error_code ignored;
    socket.close(ignored);
  } else {
    ++connections;
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
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

struct HttpServer::Impl : Core {
  using Core::Core;
};

HttpServer::HttpServer(asio::io_context& io, Handler handler, ErrorRenderer errors, Options options)
    : impl_(std::make_shared<Impl>(io, std::move(handler), std::move(errors), std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

std::optional<std::string> HttpServer::listen(const std::string& host, std::uint16_t port) {
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
      return "cannot listen on " + where + ": cannot resolve " + host + ": " +
             (ec ? ec.message() : std::string("no address"));
    }
    endpoint = results.begin()->endpoint();
  }
  auto& acceptor = impl_->acceptor;
  auto failed = [&](const char* step) {
    error_code ignored;
    acceptor.close(ignored);
    return "cannot listen on " + where + ": " + step + ": " + ec.message();
  };
  if (acceptor.open(endpoint.protocol(), ec)) return failed("open");
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec)) return failed("set SO_REUSEADDR");
  if (acceptor.bind(endpoint, ec)) return failed("bind");
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec)) return failed("listen");
  impl_->port = acceptor.local_endpoint(ec).port();
  impl_->stopped = false;
  asio::dispatch(acceptor.get_executor(), [impl = impl_] { impl->accept(); });
  return std::nullopt;
}

std::uint16_t HttpServer::port() const noexcept { return impl_->port; }

void HttpServer::stop() {
  if (impl_->stopped.exchange(true)) return;
  asio::post(impl_->acceptor.get_executor(), [impl = impl_] {
    error_code ignored;
    impl->acceptor.close(ignored);
    impl->retry_timer.cancel();
  });
  impl_->close_idle_sessions();
}

std::size_t HttpServer::connections() const noexcept { return impl_->connections; }

}  // namespace erp::daemon::http
