#pragma once
// platform-sim's control API (/admin/, tests/sim/README.md) as erp-plugin-check uses it: a clean
// slate, a clock that stands still, generated orders, faults and the write counters.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "erp/host.hpp"
#include "erp/model.hpp"
#include "erp/result.hpp"

namespace erp::testkit {

class SimAdmin {
 public:
  /// `url`: "http://HOST:PORT", without a trailing slash. `http`: how to reach it.
  SimAdmin(std::string url, std::shared_ptr<sdk::HttpClient> http);

  const std::string& url() const noexcept { return url_; }

  /// Forgets every order, fault and counter (shops and the clock stay).
  sdk::Result<void> reset();
  /// Stops the clock at `at`; it moves from then on only when told.
  sdk::Result<void> set_clock(sdk::Instant at);
  sdk::Result<void> advance_clock(std::chrono::seconds by);
  /// Generates `orders` orders in shop gen-PLATFORM-1; answers the shop with its credentials.
  sdk::Result<nlohmann::json> generate(const std::string& platform, int orders);
  /// Every request fails with `fault` (server_error, rate_limit, expired_session, truncated, timeout).
  sdk::Result<void> fail_every_request(const std::string& fault);
  sdk::Result<void> clear_faults();
  /// Accepted write calls of `kind` ("memo", "ship.upload" ...) counted for one order.
  sdk::Result<int> count(const std::string& kind, const std::string& order_id);

 private:
  sdk::Result<nlohmann::json> call(const std::string& method, const std::string& path, const nlohmann::json* body);

  std::string url_;
  std::shared_ptr<sdk::HttpClient> http_;
};

}  // namespace erp::testkit
