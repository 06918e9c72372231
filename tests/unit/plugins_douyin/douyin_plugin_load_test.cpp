// erp-douyin.so loads through the daemon's PluginHost (manifest, factory, config_keys) and its
// adapter works across the plugin boundary against platform-sim's Douyin module.

#include <doctest/doctest.h>

#include <memory>

#include "douyin_sim_host.hpp"
#include "plugin_host/plugin_host.hpp"

using erp::daemon::plugin_host::PluginHost;
using erp::plugins::douyin::testing::SimHost;
using erp::sim::douyin::test::Fixture;
using namespace erp::sdk;

TEST_CASE("the douyin module loads, declares refresh_token, douyin_shop_id, page_size and timeout, and reads orders") {
  PluginHost host(ERP_PLUGIN_DIR);
  auto plugin = host.load("douyin");
  REQUIRE_MESSAGE(plugin.ok(), (plugin.ok() ? std::string() : plugin.error().message));
  CHECK((*plugin)->name() == "douyin");
  CHECK((*plugin)->kind() == PluginKind::platform);
  const auto keys = (*plugin)->config_keys();
  REQUIRE(keys.size() == 4);
  CHECK(keys[0].name == "refresh_token");
  CHECK(keys[0].type == ConfigType::secret);

  Fixture sim;
  sim.paid_order("1001");
  auto context = std::make_shared<SimHost>(sim, std::make_shared<MemoryStateStore>());
  auto adapter = (*plugin)->create_platform_adapter(context);
  REQUIRE(adapter.ok());
  const auto caps = (*adapter)->capabilities();
  CHECK(caps.push_events);
  CHECK(caps.receiver_decrypt);
  CHECK(caps.memo_max_chars == 60);  // order.addOrderRemark, through the host's guard (rule I3)
  auto order = (*adapter)->get_order("1001");
  REQUIRE(order.ok());
  CHECK(order->lines.size() == 2);
  CHECK((*adapter)->get_order("404").error().code == ErrorCode::not_found);
}

TEST_CASE("a page_size outside 1-100 or an unknown sign_method refuses the adapter") {
  PluginHost host(ERP_PLUGIN_DIR);
  auto plugin = host.load("douyin");
  REQUIRE(plugin.ok());
  Fixture sim;
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"page_size", "101"}, {"sign_method", "hmac"}}) {
    CAPTURE(key);
    auto context = std::make_shared<SimHost>(sim, std::make_shared<MemoryStateStore>());
    context->cfg.values[key] = value;
    auto adapter = (*plugin)->create_platform_adapter(context);
    REQUIRE_FALSE(adapter.ok());
    CHECK(adapter.error().code == ErrorCode::config_error);
  }
}
