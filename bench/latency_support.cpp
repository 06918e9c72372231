// See latency_support.hpp.

#include "latency_support.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <thread>

namespace erp::bench {

using namespace erp::test;

double ms(std::chrono::steady_clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string tail(const std::string& text, std::size_t n) {
  return text.size() > n ? text.substr(text.size() - n) : text;
}

std::string loadavg() {
  // "0.12 0.34 0.56 1/234 5678": the three averages only.
  std::istringstream in(read_file("/proc/loadavg"));
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

void begin_run() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::printf("load average at start: %s (nproc %u)\n", loadavg().c_str(), std::thread::hardware_concurrency());
}

bool start_sim(PlatformSim& sim) {
  if (sim.start()) return true;
  std::fprintf(stderr, "platform-sim did not start:\n%s\n", sim.log().c_str());
  return false;
}

std::string erpd_config_head(const std::filesystem::path& dir, const std::string& plugin_dir) {
  std::string yaml;
  yaml += "database:\n  path: " + (dir / "erpd.db").string() + "\n";
  yaml += "plugins:\n  dir: " + plugin_dir + "\n";
  yaml += "api:\n  listen: 127.0.0.1:0\n  token_file: " + (dir / "api.token").string() +
          "\n  port_file: " + (dir / "api.port").string() + "\n";
  yaml += "log:\n  level: info\n";
  yaml += "warehouse:\n  connector: api\n";
  return yaml;
}

std::optional<Api> start_erpd(Erpd& erpd, const std::filesystem::path& dir) {
  if (!erpd.start(30s)) {
    std::fprintf(stderr, "erpd did not become ready:\n%s\n", tail(erpd.log(), 4000).c_str());
    return std::nullopt;
  }
  return Api{"http://127.0.0.1:" + trim(read_file(dir / "api.port")), trim(read_file(dir / "api.token"))};
}

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

Conn::Conn() : curl_(curl_easy_init()) {}

Conn::~Conn() { curl_easy_cleanup(curl_); }

std::pair<int, std::string> Conn::request(const std::string& method, const std::string& url, curl_slist* headers,
                                          const std::string& body) {
  std::string out;
  curl_easy_reset(curl_);  // Keeps the connection cache.
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
  if (method == "POST") {
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &out);
  long code = 0;
  if (curl_easy_perform(curl_) == CURLE_OK) curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &code);
  return {static_cast<int>(code), std::move(out)};
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return kNaN;
  const double rank = p / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(rank));
  const auto hi = static_cast<std::size_t>(std::ceil(rank));
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - static_cast<double>(lo));
}

Stats stats(std::vector<double> v) {
  Stats s;
  s.n = v.size();
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.p50 = percentile(v, 50);
  s.p90 = percentile(v, 90);
  s.p99 = percentile(v, 99);
  s.max = v.back();
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / static_cast<double>(v.size());
  return s;
}

}  // namespace erp::bench
