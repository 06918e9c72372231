#pragma once
// A running simulator for tests: Simulator with a FakeModule behind SimServer on 127.0.0.1
// port 0, two I/O threads, and a libcurl client.

#include <curl/curl.h>

#include <boost/asio/io_context.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/sim_server.hpp"
#include "fake_module.hpp"

namespace erp::sim::testing {

struct HttpResult {
  long status = 0;
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

inline std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

/// One request; status 0 when the transfer failed.
inline HttpResult http_call(std::uint16_t port, const std::string& method, const std::string& target,
                            const std::string& body = "", long timeout_ms = 5000) {
  HttpResult result;
  CURL* curl = curl_easy_init();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + target;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (!body.empty() || method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  curl_easy_cleanup(curl);
  return result;
}

struct RunningSim {
  Simulator sim;
  FakeModule* fake = nullptr;
  boost::asio::io_context io;
  std::unique_ptr<SimServer> server;
  std::vector<std::thread> threads;

  explicit RunningSim(daemon::http::Options options = SimServer::default_options()) {
    auto owned = std::make_unique<FakeModule>(sim.context());
    fake = owned.get();
    sim.add_module(std::move(owned));
    server = std::make_unique<SimServer>(io, sim, std::move(options));
    auto error = server->listen("127.0.0.1", 0);
    if (error) throw std::runtime_error(*error);
    for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
  }
  ~RunningSim() {
    server->stop();
    io.stop();
    for (auto& t : threads) t.join();
  }
  std::uint16_t port() const { return server->port(); }
  HttpResult call(const std::string& method, const std::string& target, const std::string& body = "") {
    return http_call(port(), method, target, body);
  }
};

}  // namespace erp::sim::testing
