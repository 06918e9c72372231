// Loads the erp-tiny.so that sdk_consumer_build made out of tree from the installed SDK, and uses it
// exactly as the daemon does: load by name, validate options, make a shop's adapter, call it.

#include <doctest/doctest.h>

#include "plugin_host/host_context.hpp"
#include "plugin_host/option_validation.hpp"
#include "plugin_host/plugin_host.hpp"

namespace {
using namespace erp::daemon;
namespace sdk = erp::sdk;
}  // namespace

TEST_CASE("a plugin built out of tree against the installed SDK loads and works") {
  plugin_host::PluginHost host(ERP_TINY_PLUGIN_DIR);
  auto loaded = host.load("tiny");
  REQUIRE_MESSAGE(loaded.ok(), loaded.error().message);
  auto plugin = loaded.value();
  CHECK(plugin->name() == "tiny");
  CHECK(plugin->kind() == sdk::PluginKind::platform);
  CHECK(std::string(plugin->manifest().version) == "1.0.0");
  CHECK(plugin->manifest().abi_version == sdk::kAbiVersion);
  REQUIRE(plugin->config_keys().size() == 2);

  config::ShopConfig shop;
  shop.id = "tiny-shop";
  shop.platform = "tiny";
  shop.base_url = "http://127.0.0.1:1/";
  shop.line = 7;
  shop.options = {{"greeting", "ni hao", 8}, {"orders", "2", 9}};
  CHECK(plugin_host::validate_shop_options(*plugin, shop, 0, "erpd.yaml").empty());

  auto adapter = plugin->create_platform_adapter(
      plugin_host::make_shop_host_context(shop, plugin->config_keys(), nullptr, nullptr));
  REQUIRE_MESSAGE(adapter.ok(), adapter.error().message);
  CHECK(adapter.value()->capabilities().incremental_sync);

  auto order = adapter.value()->get_order("T1");
  REQUIRE(order.ok());
  CHECK(order->platform == "tiny");
  CHECK(order->shop == "tiny-shop");
  CHECK(order->order_id == "T1");
  CHECK(order->total.fen == 1990);
  CHECK(order->extras.at("greeting") == "ni hao");

  auto page = adapter.value()->list_modified({}, "");
  REQUIRE(page.ok());
  REQUIRE(page->orders.size() == 2);
  CHECK(page->orders[1].order_id == "tiny-2");
  CHECK_FALSE(plugin->failed());

  shop.options = {{"orders", "many", 9}, {"greting", "x", 10}};
  auto issues = plugin_host::validate_shop_options(*plugin, shop, 0, "erpd.yaml");
  REQUIRE(issues.size() == 2);
  CHECK(issues[0].key_path == "shops[0].options.orders");
  CHECK(issues[0].message == "expected an integer, got \"many\"");
  CHECK(issues[1].message == "unknown option for plugin tiny (did you mean 'greeting'?)");
}
