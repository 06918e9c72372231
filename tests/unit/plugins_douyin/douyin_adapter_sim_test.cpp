// The Douyin adapter end to end against platform-sim's Douyin module, in process: the simulated
// gateway checks our signatures and parameters, expires tokens, and its counters prove how often
// we shipped, wrote memos and decrypted.

#include <doctest/doctest.h>

#include <random>
#include <set>

#include "douyin_sim_host.hpp"
#include "plugins/common/digest.hpp"
#include "plugins/douyin/douyin_adapter.hpp"

namespace {

using namespace erp::sdk;
using erp::plugins::douyin::DouyinAdapter;
using erp::plugins::douyin::testing::SimHost;
using erp::sim::douyin::test::Fixture;
using nlohmann::json;

struct Rig {
  Fixture sim;
  std::shared_ptr<MemoryStateStore> state = std::make_shared<MemoryStateStore>();
  SimHost host{sim, state};
  DouyinAdapter adapter{host};

  ModifiedWindow last_hour() const {
    const Instant now = std::chrono::floor<std::chrono::milliseconds>(sim.clock.now());
    return {now - std::chrono::hours{1}, now + std::chrono::seconds{1}};
  }

  /// Every order of the window, page by page.
  std::vector<Order> drain(const ModifiedWindow& window, const std::function<void(int)>& between_pages = {}) {
    std::vector<Order> out;
    std::string page;
    int pages = 0;
    do {
      auto listed = adapter.list_modified(window, page);
      REQUIRE_MESSAGE(listed.ok(), (listed.ok() ? "" : listed.error().message));
      for (auto& order : listed->orders) out.push_back(std::move(order));
      page = listed->next_page;
      if (between_pages) between_pages(++pages);
    } while (!page.empty());
    return out;
  }
};

std::set<std::string> ids_of(const std::vector<Order>& orders) {
  std::set<std::string> out;
  for (const auto& o : orders) out.insert(o.order_id);
  return out;
}

}  // namespace

TEST_CASE("sync: order.searchList windows are drained page by page and every order is mapped") {
  Rig rig;
  std::mt19937 rng(7);
  rig.sim.module->generate(rig.sim.shop, 250, rng);
  const auto orders = rig.drain(rig.last_hour());
  CHECK(ids_of(orders).size() == 250);
  CHECK(rig.host.http_.calls["order.searchList"] == 4);  // page 0 for the total, then pages 2, 1, 0
  for (const auto& order : orders) {
    CHECK(order.platform == "douyin");
    CHECK(order.shop == "dy-1");
    CHECK(order.status == OrderStatus::paid);
    CHECK(order.ship_by.has_value());
    CHECK_FALSE(order.lines.empty());
    CHECK_FALSE(order.receiver.ciphertext.empty());
  }
}

TEST_CASE("get_order reads order.orderDetail; an unknown order is not_found") {
  Rig rig;
  rig.sim.paid_order("1001");
  auto order = rig.adapter.get_order("1001");
  REQUIRE(order.ok());
  CHECK(order->lines.size() == 2);
  CHECK(order->total.fen == 2 * 1250 + 3000);
  auto missing = rig.adapter.get_order("nope");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::not_found);
}

TEST_CASE("token expiry in the middle of a sync is refreshed once, nothing is lost or repeated, and the pair survives a restart") {
  Rig rig;
  std::mt19937 rng(11);
  rig.sim.module->generate(rig.sim.shop, 250, rng);
  const auto orders = rig.drain(rig.last_hour(), [&](int pages) {
    if (pages == 2) rig.sim.event("type: token_expire");
  });
  CHECK(ids_of(orders).size() == 250);
  CHECK(orders.size() == 250);  // the refused page was read again, not skipped or doubled
  CHECK(rig.host.http_.calls["token.refresh"] == 1);
  auto stored = rig.state->get("douyin.tokens");
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());

  // A new adapter over the same state (a restart) signs with the refreshed token at once; the
  // configured token is dead on the platform.
  SimHost restarted(rig.sim, rig.state);
  DouyinAdapter again(restarted);
  CHECK(again.get_order(orders.front().order_id).ok());
  CHECK(restarted.http_.calls["token.refresh"] == 0);
  for (const auto& line : rig.host.log.lines) {
    CHECK(line.find(rig.sim.shop.session) == std::string::npos);
  }
}

TEST_CASE("a refresh token Douyin no longer accepts means the shop needs re-authorization") {
  Rig rig;
  rig.sim.paid_order("1001");
  rig.host.keys.values["refresh_token"] = "refresh-that-never-was";
  rig.sim.event("type: token_expire");
  auto order = rig.adapter.get_order("1001");
  REQUIRE_FALSE(order.ok());
  CHECK(order.error().code == ErrorCode::needs_reauth);
}

TEST_CASE("a wrong app secret is a configuration error said plainly") {
  Rig rig;
  rig.sim.paid_order("1001");
  rig.host.keys.values["app_secret"] = "not-the-secret";
  auto order = rig.adapter.get_order("1001");
  REQUIRE_FALSE(order.ok());
  CHECK(order.error().code == ErrorCode::config_error);
  CHECK(order.error().message.find("signature") != std::string::npos);
}

TEST_CASE("write_memo: order.addOrderRemark with the flag as star, counted once") {
  Rig rig;
  rig.sim.paid_order("1001");
  REQUIRE(rig.adapter.write_memo(MemoUpdate{"1001", "拦截: 买家要求不发", 5}).ok());
  auto order = rig.adapter.get_order("1001");
  REQUIRE(order.ok());
  CHECK(order->memo == "拦截: 买家要求不发");
  CHECK(order->memo_flag == 5);
  CHECK(rig.sim.counters.count("memo", "1001") == 1);
  CHECK(rig.adapter.write_memo(MemoUpdate{"1001", std::string(61, 'x'), 0}).error().code == ErrorCode::invalid_input);
  // The declared limit counts characters, not bytes: 60 CJK characters (180 bytes) are taken.
  std::string longest;
  for (int i = 0; i < rig.adapter.capabilities().memo_max_chars; ++i) longest += "拦";
  REQUIRE(rig.adapter.write_memo(MemoUpdate{"1001", longest, 1}).ok());
  CHECK(rig.adapter.get_order("1001")->memo == longest);
}

TEST_CASE("ship: a lost answer is read back and a retry never ships twice") {
  Rig rig;
  rig.sim.paid_order("1001");
  const Shipment shipment{"1001", {Package{"SF100", "shunfeng", {}}}, "ship:douyin:dy-1:1001:1"};
  rig.sim.faults.set(erp::sim::Fault::truncated, 1.0);
  rig.sim.faults.only_methods({"order.logisticsAdd"});
  auto first = rig.adapter.ship(shipment);
  REQUIRE(first.ok());
  CHECK_FALSE(first->already_shipped);
  rig.sim.faults.clear();
  auto retry = rig.adapter.ship(shipment);
  REQUIRE(retry.ok());
  CHECK(retry->already_shipped);
  CHECK(rig.sim.counters.count("ship.upload", "1001") == 1);
  auto order = rig.adapter.get_order("1001");
  REQUIRE(order.ok());
  CHECK(order->status == OrderStatus::shipped);
}

TEST_CASE("ship: parcels of chosen sku orders go through logisticsAddMultiPack with a stable request_id") {
  Rig rig;
  rig.sim.paid_order("1001");
  const Shipment first{"1001", {Package{"YT1", "yuantong", {"1001-1"}}}, "ship:1001:part-1"};
  auto shipped = rig.adapter.ship(first);
  REQUIRE(shipped.ok());
  CHECK(rig.host.http_.calls["order.logisticsAddMultiPack"] == 1);
  auto order = rig.adapter.get_order("1001");
  REQUIRE(order.ok());
  CHECK(order->status == OrderStatus::partially_shipped);
  // The same shipment again is already there; the other sku order ships on its own.
  CHECK(rig.adapter.ship(first)->already_shipped);
  REQUIRE(rig.adapter.ship(Shipment{"1001", {Package{"YT2", "yuantong", {"1001-2"}}}, "ship:1001:part-2"}).ok());
  CHECK(rig.sim.counters.count("ship", "1001", "1001-1") == 1);
  CHECK(rig.sim.counters.count("ship", "1001", "1001-2") == 1);
  CHECK(rig.adapter.get_order("1001")->status == OrderStatus::shipped);
}

TEST_CASE("receivers (D10): decrypted through order.batchDecrypt in calls of at most 50 ciphertexts") {
  Rig rig;
  std::vector<ReceiverCipher> ciphers;
  for (int i = 0; i < 20; ++i) {
    const std::string id = "20" + std::to_string(100 + i);
    rig.sim.paid_order(id);
    auto order = rig.adapter.get_order(id);
    REQUIRE(order.ok());
    ciphers.push_back({id, order->receiver.ciphertext});
  }
  auto plain = rig.adapter.decrypt_receivers(ciphers);
  REQUIRE(plain.ok());
  REQUIRE(plain->size() == 20);
  for (const auto& receiver : *plain) {
    CHECK(receiver.error.empty());
    CHECK(receiver.name == "张三丰");
    CHECK(receiver.phone == "13812345678");
    CHECK(receiver.address == "文一西路100号");
  }
  CHECK(rig.host.http_.calls["order.batchDecrypt"] == 2);  // 60 ciphertexts: 50 + 10
  for (const auto& line : rig.host.log.lines) {
    CHECK(line.find("13812345678") == std::string::npos);
    CHECK(line.find("张三丰") == std::string::npos);
  }
}

TEST_CASE("pushes (D11): a signed message array is read; a wrong signature is refused") {
  Rig rig;
  const std::string body =
      R"([{"tag":"101","msg_id":"7001","data":"{\"p_id\":1001,\"s_ids\":[\"1001-1\"],\"shop_id\":4463798}"},)"
      R"({"tag":"206","msgId":"7002","data":{"p_id":"1002","aftersale_id":"9"}},{"tag":"400","msg_id":"7003","data":"{}"}])";
  const std::string sign = erp::plugins::digest_hex(
      erp::plugins::Digest::md5, rig.sim.shop.app_key + body + rig.sim.shop.app_secret, erp::plugins::HexCase::lower);
  PushRequest request{{{"event-sign", sign}, {"app-id", rig.sim.shop.app_key}}, body};
  auto batch = rig.adapter.parse_push(request);
  REQUIRE(batch.ok());
  REQUIRE(batch->messages.size() == 3);
  CHECK(batch->messages[0].order_id == "1001");
  CHECK(batch->messages[0].topic == "order");
  CHECK(batch->messages[1].msg_id == "7002");
  CHECK(batch->messages[1].order_id == "1002");
  CHECK(batch->messages[1].topic == "refund");
  CHECK(batch->messages[2].topic == "other");
  CHECK(batch->messages[2].order_id.empty());
  CHECK(batch->reply.body == R"({"code":0,"msg":"success"})");

  // Two shops of one app sharing a push path: each takes only the messages about itself.
  rig.host.cfg.values["douyin_shop_id"] = "4463798";
  auto own = rig.adapter.parse_push(request);
  REQUIRE(own.ok());
  CHECK(own->messages.size() == 3);  // 4463798 is named by the first; the others name no shop
  rig.host.cfg.values["douyin_shop_id"] = "5550001";
  auto others = rig.adapter.parse_push(request);
  REQUIRE(others.ok());
  REQUIRE(others->messages.size() == 2);
  CHECK(others->messages[0].msg_id == "7002");
  rig.host.cfg.values.erase("douyin_shop_id");

  request.body += " ";
  auto refused = rig.adapter.parse_push(request);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::invalid_input);
  CHECK(rig.adapter.push_refusal(refused.error()).body == R"({"code":1,"msg":"fail"})");
}
