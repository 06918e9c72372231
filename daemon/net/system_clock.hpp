#pragma once
// The real clock for plugins and the daemon; tests substitute their own sdk::Clock.

#include <chrono>

#include "erp/host.hpp"

namespace erp::daemon::net {

class SystemClock final : public sdk::Clock {
 public:
  sdk::Instant now() const noexcept override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }
};

}  // namespace erp::daemon::net
