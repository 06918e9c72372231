// GET /v1/status shows where each shop takes pushes (rule D11).

#include <doctest/doctest.h>

#include "app/status.hpp"
#include "unit/sync/push_fakes.hpp"

using namespace erp;
using namespace erp::daemon;

TEST_CASE("D11 status shows a shop's push path when its adapter takes pushes, null otherwise") {
  app::StatusFacts facts;
  auto shop = [](const char* id, const char* platform, std::shared_ptr<sdk::PlatformAdapter> adapter) {
    app::ShopRuntime r;
    r.config.id = id;
    r.config.platform = platform;
    r.config.push_path = "/push/old-path";  // the registry keeps the config its adapter was made with
    r.adapter = std::move(adapter);
    r.state = r.adapter ? "ok" : "disabled";
    return r;
  };
  auto top = std::make_shared<test::push::FakePushAdapter>();
  top->pushes = false;
  facts.shops = {shop("dy-1", "douyin", std::make_shared<test::push::FakePushAdapter>()), shop("tb-1", "taobao", top),
                 shop("dy-off", "douyin", nullptr)};
  for (const char* id : {"dy-1", "tb-1", "dy-off"}) {
    config::ShopConfig c;
    c.id = id;
    c.push_path = std::string("/push/") + id;
    facts.config.shops.push_back(c);
  }
  facts.config.shops[0].push_path = "/push/douyin-app";  // changed by a reload

  const auto status = app::build_status(facts);
  REQUIRE(status["shops"].size() == 3);
  CHECK(status["shops"][0]["push_path"] == "/push/douyin-app");
  CHECK(status["shops"][1]["push_path"].is_null());
  CHECK(status["shops"][2]["push_path"].is_null());
}
