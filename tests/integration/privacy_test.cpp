// No receiver plaintext and no secret ever reaches a log or the database (rule D10, issue 1 item 10).

#include <doctest/doctest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include "integration/fixtures.hpp"

using namespace erp::test;

namespace {

const std::string kName = "欧阳娜娜";
const std::string kPhone = "13987654321";
const std::string kWebhookToken = "wh-tok-7c1f9e2d4b";

std::string everything_on_disk(const TempDir& dir) {
  std::string all;
  for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
    if (entry.is_regular_file() && entry.path().filename() != "api.token" && entry.path().filename() != "erpd.yaml")
      all += read_file(entry.path());
  }
  return all;
}

}  // namespace

TEST_CASE("D10 a full debug-level run leaves no receiver plaintext and no secret in the log or the database") {
  TempDir dir;
  WebhookReceiver warehouse;
  ConfigOptions options;
  options.webhook_url = warehouse.url();
  options.webhook_token = kWebhookToken;
  options.log_level = "trace";
  write_config(dir, options);
  const auto holds = seed_orders(dir, {paid_order("6001", 2, kName, kPhone)}, true);

  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd.start());
  const std::string token = api_token(dir);
  erpctl(dir, {"status"});
  erpctl(dir, {"orders", "show", "6001"});
  erpctl(dir, {"why", "6001"});
  REQUIRE(erpctl(dir, {"release", "6001", std::to_string(holds[0])}).exit_code == 0);
  REQUIRE(warehouse.wait_for_requests(1, 10s));
  CHECK(warehouse.requests()[0].authorization == "Bearer " + kWebhookToken);  // the secret was used ...
  http("GET", api_url(dir) + "/v1/status", "wrong-token");
  http("GET", api_url(dir) + "/metrics", token);
  erpd.signal(SIGHUP);
  REQUIRE(erpd.notify().wait_for("RELOADING=1", 5s));
  erpd.signal(SIGTERM);
  REQUIRE(erpd.wait() == 0);

  const std::string log = erpd.log();
  CHECK(log.find("outbox") != std::string::npos);  // the run did log, at trace level
  // ... but never shows up in the log.
  CHECK(log.find(kWebhookToken) == std::string::npos);
  CHECK(log.find(token) == std::string::npos);
  CHECK(log.find(kName) == std::string::npos);
  CHECK(log.find(kPhone) == std::string::npos);
  const std::string disk = everything_on_disk(dir);
  CHECK(disk.find(kName) == std::string::npos);
  CHECK(disk.find(kPhone) == std::string::npos);
  CHECK(disk.find(kWebhookToken) == std::string::npos);
}
