#pragma once
// The host's HTTP client with an upper bound on each request's timeout. erp-plugin-check lends a
// plugin erpd's own libcurl client; the bound only keeps a run short when the simulator is told
// to never answer (the timeout fault), where a plugin's usual 30 s would dominate the run.

#include <atomic>
#include <chrono>
#include <memory>

#include "erp/host.hpp"

namespace erp::testkit {

class CappedHttpClient final : public sdk::HttpClient {
 public:
  CappedHttpClient(std::shared_ptr<sdk::HttpClient> inner, std::chrono::milliseconds cap);

  /// From now on no request waits longer than `cap`.
  void set_cap(std::chrono::milliseconds cap) noexcept;
  std::chrono::milliseconds cap() const noexcept;

  sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest& request) noexcept override;

 private:
  std::shared_ptr<sdk::HttpClient> inner_;
  std::atomic<std::chrono::milliseconds::rep> cap_ms_;
};

}  // namespace erp::testkit
