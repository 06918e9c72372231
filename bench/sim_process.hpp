#pragma once
// What the end-to-end benchmarks share: platform-sim as a child process of the benchmark (so its
// pid is ours to read /proc of), and the memory figures /proc gives for any process.

#include <sys/types.h>

#include <string>

#include "integration/harness.hpp"

namespace erp::bench {

/// A field of /proc/PID/status in KiB (VmRSS, VmHWM), -1 when the process is gone.
long status_kib(pid_t pid, const std::string& field);

inline double mib(long kib) { return static_cast<double>(kib) / 1024.0; }

/// The last `n` characters of `text`, for failure messages.
std::string tail(const std::string& text, std::size_t n);

/// build/bin/platform-sim on 127.0.0.1, port 0, its log in DIR/sim.log; stopped with SIGTERM.
class SimProcess {
 public:
  explicit SimProcess(const erp::test::fs::path& dir) : dir_(dir) {}
  ~SimProcess() { stop(); }
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  /// Spawns it and waits until it wrote its port (false when it did not within 10 s).
  bool start();
  void stop();
  pid_t pid() const { return pid_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string log() const;

 private:
  erp::test::fs::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace erp::bench
