#pragma once
// platform-sim as a child process: started on 127.0.0.1 with port 0 (the bound port comes back
// through --port-file, so parallel runs never collide) and stopped with SIGTERM at the end.

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "erp/result.hpp"

namespace erp::testkit {

class SimProcess {
 public:
  /// Starts `binary` and waits until it listens. The error says why it could not start, with the
  /// end of the simulator's own output.
  static sdk::Result<std::unique_ptr<SimProcess>> start(const std::filesystem::path& binary);

  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;
  ~SimProcess();  ///< Stops the simulator (SIGTERM, then SIGKILL after 5 s) and removes its files.

  /// "http://127.0.0.1:PORT"
  const std::string& url() const noexcept { return url_; }

 private:
  SimProcess(pid_t pid, std::filesystem::path work_dir, std::string url);

  pid_t pid_;
  std::filesystem::path work_dir_;
  std::string url_;
};

/// Where platform-sim is when no --sim-binary is given: beside this program (a build tree's bin/),
/// then LIBEXECDIR/erpd/platform-sim relative to it (the package: /usr/bin -> /usr/libexec/erpd),
/// then the install path compiled in. nullopt when none exists.
std::optional<std::filesystem::path> find_platform_sim();

}  // namespace erp::testkit
