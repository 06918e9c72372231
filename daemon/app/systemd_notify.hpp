#pragma once
// sd_notify(3) messages for Type=notify (CONVENTIONS 18). Each is a no-op without NOTIFY_SOCKET.

#include <chrono>
#include <optional>

namespace erp::daemon::app {

class SystemdNotifier {
 public:
  void ready() noexcept;
  /// RELOADING=1 with MONOTONIC_USEC, as systemd 253+ expects and 252 accepts.
  void reloading() noexcept;
  void stopping() noexcept;
  void watchdog() noexcept;
  void status(const char* text) noexcept;
  /// Half the WatchdogSec interval when the watchdog is on: how often to ping.
  std::optional<std::chrono::microseconds> watchdog_ping_interval() const noexcept;
};

}  // namespace erp::daemon::app
