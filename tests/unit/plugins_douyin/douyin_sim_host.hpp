#pragma once
// A HostContext whose HttpClient is platform-sim's Douyin module, in process: the simulated gateway
// checks signatures and parameters and keeps the counters. Shared by the adapter tests and the
// module load test.

#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "erp/host.hpp"
#include "erp/memory_state.hpp"
#include "unit/host_fakes.hpp"
#include "unit/sim_douyin/douyin_fixture.hpp"

namespace erp::plugins::douyin::testing {

using namespace erp::sdk;
using erp::sim::douyin::test::Fixture;

inline std::string url_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

/// Routes the host's HttpClient into the module, as the real transport would: the URL's path and
/// query, `hang` as the host's timeout error, `truncate` as a cut body.
class SimHttp final : public HttpClient {
 public:
  explicit SimHttp(erp::sim::PlatformModule& module) : module_(module) {}
  Result<HttpResponse> send(const HttpRequest& request) noexcept override {
    erp::sim::Request r;
    r.method = request.method;
    const auto path_at = request.url.find('/', request.url.find("//") + 2);
    r.target = request.url.substr(path_at);
    const auto query_at = r.target.find('?');
    r.path = r.target.substr(0, query_at);
    std::string_view query = query_at == std::string::npos ? "" : std::string_view(r.target).substr(query_at + 1);
    while (!query.empty()) {
      const auto amp = query.find('&');
      const auto pair = query.substr(0, amp);
      const auto eq = pair.find('=');
      r.query.emplace_back(url_decode(pair.substr(0, eq)), url_decode(pair.substr(eq + 1)));
      query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    }
    for (const auto& [name, value] : request.headers) {
      std::string lower = name;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[lower] = value;
    }
    r.body = request.body;
    const auto answer = module_.handle(r);
    ++calls[r.query_value("method")];
    if (answer.hang) return fail(ErrorCode::transient, "timed out");
    HttpResponse out;
    out.status = answer.status;
    out.body = answer.truncate ? answer.body.substr(0, answer.body.size() / 2) : answer.body;
    return out;
  }
  std::map<std::string, int> calls;

 private:
  erp::sim::PlatformModule& module_;
};

class SimClock final : public Clock {
 public:
  explicit SimClock(const erp::sim::Clock& clock) : clock_(clock) {}
  Instant now() const noexcept override { return std::chrono::floor<std::chrono::milliseconds>(clock_.now()); }

 private:
  const erp::sim::Clock& clock_;
};

/// A shop's host: the fixture's merchant shop credentials, state in `saved` (shared between
/// adapters to play a restart).
class SimHost final : public HostContext {
 public:
  SimHost(Fixture& sim, std::shared_ptr<MemoryStateStore> state)
      : http_(*sim.module), clock_(sim.clock), saved_(std::move(state)) {
    cfg.values = {{"id", "dy-1"}, {"base_url", "http://sim"}, {"app_key", sim.shop.app_key}};
    keys.values = {{"app_secret", sim.shop.app_secret},
                   {"access_token", sim.shop.session},
                   {"refresh_token", sim.shop.refresh_token}};
  }
  Logger& logger() noexcept override { return log; }
  HttpClient& http() noexcept override { return http_; }
  const Clock& clock() const noexcept override { return clock_; }
  const Secrets& secrets() const noexcept override { return keys; }
  const ConfigView& config() const noexcept override { return cfg; }
  StateStore& state() noexcept override { return *saved_; }

  SimHttp http_;
  SimClock clock_;
  std::shared_ptr<MemoryStateStore> saved_;
  erp::testing::FakeLogger log;
  erp::testing::FakeSecrets keys;
  erp::testing::FakeConfig cfg;
};

}  // namespace erp::plugins::douyin::testing
