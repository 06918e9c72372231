#pragma once
// A small HTTP/1.1 server (Boost.Beast) that knows nothing of routes: it parses requests with
// limits and timeouts, keeps connections alive, and hands each request to a handler. The local
// API (api::Server) and platform-sim both sit on it, each rendering transport errors (malformed
// HTTP, oversize bodies) in its own error shape.

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace erp::daemon::http {

/// One parsed request. Header names are lower-case.
struct Request {
  std::string method;  ///< "GET", "POST", ...
  std::string target;  ///< Raw request target: path and query, still percent-encoded.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  unsigned version = 11;  ///< 10 or 11.

  /// The first value of header `name` (lower-case), "" when absent.
  std::string_view header(std::string_view name) const noexcept;
};

/// What a handler answers.
struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  ///< Extra headers.
  /// Never answer: the connection stays silent until the client gives up, the server stops or
  /// Options::hang_limit passes, then closes (a simulated gateway timeout).
  bool hang = false;
  /// Send the header with the Content-Length of the whole body but only the first half of the
  /// body, then close (a simulated truncated response).
  bool truncate = false;
};

/// A request that never reached the handler.
struct TransportError {
  unsigned status = 400;  ///< 400, 413 or 431.
  std::string code;       ///< "bad_request", "payload_too_large", "header_too_large".
  std::string message;
  /// The request line when it was read before the error (a body over the limit), else empty.
  std::string method;
  std::string target;
};

using Handler = std::function<Response(const Request&)>;
using ErrorRenderer = std::function<Response(const TransportError&)>;

/// Limits that keep a slow or hostile client from tying the server up.
struct Options {
  std::size_t body_limit = 1024 * 1024;  ///< Larger request bodies get 413.
  std::size_t header_limit = 16 * 1024;  ///< Larger request headers get 431.
  /// From connection (or the previous response) to a complete request header; also the
  /// keep-alive idle time.
  std::chrono::milliseconds header_timeout{std::chrono::seconds{30}};
  std::chrono::milliseconds body_timeout{std::chrono::seconds{60}};   ///< To read the body.
  std::chrono::milliseconds write_timeout{std::chrono::seconds{60}};  ///< To send a response.
  std::chrono::milliseconds hang_limit{std::chrono::seconds{60}};     ///< Longest a `hang` response stays open.
  std::size_t max_connections = 256;                                  ///< Further connections are closed at once.
  std::string server_name = "erpd";                                   ///< The Server header.
  std::vector<std::pair<std::string, std::string>> fixed_headers;     ///< Sent with every response.
  std::string log_name = "http";                                      ///< Prefix of log lines.
};

class HttpServer {
 public:
  /// `handler` runs on the io_context's threads, several at once; an exception from it is
  /// answered with a 500 through `errors`.
  HttpServer(boost::asio::io_context& io, Handler handler, ErrorRenderer errors, Options options = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and starts accepting. Port 0 picks a free port; port() tells which. Returns the
  /// reason ("cannot listen on HOST:PORT: ...") when it cannot.
  std::optional<std::string> listen(const std::string& host, std::uint16_t port);
  std::uint16_t port() const noexcept;

  /// Stops accepting and closes idle keep-alive and hanging connections; in-flight requests
  /// finish on their own (their connections then close instead of being kept alive).
  void stop();

  /// Connections open right now.
  std::size_t connections() const noexcept;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace erp::daemon::http
