#pragma once
// A stand-in for the ERP's inbound URL: a loopback HTTP/1.1 listener (port 0) that records each
// request's target, Content-Type and body, and answers with a settable Qimen answer. It can leave
// the first N requests unanswered, to make the WMS retry. (tests/integration's WebhookReceiver
// keeps neither the query string nor the Content-Type, which these tests check.)

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sim/qimen/qimen_sign.hpp"

namespace erp::sim::qimen::test {

struct ReceivedRequest {
  std::string target;  ///< Path and query, still percent-encoded.
  std::string content_type;
  std::string body;

  std::string path() const { return target.substr(0, target.find('?')); }
  /// The query, percent-decoded, in the order sent.
  Params query() const {
    Params out;
    const auto q = target.find('?');
    if (q == std::string::npos) return out;
    std::string rest = target.substr(q + 1);
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const std::string part = rest.substr(0, amp);
      rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
      const auto eq = part.find('=');
      out.emplace_back(decode(part.substr(0, eq)), eq == std::string::npos ? "" : decode(part.substr(eq + 1)));
    }
    return out;
  }
  std::string param(const std::string& name) const {
    for (const auto& [k, v] : query())
      if (k == name) return v;
    return "";
  }

  static std::string decode(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += text[i] == '+' ? ' ' : text[i];
      }
    }
    return out;
  }
};

class Receiver {
 public:
  Receiver() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0) {
      throw std::runtime_error("receiver cannot listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~Receiver() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/erp/qimen"; }
  std::vector<ReceivedRequest> received() {
    std::lock_guard lock(mutex_);
    return got_;
  }
  void answer_with(std::string body) {
    std::lock_guard lock(mutex_);
    answer_ = std::move(body);
  }
  /// The next `n` requests are recorded but never answered (the connection stays silent until
  /// the caller gives up).
  std::atomic<int> silent{0};

 private:
  static std::string header(const std::string& head, const std::string& name) {
    std::string lower = head;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto at = lower.find("\r\n" + name + ":");
    if (at == std::string::npos) return "";
    auto start = at + 3 + name.size();
    while (start < head.size() && head[start] == ' ') ++start;
    return head.substr(start, head.find("\r\n", start) - start);
  }

  /// Polls until the fd is readable, the receiver stops, or `ms` pass; true when readable.
  bool readable(int fd, int ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!stop_ && std::chrono::steady_clock::now() < until) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 20) > 0) return true;
    }
    return false;
  }

  void serve(int c) {
    std::string data;
    char buf[4096];
    std::size_t need = std::string::npos;
    while (readable(c, 3000)) {
      const auto n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) return;
      data.append(buf, static_cast<std::size_t>(n));
      const auto end = data.find("\r\n\r\n");
      if (end != std::string::npos && need == std::string::npos) {
        const std::string length = header(data.substr(0, end + 2), "content-length");
        need = end + 4 + (length.empty() ? 0 : std::stoul(length));
      }
      if (need != std::string::npos && data.size() >= need) break;
    }
    const auto end = data.find("\r\n\r\n");
    if (end == std::string::npos) return;
    const std::string head = data.substr(0, end + 2);
    const auto first_space = head.find(' ');
    const std::string target = head.substr(first_space + 1, head.find(' ', first_space + 1) - first_space - 1);
    std::string answer;
    {
      std::lock_guard lock(mutex_);
      got_.push_back({target, header(head, "content-type"), data.substr(end + 4)});
      answer = answer_;
    }
    if (silent > 0) {
      --silent;
      readable(c, 10000);  // until the caller hangs up
      return;
    }
    const std::string reply =
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml;charset=utf-8\r\nContent-Length: " + std::to_string(answer.size()) +
        "\r\nConnection: close\r\n\r\n" + answer;
    ::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
  }

  void run() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      serve(c);
      ::close(c);
    }
  }

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<ReceivedRequest> got_;
  std::string answer_ =
      R"(<?xml version="1.0" encoding="utf-8"?><response><flag>success</flag><code>0</code><message>ok</message></response>)";
  std::thread thread_;
};

}  // namespace erp::sim::qimen::test
