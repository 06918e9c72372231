// The Douyin adapter's dropship calls (iop.*, rules D1-D11) against platform-sim's Douyin module in
// process: a merchant shop and two factory shops, each with its own adapter and token, and the
// simulated gateway enforcing roles (D1, D5), bindings (D2, D3) and per-item state (D4, D6-D8, D10).
// Then the mapping of refusals and entries on canned answers.

#include <doctest/doctest.h>

#include <set>

#include "douyin_sim_host.hpp"
#include "plugins/common/digest.hpp"
#include "plugins/douyin/douyin_adapter.hpp"
#include "plugins/douyin/douyin_dropship.hpp"
#include "plugins/douyin/douyin_order_mapper.hpp"
#include "plugins/douyin/douyin_push.hpp"

namespace {

using namespace erp::sdk;
using erp::plugins::douyin::DouyinAdapter;
using erp::plugins::douyin::DouyinError;
using erp::plugins::douyin::testing::SimHost;
using erp::sim::douyin::test::Fixture;
using nlohmann::json;

namespace dy = erp::plugins::douyin;

constexpr const char* kFactoryA = "7000001";
constexpr const char* kFactoryB = "7000002";

/// The host of a factory shop: the fixture's app, the factory's own token.
struct FactoryHost {
  FactoryHost(Fixture& sim, const erp::sim::Shop& shop) : host(sim, std::make_shared<MemoryStateStore>()) {
    host.cfg.values["id"] = "dy-factory-" + shop.id;
    host.cfg.values["douyin_shop_id"] = shop.id;
    host.keys.values["access_token"] = shop.session;
    host.keys.values["refresh_token"] = shop.refresh_token;
  }
  SimHost host;
  DouyinAdapter adapter{host};
};

struct DropshipRig {
  Fixture sim;
  erp::sim::Shop factory_a = Fixture::make_shop(kFactoryA, "token-fa", "factory");
  erp::sim::Shop factory_b = Fixture::make_shop(kFactoryB, "token-fb", "factory");
  SimHost merchant_host{sim, std::make_shared<MemoryStateStore>()};
  DouyinAdapter merchant{merchant_host};
  std::unique_ptr<FactoryHost> a;
  std::unique_ptr<FactoryHost> b;

  /// Both factories exist; `bind` binds them to the merchant now.
  explicit DropshipRig(bool bind = true) {
    sim.module->add_shop(factory_a);
    sim.module->add_shop(factory_b);
    a = std::make_unique<FactoryHost>(sim, factory_a);
    b = std::make_unique<FactoryHost>(sim, factory_b);
    if (bind) {
      bind_both();
      sim.clock.advance(std::chrono::seconds(5));
    }
  }

  void bind_both() {
    sim.event(std::string("type: bind_factory\nfactory_shop_id: '") + kFactoryA + "'");
    sim.event(std::string("type: bind_factory\nfactory_shop_id: '") + kFactoryB + "'");
  }

  Instant now() const { return std::chrono::floor<std::chrono::milliseconds>(sim.clock.now()); }

  ModifiedWindow last_minutes(int minutes = 20) const {
    return {now() - std::chrono::minutes{minutes}, now() + std::chrono::seconds{1}};
  }

  /// Assigns the items and insists every one was accepted; their distr_order_ids in request order.
  std::vector<std::string> assign(const std::string& factory, const std::vector<DistributeItem>& items) {
    auto results = merchant.distribute(DistributeRequest{factory, items});
    REQUIRE_MESSAGE(results.ok(), (results.ok() ? "" : results.error().message));
    REQUIRE(results->size() == items.size());
    std::vector<std::string> ids;
    for (const auto& r : *results) {
      REQUIRE_MESSAGE(r.refusal == DropshipRefusal::none, r.detail);
      ids.push_back(r.distr_order_id);
    }
    return ids;
  }

  /// Every entry of the window for a factory, page by page.
  std::vector<DropshipOrder> drain(DouyinAdapter& factory, const ModifiedWindow& window, int* pages = nullptr) {
    std::vector<DropshipOrder> out;
    std::string page;
    int count = 0;
    do {
      auto listed = factory.list_dropship(window, page);
      REQUIRE_MESSAGE(listed.ok(), (listed.ok() ? "" : listed.error().message));
      CHECK(listed->rejected.empty());
      for (auto& order : listed->orders) out.push_back(std::move(order));
      page = listed->next_page;
      REQUIRE(++count < 100);
    } while (!page.empty());
    if (pages != nullptr) *pages = count;
    return out;
  }

  DropshipShipment shipment(const std::string& distr, const std::string& waybill = "YT100") const {
    return DropshipShipment{distr, sim.shop.id, "yuantong", waybill};
  }
};

std::set<std::string> distr_ids(const std::vector<DropshipOrder>& orders) {
  std::set<std::string> out;
  for (const auto& o : orders) out.insert(o.distr_order_id);
  return out;
}

}  // namespace

TEST_CASE("D1 the Douyin adapter declares the dropship channel") {
  DropshipRig rig;
  CHECK(rig.merchant.capabilities().dropship);
  CHECK(rig.a->adapter.capabilities().dropship);
}

TEST_CASE("D2 list_factories reads bound factories with bind_time") {
  DropshipRig rig(false);
  auto none = rig.merchant.list_factories();
  REQUIRE(none.ok());
  CHECK(none->empty());

  const Instant bound = std::chrono::floor<std::chrono::seconds>(rig.now());
  rig.bind_both();
  auto listed = rig.merchant.list_factories();
  REQUIRE_MESSAGE(listed.ok(), (listed.ok() ? "" : listed.error().message));
  REQUIRE(listed->size() == 2);
  std::set<std::string> ids;
  for (const auto& f : *listed) {
    ids.insert(f.factory_shop_id);
    CHECK(f.bound_at == bound);
    CHECK_FALSE(f.name.empty());
  }
  CHECK(ids == std::set<std::string>{kFactoryA, kFactoryB});

  // Either side may unbind (D2): the factory is no longer listed.
  rig.sim.event(std::string("type: unbind_factory\nfactory_shop_id: '") + kFactoryB + "'");
  auto after = rig.merchant.list_factories();
  REQUIRE(after.ok());
  REQUIRE(after->size() == 1);
  CHECK(after->front().factory_shop_id == kFactoryA);

  // D1: a factory shop has no merchant methods.
  auto refused = rig.a->adapter.list_factories();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::config_error);
}

TEST_CASE("D2 distribute to a factory that is not bound refuses every item not_bound, as results") {
  DropshipRig rig(false);
  rig.sim.event(std::string("type: bind_factory\nfactory_shop_id: '") + kFactoryA + "'");
  rig.sim.clock.advance(std::chrono::seconds(5));
  rig.sim.paid_order("1001");
  auto results = rig.merchant.distribute(DistributeRequest{kFactoryB, {{"1001", "1001-1"}, {"1001", "1001-2"}}});
  REQUIRE(results.ok());
  REQUIRE(results->size() == 2);
  for (const auto& r : *results) {
    CHECK(r.refusal == DropshipRefusal::not_bound);
    CHECK(r.distr_order_id.empty());
    CHECK(r.detail.find("41001") != std::string::npos);
  }
  CHECK((*results)[1].line_id == "1001-2");
}

TEST_CASE("D3 an order created before the binding took effect is refused before_binding") {
  DropshipRig rig(false);
  rig.sim.paid_order("1001");
  rig.sim.clock.advance(std::chrono::seconds(5));
  rig.bind_both();
  rig.sim.clock.advance(std::chrono::seconds(5));
  rig.sim.paid_order("1002");
  auto results = rig.merchant.distribute(DistributeRequest{kFactoryA, {{"1001", "1001-1"}, {"1002", "1002-1"}}});
  REQUIRE(results.ok());
  REQUIRE(results->size() == 2);
  CHECK((*results)[0].refusal == DropshipRefusal::before_binding);
  CHECK_FALSE((*results)[0].detail.empty());
  CHECK((*results)[1].refusal == DropshipRefusal::none);  // created after the binding (10001 part failed)
  CHECK_FALSE((*results)[1].distr_order_id.empty());

  // Every item refused (50002 ...:41003 with the per-item list) is still a result, not an error.
  auto all_old = rig.merchant.distribute(DistributeRequest{kFactoryA, {{"1001", "1001-1"}, {"1001", "1001-2"}}});
  REQUIRE(all_old.ok());
  CHECK((*all_old)[0].refusal == DropshipRefusal::before_binding);
  CHECK((*all_old)[1].refusal == DropshipRefusal::before_binding);
}

TEST_CASE("D4 distribute assigns per item and returns distr_order_ids") {
  DropshipRig rig;
  rig.sim.paid_order("1001");
  rig.sim.paid_order("1002");
  // Many orders in one request, items interleaved: results come back in request order.
  const std::vector<DistributeItem> items{{"1001", "1001-1"}, {"1002", "1002-2"}, {"1001", "1001-2"}};
  const auto ids = rig.assign(kFactoryA, items);
  CHECK(rig.merchant_host.http_.calls["iop.sellerDistribute"] == 1);
  CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == 3);

  // The factory sees exactly these items, each with the merchant that assigned it.
  const auto listed = rig.drain(rig.a->adapter, rig.last_minutes());
  CHECK(distr_ids(listed) == std::set<std::string>(ids.begin(), ids.end()));
  for (const auto& o : listed) {
    CHECK(o.merchant_shop_id == rig.sim.shop.id);
    CHECK(o.status == DropshipStatus::to_ship);
    CHECK_FALSE(o.buyer_cancelled);
    CHECK(o.assigned_at == std::chrono::floor<std::chrono::seconds>(rig.now()));
    CHECK(o.quantity >= 1);
    CHECK_FALSE(o.title.empty());
    CHECK(o.receiver.province == "浙江省");
  }

  // A second assignment of an assigned item is refused per item; the new one next to it goes through.
  rig.sim.paid_order("1003");
  auto again = rig.merchant.distribute(DistributeRequest{kFactoryB, {{"1001", "1001-1"}, {"1003", "1003-1"}}});
  REQUIRE(again.ok());
  CHECK((*again)[0].refusal == DropshipRefusal::already_assigned);
  CHECK((*again)[0].detail.find("已分配") != std::string::npos);
  CHECK((*again)[1].refusal == DropshipRefusal::none);

  // Unknown orders and lines are not_found; shipped and cancelled items are refused as such.
  rig.sim.paid_order("1004");
  rig.sim.event("type: ship\norder_id: '1004'\nsku_order_id: 1004-1");
  rig.sim.event("type: cancel\norder_id: '1004'\nsku_order_id: 1004-2");
  auto refused = rig.merchant.distribute(
      DistributeRequest{kFactoryA, {{"nope", "nope-1"}, {"1003", "1003-9"}, {"1004", "1004-1"}, {"1004", "1004-2"}}});
  REQUIRE(refused.ok());
  REQUIRE(refused->size() == 4);
  CHECK((*refused)[0].refusal == DropshipRefusal::not_found);
  CHECK((*refused)[1].refusal == DropshipRefusal::not_found);
  CHECK((*refused)[2].refusal == DropshipRefusal::already_shipped);
  CHECK((*refused)[3].refusal == DropshipRefusal::buyer_cancelled);

  // Douyin assigns per sku order: an item without its line is refused before any call.
  auto whole = rig.merchant.distribute(DistributeRequest{kFactoryA, {{"1003", ""}}});
  REQUIRE_FALSE(whole.ok());
  CHECK(whole.error().code == ErrorCode::invalid_input);
  auto empty = rig.merchant.distribute(DistributeRequest{kFactoryA, {}});
  REQUIRE(empty.ok());
  CHECK(empty->empty());
}

TEST_CASE("D4 more than 100 orders in one request go out in calls of at most 100 orders") {
  DropshipRig rig;
  std::vector<DistributeItem> items;
  for (int i = 0; i < 130; ++i) {
    const std::string id = std::to_string(5000 + i);
    rig.sim.event("type: order\norder_id: '" + id + "'\npaid: true\nskus:\n  - {sku_order_id: '" + id +
                  "-1', sku_id: '11', code: A-1, product_name: 杯子, qty: 1, price: 100}\n");
    items.push_back({id, id + "-1"});
  }
  const auto ids = rig.assign(kFactoryA, items);
  CHECK(rig.merchant_host.http_.calls["iop.sellerDistribute"] == 2);
  CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == 130);
}

TEST_CASE("D4 cancel_distribution takes an unshipped item back; a shipped one is already_shipped") {
  DropshipRig rig;
  rig.sim.paid_order("1001");
  const auto ids = rig.assign(kFactoryA, {{"1001", "1001-1"}, {"1001", "1001-2"}});
  REQUIRE(rig.merchant.cancel_distribution(ids[0]).ok());
  // The answer of a repeat says it was taken back already: what was asked holds.
  CHECK(rig.merchant.cancel_distribution(ids[0]).ok());
  auto taken_back = rig.a->adapter.get_dropship(ids[0]);
  REQUIRE(taken_back.ok());
  CHECK(taken_back->status == DropshipStatus::unassigned);
  CHECK_FALSE(taken_back->cancel_reason.empty());

  auto shipped = rig.a->adapter.return_waybill(rig.shipment(ids[1]));
  REQUIRE(shipped.ok());
  REQUIRE(shipped->refusal == DropshipRefusal::none);
  auto late = rig.merchant.cancel_distribution(ids[1]);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code == ErrorCode::already_shipped);

  auto unknown = rig.merchant.cancel_distribution("71999999");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == ErrorCode::not_found);

  // The item taken back is free for the other factory; the first one may no longer ship it.
  CHECK_FALSE(rig.assign(kFactoryB, {{"1001", "1001-1"}}).front().empty());
  auto stale = rig.a->adapter.return_waybill(rig.shipment(ids[0]));
  REQUIRE(stale.ok());
  CHECK(stale->refusal == DropshipRefusal::other);
  CHECK(rig.sim.counters.count("iop.ship", "1001", "1001-1") == 0);
}

TEST_CASE("D5 a merchant token cannot list factory orders") {
  DropshipRig rig;
  rig.sim.paid_order("1001");
  const auto ids = rig.assign(kFactoryA, {{"1001", "1001-1"}});
  auto listed = rig.merchant.list_dropship(rig.last_minutes(), "");
  REQUIRE_FALSE(listed.ok());
  CHECK(listed.error().code == ErrorCode::config_error);  // 30001 dop.no-permissions
  REQUIRE_FALSE(rig.merchant.get_dropship(ids[0]).ok());

  // Only the factory the item was assigned to sees it.
  CHECK(rig.drain(rig.a->adapter, rig.last_minutes()).size() == 1);
  CHECK(rig.drain(rig.b->adapter, rig.last_minutes()).empty());
  auto foreign = rig.b->adapter.get_dropship(ids[0]);
  REQUIRE_FALSE(foreign.ok());
  CHECK(foreign.error().code == ErrorCode::not_found);
}

TEST_CASE("D5 list_dropship reads a long window in 30-minute slices, page by page, nothing lost") {
  DropshipRig rig;
  rig.a->host.cfg.values["page_size"] = "2";
  const Instant start = rig.now();
  std::set<std::string> expected;
  // Five items now, one 40 minutes later, two 100 minutes later: three slices hold items.
  for (int i = 0; i < 8; ++i) {
    if (i == 5) rig.sim.clock.advance(std::chrono::minutes(40));
    if (i == 6) rig.sim.clock.advance(std::chrono::minutes(60));
    const std::string id = std::to_string(3000 + i);
    rig.sim.paid_order(id);
    for (const auto& d : rig.assign(kFactoryA, {{id, id + "-1"}})) expected.insert(d);
  }
  const ModifiedWindow window{start, rig.now() + std::chrono::seconds{1}};
  int pages = 0;
  const auto listed = rig.drain(rig.a->adapter, window, &pages);
  CHECK(listed.size() == expected.size());
  CHECK(distr_ids(listed) == expected);
  // Slice 1: page 0 for the total (5), then pages 2, 1, 0 of size 2; slice 2: one page; slice 3
  // (empty) skipped within the call; slice 4: one page.
  CHECK(pages == 5);
  CHECK(rig.a->host.http_.calls["iop.orderList"] == 4 + 1 + 1 + 1);

  // A token from elsewhere is refused rather than misread.
  auto bad = rig.a->adapter.list_dropship(window, "pg1:1:2:3");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::invalid_input);
  auto empty = rig.a->adapter.list_dropship({window.to, window.to}, "");
  REQUIRE(empty.ok());
  CHECK(empty->orders.empty());
  CHECK(empty->next_page.empty());
}

TEST_CASE("D6 items of one order assigned to different factories ship independently") {
  DropshipRig rig;
  rig.sim.paid_order("1001");
  const auto a = rig.assign(kFactoryA, {{"1001", "1001-1"}});
  const auto b = rig.assign(kFactoryB, {{"1001", "1001-2"}});
  auto first = rig.a->adapter.return_waybill(rig.shipment(a[0], "YT1"));
  REQUIRE(first.ok());
  CHECK(first->refusal == DropshipRefusal::none);
  auto order = rig.merchant.get_order("1001");
  REQUIRE(order.ok());
  CHECK(order->status == OrderStatus::partially_shipped);
  auto other = rig.b->adapter.get_dropship(b[0]);
  REQUIRE(other.ok());
  CHECK(other->status == DropshipStatus::to_ship);
  auto second = rig.b->adapter.return_waybill(rig.shipment(b[0], "ZT2"));
  REQUIRE(second.ok());
  CHECK(second->refusal == DropshipRefusal::none);
  CHECK(rig.merchant.get_order("1001")->status == OrderStatus::shipped);
  auto mine = rig.a->adapter.get_dropship(a[0]);
  REQUIRE(mine.ok());
  CHECK(mine->status == DropshipStatus::shipped);
  CHECK(mine->waybill == "YT1");
  CHECK(mine->carrier == "yuantong");
}

TEST_CASE("D7 return_waybill a second time is refused already_shipped, not an error") {
  DropshipRig rig;
  rig.sim.paid_order("1001");
  const auto ids = rig.assign(kFactoryA, {{"1001", "1001-1"}, {"1001", "1001-2"}});
  REQUIRE(rig.a->adapter.return_waybill(rig.shipment(ids[0], "YT1"))->refusal == DropshipRefusal::none);
  auto again = rig.a->adapter.return_waybill(rig.shipment(ids[0], "YT2"));
  REQUIRE(again.ok());
  CHECK(again->refusal == DropshipRefusal::already_shipped);
  CHECK(again->detail.find("20005") != std::string::npos);
  CHECK(rig.sim.counters.count("iop.ship", "1001", "1001-1") == 1);

  // The merchant shipped the other item first: the factory, second, is told so.
  REQUIRE(rig.merchant.ship(Shipment{"1001", {Package{"M1", "zhongtong", {"1001-2"}}}, "ship:1001:m1"}).ok());
  auto late = rig.a->adapter.return_waybill(rig.shipment(ids[1], "YT3"));
  REQUIRE(late.ok());
  CHECK(late->refusal == DropshipRefusal::already_shipped);
  CHECK(rig.sim.counters.count("iop.ship", "1001", "1001-2") == 0);

  // Transport and rate-limit failures stay errors, so the host retries them.
  rig.sim.paid_order("1002");
  const auto fresh = rig.assign(kFactoryA, {{"1002", "1002-1"}});
  rig.sim.faults.set(erp::sim::Fault::rate_limit, 1.0);
  rig.sim.faults.only_methods({"iop.waybillReturn"});
  auto limited = rig.a->adapter.return_waybill(rig.shipment(fresh[0], "YT4"));
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.error().code == ErrorCode::rate_limited);
  rig.sim.faults.clear();
  CHECK(rig.a->adapter.return_waybill(rig.shipment(fresh[0], "YT4"))->refusal == DropshipRefusal::none);

  auto unknown = rig.a->adapter.return_waybill(rig.shipment("71999999"));
  REQUIRE(unknown.ok());
  CHECK(unknown->refusal == DropshipRefusal::not_found);
}

TEST_CASE("D8 buyer-cancelled item refuses shipping") {
  DropshipRig rig;
  rig.sim.paid_order("1001");
  const auto ids = rig.assign(kFactoryA, {{"1001", "1001-1"}});
  rig.sim.clock.advance(std::chrono::minutes(5));
  rig.sim.event("type: cancel\norder_id: '1001'\nsku_order_id: 1001-1");
  // The cancellation surfaces in the factory's listing at once (its update_time moved), still assigned.
  const auto recent =
      rig.drain(rig.a->adapter, {rig.now() - std::chrono::seconds{10}, rig.now() + std::chrono::seconds{1}});
  REQUIRE(recent.size() == 1);
  CHECK(recent[0].distr_order_id == ids[0]);
  CHECK(recent[0].status == DropshipStatus::to_ship);
  CHECK(recent[0].buyer_cancelled);
  CHECK(recent[0].modified_at == std::chrono::floor<std::chrono::seconds>(rig.now()));
  auto blocked = rig.a->adapter.return_waybill(rig.shipment(ids[0]));
  REQUIRE(blocked.ok());
  CHECK(blocked->refusal == DropshipRefusal::buyer_cancelled);
  CHECK(rig.sim.counters.count("iop.ship", "1001") == 0);
}

TEST_CASE("D10 the factory decrypts the receiver of an assigned item") {
  DropshipRig rig;
  rig.sim.paid_order("1001");
  const auto ids = rig.assign(kFactoryA, {{"1001", "1001-2"}});
  auto item = rig.a->adapter.get_dropship(ids[0]);
  REQUIRE_MESSAGE(item.ok(), (item.ok() ? "" : item.error().message));
  CHECK(item->order_id == "1001");
  CHECK(item->merchant_shop_id == rig.sim.shop.id);
  CHECK(item->outer_sku == "B-2");
  CHECK(item->quantity == 1);
  CHECK(item->receiver.province == "浙江省");
  CHECK(item->receiver.city == "杭州市");
  CHECK(item->receiver.district == "西湖区");
  CHECK(item->receiver.masked_address == "浙江省杭州市西湖区****");
  // The same encoding as the order mapper's: the merchant's order carries the same ciphertext.
  auto order = rig.merchant.get_order("1001");
  REQUIRE(order.ok());
  CHECK(item->receiver.ciphertext == order->receiver.ciphertext);
  CHECK(item->receiver.ciphertext.find("张三丰") == std::string::npos);

  auto plain = rig.a->adapter.decrypt_receivers({{item->order_id, item->receiver.ciphertext}});
  REQUIRE(plain.ok());
  REQUIRE(plain->size() == 1);
  CHECK((*plain)[0].error.empty());
  CHECK((*plain)[0].name == "张三丰");
  CHECK((*plain)[0].phone == "13812345678");
  CHECK((*plain)[0].address == "文一西路100号");

  // Another factory holds no assignment on the order: Douyin refuses it the plaintext.
  auto refused = rig.b->adapter.decrypt_receivers({{item->order_id, item->receiver.ciphertext}});
  REQUIRE(refused.ok());
  CHECK_FALSE((*refused)[0].error.empty());
  CHECK((*refused)[0].name.empty());
  for (const auto* log : {&rig.a->host.log, &rig.b->host.log}) {
    for (const auto& line : log->lines) CHECK(line.find("13812345678") == std::string::npos);
  }
}

TEST_CASE("D11 dropship pushes map to topic dropship") {
  DropshipRig rig;
  const std::string body =
      R"([{"tag":"501","msg_id":"8001","data":"{\"distr_order_id\":\"71001\",\"shop_id\":7000001,\"user_id\":\"4463798\"}"},)"
      R"({"tag":"500","msg_id":"8002","data":"{\"distr_order_id\":\"71001\",\"p_id\":\"1001\"}"},)"
      R"({"tag":"504","msg_id":"8003","data":"{}"},{"tag":"505","msg_id":"8004","data":"{}"},)"
      R"({"tag":"doudian_iopTrade_DistributionCancel","msg_id":"8005","data":{"distr_order_id":"71001"}},)"
      R"({"tag":"101","msg_id":"8006","data":"{\"p_id\":1001}"},{"tag":"206","msg_id":"8007","data":"{\"p_id\":1001}"},)"
      R"({"tag":"502","msg_id":"8008","data":"{}"},{"tag":"doudian_trade_TradeCreate","msg_id":"8009","data":"{}"}])";
  const std::string sign = erp::plugins::digest_hex(
      erp::plugins::Digest::md5, rig.sim.shop.app_key + body + rig.sim.shop.app_secret, erp::plugins::HexCase::lower);
  const PushRequest request{{{"event-sign", sign}, {"app-id", rig.sim.shop.app_key}}, body};
  auto batch = rig.a->adapter.parse_push(request);
  REQUIRE_MESSAGE(batch.ok(), (batch.ok() ? "" : batch.error().message));
  REQUIRE(batch->messages.size() == 9);
  for (std::size_t i = 0; i < 5; ++i) {
    CAPTURE(i);
    CHECK(batch->messages[i].topic == "dropship");
    CHECK(batch->messages[i].order_id.empty());  // a push carries no state: the host polls (D11)
  }
  CHECK(batch->messages[4].tag == "doudian_iopTrade_DistributionCancel");
  CHECK(batch->messages[5].topic == "order");
  CHECK(batch->messages[5].order_id == "1001");
  CHECK(batch->messages[6].topic == "refund");
  CHECK(batch->messages[7].topic == "other");
  CHECK(batch->messages[8].topic == "other");
  CHECK(dy::push_topic("501") == "dropship");
  CHECK(dy::push_topic("126") == "order");
}

// --- mapping on canned answers -------------------------------------------------------------------

TEST_CASE("dropship refusals: business numbers first, then Douyin's words") {
  using R = DropshipRefusal;
  CHECK(dy::dropship_refusal("20005", "") == R::already_shipped);
  CHECK(dy::dropship_refusal("", "商品已发货") == R::already_shipped);
  CHECK(dy::dropship_refusal("20014", "") == R::buyer_cancelled);
  CHECK(dy::dropship_refusal("20012", "") == R::buyer_cancelled);
  CHECK(dy::dropship_refusal("", "商品已取消") == R::buyer_cancelled);
  CHECK(dy::dropship_refusal("41001", "") == R::not_bound);
  CHECK(dy::dropship_refusal("", "订单创建早于绑定生效时间,不能代打") == R::before_binding);
  CHECK(dy::dropship_refusal("", "商品已分配给厂家") == R::already_assigned);
  CHECK(dy::dropship_refusal("10016", "") == R::not_found);
  CHECK(dy::dropship_refusal("41002", "") == R::not_found);
  CHECK(dy::dropship_refusal("", "子订单不存在") == R::not_found);
  CHECK(dy::dropship_refusal("41003", "代打订单已取消分配,不能发货") == R::other);  // the merchant took it back
  CHECK(dy::dropship_refusal("20011", "商品售后中,不能发货") == R::other);
  CHECK(dy::dropship_refusal("", "订单状态不允许分配") == R::other);
  CHECK(dy::business_number("isv.business-failed:41001") == "41001");
  CHECK(dy::business_number("isv.traffic-limited").empty());
}

TEST_CASE("sellerDistribute answers: 10001 part failed and whole-call refusals map per item") {
  const std::vector<DistributeItem> items{{"1", "1-1"}, {"1", "1-2"}, {"2", "2-1"}, {"3", "3-1"}};
  DouyinError part{10001, "isv.business-part-failed", "部分失败", "部分订单分配失败", json::object()};
  part.data = json::parse(R"({"result_list":[
      {"order_id":"1","sku_order_id":"1-1","distr_order_id":"71","success":true,"err_msg":""},
      {"order_id":1,"sku_order_id":"1-2","distr_order_id":"","success":false,"err_msg":"商品已分配给厂家"},
      {"order_id":"2","sku_order_id":"","distr_order_id":"","success":false,"err_msg":"订单不存在"}]})");
  auto mapped = dy::distribute_refusal(items, part);
  REQUIRE(mapped.has_value());
  REQUIRE(mapped->size() == 4);
  CHECK((*mapped)[0].distr_order_id == "71");
  CHECK((*mapped)[0].refusal == DropshipRefusal::none);
  CHECK((*mapped)[1].refusal == DropshipRefusal::already_assigned);
  CHECK((*mapped)[1].detail == "商品已分配给厂家");
  CHECK((*mapped)[2].refusal == DropshipRefusal::not_found);  // the order-level refusal covers its items
  CHECK((*mapped)[3].refusal == DropshipRefusal::other);      // not in the answer at all
  CHECK((*mapped)[3].line_id == "3-1");

  const DouyinError unbound{50002, "isv.business-failed:41001", "业务处理失败", "厂家未与本店绑定", nullptr};
  auto all = dy::distribute_refusal(items, unbound);
  REQUIRE(all.has_value());
  for (const auto& r : *all) CHECK(r.refusal == DropshipRefusal::not_bound);

  const DouyinError limited{60000, "isv.traffic-limited", "", "", nullptr};
  CHECK_FALSE(dy::distribute_refusal(items, limited).has_value());

  // Calls group the items by order and carry sku_order_ids.
  const auto calls = dy::distribute_calls(DistributeRequest{"7000001", items});
  REQUIRE(calls.size() == 1);
  CHECK(calls[0]["supplier_shop_id"] == "7000001");
  CHECK(calls[0]["distribute_order_list"].size() == 3);
  CHECK(calls[0]["distribute_order_list"][0]["sku_order_ids"] == json::array({"1-1", "1-2"}));
}

TEST_CASE("waybillReturn refusals are receipts; other failures are not") {
  const DouyinError shipped{50002, "isv.business-failed:20005", "业务处理失败", "该商品已发货,请勿重复发货", nullptr};
  auto receipt = dy::waybill_refusal(shipped);
  REQUIRE(receipt.has_value());
  CHECK(receipt->refusal == DropshipRefusal::already_shipped);
  CHECK(receipt->detail.find("已发货") != std::string::npos);
  for (const char* number : {"20014", "20012"}) {
    const DouyinError e{50002, std::string("isv.business-failed:") + number, "", "买家已取消,禁止发货", nullptr};
    CHECK(dy::waybill_refusal(e)->refusal == DropshipRefusal::buyer_cancelled);
  }
  CHECK(dy::waybill_refusal({50002, "isv.business-failed:41002", "", "", nullptr})->refusal ==
        DropshipRefusal::not_found);
  CHECK(dy::waybill_refusal({50002, "isv.business-failed:41003", "", "", nullptr})->refusal == DropshipRefusal::other);
  CHECK(dy::waybill_refusal({50002, "isv.business-failed:20011", "", "商品售后中,不能发货", nullptr})->refusal ==
        DropshipRefusal::other);
  CHECK_FALSE(dy::waybill_refusal({60000, "isv.traffic-limited", "", "", nullptr}).has_value());
  CHECK_FALSE(dy::waybill_refusal({20000, "isp.service-error", "", "", nullptr}).has_value());
  CHECK_FALSE(dy::waybill_refusal({30001, "dop.no-permissions", "", "", nullptr}).has_value());

  const auto params = dy::waybill_return_params(DropshipShipment{"71", "4463798", "yuantong", "YT1"});
  CHECK(params ==
        json{{"distr_order_id", "71"}, {"company_code", "yuantong"}, {"track_no", "YT1"}, {"user_id", "4463798"}});
}

TEST_CASE("dropship entries: statuses, ids as numbers, and rejects that keep no plaintext receiver") {
  const json item = json::parse(R"({"distr_order_id":71001,"user_id":4463798,"distr_status":"2","distr_time":1767225600,
      "update_time":1767225700,"product_name":"杯子","product_count":"2","out_sku_id":"A-1","province":{"name":"浙江省","id":"33"},
      "city":"杭州市","district":"西湖区","encrypt_post_tel":"$tel$1$$","shop_order_id":"1001","track_no":"YT1",
      "company_code":"yuantong","mask_post_tel":"13812345678"})");
  auto mapped = dy::map_dropship_order(item);
  REQUIRE(std::holds_alternative<DropshipOrder>(mapped));
  const auto& o = std::get<DropshipOrder>(mapped);
  CHECK(o.distr_order_id == "71001");
  CHECK(o.merchant_shop_id == "4463798");
  CHECK(o.status == DropshipStatus::shipped);
  CHECK(o.quantity == 2);
  CHECK(o.modified_at - o.assigned_at == std::chrono::seconds{100});
  CHECK(o.receiver.province == "浙江省");
  CHECK(o.receiver.ciphertext == dy::encode_receiver_ciphers({"", "$tel$1$$", ""}));
  CHECK(o.receiver.masked_phone == "138****5678");  // plaintext that slipped through is masked
  CHECK(o.waybill == "YT1");

  json bad = item;
  bad["distr_status"] = 9;
  bad["post_receiver"] = "张三丰";
  auto rejected = dy::map_dropship_order(bad);
  REQUIRE(std::holds_alternative<Rejected>(rejected));
  CHECK(std::get<Rejected>(rejected).order_id == "71001");
  CHECK(std::get<Rejected>(rejected).reason.find("distr_status") != std::string::npos);
  CHECK(std::get<Rejected>(rejected).payload.find("张三丰") == std::string::npos);
  CHECK(std::holds_alternative<Rejected>(dy::map_dropship_order(json{{"distr_status", 1}})));

  const auto list = dy::map_dropship_list(json{{"order_list", json::array({item, bad})}, {"total", 2}});
  CHECK(list.orders.size() == 1);
  CHECK(list.rejected.size() == 1);
  CHECK(list.total == 2);
  CHECK(dy::map_dropship_list(json{{"total", 0}}).orders.empty());
  CHECK_THROWS_AS(dy::map_dropship_list(json{{"total", 3}}), std::invalid_argument);

  const auto suppliers = dy::map_supplier_list(json::parse(
      R"({"supplier_list":[{"supplier_id":7000001,"supplier_name":"厂A","bind_time":1767225600,"status":1},
                           {"supplier_id":"7000002","supplier_name":"厂B","bind_time":1767225600,"status":2}],"total":2})"));
  REQUIRE(suppliers.factories.size() == 1);
  CHECK(suppliers.listed == 2);
  CHECK(suppliers.factories[0].factory_shop_id == "7000001");
  CHECK(suppliers.factories[0].bound_at == Instant{std::chrono::seconds{1767225600}});
}
