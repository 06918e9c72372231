#include "integration/harness.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <ctime>
#include <iterator>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace erp::test {
namespace {

std::vector<std::string> environment_with(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto name = entry.substr(0, entry.find('='));
    // systemd's variables of the test runner's own session must not leak into the daemon.
    if (extra.count(name) || name == "NOTIFY_SOCKET" || name == "JOURNAL_STREAM" || name == "WATCHDOG_USEC" ||
        name == "WATCHDOG_PID")
      continue;
    env.push_back(entry);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

pid_t spawn(std::vector<std::string> argv, const std::map<std::string, std::string>& env, const fs::path& out,
            const fs::path& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  auto envs = environment_with(env);
  auto c_argv = c_strings(argv);
  auto c_env = c_strings(envs);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  return pid;
}

std::optional<int> wait_exit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (r < 0) return std::nullopt;
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(10ms);
  }
}

std::string header_value(const std::string& head, const std::string& name) {
  std::istringstream lines(head);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    if (key.size() != name.size() || strncasecmp(key.c_str(), name.c_str(), key.size()) != 0) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    return value;
  }
  return {};
}

}  // namespace

void write_file(const fs::path& file, const std::string& text, fs::perms perms) {
  fs::create_directories(file.parent_path());
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
  }
  fs::permissions(file, perms);
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string rfc3339(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

double cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may hold spaces.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(text.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

fs::path erpd_binary() { return fs::path(ERP_BUILD_DIR) / "bin" / "erpd"; }
fs::path erpctl_binary() { return fs::path(ERP_BUILD_DIR) / "bin" / "erpctl"; }
fs::path platform_sim_binary() { return fs::path(ERP_BUILD_DIR) / "bin" / "platform-sim"; }

CommandResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                  std::chrono::milliseconds timeout) {
  TempDir dir;
  const auto out = dir / "out";
  const auto err = dir / "err";
  const pid_t pid = spawn(argv, env, out, err);
  CommandResult result;
  auto code = wait_exit(pid, timeout);
  if (!code) {
    ::kill(pid, SIGKILL);
    code = wait_exit(pid, 5s);
  }
  result.exit_code = code.value_or(-1);
  result.out = read_file(out);
  result.err = read_file(err);
  return result;
}

NotifySocket::NotifySocket(const fs::path& path) : path_(path) {
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("cannot bind notify socket " + path.string());
}

NotifySocket::~NotifySocket() {
  if (fd_ >= 0) ::close(fd_);
}

void NotifySocket::drain(std::chrono::milliseconds timeout) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) return;
    messages_.emplace_back(buf, static_cast<std::size_t>(n));
  }
}

bool NotifySocket::wait_for(const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (const auto& m : messages_) {
      if (m.find(needle) != std::string::npos) return true;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return false;
    drain(std::min(left, 100ms));
  }
}

std::vector<std::string> NotifySocket::messages() {
  drain(0ms);
  return messages_;
}

Erpd::Erpd(const fs::path& config, const fs::path& dir, std::map<std::string, std::string> env)
    : config_(config), dir_(dir), log_(dir / "erpd.log"), env_(std::move(env)) {}

Erpd::~Erpd() {
  if (running()) kill9();
}

bool Erpd::start(std::chrono::milliseconds timeout) {
  exit_code_.reset();
  // Each start binds a new socket; the directory is the test's own, so a counter keeps names apart.
  static std::atomic<unsigned> starts{0};
  const auto socket_path = dir_ / ("notify-" + std::to_string(++starts) + ".sock");
  notify_ = std::make_unique<NotifySocket>(socket_path);
  auto env = env_;
  env["NOTIFY_SOCKET"] = socket_path.string();
  pid_ = spawn({erpd_binary().string(), "--config", config_.string()}, env, dir_ / "erpd.stdout", log_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (notify_->wait_for("READY=1", 100ms)) return true;
    if (!running()) return false;
  }
  return false;
}

void Erpd::signal(int signal_number) { ::kill(pid_, signal_number); }

std::optional<int> Erpd::wait(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  exit_code_ = wait_exit(pid_, timeout);
  return exit_code_;
}

void Erpd::kill9() {
  ::kill(pid_, SIGKILL);
  wait(10s);
}

bool Erpd::running() {
  if (exit_code_ || pid_ <= 0) return false;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return r == 0;
}

std::string Erpd::log() { return read_file(log_); }

namespace {
std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}
}  // namespace

HttpReply http(const std::string& method, const std::string& url, const std::string& token, const std::string& body,
               const std::string& content_type) {
  HttpReply reply;
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  if (!token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  if (!body.empty()) curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  if (curl_easy_perform(curl) == CURLE_OK) {
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    reply.status = static_cast<int>(code);
    char* type = nullptr;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    if (type != nullptr) reply.content_type = type;
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return reply;
}

PlatformSim::PlatformSim(const fs::path& dir) : dir_(dir) {}

PlatformSim::~PlatformSim() {
  if (pid_ > 0 && !stop()) {
    ::kill(pid_, SIGKILL);
    wait_exit(pid_, 5s);
  }
}

std::optional<int> PlatformSim::stop(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  ::kill(pid_, SIGTERM);
  auto code = wait_exit(pid_, timeout);
  if (code) pid_ = -1;
  return code;
}

bool PlatformSim::start(const std::vector<std::string>& extra_args, std::chrono::milliseconds timeout) {
  const auto port_file = dir_ / "sim.port";
  std::vector<std::string> argv{platform_sim_binary().string(), "--listen", "127.0.0.1:0", "--port-file",
                                port_file.string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  pid_ = spawn(argv, {}, dir_ / "sim.stdout", dir_ / "sim.log");
  return eventually(
      [&] {
        const std::string text = read_file(port_file);
        if (text.empty() || text.back() != '\n') return false;
        port_ = std::stoi(text);
        return port_ > 0;
      },
      timeout);
}

std::string PlatformSim::log() { return read_file(dir_ / "sim.log"); }

WebhookReceiver::WebhookReceiver() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int yes = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0)
    throw std::runtime_error("webhook receiver cannot listen");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

WebhookReceiver::~WebhookReceiver() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

std::string WebhookReceiver::url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/erp/events"; }

std::vector<WebhookReceiver::Request> WebhookReceiver::requests() {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t WebhookReceiver::distinct_keys() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> keys;
  for (const auto& r : requests_) {
    if (std::find(keys.begin(), keys.end(), r.idempotency_key) == keys.end()) keys.push_back(r.idempotency_key);
  }
  return keys.size();
}

bool WebhookReceiver::wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) {
  return eventually([&] { return requests().size() >= n; }, timeout);
}

void WebhookReceiver::serve() {
  std::vector<std::thread> connections;
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    connections.emplace_back([this, fd] {
      std::string data;
      char buf[4096];
      std::size_t header_end = std::string::npos;
      std::size_t length = 0;
      while (!stop_) {
        pollfd cp{fd, POLLIN, 0};
        if (::poll(&cp, 1, 50) <= 0) continue;
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        data.append(buf, static_cast<std::size_t>(n));
        if (header_end == std::string::npos && (header_end = data.find("\r\n\r\n")) != std::string::npos) {
          const auto cl = header_value(data.substr(0, header_end), "Content-Length");
          length = cl.empty() ? 0 : std::stoul(cl);
        }
        if (header_end != std::string::npos && data.size() >= header_end + 4 + length) break;
      }
      if (header_end != std::string::npos) {
        const std::string head = data.substr(0, header_end);
        const long n = ++served_;
        const int one_in = fail_one_in.load();
        const bool fails = one_in > 0 && n % one_in == 0;
        const bool refused = fails && (n / one_in) % 2 == 0;
        if (!refused) {
          std::lock_guard lock(mutex_);
          requests_.push_back(Request{header_value(head, "Idempotency-Key"), header_value(head, "X-Erpd-Event"),
                                      header_value(head, "Authorization"), header_value(head, "event-sign"),
                                      data.substr(header_end + 4)});
        }
        while (hang && !stop_) std::this_thread::sleep_for(20ms);
        const std::string reply = "HTTP/1.1 " + std::to_string(fails ? 503 : status.load()) +
                                  " X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
        ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
      }
      ::close(fd);
    });
  }
  for (auto& c : connections) c.join();
}

}  // namespace erp::test
