// erp-taobao.so and erp-tmall.so load through the daemon's PluginHost (manifest, factory,
// config_keys) and their adapters work across the plugin boundary.

#include <doctest/doctest.h>

#include <memory>

#include "plugin_host/plugin_host.hpp"
#include "top_fakes.hpp"

using erp::daemon::plugin_host::PluginHost;
using namespace erp::sdk;

TEST_CASE("the taobao and tmall modules load and declare page_size and timeout") {
  PluginHost host(ERP_PLUGIN_DIR);
  for (const char* name : {"taobao", "tmall"}) {
    CAPTURE(name);
    auto plugin = host.load(name);
    REQUIRE_MESSAGE(plugin.ok(), (plugin.ok() ? std::string() : plugin.error().message));
    CHECK((*plugin)->name() == name);
    CHECK((*plugin)->kind() == PluginKind::platform);
    const auto keys = (*plugin)->config_keys();
    REQUIRE(keys.size() == 2);
    CHECK(keys[0].name == "page_size");

    auto context = std::make_shared<erp::plugins::top::testing::FakeHost>();
    auto adapter = (*plugin)->create_platform_adapter(context);
    REQUIRE(adapter.ok());
    CHECK((*adapter)->capabilities().split_shipment);
    context->web.reply(
        R"({"error_response":{"code":15,"msg":"Remote service error","sub_code":"isv.trade-not-exist"}})");
    auto order = (*adapter)->get_order("42");
    REQUIRE_FALSE(order.ok());
    CHECK(order.error().code == ErrorCode::not_found);
    CHECK(context->web.params.at(0).at("method") == "taobao.trade.fullinfo.get");
  }
}

TEST_CASE("a page_size outside 1-100 refuses the adapter through the plugin boundary") {
  PluginHost host(ERP_PLUGIN_DIR);
  auto plugin = host.load("tmall");
  REQUIRE(plugin.ok());
  auto context = std::make_shared<erp::plugins::top::testing::FakeHost>();
  context->cfg.values["page_size"] = "500";
  auto adapter = (*plugin)->create_platform_adapter(context);
  REQUIRE_FALSE(adapter.ok());
  CHECK(adapter.error().code == ErrorCode::config_error);
}
