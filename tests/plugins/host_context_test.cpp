// DaemonHostContext: what a plugin sees of its shop, and what its log lines look like.

#include "plugin_host/host_context.hpp"

#include <doctest/doctest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "erp/memory_state.hpp"
#include "net/system_clock.hpp"

namespace {

using erp::daemon::config::PluginOption;
using erp::daemon::config::Secret;
using erp::daemon::config::ShopConfig;
using erp::daemon::plugin_host::DaemonHostContext;
namespace sdk = erp::sdk;

/// Points spdlog's default logger at a string for the life of the object.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    sink->set_pattern("%l %v");
    auto logger = std::make_shared<spdlog::logger>("capture", sink);
    logger->set_level(spdlog::level::debug);
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

struct FixedClock final : sdk::Clock {
  sdk::Instant now() const noexcept override { return sdk::Instant{std::chrono::milliseconds{42}}; }
};

}  // namespace

TEST_CASE("the plugin's logger prefixes plugin and shop, keeps one line per call and hides secrets") {
  CapturedLog log;
  std::map<std::string, Secret> secrets{{"app_secret", Secret("TOPSECRET123", "literal in config")},
                                        {"pin", Secret("12", "literal in config")}};
  DaemonHostContext context("taobao", "tb-1", nullptr, secrets, {}, nullptr);
  CHECK(context.log_prefix() == "[taobao shop tb-1] ");

  context.logger().info("synced 3 orders");
  context.logger().warn("signing with TOPSECRET123 failed\nsecond line");
  context.logger().debug("pin 12 stays: too short to be worth hiding");
  context.logger().log(sdk::LogLevel::trace, "below the logger's level");

  CHECK(log.text() ==
        "info [taobao shop tb-1] synced 3 orders\n"
        "warning [taobao shop tb-1] signing with [secret] failed\\nsecond line\n"
        "debug [taobao shop tb-1] pin 12 stays: too short to be worth hiding\n");

  DaemonHostContext warehouse("qimen", "", nullptr, {}, {}, nullptr);
  CHECK(warehouse.log_prefix() == "[qimen] ");
}

TEST_CASE("secrets are found by name and unknown names are not_found") {
  DaemonHostContext context("douyin", "dy-1", nullptr,
                            {{"app_secret", Secret("a-secret", "file /etc/erpd/s")},
                             {"access_token", Secret("token-1", "environment DY_TOKEN")}},
                            {}, nullptr);
  CHECK(context.secrets().get("app_secret").value() == "a-secret");
  CHECK(context.secrets().get("access_token").value() == "token-1");
  auto missing = context.secrets().get("session");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == sdk::ErrorCode::not_found);
  CHECK(missing.error().message.find("session") != std::string::npos);
}

TEST_CASE("config view, clock and HTTP client come from what the host gave") {
  auto clock = std::make_shared<FixedClock>();
  DaemonHostContext context("taobao", "tb-1", nullptr, {}, {{"base_url", "http://sim/router/rest"}}, clock);
  CHECK(context.config().get("base_url") == std::optional<std::string>("http://sim/router/rest"));
  CHECK_FALSE(context.config().get("app_key").has_value());
  CHECK(context.config().get_or("app_key", "none") == "none");
  CHECK(context.clock().now().time_since_epoch().count() == 42);

  // No client given: an error value, never a null reference.
  auto sent = context.http().send(sdk::HttpRequest{});
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().code == sdk::ErrorCode::internal);

  DaemonHostContext real_clock("taobao", "tb-1", nullptr, {}, {}, nullptr);
  const auto now = erp::daemon::net::SystemClock().now();
  CHECK(std::chrono::abs(real_clock.clock().now() - now) < std::chrono::seconds(5));
}

TEST_CASE("a shop's context carries its common keys, options, defaults and secrets") {
  ShopConfig shop;
  shop.id = "tb-1";
  shop.platform = "taobao";
  shop.base_url = "http://127.0.0.1:9/router/rest";
  shop.app_key = "12345";
  shop.app_secret = Secret("app-secret-value", "literal in config");
  shop.session = Secret("session-value", "file /etc/erpd/session");
  shop.sign_method = "hmac-sha256";
  shop.options = {{"page_size", "40", 12}, {"api_token", "opt-secret", 13}, {"undeclared", "x", 14}};
  const std::vector<sdk::ConfigKeySpec> keys{
      {"page_size", sdk::ConfigType::integer, false, "100", ""},
      {"window", sdk::ConfigType::duration, false, "30m", ""},
      {"api_token", sdk::ConfigType::secret, false, "", ""},
  };

  auto context = erp::daemon::plugin_host::make_shop_host_context(shop, keys, nullptr, nullptr);
  CHECK(context->log_prefix() == "[taobao shop tb-1] ");
  const auto& config = context->config();
  CHECK(config.get("id") == std::optional<std::string>("tb-1"));
  CHECK(config.get("platform") == std::optional<std::string>("taobao"));
  CHECK(config.get("base_url") == std::optional<std::string>("http://127.0.0.1:9/router/rest"));
  CHECK(config.get("app_key") == std::optional<std::string>("12345"));
  CHECK(config.get("sign_method") == std::optional<std::string>("hmac-sha256"));
  CHECK(config.get("page_size") == std::optional<std::string>("40"));  // the shop's value
  CHECK(config.get("window") == std::optional<std::string>("30m"));    // the declared default
  CHECK(config.get("undeclared") == std::optional<std::string>("x"));
  CHECK_FALSE(config.get("api_token").has_value());  // a secret, not config
  CHECK_FALSE(config.get("app_secret").has_value());
  CHECK(context->secrets().get("api_token").value() == "opt-secret");
  CHECK(context->secrets().get("app_secret").value() == "app-secret-value");
  CHECK(context->secrets().get("session").value() == "session-value");
  CHECK(context->secrets().get("access_token").error().code == sdk::ErrorCode::not_found);

  CapturedLog log;
  context->logger().info("token opt-secret and session-value must not show");
  CHECK(log.text() == "info [taobao shop tb-1] token [secret] and [secret] must not show\n");
}

TEST_CASE("a warehouse connector's context") {
  erp::daemon::config::WarehouseConfig warehouse;
  warehouse.connector = "qimen";
  warehouse.webhook_token = Secret("hook-token", "literal in config");
  warehouse.options = {{"customer_id", "C1", 30}};
  auto context = erp::daemon::plugin_host::make_warehouse_host_context(warehouse, {}, nullptr, nullptr);
  CHECK(context->log_prefix() == "[qimen] ");
  CHECK(context->config().get("customer_id") == std::optional<std::string>("C1"));
  CHECK(context->config().get("connector") == std::optional<std::string>("qimen"));
  CHECK(context->secrets().get("webhook_token").value() == "hook-token");
}

TEST_CASE("plugin state: values go to the host's store, and a secret value is hidden in the plugin's log lines") {
  ShopConfig shop;
  shop.id = "dy-1";
  shop.platform = "douyin";
  shop.app_secret = Secret("app-secret-value", "literal in config");
  auto backing = std::make_shared<sdk::MemoryStateStore>();
  auto context = erp::daemon::plugin_host::make_shop_host_context(shop, {}, nullptr, nullptr, backing);

  REQUIRE(context->state().put("douyin.tokens", R"({"access_token":"at-2a9f","refresh_token":"rt-77c1"})", true));
  REQUIRE(context->state().put("cursor", "plain-value", false));
  CHECK(backing->get("cursor").value() == std::optional<std::string>("plain-value"));
  CHECK(context->state().get("douyin.tokens").value().has_value());

  CapturedLog log;
  context->logger().info("using at-2a9f and rt-77c1; plain-value is no secret");
  CHECK(log.text() == "info [douyin shop dy-1] using [secret] and [secret]; plain-value is no secret\n");
}

TEST_CASE("plugin state read back after a restart is hidden too: the plugin may sign with it") {
  ShopConfig shop;
  shop.id = "dy-1";
  shop.platform = "douyin";
  auto backing = std::make_shared<sdk::MemoryStateStore>();
  REQUIRE(backing->put("douyin.tokens", R"({"access_token":"at-from-yesterday"})", true));
  auto context = erp::daemon::plugin_host::make_shop_host_context(shop, {}, nullptr, nullptr, backing);
  CHECK(context->state().get("douyin.tokens").value().has_value());
  CapturedLog log;
  context->logger().warn("call with at-from-yesterday refused");
  CHECK(log.text() == "warning [douyin shop dy-1] call with [secret] refused\n");
}

TEST_CASE("without a store the context keeps plugin state in memory") {
  auto context = erp::daemon::plugin_host::make_shop_host_context(ShopConfig{}, {}, nullptr, nullptr);
  CHECK_FALSE(context->state().get("k").value().has_value());
  REQUIRE(context->state().put("k", "v", false));
  CHECK(context->state().get("k").value() == std::optional<std::string>("v"));
}
