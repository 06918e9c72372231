// The factory both plugin modules export: declared options and their validation.

#include "plugins/top/top_factory.hpp"

#include <doctest/doctest.h>

#include "top_fakes.hpp"

using namespace erp::plugins::top;
using namespace erp::sdk;

TEST_CASE("config: page_size is declared as an optional integer defaulting to 100") {
  auto factory = make_top_factory(false);
  const auto keys = factory->config_keys();
  REQUIRE(keys.size() == 1);
  CHECK(keys[0].name == "page_size");
  CHECK(keys[0].type == ConfigType::integer);
  CHECK_FALSE(keys[0].required);
  CHECK(keys[0].default_value == "100");
}

TEST_CASE("config: valid, invalid and empty options") {
  auto factory = make_top_factory(true);
  testing::FakeHost host;
  CHECK(factory->create_platform_adapter(host).ok());  // empty: defaults
  host.cfg.values["page_size"] = "50";
  CHECK(factory->create_platform_adapter(host).ok());
  for (const char* bad : {"0", "101", "-1", "ten"}) {
    host.cfg.values["page_size"] = bad;
    auto made = factory->create_platform_adapter(host);
    REQUIRE_FALSE(made.ok());
    CHECK(made.error().code == ErrorCode::config_error);
  }
  host.cfg.values["page_size"] = "100";
  host.cfg.values["sign_method"] = "rsa";
  CHECK(factory->create_platform_adapter(host).error().code == ErrorCode::config_error);
  host.cfg.values["sign_method"] = "hmac";
  CHECK(factory->create_platform_adapter(host).ok());
  CHECK(factory->create_warehouse_connector(host).error().code == ErrorCode::unsupported);
}
