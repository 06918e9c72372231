#include "app/systemd_notify.hpp"

#include <systemd/sd-daemon.h>

#include <ctime>
#include <string>

namespace erp::daemon::app {

void SystemdNotifier::ready() noexcept { sd_notify(0, "READY=1\nSTATUS=running"); }

void SystemdNotifier::reloading() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const auto usec = static_cast<unsigned long long>(ts.tv_sec) * 1000000ULL +
                    static_cast<unsigned long long>(ts.tv_nsec) / 1000ULL;
  const std::string message = "RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec) + "\nSTATUS=reloading";
  sd_notify(0, message.c_str());
}

void SystemdNotifier::stopping() noexcept { sd_notify(0, "STOPPING=1\nSTATUS=stopping"); }

void SystemdNotifier::watchdog() noexcept { sd_notify(0, "WATCHDOG=1"); }

void SystemdNotifier::status(const char* text) noexcept {
  const std::string message = std::string("STATUS=") + text;
  sd_notify(0, message.c_str());
}

std::optional<std::chrono::microseconds> SystemdNotifier::watchdog_ping_interval() const noexcept {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds{static_cast<std::chrono::microseconds::rep>(usec / 2)};
}

}  // namespace erp::daemon::app
