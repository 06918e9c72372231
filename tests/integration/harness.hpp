#pragma once
// Integration-test harness: runs the real erpd and erpctl binaries in a temp dir, listens on a
// NOTIFY_SOCKET like systemd does, and plays a warehouse webhook that counts what it receives.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "test_support/temp_dir.hpp"

namespace erp::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

void write_file(const fs::path& file, const std::string& text, fs::perms perms = fs::perms::owner_read |
                                                                                  fs::perms::owner_write |
                                                                                  fs::perms::group_read |
                                                                                  fs::perms::others_read);
std::string read_file(const fs::path& file);

/// "2026-11-11T00:00:00Z": whole seconds, UTC (platform-sim's clock and scenarios read it).
std::string rfc3339(std::chrono::system_clock::time_point t);

/// CPU seconds (user + system) a process has used, from /proc/PID/stat; -1 when it is gone.
double cpu_seconds(pid_t pid);

fs::path erpd_binary();
fs::path erpctl_binary();
fs::path platform_sim_binary();

/// Output and exit code of a finished command.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs a program to completion (no shell) with extra environment variables.
CommandResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                  std::chrono::milliseconds timeout = 30s);

/// Receives sd_notify datagrams the way systemd does.
class NotifySocket {
 public:
  explicit NotifySocket(const fs::path& path);
  ~NotifySocket();
  const fs::path& path() const { return path_; }
  /// Waits until a datagram containing `needle` arrives; every datagram seen is kept.
  bool wait_for(const std::string& needle, std::chrono::milliseconds timeout);
  std::vector<std::string> messages();

 private:
  void drain(std::chrono::milliseconds timeout);
  fs::path path_;
  int fd_ = -1;
  std::vector<std::string> messages_;
};

/// A running erpd. Its stderr goes to `log`. Stopped with SIGKILL at the end if still running.
class Erpd {
 public:
  Erpd(const fs::path& config, const fs::path& dir, std::map<std::string, std::string> env = {});
  ~Erpd();
  /// Starts and waits for READY=1 (false on timeout or early exit).
  bool start(std::chrono::milliseconds timeout = 15s);
  void signal(int signal_number);
  /// Waits for exit; returns the exit code, or nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout = 20s);
  void kill9();
  bool running();
  std::string log();
  NotifySocket& notify() { return *notify_; }
  pid_t pid() const { return pid_; }

 private:
  fs::path config_, dir_, log_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<NotifySocket> notify_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

/// A running platform-sim binary on 127.0.0.1 (port 0). Stopped with SIGTERM at the end.
class PlatformSim {
 public:
  explicit PlatformSim(const fs::path& dir);
  ~PlatformSim();
  /// Starts with `extra_args` (e.g. --scenario FILE) and waits until it listens (false on
  /// timeout or early exit).
  bool start(const std::vector<std::string>& extra_args = {}, std::chrono::milliseconds timeout = 10s);
  /// SIGTERM, then its exit code (nullopt when it did not exit within `timeout`).
  std::optional<int> stop(std::chrono::milliseconds timeout = 5s);
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string log();
  pid_t pid() const { return pid_; }

 private:
  fs::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

/// Minimal HTTP client for the daemon's API.
struct HttpReply {
  int status = 0;
  std::string body;
  std::string content_type;
};
HttpReply http(const std::string& method, const std::string& url, const std::string& token = "",
               const std::string& body = "", const std::string& content_type = "application/json");

/// A warehouse webhook endpoint on 127.0.0.1. Records every request; answers `status` (settable);
/// with `hang` set it holds requests open until released.
class WebhookReceiver {
 public:
  struct Request {
    std::string idempotency_key;
    std::string event;
    std::string authorization;
    std::string event_sign;  ///< Douyin pushes sign their body in this header.
    std::string body;
  };
  WebhookReceiver();
  ~WebhookReceiver();
  std::string url() const;
  std::vector<Request> requests();
  /// Distinct idempotency keys received: the effects the warehouse actually applied.
  std::size_t distinct_keys();
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds timeout);
  std::atomic<int> status{200};
  std::atomic<bool> hang{false};
  /// When n > 0, every n-th request fails with 503: alternately refused before the warehouse
  /// applied it (not recorded) and applied with the answer lost (recorded), as a flaky warehouse
  /// or network would.
  std::atomic<int> fail_one_in{0};

 private:
  void serve();
  int listen_fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<Request> requests_;
  std::atomic<long> served_{0};
  std::thread thread_;
};

/// Polls `predicate` every 50 ms until it holds or `timeout` passes.
template <class F>
bool eventually(F predicate, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return predicate();
}

/// Like `eventually`, calling `nudge` every 250 ms meanwhile (asking erpd to sync now, so a
/// platform change shows without waiting for the next poll).
template <class F, class N>
bool eventually_nudging(F predicate, N nudge, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto next_nudge = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    if (std::chrono::steady_clock::now() >= next_nudge) {
      nudge();
      next_nudge = std::chrono::steady_clock::now() + 250ms;
    }
    std::this_thread::sleep_for(50ms);
  }
  return predicate();
}

}  // namespace erp::test
