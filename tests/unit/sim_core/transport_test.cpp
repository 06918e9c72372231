// The HTTP transport's simulator modes (daemon/http: hang, truncate, transport errors through a
// renderer) and the simulator's use of them.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

#include "http/http_server.hpp"
#include "sim_fixture.hpp"

using namespace erp::sim;
using namespace erp::sim::testing;
namespace http = erp::daemon::http;
using Steady = std::chrono::steady_clock;

namespace {

/// A plain socket, so the test sees exactly the bytes and the close.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("connect");
  }
  ~RawClient() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  void send(const std::string& data) {
    REQUIRE(::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size()));
  }
  /// Reads until the peer closes or `timeout` passes; `closed` tells which.
  std::string read(std::chrono::milliseconds timeout, bool& closed) {
    std::string out;
    closed = false;
    const auto end = Steady::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Steady::now()).count();
      if (left <= 0) return out;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
      char buf[4096];
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed = true;
        return out;
      }
      out.append(buf, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
};

struct Transport {
  boost::asio::io_context io;
  std::unique_ptr<http::HttpServer> server;
  std::thread thread;

  explicit Transport(http::Options options) {
    server = std::make_unique<http::HttpServer>(
        io,
        [](const http::Request& request) {
          http::Response r;
          r.content_type = "text/plain";
          if (request.target == "/hang") r.hang = true;
          if (request.target == "/truncate") {
            r.truncate = true;
            r.body = std::string(1000, 'x');
          }
          if (request.target == "/throw") throw std::runtime_error("boom");
          if (request.target == "/echo") r.body = std::string(request.header("x-probe")) + "|" + request.body;
          return r;
        },
        [](const http::TransportError& e) {
          http::Response r;
          r.status = e.status;
          r.body = "rendered " + std::to_string(e.status) + " " + e.code + " for '" + e.target + "'";
          return r;
        },
        std::move(options));
    REQUIRE_FALSE(server->listen("127.0.0.1", 0));
    thread = std::thread([this] { io.run(); });
  }
  ~Transport() {
    server->stop();
    io.stop();
    thread.join();
  }
  std::uint16_t port() const { return server->port(); }
};

http::Options quick_hang(std::chrono::milliseconds limit) {
  http::Options o;
  o.hang_limit = limit;
  o.body_limit = 100;
  return o;
}

}  // namespace

TEST_CASE("truncate: the full Content-Length, half the body, then close") {
  Transport t(http::Options{});
  RawClient c(t.port());
  c.send("GET /truncate HTTP/1.1\r\nHost: x\r\n\r\n");
  bool closed = false;
  const std::string got = c.read(std::chrono::seconds{3}, closed);
  CHECK(closed);
  const auto header_end = got.find("\r\n\r\n");
  REQUIRE(header_end != std::string::npos);
  const std::string header = got.substr(0, header_end);
  CHECK(header.find("HTTP/1.1 200") == 0);
  CHECK(header.find("Content-Length: 1000") != std::string::npos);
  CHECK(got.size() - header_end - 4 == 500);
}

TEST_CASE("hang: no answer, then closed at the hang limit") {
  Transport t(quick_hang(std::chrono::milliseconds{700}));
  RawClient c(t.port());
  const auto start = Steady::now();
  c.send("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
  bool closed = false;
  CHECK(c.read(std::chrono::milliseconds{300}, closed).empty());
  CHECK_FALSE(closed);
  CHECK(t.server->connections() == 1);
  CHECK(c.read(std::chrono::seconds{5}, closed).empty());
  CHECK(closed);
  CHECK(Steady::now() - start >= std::chrono::milliseconds{650});
}

TEST_CASE("hang: ends when the client gives up, or when the server stops") {
  Transport t(quick_hang(std::chrono::seconds{30}));
  {
    RawClient c(t.port());
    c.send("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
    bool closed = false;
    c.read(std::chrono::milliseconds{200}, closed);
    CHECK(t.server->connections() == 1);
  }
  for (int i = 0; i < 50 && t.server->connections() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  CHECK(t.server->connections() == 0);

  RawClient c(t.port());
  c.send("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
  bool closed = false;
  c.read(std::chrono::milliseconds{200}, closed);
  const auto start = Steady::now();
  t.server->stop();
  CHECK(c.read(std::chrono::seconds{5}, closed).empty());
  CHECK(closed);
  CHECK(Steady::now() - start < std::chrono::seconds{2});
}

TEST_CASE("transport errors and handler exceptions go through the renderer") {
  Transport t(quick_hang(std::chrono::seconds{1}));
  {
    RawClient c(t.port());
    c.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n" + std::string(500, 'b'));
    bool closed = false;
    const auto got = c.read(std::chrono::seconds{3}, closed);
    CHECK(got.find("HTTP/1.1 413") == 0);
    CHECK(got.find("rendered 413 payload_too_large for '/big'") != std::string::npos);
  }
  {
    RawClient c(t.port());
    c.send("NOT HTTP AT ALL\r\n\r\n");
    bool closed = false;
    const auto got = c.read(std::chrono::seconds{3}, closed);
    CHECK(got.find("HTTP/1.1 400") == 0);
    CHECK(got.find("rendered 400 bad_request for ''") != std::string::npos);
  }
  {
    RawClient c(t.port());
    c.send(
        "GET /throw HTTP/1.1\r\nHost: x\r\n\r\nGET /echo HTTP/1.1\r\nHost: x\r\nX-Probe: p\r\n"
        "Content-Length: 2\r\n\r\nhi");
    bool closed = false;
    const auto got = c.read(std::chrono::milliseconds{500}, closed);
    CHECK(got.find("HTTP/1.1 500") == 0);
    CHECK(got.find("rendered 500 internal for '/throw'") != std::string::npos);
    CHECK(got.find("p|hi") != std::string::npos);  // keep-alive goes on after a handler failure
  }
}

TEST_CASE("the simulator answers transport errors in the serving module's shape") {
  auto options = SimServer::default_options();
  options.body_limit = 1000;
  RunningSim s(options);
  auto r = s.call("POST", "/router/rest?method=x", std::string(5000, 'a'));
  CHECK(r.status == 413);
  CHECK(r.json()["error_response"]["code"] == 413);
  CHECK(r.json()["error_response"]["path"] == "/router/rest");
  r = s.call("POST", "/admin/scenario", std::string(5000, 'a'));
  CHECK(r.status == 413);
  CHECK(r.json()["error"]["code"] == "payload_too_large");
}

TEST_CASE("fault draws reach the wire: timeouts hang, truncated bodies break") {
  auto options = SimServer::default_options();
  options.hang_limit = std::chrono::seconds{10};
  RunningSim s(options);
  REQUIRE(s.call("POST", "/admin/faults", R"({"timeout": 1, "methods": ["slow"]})").status == 200);
  const auto start = Steady::now();
  auto r = http_call(s.port(), "GET", "/router/rest?method=slow", "", 400);
  CHECK(r.status == 0);
  CHECK(Steady::now() - start < std::chrono::seconds{3});
  REQUIRE(s.call("POST", "/admin/faults", R"({"truncated": 1, "methods": ["cut"]})").status == 200);
  r = http_call(s.port(), "GET", "/router/rest?method=cut");
  CHECK(r.status == 0);
  CHECK(s.call("GET", "/router/rest?method=fine").status == 200);
}
