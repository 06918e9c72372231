#pragma once
// Scripted host services for the TOP adapter tests: an HttpClient that answers from a queue and
// records every request (form body decoded), a fixed clock, map-backed secrets and config.

#include <deque>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "erp/host.hpp"
#include "erp/memory_state.hpp"
#include "unit/host_fakes.hpp"

namespace erp::plugins::top::testing {

inline std::string read_payload(const std::string& name) {
  std::ifstream in(std::string(ERP_TOP_PAYLOADS) + "/" + name, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline std::string form_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

inline std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> out;
  std::size_t at = 0;
  while (at <= body.size()) {
    std::size_t end = body.find('&', at);
    if (end == std::string_view::npos) end = body.size();
    const auto pair = body.substr(at, end - at);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos) out[form_decode(pair.substr(0, eq))] = form_decode(pair.substr(eq + 1));
    at = end + 1;
  }
  return out;
}

class FakeHttp final : public sdk::HttpClient {
 public:
  /// Queues a 200 answer with this body.
  void reply(std::string body, int status = 200) {
    sdk::HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    script_.emplace_back(std::move(response));
  }
  /// Queues a host-side failure (timeout, refused connection).
  void fail(sdk::ErrorCode code, std::string message) { script_.emplace_back(sdk::fail(code, std::move(message))); }

  sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest& request) noexcept override {
    requests.push_back(request);
    params.push_back(parse_form(request.body));
    if (script_.empty()) return sdk::fail(sdk::ErrorCode::internal, "test script exhausted");
    auto next = std::move(script_.front());
    script_.pop_front();
    return next;
  }

  std::size_t calls(const std::string& method) const {
    std::size_t n = 0;
    for (const auto& p : params) {
      if (p.count("method") != 0 && p.at("method") == method) ++n;
    }
    return n;
  }
  std::size_t pending() const { return script_.size(); }

  std::vector<sdk::HttpRequest> requests;
  std::vector<std::map<std::string, std::string>> params;

 private:
  std::deque<sdk::Result<sdk::HttpResponse>> script_;
};

// The host's simple services, shared with the Douyin adapter tests.
using erp::testing::FakeClock;
using erp::testing::FakeConfig;
using erp::testing::FakeLogger;
using erp::testing::FakeSecrets;

class FakeHost final : public sdk::HostContext {
 public:
  FakeHost() {
    cfg.values = {{"id", "shop-1"}, {"base_url", "http://127.0.0.1:9/router/rest"}, {"app_key", "12345678"}};
    keys.values = {{"app_secret", "s3cr3t-app-secret"}, {"session", "sess-6100e2b1c9d"}};
    time.at = sdk::Instant{std::chrono::milliseconds{1709294400000}};  // 2024-03-01 12:00:00 UTC
  }
  sdk::Logger& logger() noexcept override { return log; }
  sdk::HttpClient& http() noexcept override { return web; }
  const sdk::Clock& clock() const noexcept override { return time; }
  const sdk::Secrets& secrets() const noexcept override { return keys; }
  const sdk::ConfigView& config() const noexcept override { return cfg; }
  sdk::StateStore& state() noexcept override { return saved; }

  FakeLogger log;
  FakeHttp web;
  FakeClock time;
  FakeSecrets keys;
  FakeConfig cfg;
  sdk::MemoryStateStore saved;
};

}  // namespace erp::plugins::top::testing
