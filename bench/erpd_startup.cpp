// erpd start-up and idle footprint (issue 2 "Performance"): wall time from spawn to the READY=1
// notification, and resident memory once idle, with three plugins loaded (two platform adapters
// and a warehouse connector), compared with no plugins. Prints figures; not a test.
//
//   bench_erpd_startup [runs]      (default 20)

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "integration/fixtures.hpp"

using namespace erp::test;

namespace {

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

struct Figures {
  std::vector<double> ready_ms;
  std::vector<long> rss_kib;
};

// Three real plugin libraries (from the test build), copied where only the owner can write.
std::string three_plugins(const TempDir& dir) {
  const fs::path from = fs::path(ERP_BUILD_DIR) / "tests" / "plugins" / "modules";
  const auto to = dir / "plugins";
  fs::create_directories(to);
  fs::permissions(to, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                          fs::perms::others_read | fs::perms::others_exec);
  for (const char* name : {"erp-test_good.so", "erp-test_throwing.so", "erp-test_warehouse.so"}) {
    fs::copy_file(from / name, to / name, fs::copy_options::overwrite_existing);
  }
  return to.string();
}

Figures measure(int runs, bool with_plugins) {
  Figures f;
  for (int i = 0; i < runs; ++i) {
    TempDir dir;
    ConfigOptions options;
    if (with_plugins) {
      options.plugins_dir = three_plugins(dir);
      for (const char* p : {"test_good", "test_throwing"}) {
        options.shops_yaml += std::string("  - id: s-") + p + "\n    platform: " + p +
                              "\n    base_url: http://127.0.0.1:9/\n    app_key: k\n    app_secret: s\n" +
                              (std::string(p) == "test_good" ? "    options:\n      region: east\n" : "");
      }
    }
    auto file = write_config(dir, options);
    if (with_plugins) {
      std::string text = read_file(file);
      text.replace(text.find("connector: api"), 14, "connector: test_warehouse");
      write_file(file, text);
    }
    Erpd erpd(file, dir.path());
    const auto t0 = std::chrono::steady_clock::now();
    if (!erpd.start(std::chrono::seconds{10})) {
      std::fprintf(stderr, "erpd did not become ready:\n%s\n", erpd.log().c_str());
      std::exit(1);
    }
    f.ready_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    std::this_thread::sleep_for(std::chrono::seconds{1});  // idle: timers ticking, nothing to do
    f.rss_kib.push_back(rss_kib(erpd.pid()));
    erpd.signal(SIGTERM);
    erpd.wait();
  }
  return f;
}

template <class T>
T percentile(std::vector<T> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

void report(const char* what, const Figures& f) {
  std::printf("%-26s ready ms: median %6.1f  p90 %6.1f  max %6.1f | idle RSS MiB: median %5.1f  max %5.1f\n", what,
              percentile(f.ready_ms, 0.5), percentile(f.ready_ms, 0.9), percentile(f.ready_ms, 1.0),
              static_cast<double>(percentile(f.rss_kib, 0.5)) / 1024.0,
              static_cast<double>(percentile(f.rss_kib, 1.0)) / 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
  std::printf("erpd start-up, %d runs each (spawn -> READY=1 on NOTIFY_SOCKET; VmRSS after 1 s idle)\n", runs);
  report("no plugins", measure(runs, false));
  report("3 plugins (2 shops + wms)", measure(runs, true));
  std::printf("goals: READY <= 200 ms, idle RSS <= 20 MiB with three plugins\n");
  return 0;
}
