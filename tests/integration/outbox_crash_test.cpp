// The outbox across crashes: a side effect decided before a kill -9 happens exactly once after
// the restart, and one that keeps failing goes dead and can be retried from erpctl.

#include <doctest/doctest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include "integration/fixtures.hpp"

using namespace erp::test;
using nlohmann::json;

TEST_CASE("outbox: killed between commit and effect, the delivery happens exactly once after restart") {
  TempDir dir;
  auto warehouse = std::make_unique<WebhookReceiver>();
  const std::string url = warehouse->url();
  warehouse.reset();  // nobody listens yet: the effect cannot happen before the kill
  write_config(dir, with_webhook(url));
  const auto holds = seed_orders(dir, {paid_order("5001")}, true);
  {
    Erpd erpd(dir / "erpd.yaml", dir.path());
    REQUIRE(erpd.start());
    REQUIRE(erpctl(dir, {"release", "5001", std::to_string(holds[0])}).exit_code == 0);
    const auto outbox = json::parse(erpctl(dir, {"outbox", "list", "--json"}).out);
    REQUIRE(outbox["items"].size() == 1);
    erpd.kill9();
  }
  // The warehouse comes back (on a new port, so the config follows it) before erpd restarts.
  WebhookReceiver restarted;
  write_config(dir, with_webhook(restarted.url()));
  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd.start());
  REQUIRE(restarted.wait_for_requests(1, 10s));
  std::this_thread::sleep_for(500ms);
  CHECK(restarted.requests().size() == 1);
  CHECK(restarted.distinct_keys() == 1);
  CHECK(eventually([&] {
    return json::parse(erpctl(dir, {"outbox", "list", "--state", "done", "--json"}).out)["items"].size() == 1;
  }));
  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
}

TEST_CASE("outbox: killed after the effect but before it was recorded, the retry carries the same key") {
  TempDir dir;
  WebhookReceiver warehouse;
  warehouse.hang = true;  // the warehouse takes the request but the daemon dies before the answer
  write_config(dir, with_webhook(warehouse.url()));
  const auto holds = seed_orders(dir, {paid_order("5002")}, true);
  {
    Erpd erpd(dir / "erpd.yaml", dir.path());
    REQUIRE(erpd.start());
    REQUIRE(erpctl(dir, {"release", "5002", std::to_string(holds[0])}).exit_code == 0);
    REQUIRE(warehouse.wait_for_requests(1, 10s));
    erpd.kill9();
  }
  warehouse.hang = false;
  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd.start());
  REQUIRE(warehouse.wait_for_requests(2, 10s));
  std::this_thread::sleep_for(500ms);
  const auto requests = warehouse.requests();
  CHECK(requests.size() == 2);
  // Two deliveries of one decision, with one key: the warehouse applies it once.
  CHECK(warehouse.distinct_keys() == 1);
  CHECK(requests[0].idempotency_key == requests[1].idempotency_key);
  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
}

TEST_CASE("outbox: a refused delivery goes dead, is listed, and erpctl outbox retry sends it again") {
  TempDir dir;
  WebhookReceiver warehouse;
  warehouse.status = 422;
  write_config(dir, with_webhook(warehouse.url()));
  const auto holds = seed_orders(dir, {paid_order("5003")}, true);
  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd.start());
  REQUIRE(erpctl(dir, {"release", "5003", std::to_string(holds[0])}).exit_code == 0);
  json dead;
  REQUIRE(eventually([&] {
    dead = json::parse(erpctl(dir, {"outbox", "list", "--state", "dead", "--json"}).out);
    return dead["items"].size() == 1;
  }));
  CHECK(dead["items"][0]["last_error"].get<std::string>().find("422") != std::string::npos);
  const auto table = erpctl(dir, {"outbox", "list", "--state", "dead"});
  CHECK(table.out.find("warehouse.deliver") != std::string::npos);

  warehouse.status = 200;
  const std::string id = std::to_string(dead["items"][0]["id"].get<long>());
  const auto retried = erpctl(dir, {"outbox", "retry", id});
  CHECK_MESSAGE(retried.exit_code == 0, retried.err);
  REQUIRE(warehouse.wait_for_requests(2, 10s));
  CHECK(eventually([&] {
    return json::parse(erpctl(dir, {"outbox", "list", "--state", "done", "--json"}).out)["items"].size() == 1;
  }));
  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
}
