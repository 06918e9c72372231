// bench_sim_reads [ORDERS] [SECONDS] [CLIENTS] [SERVER_THREADS]
// platform-sim order reads per second (issue 3 "Performance": at least 20,000/s here). Starts the
// simulator in this process on 127.0.0.1 port 0, generates ORDERS Tmall orders in one shop, then
// CLIENTS threads each keep one keep-alive connection busy with signed
// taobao.trade.fullinfo.get calls (GET /router/rest, md5 signature, random generated tids) for
// SECONDS, and prints reads/s. Built without the TOP module it reads GET /admin/state instead and
// says so.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/sim_server.hpp"
#include "core/simulator.hpp"
#include "core/time_format.hpp"
#ifdef ERP_SIM_HAS_TOP
#include "core/modules.hpp"
#include "top/top_sign.hpp"
#endif

namespace {

/// One keep-alive connection speaking just enough HTTP/1.1 (Content-Length bodies).
class Connection {
 public:
  explicit Connection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("connect");
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~Connection() { ::close(fd_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Sends one request and returns the status; the body lands in `body`.
  int call(const std::string& request, std::string& body) {
    std::size_t sent = 0;
    while (sent < request.size()) {
      const auto n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      sent += static_cast<std::size_t>(n);
    }
    for (;;) {
      const auto end = buf_.find("\r\n\r\n");
      if (end != std::string::npos) {
        const auto cl = find_content_length(end);
        if (buf_.size() >= end + 4 + cl) {
          const int status = std::atoi(buf_.c_str() + 9);
          body.assign(buf_, end + 4, cl);
          buf_.erase(0, end + 4 + cl);
          return status;
        }
      }
      char chunk[64 * 1024];
      const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) throw std::runtime_error("connection closed");
      buf_.append(chunk, static_cast<std::size_t>(n));
    }
  }

 private:
  std::size_t find_content_length(std::size_t header_end) const {
    std::size_t pos = 0;
    while ((pos = buf_.find("\r\n", pos)) != std::string::npos && pos < header_end) {
      pos += 2;
      if (buf_.compare(pos, 15, "Content-Length:") == 0 || buf_.compare(pos, 15, "content-length:") == 0) {
        return static_cast<std::size_t>(std::strtoull(buf_.c_str() + pos + 15, nullptr, 10));
      }
    }
    return 0;
  }

  int fd_;
  std::string buf_;
};

std::string get(const std::string& target) { return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"; }

std::string encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const int orders = argc > 1 ? std::atoi(argv[1]) : 10000;
  const double seconds = argc > 2 ? std::atof(argv[2]) : 5.0;
  const int clients = argc > 3 ? std::atoi(argv[3]) : 4;
  const int server_threads = argc > 4 ? std::atoi(argv[4]) : 2;

  erp::sim::Simulator sim;
#ifdef ERP_SIM_HAS_TOP
  sim.add_module(erp::sim::make_top_module(sim.context()));
#endif
  const std::string stamp = "2026-11-11 00:00:00";
  sim.set_clock(*erp::sim::parse_sim_time(stamp));

  boost::asio::io_context io(server_threads);
  erp::sim::SimServer server(io, sim);
  if (auto error = server.listen("127.0.0.1", 0)) {
    std::fprintf(stderr, "%s\n", error->c_str());
    return 1;
  }
  std::vector<std::thread> pool;
  for (int i = 0; i < server_threads; ++i) pool.emplace_back([&] { io.run(); });

  std::vector<std::string> requests;
  std::string what;
#ifdef ERP_SIM_HAS_TOP
  const auto made = sim.generate("tmall", 1, orders);
  const auto& shop = made["shops"][0];
  const std::string secret = shop["app_secret"];
  auto signed_target = [&](std::map<std::string, std::string> params) {
    params["app_key"] = shop["app_key"];
    params["session"] = shop["session"];
    params["timestamp"] = stamp;
    params["format"] = "json";
    params["v"] = "2.0";
    params["sign_method"] = "md5";
    params["sign"] = erp::sim::top::sign(params, secret, erp::sim::top::SignMethod::md5);
    std::string target = "/router/rest?";
    for (const auto& [k, v] : params) target += encode(k) + "=" + encode(v) + "&";
    target.pop_back();
    return target;
  };
  // The tids come from the platform's own listing, as an adapter would find them.
  std::vector<std::string> tids;
  {
    Connection c(server.port());
    std::string body;
    for (int page = 1; page <= 10 && static_cast<int>(tids.size()) < orders; ++page) {
      const int status = c.call(get(signed_target({{"method", "taobao.trades.sold.get"},
                                                   {"fields", "tid"},
                                                   {"page_size", "100"},
                                                   {"page_no", std::to_string(page)}})),
                                body);
      static const std::regex tid_re("\"tid\":\"?([0-9]+)");
      const auto before = tids.size();
      for (std::sregex_iterator it(body.begin(), body.end(), tid_re), end; it != end; ++it) tids.push_back((*it)[1]);
      if (status != 200 || tids.size() == before) {
        if (tids.empty()) std::fprintf(stderr, "trades.sold.get answered %d: %.300s\n", status, body.c_str());
        break;
      }
    }
  }
  if (tids.empty()) return 1;
  for (const auto& tid : tids) {
    requests.push_back(get(signed_target({{"method", "taobao.trade.fullinfo.get"},
                                          {"fields", "tid,status,payment,orders,receiver_name,seller_memo"},
                                          {"tid", tid}})));
  }
  what = "taobao.trade.fullinfo.get over " + std::to_string(tids.size()) + " of " + std::to_string(orders) +
         " generated Tmall orders";
#else
  requests.push_back(get("/admin/state"));
  what = "GET /admin/state (no TOP module in this build)";
#endif

  std::atomic<bool> stop{false};
  std::atomic<long long> reads{0};
  std::atomic<long long> failures{0};
  std::string sample;
  {
    Connection c(server.port());
    const int status = c.call(requests.front(), sample);
    if (status != 200 || sample.find("error_response") != std::string::npos) {
      std::fprintf(stderr, "read answered %d: %.300s\n", status, sample.c_str());
      return 1;
    }
  }
  std::vector<std::thread> workers;
  for (int i = 0; i < clients; ++i) {
    workers.emplace_back([&, i] {
      Connection c(server.port());
      std::mt19937 rng(static_cast<unsigned>(i) + 1);
      std::uniform_int_distribution<std::size_t> pick(0, requests.size() - 1);
      std::string body;
      long long n = 0;
      long long bad = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        if (c.call(requests[pick(rng)], body) != 200) ++bad;
        ++n;
      }
      reads += n;
      failures += bad;
    });
  }
  const auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  server.stop();
  io.stop();
  for (auto& t : pool) t.join();

  std::printf("platform-sim reads: %s\n", what.c_str());
  std::printf("  %d client connections (keep-alive), %d server threads, %.1f s, response %zu bytes\n", clients,
              server_threads, elapsed, sample.size());
  std::printf("  %lld reads, %lld non-200, %.0f reads/s\n", reads.load(), failures.load(),
              static_cast<double>(reads.load()) / elapsed);
  return failures.load() == 0 ? 0 : 1;
}
