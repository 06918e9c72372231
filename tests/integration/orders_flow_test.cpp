// Orders through the daemon as an operator sees them with erpctl: list, show, why, hold and
// release; the release gate handing the order to the warehouse webhook.

#include <doctest/doctest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include "integration/fixtures.hpp"

using namespace erp::test;
using nlohmann::json;

TEST_CASE("an order is released to the warehouse only when its last hold goes, and why tells the story") {
  TempDir dir;
  WebhookReceiver warehouse;
  write_config(dir, with_webhook(warehouse.url()));
  const auto holds = seed_orders(dir, {paid_order("3001"), paid_order("3002", 3)}, true);
  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE_MESSAGE(erpd.start(), erpd.log());

  const auto list = erpctl(dir, {"orders", "list"});
  CHECK_MESSAGE(list.exit_code == 0, list.err);
  CHECK(list.out.find("3001") != std::string::npos);
  CHECK(list.out.find("3002") != std::string::npos);

  const auto held = json::parse(erpctl(dir, {"orders", "list", "--state", "held", "--json"}).out);
  CHECK(held["orders"].size() == 2);

  // A second hold on 3001: releasing the first one must not let the order go.
  const auto second = erpctl(dir, {"hold", "taobao/tb-main/3001", "--reason", "buyer asked to wait"});
  CHECK_MESSAGE(second.exit_code == 0, second.err);
  CHECK(erpctl(dir, {"release", "taobao/tb-main/3001", std::to_string(holds[0])}).exit_code == 0);
  auto shown = json::parse(erpctl(dir, {"orders", "show", "3001", "--json"}).out);
  CHECK(shown["released"] == false);
  CHECK(shown["holds"].size() == 1);

  const std::string second_id = std::to_string(shown["holds"][0]["id"].get<long>());
  CHECK(erpctl(dir, {"release", "3001", second_id}).exit_code == 0);
  shown = json::parse(erpctl(dir, {"orders", "show", "3001", "--json"}).out);
  CHECK(shown["released"] == true);
  CHECK(shown["holds"].empty());
  // The public order JSON never carries the receiver's ciphertext, only the masked form.
  CHECK(shown["receiver"]["phone"] == "138****5678");
  CHECK_FALSE(shown["receiver"].contains("ciphertext"));

  REQUIRE(warehouse.wait_for_requests(1, 10s));
  const auto delivered = warehouse.requests().front();
  CHECK(delivered.event == "order.released");
  CHECK(delivered.idempotency_key == "warehouse.deliver:taobao/tb-main/3001");
  CHECK(json::parse(delivered.body)["order"]["order_id"] == "3001");

  const auto why = erpctl(dir, {"why", "3001"});
  CHECK(why.exit_code == 0);
  CHECK(why.out.find("check the address first") != std::string::npos);
  CHECK(why.out.find("buyer asked to wait") != std::string::npos);
  CHECK(why.out.find("warehouse") != std::string::npos);

  // 3002 is still held, so only one delivery ever went out.
  std::this_thread::sleep_for(300ms);
  CHECK(warehouse.requests().size() == 1);
  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
}

TEST_CASE("erpctl explains a bad order reference and an unknown hold with non-zero exits") {
  TempDir dir;
  write_config(dir);
  seed_orders(dir, {paid_order("4001")}, true);
  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd.start());
  const auto missing = erpctl(dir, {"orders", "show", "taobao/tb-main/nope"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("not") != std::string::npos);
  const auto unknown_hold = erpctl(dir, {"release", "4001", "999999"});
  CHECK(unknown_hold.exit_code == 1);
  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
}
