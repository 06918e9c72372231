#pragma once
// What the end-to-end benchmarks share: the memory figures /proc gives for any process, and the
// part of an erpd config every benchmark writes the same way.

#include <sys/types.h>

#include <string>

#include "integration/harness.hpp"

namespace erp::bench {

/// A field of /proc/PID/status in KiB (VmRSS, VmHWM), -1 when the process is gone.
long status_kib(pid_t pid, const std::string& field);

inline double mib(long kib) { return static_cast<double>(kib) / 1024.0; }

/// The last `n` characters of `text`, for failure messages.
std::string tail(const std::string& text, std::size_t n);

/// An erpd config's database, plugins, api (port and token files in DIR), log and warehouse
/// sections; the benchmark adds `sync:` and `shops:`.
std::string erpd_config_head(const erp::test::TempDir& dir);

}  // namespace erp::bench
