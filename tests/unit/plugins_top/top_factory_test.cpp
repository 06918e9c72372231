// The factory both plugin modules export: declared options and their validation.

#include "plugins/top/top_factory.hpp"

#include "plugins/top/top_config.hpp"

#include <doctest/doctest.h>

#include "top_fakes.hpp"

using namespace erp::plugins;
using namespace erp::plugins::top;
using namespace erp::sdk;

TEST_CASE("config: page_size (integer, 100) and timeout (duration, 30s) are the declared options") {
  auto factory = make_top_factory(false);
  const auto keys = factory->config_keys();
  REQUIRE(keys.size() == 2);
  CHECK(keys[0].name == "page_size");
  CHECK(keys[0].type == ConfigType::integer);
  CHECK_FALSE(keys[0].required);
  CHECK(keys[0].default_value == "100");
  CHECK(keys[1].name == "timeout");
  CHECK(keys[1].type == ConfigType::duration);
  CHECK(keys[1].default_value == "30s");
}

TEST_CASE("config: timeout bounds every TOP call and refuses what is not a duration from 100ms to 5m") {
  auto factory = make_top_factory(false);
  testing::FakeHost host;
  for (const char* bad : {"0s", "50ms", "6m", "2h", "soon", "10"}) {
    host.cfg.values["timeout"] = bad;
    auto made = factory->create_platform_adapter(host);
    INFO(bad);
    REQUIRE_FALSE(made.ok());
    CHECK(made.error().code == ErrorCode::config_error);
  }
  host.cfg.values["timeout"] = "2s";
  auto adapter = factory->create_platform_adapter(host);
  REQUIRE(adapter.ok());
  host.web.fail(ErrorCode::transient, "timed out");
  CHECK_FALSE((*adapter)->get_order("1").ok());
  REQUIRE(host.web.requests.size() == 1);
  CHECK(host.web.requests[0].timeout == std::chrono::milliseconds{2000});
  CHECK(parse_timeout("500ms") == std::chrono::milliseconds{500});
  CHECK(parse_timeout("1m") == std::chrono::milliseconds{60000});
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
