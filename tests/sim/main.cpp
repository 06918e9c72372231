// platform-sim --listen HOST:PORT [--scenario FILE] [--port-file FILE] [--threads N]
// A local TOP and Douyin gateway, a Qimen WMS (and the plugin template's example platform) with a
// control API under /admin/ (tests/sim/README.md).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/modules.hpp"
#include "core/sim_server.hpp"
#include "core/simulator.hpp"

namespace {

constexpr const char* kUsage =
    "usage: platform-sim --listen HOST:PORT [--scenario FILE] [--port-file FILE] [--threads N]\n"
    "  --listen HOST:PORT  address to serve on (port 0: any free port; [::1]:PORT for IPv6)\n"
    "  --scenario FILE     YAML scenario loaded before serving\n"
    "  --port-file FILE    write the bound port there once listening\n"
    "  --threads N         I/O threads (default 2)\n";

struct Args {
  std::string host;
  std::uint16_t port = 0;
  std::string scenario;
  std::string port_file;
  unsigned threads = 2;
};

bool parse_port(std::string_view text, std::uint16_t& out) {
  unsigned value = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || value > 65535) return false;
  out = static_cast<std::uint16_t>(value);
  return true;
}

bool parse_listen(const std::string& text, Args& args) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  args.host = host;
  return parse_port(std::string_view(text).substr(colon + 1), args.port);
}

int usage_error(const std::string& message) {
  std::cerr << "platform-sim: " << message << "\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  bool have_listen = false;
  const std::vector<std::string> argl(argv + 1, argv + argc);
  for (std::size_t i = 0; i < argl.size(); ++i) {
    const std::string& a = argl[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (i + 1 >= argl.size())
      return usage_error(a == "--listen" || a == "--scenario" || a == "--port-file" || a == "--threads"
                             ? a + " needs a value"
                             : "unknown argument '" + a + "'");
    const std::string& v = argl[++i];
    if (a == "--listen") {
      if (!parse_listen(v, args)) return usage_error("--listen: '" + v + "' is not HOST:PORT");
      have_listen = true;
    } else if (a == "--scenario") {
      args.scenario = v;
    } else if (a == "--port-file") {
      args.port_file = v;
    } else if (a == "--threads") {
      std::uint16_t n = 0;
      if (!parse_port(v, n) || n < 1 || n > 64) return usage_error("--threads: '" + v + "' is not 1 to 64");
      args.threads = n;
    } else {
      return usage_error("unknown argument '" + a + "'");
    }
  }
  if (!have_listen) return usage_error("--listen HOST:PORT is required");
  // Logs go to stderr, like erpd's; stdout stays free for whoever runs it.
  spdlog::set_default_logger(spdlog::stderr_color_mt("platform-sim"));
  spdlog::set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %v");

  erp::sim::Simulator sim;
  // The example module first: its /example/orders paths also look like Douyin method paths, and
  // the first module that serves a request answers it.
  sim.add_module(erp::sim::make_example_module(sim.context()));
  sim.add_module(erp::sim::make_top_module(sim.context()));
  sim.add_module(erp::sim::make_douyin_module(sim.context()));
  sim.add_module(erp::sim::make_qimen_module(sim.context()));

  if (!args.scenario.empty()) {
    std::ifstream in(args.scenario, std::ios::binary);
    if (!in) {
      std::cerr << "platform-sim: cannot read scenario " << args.scenario << "\n";
      return 2;
    }
    std::stringstream text;
    text << in.rdbuf();
    auto loaded = sim.load_scenario(text.str(), args.scenario);
    if (!loaded.errors.empty()) {
      for (const auto& e : loaded.errors) std::cerr << e << "\n";
      return 2;
    }
    for (const auto& r : loaded.answer["refused"]) {
      std::cerr << args.scenario << ":" << r["line"].get<int>() << ": event " << r["index"].get<int>() << " ("
                << r["type"].get<std::string>() << ") refused: " << r["message"].get<std::string>() << "\n";
    }
    for (const auto& w : loaded.answer["warnings"]) std::cerr << "platform-sim: " << w.get<std::string>() << "\n";
  }

  boost::asio::io_context io(static_cast<int>(args.threads));
  erp::sim::SimServer server(io, sim);
  if (auto error = server.listen(args.host, args.port)) {
    std::cerr << "platform-sim: " << *error << "\n";
    return 1;
  }
  if (!args.port_file.empty()) {
    // Written whole under a temporary name first, so a reader polling the file never sees half.
    const std::string tmp = args.port_file + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << server.port() << "\n";
      if (!out) {
        std::cerr << "platform-sim: cannot write " << tmp << "\n";
        return 1;
      }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, args.port_file, ec);
    if (ec) {
      std::cerr << "platform-sim: cannot write " << args.port_file << ": " << ec.message() << "\n";
      return 1;
    }
  }
  std::string modules;
  for (const auto& m : sim.module_names()) modules += (modules.empty() ? "" : ", ") + m;
  spdlog::info("platform-sim listening on http://{}:{} (modules: {}; control API under /admin/)",
               args.host.find(':') != std::string::npos ? "[" + args.host + "]" : args.host, server.port(),
               modules.empty() ? "none" : modules);

  // While the clock follows real time, scheduled events become due on their own.
  boost::asio::steady_timer ticker(io);
  std::function<void()> arm = [&] {
    ticker.expires_after(std::chrono::seconds{1});
    ticker.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      sim.tick();
      arm();
    });
  };
  arm();

  // Busy connections get up to two seconds (20 looks, 100 ms apart) to finish their response.
  // The function lives in main's scope, which outlives io.run(), so its timer callbacks can
  // refer to it without owning it.
  boost::asio::steady_timer grace(io);
  std::function<void(int)> drain = [&](int looks_left) {
    if (server.connections() == 0 || looks_left == 0) return io.stop();
    grace.expires_after(std::chrono::milliseconds{100});
    grace.async_wait([&drain, looks_left](const boost::system::error_code&) { drain(looks_left - 1); });
  };
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    spdlog::info("platform-sim: signal {}, stopping", signo);
    server.stop();
    ticker.cancel();
    sim.stop_generator();
    drain(20);
  });

  std::vector<std::thread> threads;
  for (unsigned i = 1; i < args.threads; ++i) threads.emplace_back([&] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  return 0;
}
