// The platform-sim binary as scripts run it: --listen with port 0, --port-file, --scenario,
// bad arguments and files, SIGTERM.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sim_fixture.hpp"

extern char** environ;

namespace fs = std::filesystem;
using erp::sim::testing::http_call;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("sim-bin-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

/// Starts platform-sim with `args`, stderr to `err`.
pid_t spawn(const std::vector<std::string>& args, const fs::path& err) {
  const std::string binary = std::string(ERP_BUILD_DIR) + "/bin/platform-sim";
  std::vector<std::string> all{binary};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  return pid;
}

/// Waits up to `limit` for the process to end; its exit code, or -1 when it is still running.
int wait_exit(pid_t pid, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  return -1;
}

const char* kScenario = R"(clock: "2026-11-11 00:00:00"
shops:
  - id: shop-a
    platform: tmall
    app_key: "12345678"
    app_secret: s3cret
    session: sess-a
)";

}  // namespace

TEST_CASE("platform-sim: port 0, port file, scenario, one start line, SIGTERM stops it") {
  TempDir dir;
  write(dir.path / "s.yaml", kScenario);
  const pid_t pid = spawn({"--listen", "127.0.0.1:0", "--port-file", (dir.path / "port").string(), "--scenario",
                           (dir.path / "s.yaml").string()},
                          dir.path / "err");
  std::string port_text;
  for (int i = 0; i < 250 && port_text.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
    port_text = slurp(dir.path / "port");
  }
  REQUIRE_FALSE(port_text.empty());
  const auto port = static_cast<std::uint16_t>(std::stoi(port_text));
  CHECK(port > 0);
  const auto state = http_call(port, "GET", "/admin/state");
  CHECK(state.status == 200);
  CHECK(state.json()["shops"][0]["id"] == "shop-a");
  CHECK(state.json()["now_cst"] == "2026-11-11 00:00:00");
  CHECK(slurp(dir.path / "err").find("platform-sim listening on http://127.0.0.1:" + std::to_string(port)) !=
        std::string::npos);
  ::kill(pid, SIGTERM);
  CHECK(wait_exit(pid, std::chrono::seconds{5}) == 0);
}

TEST_CASE("platform-sim: a bad scenario names file and line and exits 2; bad arguments exit 2") {
  TempDir dir;
  write(dir.path / "bad.yaml", "shops:\n  - id: a\n    platform: jd\n    app_key: k\n    app_secret: s\n");
  pid_t pid = spawn({"--listen", "127.0.0.1:0", "--scenario", (dir.path / "bad.yaml").string()}, dir.path / "err");
  CHECK(wait_exit(pid, std::chrono::seconds{5}) == 2);
  CHECK(slurp(dir.path / "err").find((dir.path / "bad.yaml").string() + ":3: shops[0].platform: 'jd'") !=
        std::string::npos);

  pid = spawn({"--listen", "nowhere"}, dir.path / "err2");
  CHECK(wait_exit(pid, std::chrono::seconds{5}) == 2);
  CHECK(slurp(dir.path / "err2").find("--listen: 'nowhere' is not HOST:PORT") != std::string::npos);

  pid = spawn({"--scenario", "x.yaml"}, dir.path / "err3");
  CHECK(wait_exit(pid, std::chrono::seconds{5}) == 2);
  CHECK(slurp(dir.path / "err3").find("--listen HOST:PORT is required") != std::string::npos);
}
