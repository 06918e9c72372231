#pragma once
// Helpers shared by the latency benchmarks (bench_intercept_latency, bench_douyin_push_latency),
// which both run the build tree's platform-sim and erpd through the integration harness and time
// HTTP calls: the run's start (line-buffered output, libcurl, load average), starting platform-sim
// and erpd with the same erpd.yaml head, a keep-alive libcurl connection, and the figures
// (milliseconds, percentiles, p50/p90/p99/max/mean of a set of samples).

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "integration/harness.hpp"

namespace erp::bench {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// A steady_clock duration in milliseconds.
double ms(std::chrono::steady_clock::duration d);

/// `s` without trailing newlines, carriage returns and spaces.
std::string trim(std::string s);

/// The last `n` characters of `text` (all of it when shorter).
std::string tail(const std::string& text, std::size_t n);

/// The 1, 5 and 15 minute load averages from /proc/loadavg, "0.12 0.34 0.56".
std::string loadavg();

/// Line-buffers stdout (so progress shows up in a log file as it comes), initializes libcurl and
/// prints the load average at start with the number of cores.
void begin_run();

/// Starts `sim`; when it does not start, prints so with its log and returns false.
bool start_sim(erp::test::PlatformSim& sim);

/// The part of a benchmark's erpd.yaml in `dir` that both latency benchmarks write: the database
/// file, the plugins in `plugin_dir`, the API on a free port with its token and port files in
/// `dir`, info logging and a pulling warehouse (`connector: api`, no webhook).
std::string erpd_config_head(const std::filesystem::path& dir, const std::string& plugin_dir);

/// erpd's API as a benchmark reaches it.
struct Api {
  std::string url;    ///< "http://127.0.0.1:PORT"
  std::string token;  ///< The bearer token.
};

/// Starts `erpd` (configured with erpd_config_head(`dir`, ...)) and reads its API from the port and
/// token files; when it does not become ready, prints so with the tail of its log and returns
/// nothing.
std::optional<Api> start_erpd(erp::test::Erpd& erpd, const std::filesystem::path& dir);

/// libcurl CURLOPT_WRITEFUNCTION: appends the data to the std::string given as CURLOPT_WRITEDATA.
std::size_t collect(char* data, std::size_t size, std::size_t n, void* out);

/// One keep-alive connection: a libcurl easy handle reused for every request of one thread.
class Conn {
 public:
  Conn();
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  /// `method` ("GET", or "POST" with `body`) to `url` with `headers` (kept by the caller): the
  /// status (0 when the request failed) and the answer.
  std::pair<int, std::string> request(const std::string& method, const std::string& url, curl_slist* headers,
                                      const std::string& body = "");

 private:
  CURL* curl_;
};

/// Summary of a set of samples; NaN figures when there are none.
struct Stats {
  std::size_t n = 0;
  double p50 = kNaN, p90 = kNaN, p99 = kNaN, max = kNaN, mean = kNaN;
};

/// The p-th percentile (0-100) of ascending `sorted`, interpolated between the ranks around it;
/// NaN when empty.
double percentile(const std::vector<double>& sorted, double p);

Stats stats(std::vector<double> v);

}  // namespace erp::bench
