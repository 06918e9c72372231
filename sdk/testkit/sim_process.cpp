#include "testkit/sim_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

namespace erp::testkit {
namespace {

// ASan builds of the simulator take a few seconds to start; a healthy one never takes this long.
constexpr auto kStartTimeout = std::chrono::seconds{30};
constexpr auto kStopTimeout = std::chrono::seconds{5};

std::string tail_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  constexpr std::size_t kTail = 600;
  if (all.size() > kTail) all = "..." + all.substr(all.size() - kTail);
  while (!all.empty() && (all.back() == '\n' || all.back() == '\r')) all.pop_back();
  return all;
}

std::optional<int> read_port(const std::filesystem::path& file) {
  std::ifstream in(file);
  int port = 0;
  if (in >> port && port > 0 && port < 65536) return port;
  return std::nullopt;
}

bool wait_exit(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || done < 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  return false;
}

std::filesystem::path own_directory() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : self.parent_path();
}

}  // namespace

std::optional<std::filesystem::path> find_platform_sim() {
  std::vector<std::filesystem::path> candidates;
  if (const auto dir = own_directory(); !dir.empty()) {
    candidates.push_back(dir / "platform-sim");
    candidates.push_back(dir / ".." / ERP_TESTKIT_LIBEXEC_RELATIVE / "platform-sim");
  }
  candidates.emplace_back(ERP_TESTKIT_SIM_INSTALL_PATH);
  for (const auto& candidate : candidates) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.lexically_normal();
  }
  return std::nullopt;
}

sdk::Result<std::unique_ptr<SimProcess>> SimProcess::start(const std::filesystem::path& binary) {
  if (::access(binary.c_str(), X_OK) != 0) {
    return sdk::fail(sdk::ErrorCode::config_error, "platform-sim " + binary.string() + " is not an executable file");
  }
  std::string work_template = (std::filesystem::temp_directory_path() / "erp-plugin-check-XXXXXX").string();
  if (::mkdtemp(work_template.data()) == nullptr) {
    return sdk::fail(sdk::ErrorCode::internal, "cannot create a temporary directory for platform-sim");
  }
  const std::filesystem::path work_dir = work_template;
  const auto port_file = work_dir / "port";
  const auto log_file = work_dir / "platform-sim.log";

  // The simulator's output goes to a file: shown only when it fails to start.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  const std::string program = binary.string();
  const std::string port_path = port_file.string();
  std::vector<std::string> args = {program, "--listen", "127.0.0.1:0", "--port-file", port_path};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    std::filesystem::remove_all(work_dir);
    return sdk::fail(sdk::ErrorCode::internal, "cannot start " + program);
  }

  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (const auto port = read_port(port_file)) {
      return std::unique_ptr<SimProcess>(new SimProcess(pid, work_dir, "http://127.0.0.1:" + std::to_string(*port)));
    }
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      const std::string output = tail_of(log_file);
      std::filesystem::remove_all(work_dir);
      return sdk::fail(sdk::ErrorCode::internal, program + " exited before listening: " + output);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  ::kill(pid, SIGKILL);
  wait_exit(pid, kStopTimeout);
  const std::string output = tail_of(log_file);
  std::filesystem::remove_all(work_dir);
  return sdk::fail(sdk::ErrorCode::internal, program + " did not start listening within 30 s: " + output);
}

SimProcess::SimProcess(pid_t pid, std::filesystem::path work_dir, std::string url)
    : pid_(pid), work_dir_(std::move(work_dir)), url_(std::move(url)) {}

SimProcess::~SimProcess() {
  ::kill(pid_, SIGTERM);
  if (!wait_exit(pid_, kStopTimeout)) {
    ::kill(pid_, SIGKILL);
    wait_exit(pid_, kStopTimeout);
  }
  std::error_code ec;
  std::filesystem::remove_all(work_dir_, ec);
}

}  // namespace erp::testkit
