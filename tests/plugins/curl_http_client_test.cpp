// CurlHttpClient against a small loopback server: statuses come back as responses, network
// failures and timeouts as transient errors, and nothing from the environment redirects traffic.

#include "net/curl_http_client.hpp"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using erp::daemon::net::CurlHttpClient;
namespace sdk = erp::sdk;

/// One thread per connection, one request per connection. Paths:
///   /hello        200 "hi" with X-Test: yes, echoing the request line and X-Custom in headers
///   /echo         200, the body echoed, X-Method: the method
///   /status/503   503 with a JSON body
///   /slow         answers after 3 s (or when the server stops)
class LoopbackServer {
 public:
  LoopbackServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener_ >= 0);
    int yes = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener_, 64) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~LoopbackServer() {
    stop_ = true;
    acceptor_.join();
    std::lock_guard lock(mutex_);
    for (auto& worker : workers_) worker.join();
    ::close(listener_);
  }

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  int requests() const { return requests_.load(); }

 private:
  void accept_loop() {
    while (!stop_) {
      pollfd waiting{listener_, POLLIN, 0};
      if (::poll(&waiting, 1, 50) <= 0) continue;
      const int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) continue;
      std::lock_guard lock(mutex_);
      workers_.emplace_back([this, connection] { serve(connection); });
    }
  }

  void serve(int connection) {
    std::string request;
    char buffer[4096];
    std::size_t header_end = std::string::npos;
    std::size_t wanted = 0;
    while (true) {
      if (header_end == std::string::npos) {
        header_end = request.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          const auto at = request.find("Content-Length: ");
          if (at != std::string::npos && at < header_end) wanted = std::stoul(request.substr(at + 16));
        }
      }
      if (header_end != std::string::npos && request.size() >= header_end + 4 + wanted) break;
      const auto got = ::recv(connection, buffer, sizeof buffer, 0);
      if (got <= 0) {
        ::close(connection);
        return;
      }
      request.append(buffer, static_cast<std::size_t>(got));
    }
    ++requests_;
    const std::string line = request.substr(0, request.find("\r\n"));
    const std::string method = line.substr(0, line.find(' '));
    const std::string path = line.substr(method.size() + 1, line.rfind(' ') - method.size() - 1);
    const std::string body = request.substr(header_end + 4);
    const std::string route = path.substr(0, path.find('?'));

    int status = 200;
    std::string headers;
    std::string reply;
    if (route == "/hello") {
      headers = "X-Test: yes\r\nX-Request-Line: " + line + "\r\n";
      const auto custom = request.find("X-Custom: ");
      if (custom != std::string::npos) {
        headers += "X-Seen-Custom: " + request.substr(custom + 10, request.find("\r\n", custom) - custom - 10) + "\r\n";
      }
      reply = "hi";
    } else if (route == "/echo") {
      headers = "X-Method: " + method + "\r\n";
      reply = body;
    } else if (route == "/status/503") {
      status = 503;
      headers = "Content-Type: application/json\r\n";
      reply = "{\"error\":\"busy\"}";
    } else if (route == "/slow") {
      for (int i = 0; i < 60 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      reply = "late";
    } else {
      status = 404;
    }
    const std::string response = "HTTP/1.1 " + std::to_string(status) + " X\r\n" + headers +
                                 "Content-Length: " + std::to_string(reply.size()) + "\r\nConnection: close\r\n\r\n" +
                                 reply;
    (void)::send(connection, response.data(), response.size(), MSG_NOSIGNAL);
    ::close(connection);
  }

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> workers_;
};

/// A loopback port with nothing listening.
std::uint16_t closed_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(s);
  return ntohs(address.sin_port);
}

sdk::HttpRequest get(const std::string& url) {
  sdk::HttpRequest request;
  request.url = url;
  request.timeout = std::chrono::milliseconds(5000);
  return request;
}

}  // namespace

TEST_CASE("a GET returns status, headers and body, and sends the plugin's headers") {
  LoopbackServer server;
  CurlHttpClient client;
  auto request = get(server.url("/hello?session=abc"));
  request.headers.emplace_back("X-Custom", "v1");
  auto response = client.send(request);
  REQUIRE_MESSAGE(response.ok(), response.error().message);
  CHECK(response->status == 200);
  CHECK(response->body == "hi");
  CHECK(response->header("x-test") == std::optional<std::string>("yes"));
  CHECK(response->header("X-Request-Line") == std::optional<std::string>("GET /hello?session=abc HTTP/1.1"));
  CHECK(response->header("X-Seen-Custom") == std::optional<std::string>("v1"));
}

TEST_CASE("a POST sends its body as is; other methods too") {
  LoopbackServer server;
  CurlHttpClient client;
  auto request = get(server.url("/echo"));
  request.method = "POST";
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = std::string("{\"a\":1,\"zero\":\"\0\"}", 18);
  auto response = client.send(request);
  REQUIRE(response.ok());
  CHECK(response->body == request.body);
  CHECK(response->header("X-Method") == std::optional<std::string>("POST"));

  request.method = "PUT";
  request.body = std::string(100000, 'x');  // larger than curl's "Expect: 100-continue" threshold
  const auto started = std::chrono::steady_clock::now();
  response = client.send(request);
  REQUIRE(response.ok());
  CHECK(response->body.size() == 100000);
  CHECK(response->header("X-Method") == std::optional<std::string>("PUT"));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(900));
}

TEST_CASE("an HTTP error status is a response for the plugin to classify") {
  LoopbackServer server;
  CurlHttpClient client;
  auto response = client.send(get(server.url("/status/503")));
  REQUIRE(response.ok());
  CHECK(response->status == 503);
  CHECK(response->body == "{\"error\":\"busy\"}");
  CHECK(response->header("content-type") == std::optional<std::string>("application/json"));
}

TEST_CASE("a timeout is a transient error and the request's timeout is honoured") {
  LoopbackServer server;
  CurlHttpClient client;
  auto request = get(server.url("/slow?sign=SECRETSIGN"));
  request.timeout = std::chrono::milliseconds(300);
  const auto started = std::chrono::steady_clock::now();
  auto response = client.send(request);
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().code == sdk::ErrorCode::transient);
  CHECK(response.error().retryable);
  CHECK(response.error().message.find("GET " + server.url("/slow") + ": ") == 0);
  CHECK(response.error().message.find("SECRETSIGN") == std::string::npos);
  CHECK(took < std::chrono::milliseconds(2000));
}

TEST_CASE("a refused connection is a transient error that never shows the query") {
  CurlHttpClient client;
  auto response =
      client.send(get("http://127.0.0.1:" + std::to_string(closed_port()) + "/router/rest?session=TOKEN123"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().code == sdk::ErrorCode::transient);
  CHECK(response.error().message.find("TOKEN123") == std::string::npos);
}

TEST_CASE("malformed requests are invalid_input") {
  CurlHttpClient client;
  CHECK(client.send(get("ftp://127.0.0.1/file")).error().code == sdk::ErrorCode::invalid_input);
  CHECK(client.send(get("not a url at all")).error().code == sdk::ErrorCode::invalid_input);
  auto request = get("http://127.0.0.1:1/");
  request.headers.emplace_back("X-Injected", "a\r\nHost: evil");
  CHECK(client.send(request).error().code == sdk::ErrorCode::invalid_input);
  request = get("http://127.0.0.1:1/");
  request.method = "G E T";
  CHECK(client.send(request).error().code == sdk::ErrorCode::invalid_input);
  request = get("http://127.0.0.1:1/");
  request.timeout = std::chrono::milliseconds(0);
  CHECK(client.send(request).error().code == sdk::ErrorCode::invalid_input);
}

TEST_CASE("proxy variables in the environment are ignored") {
  LoopbackServer server;
  ::setenv("http_proxy", ("http://127.0.0.1:" + std::to_string(closed_port())).c_str(), 1);
  ::setenv("ALL_PROXY", ("http://127.0.0.1:" + std::to_string(closed_port())).c_str(), 1);
  CurlHttpClient client;
  auto response = client.send(get(server.url("/hello")));
  ::unsetenv("http_proxy");
  ::unsetenv("ALL_PROXY");
  REQUIRE_MESSAGE(response.ok(), response.error().message);
  CHECK(response->status == 200);
}

TEST_CASE("a response bigger than the limit is refused") {
  LoopbackServer server;
  CurlHttpClient::Options options;
  options.max_body_bytes = 10;
  CurlHttpClient client(options);
  auto request = get(server.url("/echo"));
  request.method = "POST";
  request.body = std::string(1000, 'y');
  auto response = client.send(request);
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().code == sdk::ErrorCode::invalid_input);
}

TEST_CASE("one client serves many threads at once") {
  LoopbackServer server;
  CurlHttpClient client;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto response = client.send(get(server.url("/hello")));
        if (response.ok() && response->status == 200 && response->body == "hi") ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(ok.load() == 80);
  CHECK(server.requests() == 80);
}
