// Configs that are right load into the typed config with every value where the daemon expects it.

#include <doctest/doctest.h>

#include "config/loader.hpp"
#include "config_test_support.hpp"

namespace erp::daemon::config {
namespace {

using namespace std::chrono_literals;
using testing::all_issues;
using testing::kFile;
using testing::kMinimal;
using testing::with_shop;
using testing::yaml;

TEST_CASE("a full config is read into every typed field") {
  testing::TempDir dir;
  dir.write("secrets/douyin.secret", "douyin-secret\n");
  testing::ScopedEnv env("ERP_TEST_TMALL_SESSION", "tmall-session-from-env");
  const auto file = dir.write("erpd.yaml", yaml(R"(
database:
  path: /var/lib/erpd/erpd.db
plugins:
  dir: /usr/lib/erpd/plugins
api:
  listen: 0.0.0.0:9000
  token_file: /var/lib/erpd/token
  port_file: /run/erpd/port
shops:
  - id: tmall-1
    platform: tmall
    base_url: https://eco.taobao.com/router/rest
    app_key: "12345"
    app_secret: tmall-secret
    session: ${env:ERP_TEST_TMALL_SESSION}
    sign_method: hmac
    poll_interval: 30s
    enabled: false
    options:
      page_size: 50
      fetch_refunds: true
  - id: Douyin_2
    platform: douyin
    base_url: http://127.0.0.1:8080
    app_key: dy-key
    app_secret_file: secrets/douyin.secret
    access_token: dy-token
    poll_interval: 2m
warehouse:
  connector: api
  webhook_url: https://wms.example.com/hook?x=1
  webhook_timeout: 5s
  webhook_token: wh-token
workflows:
  gift:
    enabled: true
outbox:
  max_attempts: 3
  backoff_initial: 500ms
  backoff_max: 2h
log:
  level: debug
)"));
  const auto result = load_config(file);
  INFO(all_issues(result));
  REQUIRE(result.issues.empty());
  REQUIRE(result.config);
  const Config& c = *result.config;
  CHECK(c.source == file);
  CHECK(c.database.path == "/var/lib/erpd/erpd.db");
  CHECK(c.plugins.dir == "/usr/lib/erpd/plugins");
  CHECK(c.api.listen_host == "0.0.0.0");
  CHECK(c.api.listen_port == 9000);
  CHECK(c.api.token_file == "/var/lib/erpd/token");
  CHECK(c.api.port_file == "/run/erpd/port");
  REQUIRE(c.shops.size() == 2);

  const ShopConfig& tmall = c.shops[0];
  CHECK(tmall.id == "tmall-1");
  CHECK(tmall.platform == "tmall");
  CHECK(tmall.base_url == "https://eco.taobao.com/router/rest");
  CHECK(tmall.app_key == "12345");
  CHECK(tmall.app_secret.reveal() == "tmall-secret");
  REQUIRE(tmall.session);
  CHECK(tmall.session->reveal() == "tmall-session-from-env");
  CHECK_FALSE(tmall.access_token);
  CHECK(tmall.sign_method == "hmac");
  CHECK(tmall.poll_interval == 30s);
  CHECK_FALSE(tmall.enabled);
  CHECK(tmall.line == 10);
  REQUIRE(tmall.options.size() == 2);
  CHECK(tmall.options[0].key == "page_size");
  CHECK(tmall.options[0].value == "50");
  CHECK(tmall.options[0].line == 20);
  CHECK(tmall.options[1].key == "fetch_refunds");
  CHECK(tmall.options[1].value == "true");

  const ShopConfig& douyin = c.shops[1];
  CHECK(douyin.id == "Douyin_2");
  CHECK(douyin.platform == "douyin");
  CHECK(douyin.app_secret.reveal() == "douyin-secret");
  REQUIRE(douyin.access_token);
  CHECK(douyin.access_token->reveal() == "dy-token");
  CHECK_FALSE(douyin.session);
  CHECK(douyin.sign_method.empty());
  CHECK(douyin.poll_interval == 2min);
  CHECK(douyin.enabled);
  CHECK(douyin.line == 22);

  // Gift defaults say enabled: only the Tmall shop takes part (rule G1).
  CHECK(c.workflows.gift.enabled);
  CHECK(tmall.gift.enabled);
  CHECK_FALSE(douyin.gift.enabled);

  CHECK(c.warehouse.connector == "api");
  CHECK(c.warehouse.webhook_url == "https://wms.example.com/hook?x=1");
  CHECK(c.warehouse.webhook_timeout == 5s);
  REQUIRE(c.warehouse.webhook_token);
  CHECK(c.warehouse.webhook_token->reveal() == "wh-token");
  CHECK(c.outbox.max_attempts == 3);
  CHECK(c.outbox.backoff_initial == 500ms);
  CHECK(c.outbox.backoff_max == 2h);
  CHECK(c.log.level == "debug");
}

TEST_CASE("omitted optional keys take their documented defaults") {
  const auto result = parse_config(with_shop(""), kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const Config& c = *result.config;
  CHECK(c.database.path == "/etc/erpd/data/erpd.db");
  CHECK(c.plugins.dir == "/etc/erpd/plugins");
  CHECK(c.api.listen_host == "127.0.0.1");
  CHECK(c.api.listen_port == 7878);
  CHECK(c.api.token_file == "/etc/erpd/data/api.token");
  CHECK(c.api.port_file.empty());
  REQUIRE(c.shops.size() == 1);
  CHECK(c.shops[0].poll_interval == 60s);
  CHECK(c.shops[0].enabled);
  CHECK(c.shops[0].sign_method.empty());
  CHECK_FALSE(c.shops[0].session);
  CHECK_FALSE(c.shops[0].access_token);
  CHECK(c.shops[0].options.empty());
  CHECK(c.warehouse.connector == "api");
  CHECK(c.warehouse.webhook_url.empty());
  CHECK(c.warehouse.webhook_timeout == 10s);
  CHECK_FALSE(c.warehouse.webhook_token);
  CHECK(c.outbox.max_attempts == 10);
  CHECK(c.outbox.backoff_initial == 1s);
  CHECK(c.outbox.backoff_max == 5min);
  CHECK(c.log.level == "info");
}

TEST_CASE("shops may be absent, null or an empty list") {
  for (const char* tail : {"", "shops:\n", "shops: []\n", "shops: ~\n"}) {
    const auto result = parse_config(std::string(kMinimal) + tail, kFile);
    INFO("tail: " << tail << "\n" << all_issues(result));
    REQUIRE(result.config);
    CHECK(result.config->shops.empty());
  }
}

TEST_CASE("empty sections read as all defaults") {
  const auto result = parse_config(std::string(kMinimal) + "api:\nwarehouse: {}\nworkflows:\noutbox:\nlog:\n", kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  CHECK(result.config->api.listen_port == 7878);
  CHECK(result.config->log.level == "info");
}

TEST_CASE("api.listen accepts port 0, host names and bracketed IPv6") {
  struct Case {
    const char* text;
    const char* host;
    std::uint16_t port;
  };
  for (const Case& c : {Case{"127.0.0.1:0", "127.0.0.1", 0}, Case{"localhost:65535", "localhost", 65535},
                        Case{"[::1]:7878", "::1", 7878}}) {
    const auto result = parse_config(std::string(kMinimal) + "api:\n  listen: \"" + c.text + "\"\n", kFile);
    INFO(c.text << "\n" << all_issues(result));
    REQUIRE(result.config);
    CHECK(result.config->api.listen_host == c.host);
    CHECK(result.config->api.listen_port == c.port);
  }
}

TEST_CASE("a third-party platform accepts any sign_method and its own options") {
  const auto result = parse_config(std::string(kMinimal) + yaml(R"(
shops:
  - id: pdd
    platform: pinduoduo_v2
    base_url: https://gw-api.pinduoduo.com/api/router
    app_key: k
    app_secret: s
    sign_method: SHA256-custom
    options: {mall_id: 42, region: ~}
)"),
                                   kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  CHECK(result.config->shops[0].sign_method == "SHA256-custom");
  REQUIRE(result.config->shops[0].options.size() == 2);
  CHECK(result.config->shops[0].options[1].value.empty());
}

TEST_CASE("relative paths resolve against the config file's directory") {
  testing::TempDir dir;
  dir.write("etc/secrets/app.secret", "from-file\n");
  dir.write("etc/secrets/hook.token", "hook\n");
  const auto file = dir.write("etc/erpd.yaml", yaml(R"(
database:
  path: ../state/erpd.db
plugins:
  dir: plugins
api:
  token_file: ./tokens/api.token
  port_file: run/api.port
shops:
  - id: s1
    platform: taobao
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret_file: secrets/app.secret
warehouse:
  webhook_url: http://localhost:9/h
  webhook_token_file: secrets/hook.token
)"));
  const auto result = load_config(file);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const auto etc = dir.path() / "etc";
  CHECK(result.config->database.path == dir.path() / "state/erpd.db");
  CHECK(result.config->plugins.dir == etc / "plugins");
  CHECK(result.config->api.token_file == etc / "tokens/api.token");
  CHECK(result.config->api.port_file == etc / "run/api.port");
  CHECK(result.config->shops[0].app_secret.reveal() == "from-file");
  CHECK(result.config->shops[0].app_secret.describe() == "file " + (etc / "secrets/app.secret").string());
  CHECK(result.config->warehouse.webhook_token->reveal() == "hook");
}

TEST_CASE("the default token file sits next to a relative database path") {
  const auto result = parse_config("database:\n  path: state/erpd.db\nplugins:\n  dir: /p\n", "/srv/erp/erpd.yaml");
  REQUIRE(result.config);
  CHECK(result.config->api.token_file == "/srv/erp/state/api.token");
}

TEST_CASE("Config::source is absolute even when the file was named relatively") {
  const auto result = parse_config(kMinimal, "conf/erpd.yaml");
  REQUIRE(result.config);
  CHECK(result.config->source.is_absolute());
  CHECK(result.config->source == std::filesystem::current_path() / "conf/erpd.yaml");
  CHECK(result.config->database.path == std::filesystem::current_path() / "conf/data/erpd.db");
}

TEST_CASE("workflows: release_delay is typed; an empty workflow map is that workflow's defaults") {
  const auto result = parse_config(std::string(kMinimal) + yaml(R"(
workflows:
  release_delay: 90s
  gift: ~
  intercept: ~
  dropship: ~
  deadlines: ~
)"),
                                   kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  CHECK(result.config->workflows.release_delay == std::chrono::seconds{90});
  const auto absent = parse_config(kMinimal, kFile);
  REQUIRE(absent.config);
  CHECK(absent.config->workflows.release_delay.count() == 0);
}

TEST_CASE("the example config loads with zero issues") {
  const std::filesystem::path example = std::filesystem::path(ERP_SOURCE_DIR) / "config/erpd.example.yaml";
  const auto result = load_config(example);
  INFO(all_issues(result));
  CHECK(result.issues.empty());
  REQUIRE(result.config);
  CHECK(result.config->shops.size() == 3);
  for (const auto& shop : result.config->shops) {
    CHECK(shop.enabled);
    CHECK_FALSE(shop.app_secret.empty());
  }
}

}  // namespace
}  // namespace erp::daemon::config
