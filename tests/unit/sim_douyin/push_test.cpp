// Webhook pushes (PLATFORMS.md §3.6, rule D11) received by a loopback HTTP listener.

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "douyin_fixture.hpp"

using namespace erp::sim;
using namespace erp::sim::douyin::test;

namespace {

struct Received {
  std::string event_sign;
  std::string app_id;
  std::string body;
};

// A one-connection-at-a-time HTTP/1.1 listener on 127.0.0.1, port 0.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~Listener() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/douyin/push"; }
  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return got_;
  }

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

  void run() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      std::string data;
      char buf[4096];
      std::size_t need = std::string::npos;
      for (;;) {
        const auto n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        data.append(buf, static_cast<std::size_t>(n));
        const auto end = data.find("\r\n\r\n");
        if (end != std::string::npos && need == std::string::npos)
          need = end + 4 + std::stoul(header(data.substr(0, end + 2), "content-length"));
        if (need != std::string::npos && data.size() >= need) break;
      }
      const auto end = data.find("\r\n\r\n");
      if (end != std::string::npos) {
        const std::string head = data.substr(0, end + 2);
        std::lock_guard lock(mutex_);
        got_.push_back({header(head, "event-sign"), header(head, "app-id"), data.substr(end + 4)});
      }
      const std::string reply =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 28\r\nConnection: close\r\n\r\n"
          "{\"code\":0,\"msg\":\"success\"} ";
      ::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<Received> got_;
  std::thread thread_;
};

std::vector<std::string> tags_of(const std::vector<Received>& got) {
  std::vector<std::string> tags;
  for (const auto& r : got) tags.push_back(json::parse(r.body)[0]["tag"]);
  return tags;
}

}  // namespace

TEST_CASE("pushes carry a verifiable event-sign and the right tags for each change") {
  Listener listener;
  Fixture f;
  f.shop.push_url = listener.url();
  f.module->add_shop(f.shop);

  f.event(
      "type: order\norder_id: '1001'\nreceiver: {name: 李四, phone: '13900001111', detail: 某路1号}\n"
      "skus: [{sku_order_id: 1001-1, qty: 1, price: 100}, {sku_order_id: 1001-2, qty: 1, price: 200}]");
  f.event("type: pay\norder_id: '1001'");
  CHECK(f.call("order.addOrderRemark", {{"order_id", "1001"}, {"remark", "r"}})["code"] == 10000);
  f.event("type: exp_ship_time\norder_id: '1001'\nhours: 10");
  f.event("type: address\norder_id: '1001'\nreceiver: {name: 王五, phone: '13900002222', detail: 新路2号}");
  f.event("type: refund\norder_id: '1001'\nsku_order_id: 1001-2\nstatus: requested");
  f.event("type: refund\norder_id: '1001'\nsku_order_id: 1001-2\nstatus: closed");
  CHECK(f.call("order.logisticsAddMultiPack",
               {{"order_id", "1001"},
                {"request_id", "p1"},
                {"pack_list",
                 {{{"company_code", "zt"},
                   {"logistics_code", "Z1"},
                   {"shipped_order_info", {{{"shipped_order_id", "1001-1"}}}}}}}})["code"] == 10000);
  CHECK(f.call("order.logisticsAdd",
               {{"order_id", "1001"}, {"company_code", "zt"}, {"logistics_code", "Z2"}})["code"] == 10000);
  f.event("type: order\norder_id: '1002'\npaid: true\nskus: [{sku_order_id: 1002-1, qty: 1, price: 100}]");
  f.event("type: refund\norder_id: '1002'\nstatus: success");
  f.event("type: cancel\norder_id: '1002'");

  REQUIRE(f.douyin().wait_pushes(std::chrono::seconds(10)));
  const auto got = listener.received();
  CHECK(tags_of(got) == std::vector<std::string>{"100", "101", "113", "126", "105", "200", "207", "108", "102", "100",
                                                 "101", "206", "106"});
  std::set<std::string> ids;
  for (const auto& r : got) {
    CHECK(r.event_sign == erp::sim::douyin::event_sign(kAppKey, r.body, kSecret));
    CHECK(r.app_id == kAppKey);
    const json msg = json::parse(r.body);
    REQUIRE(msg.is_array());
    REQUIRE(msg[0]["data"].is_string());  // data travels as a JSON string
    const json data = json::parse(msg[0]["data"].get<std::string>());
    CHECK(data.contains("p_id"));
    ids.insert(msg[0]["msg_id"].get<std::string>());
    CHECK(r.body.find("李四") == std::string::npos);
    CHECK(r.body.find("13900002222") == std::string::npos);
  }
  CHECK(ids.size() == got.size());
  const json memo = json::parse(json::parse(got[2].body)[0]["data"].get<std::string>());
  CHECK(memo["remark"] == "r");
  CHECK(memo["p_id"] == 1001);
  CHECK(f.counters.count("push", "1001") == 9);
}

TEST_CASE("push faults: drop all, duplicate all, and a share in between") {
  Listener listener;
  Fixture f;
  f.shop.push_url = listener.url();
  f.module->add_shop(f.shop);

  f.douyin().set_push_faults(1.0, 0.0);
  f.event("type: order\norder_id: '1'\nskus: [{qty: 1, price: 1}]");
  REQUIRE(f.douyin().wait_pushes(std::chrono::seconds(10)));
  CHECK(listener.received().empty());
  CHECK(f.counters.count("push", "1") == 0);

  f.douyin().set_push_faults(0.0, 1.0);
  f.event("type: pay\norder_id: '1'");
  REQUIRE(f.douyin().wait_pushes(std::chrono::seconds(10)));
  auto got = listener.received();
  REQUIRE(got.size() == 2);
  CHECK(got[0].body == got[1].body);  // same msg_id twice
  CHECK(f.counters.count("push", "1") == 2);

  f.douyin().set_push_faults(0.5, 0.0);
  for (int i = 0; i < 200; ++i) f.event("type: memo\norder_id: '1'\nremark: m" + std::to_string(i));
  REQUIRE(f.douyin().wait_pushes(std::chrono::seconds(30)));
  const auto delivered = listener.received().size() - 2;
  CHECK(delivered > 60);
  CHECK(delivered < 140);
  CHECK(f.module->state()["pushes"]["dropped"].get<int>() == static_cast<int>(1 + 200 - delivered));
}

TEST_CASE("no push_url, no pushes") {
  Fixture f;
  f.paid_order();
  CHECK(f.douyin().wait_pushes(std::chrono::seconds(5)));
  CHECK(f.counters.count("push", "1001") == 0);
}
