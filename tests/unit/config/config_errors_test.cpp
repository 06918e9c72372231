// Configs that are wrong: each mistake is one issue at the right line and key path, with a
// message that says what to write instead, and nothing is loaded.

#include <doctest/doctest.h>

#include "config/loader.hpp"
#include "config_test_support.hpp"

namespace erp::daemon::config {
namespace {

using testing::all_issues;
using testing::kFile;
using testing::kMinimal;
using testing::with_shop;
using testing::yaml;


TEST_CASE("issues print as FILE:LINE: key.path: message") {
  CHECK(ConfigIssue{"/etc/erpd.yaml", 7, "shops[1].app_secret_file", "file is empty"}.to_string() ==
        "/etc/erpd.yaml:7: shops[1].app_secret_file: file is empty");
  CHECK(ConfigIssue{"a.yaml", 0, "", "cannot read config file: No such file or directory"}.to_string() ==
        "a.yaml: cannot read config file: No such file or directory");
  CHECK(ConfigIssue{"a.yaml", 3, "", "YAML syntax error: x"}.to_string() == "a.yaml:3: YAML syntax error: x");
}

TEST_CASE("an empty file is one issue saying so") {
  for (const char* text : {"", "   \n\n", "# only a comment\n", "---\n"}) {
    const auto result = parse_config(text, kFile);
    INFO(all_issues(result));
    CHECK_FALSE(result.config);
    REQUIRE(result.issues.size() == 1);
    CHECK(result.issues[0].message.find("empty") != std::string::npos);
    CHECK(result.issues[0].file == kFile.string());
  }
}

TEST_CASE("a missing config file names the file and the reason") {
  testing::TempDir dir;
  const auto missing = dir.path() / "nope.yaml";
  const auto result = load_config(missing);
  CHECK_FALSE(result.config);
  REQUIRE(result.issues.size() == 1);
  CHECK(result.issues[0].line == 0);
  CHECK(result.issues[0].to_string() == missing.string() + ": cannot read config file: No such file or directory");

  const auto is_dir = load_config(dir.path());
  REQUIRE(is_dir.issues.size() == 1);
  CHECK(is_dir.issues[0].message.find("directory") != std::string::npos);
}

TEST_CASE("a YAML syntax error is one issue at its line") {
  const auto result = parse_config(yaml(R"(
database:
  path: x
plugins: [a, b
log:
  level: info
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  REQUIRE(result.issues.size() == 1);
  CHECK(result.issues[0].line == 4);
  CHECK(result.issues[0].key_path.empty());
  CHECK(result.issues[0].message.starts_with("YAML syntax error: "));

  const auto tab = parse_config("database:\n  path: x\n\tplugins: y\n", kFile);
  REQUIRE(tab.issues.size() == 1);
  CHECK(tab.issues[0].line == 3);
}

TEST_CASE("a top level that is not a map is reported") {
  const auto list = parse_config("- database\n- plugins\n", kFile);
  REQUIRE(list.issues.size() == 1);
  CHECK(list.issues[0].line == 1);
  CHECK(list.issues[0].message.find("top level must be a map") != std::string::npos);
  CHECK(list.issues[0].message.find("got a list") != std::string::npos);
  const auto scalar = parse_config("hello\n", kFile);
  REQUIRE(scalar.issues.size() == 1);
  CHECK(scalar.issues[0].message.find("got a single value") != std::string::npos);
}

TEST_CASE("more than one YAML document is an error") {
  const auto result = parse_config(std::string(kMinimal) + "---\n" + std::string(kMinimal), kFile);
  REQUIRE(result.issues.size() == 1);
  CHECK(result.issues[0].message.find("more than one YAML document") != std::string::npos);
}

TEST_CASE("text that is not UTF-8 is reported at its line") {
  const auto result = parse_config("database:\n  path: x\nplugins:\n  dir: caf\xe9\n", kFile);
  REQUIRE(result.issues.size() == 1);
  CHECK(result.issues[0].line == 4);
  CHECK(result.issues[0].message.find("not valid UTF-8") != std::string::npos);
  // Valid multi-byte text (a Chinese shop option) is fine.
  CHECK(parse_config(with_shop("    options: {name: \"天猫旗舰店\"}\n"), kFile).config);
}

TEST_CASE("an unknown key suggests the nearest known key") {
  const auto result = parse_config(std::string(kMinimal) + yaml(R"(
shops:
  - id: s1
    platform: taobao
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secrt: s
databse:
  path: y
colour: blue
api:
  Listen: 127.0.0.1:1
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  ERP_CHECK_ISSUE(result, "shops[0].app_secrt", 10, "unknown key 'app_secrt' (did you mean 'app_secret'?)");
  ERP_CHECK_ISSUE(result, "databse", 11, "unknown key 'databse' (did you mean 'database'?)");
  ERP_CHECK_ISSUE(result, "colour", 13, "unknown key 'colour'");
  CHECK(testing::issue_at(result, "colour")->message == "unknown key 'colour'");
  ERP_CHECK_ISSUE(result, "api.Listen", 15, "(did you mean 'listen'?)");
  // The misspelt secret also leaves the shop without one.
  ERP_CHECK_ISSUE(result, "shops[0].app_secret", 6, "required key is missing (give app_secret or app_secret_file)");
}

TEST_CASE("a missing required key is reported at the line of the map that lacks it") {
  SUBCASE("shop entry") {
    const auto result = parse_config(std::string(kMinimal) + yaml(R"(
shops:
  - id: ok
    platform: taobao
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s

  - id: broken
    platform: douyin
)"),
                                     kFile);
    CHECK_FALSE(result.config);
    ERP_CHECK_ISSUE(result, "shops[1].base_url", 12, "required key is missing");
    ERP_CHECK_ISSUE(result, "shops[1].app_key", 12, "required key is missing");
    ERP_CHECK_ISSUE(result, "shops[1].app_secret", 12, "app_secret or app_secret_file");
    CHECK(result.issues.size() == 3);
  }
  SUBCASE("section present without the key") {
    const auto result = parse_config("log:\n  level: info\ndatabase:\n  Path: x\nplugins: {}\n", kFile);
    ERP_CHECK_ISSUE(result, "database.path", 3, "required key is missing");
    ERP_CHECK_ISSUE(result, "database.Path", 4, "did you mean 'path'?");
    ERP_CHECK_ISSUE(result, "plugins.dir", 5, "required key is missing");
  }
  SUBCASE("section absent") {
    const auto result = parse_config("log:\n  level: info\n", kFile);
    ERP_CHECK_ISSUE(result, "database.path", 1, "required key is missing");
    ERP_CHECK_ISSUE(result, "plugins.dir", 1, "required key is missing");
  }
  SUBCASE("required value left empty") {
    const auto result = parse_config("database:\n  path:\nplugins:\n  dir: \"\"\n", kFile);
    ERP_CHECK_ISSUE(result, "database.path", 2, "has no value");
    ERP_CHECK_ISSUE(result, "plugins.dir", 4, "must not be empty");
  }
}

TEST_CASE("a value of the wrong type names what was expected and what was found") {
  const auto result = parse_config(yaml(R"(
database:
  path: [a, b]
plugins: some/dir
shops:
  id: s1
warehouse:
  options: [a]
outbox: 5
workflows: [gift]
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  ERP_CHECK_ISSUE(result, "database.path", 2, "must be a single value, got a list");
  ERP_CHECK_ISSUE(result, "plugins", 3, "must be a map of keys, got a single value");
  CHECK(testing::issue_at(result, "plugins.dir") == nullptr);  // no noise under a section that is not a map
  ERP_CHECK_ISSUE(result, "shops", 4, "must be a list of shops");
  ERP_CHECK_ISSUE(result, "warehouse.options", 7, "must be a map of plugin settings, got a list");
  ERP_CHECK_ISSUE(result, "outbox", 8, "must be a map of keys, got a single value");
  ERP_CHECK_ISSUE(result, "workflows", 9, "must be a map of workflow settings, got a list");
}

TEST_CASE("shop entries that are not maps and option values that are not scalars are reported") {
  const auto result = parse_config(with_shop(yaml(R"(
    options:
      nested: {a: 1}
      fine: 1
  - just-a-string
  - [1, 2]
)")),
                                   kFile);
  CHECK_FALSE(result.config);
  ERP_CHECK_ISSUE(result, "shops[0].options.nested", 12, "must be a single value, got a map");
  ERP_CHECK_ISSUE(result, "shops[1]", 14, "must be a map describing one shop, got a single value");
  ERP_CHECK_ISSUE(result, "shops[2]", 15, "got a list");
}

TEST_CASE("enabled must be a boolean") {
  const auto result = parse_config(with_shop("    enabled: maybe\n"), kFile);
  ERP_CHECK_ISSUE(result, "shops[0].enabled", 11, "must be true or false, got 'maybe'");
}

TEST_CASE("a bad duration names the units that are accepted") {
  const auto result = parse_config(with_shop("    poll_interval: 5 minutes\n") + yaml(R"(
warehouse:
  webhook_timeout: 0s
outbox:
  backoff_initial: 10
  backoff_max: 99999999999d
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  ERP_CHECK_ISSUE(result, "shops[0].poll_interval", 11,
                  "'5 minutes' is not a duration; write a whole number and a unit: 250ms, 30s, 5m, 4h or 2d");
  ERP_CHECK_ISSUE(result, "warehouse.webhook_timeout", 13, "must be at least 1ms, got '0s'");
  ERP_CHECK_ISSUE(result, "outbox.backoff_initial", 15, "'10' is not a duration");
  ERP_CHECK_ISSUE(result, "outbox.backoff_max", 16, "too large");
}

TEST_CASE("poll_interval must be at least one second") {
  const auto result = parse_config(with_shop("    poll_interval: 999ms\n"), kFile);
  ERP_CHECK_ISSUE(result, "shops[0].poll_interval", 11, "must be at least 1s, got '999ms'");
  CHECK(parse_config(with_shop("    poll_interval: 1000ms\n"), kFile).config);
}

TEST_CASE("a bad URL is rejected with the reason") {
  struct Case {
    const char* url;
    const char* why;
  };
  for (const Case& c :
       {Case{"ftp://eco.taobao.com/router/rest", "must start with http:// or https://"},
        Case{"eco.taobao.com", "must start with http:// or https://"}, Case{"https://", "has no host"},
        Case{"https:///path", "has no host"}, Case{"http://host:99999/", "port must be 1..65535"},
        Case{"http://host:/", "no port after it"}, Case{"http://ho st/", "spaces"},
        Case{"http://user:pw@host/", "must not carry credentials"}, Case{"http://[::1/", "closing ']'"}}) {
    const auto result = parse_config(std::string(kMinimal) + "shops:\n  - id: s\n    platform: tmall\n" +
                                         "    base_url: \"" + c.url + "\"\n    app_key: k\n    app_secret: s\n",
                                     kFile);
    INFO("url: " << c.url);
    ERP_CHECK_ISSUE(result, "shops[0].base_url", 8, c.why);
  }
  for (const char* ok : {"http://127.0.0.1:8080", "https://[::1]:443/x?y=1#z", "https://openapi-fxg.jinritemai.com"}) {
    INFO("url: " << ok);
    const auto result = parse_config(std::string(kMinimal) + "warehouse:\n  webhook_url: \"" + ok + "\"\n", kFile);
    INFO(all_issues(result));
    CHECK(result.config);
  }
}

TEST_CASE("a bad api.listen is rejected with the expected form") {
  for (const char* bad : {"127.0.0.1", "127.0.0.1:70000", "127.0.0.1:http", ":7878", "::1:7878"}) {
    const auto result = parse_config(std::string(kMinimal) + "api:\n  listen: \"" + bad + "\"\n", kFile);
    INFO("listen: " << bad);
    REQUIRE(testing::issue_at(result, "api.listen") != nullptr);
    CHECK(testing::issue_at(result, "api.listen")->line == 6);
  }
}

TEST_CASE("a bad enum value lists the allowed values") {
  SUBCASE("log level") {
    const auto result = parse_config(std::string(kMinimal) + "log:\n  level: inof\n", kFile);
    ERP_CHECK_ISSUE(result, "log.level", 6,
                    "'inof' is not a log level; use trace, debug, info, warn or error (did you mean 'info'?)");
  }
  SUBCASE("TOP sign method") {
    const auto result = parse_config(with_shop("    sign_method: sha1\n"), kFile);
    ERP_CHECK_ISSUE(result, "shops[0].sign_method", 11,
                    "'sha1' is not a sign method taobao supports; use md5, hmac or hmac-sha256");
  }
  SUBCASE("Douyin has no plain hmac") {
    const auto result = parse_config(std::string(kMinimal) + yaml(R"(
shops:
  - id: d
    platform: douyin
    base_url: https://openapi-fxg.jinritemai.com
    app_key: k
    app_secret: s
    sign_method: hmac
)"),
                                     kFile);
    ERP_CHECK_ISSUE(result, "shops[0].sign_method", 11, "use hmac-sha256 or md5");
  }
}

TEST_CASE("shop ids and platform names must have the documented form") {
  const auto result = parse_config(std::string(kMinimal) + yaml(R"(
shops:
  - id: "my shop"
    platform: Taobao
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
  - id: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    platform: taobao
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
warehouse:
  connector: Qimen
)"),
                                   kFile);
  ERP_CHECK_ISSUE(result, "shops[0].id", 6, "shop id 'my shop' must use only letters, digits, '_' and '-'");
  ERP_CHECK_ISSUE(result, "shops[0].platform", 7, "'Taobao' must be a plugin name in lowercase letters");
  ERP_CHECK_ISSUE(result, "shops[1].id", 11, "must be at most 64 characters");
  ERP_CHECK_ISSUE(result, "warehouse.connector", 17, "'Qimen' must be a plugin name");
}

TEST_CASE("duplicate shop ids are reported at the second one with the first's place") {
  const auto result = parse_config(with_shop(yaml(R"(
  - id: s2
    platform: tmall
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
  - id: s1
    platform: tmall
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
)")),
                                   kFile);
  CHECK_FALSE(result.config);
  ERP_CHECK_ISSUE(result, "shops[2].id", 16, "duplicate shop id 's1' (first used by shops[0] at line 6)");
}

TEST_CASE("a key written twice in one map is reported at the second") {
  const auto result = parse_config(
      with_shop("    app_key: other\n    options: {a: 1, a: 2}\n") + "log:\n  level: info\n" + "log:\n  level: debug\n",
      kFile);
  CHECK_FALSE(result.config);
  ERP_CHECK_ISSUE(result, "shops[0].app_key", 11, "duplicate key 'app_key' (first at line 9)");
  ERP_CHECK_ISSUE(result, "shops[0].options.a", 12, "duplicate key 'a' (first at line 12)");
  ERP_CHECK_ISSUE(result, "log", 15, "duplicate key 'log' (first at line 13)");
}

TEST_CASE("a secret given both inline and as a file is an error") {
  const auto result =
      parse_config(with_shop("    app_secret_file: /run/secret\n    session: a\n    session_file: b\n"), kFile);
  ERP_CHECK_ISSUE(result, "shops[0].app_secret_file", 11, "give either app_secret or app_secret_file, not both");
  ERP_CHECK_ISSUE(result, "shops[0].session_file", 13, "give either session or session_file, not both");
}

TEST_CASE("outbox numbers are checked") {
  SUBCASE("max_attempts") {
    for (const char* bad : {"0", "-3", "2.5", "ten", "99999999999999999999"}) {
      const auto result = parse_config(std::string(kMinimal) + "outbox:\n  max_attempts: " + bad + "\n", kFile);
      INFO(bad);
      REQUIRE(testing::issue_at(result, "outbox.max_attempts") != nullptr);
      CHECK(testing::issue_at(result, "outbox.max_attempts")->line == 6);
    }
    const auto zero = parse_config(std::string(kMinimal) + "outbox:\n  max_attempts: 0\n", kFile);
    ERP_CHECK_ISSUE(zero, "outbox.max_attempts", 6, "must be at least 1, got '0'");
    const auto huge = parse_config(std::string(kMinimal) + "outbox:\n  max_attempts: 99999999999999999999\n", kFile);
    ERP_CHECK_ISSUE(huge, "outbox.max_attempts", 6, "is out of range");
  }
  SUBCASE("backoff_max below backoff_initial") {
    const auto result =
        parse_config(std::string(kMinimal) + "outbox:\n  backoff_initial: 10m\n  backoff_max: 1m\n", kFile);
    ERP_CHECK_ISSUE(result, "outbox.backoff_max", 7, "backoff_max (1m) must not be less than backoff_initial (10m)");
    const auto default_max = parse_config(std::string(kMinimal) + "outbox:\n  backoff_initial: 1h\n", kFile);
    ERP_CHECK_ISSUE(default_max, "outbox.backoff_initial", 6, "backoff_max (5m)");
  }
}

TEST_CASE("workflows: a bad release_delay and an unknown workflow are reported at their lines") {
  const auto longer = parse_config(std::string(kMinimal) + "workflows:\n  release_delay: 2d\n", kFile);
  ERP_CHECK_ISSUE(longer, "workflows.release_delay", 6, "must be at most 1d");
  const auto word = parse_config(std::string(kMinimal) + "workflows:\n  release_delay: soon\n", kFile);
  REQUIRE(testing::issue_at(word, "workflows.release_delay") != nullptr);
  CHECK(testing::issue_at(word, "workflows.release_delay")->line == 6);
  const auto typo = parse_config(std::string(kMinimal) + "workflows:\n  relase_delay: 1m\n", kFile);
  REQUIRE(testing::issue_at(typo, "workflows.relase_delay") != nullptr);
  CHECK(testing::issue_at(typo, "workflows.relase_delay")->message.find("release_delay") != std::string::npos);
}

TEST_CASE("webhook keys next to a connector plugin are reported, not ignored") {
  const auto result = parse_config(std::string(kMinimal) + yaml(R"(
warehouse:
  connector: qimen
  webhook_url: https://wms/h
  options:
    customer_id: C1
)"),
                                   kFile);
  ERP_CHECK_ISSUE(result, "warehouse.webhook_url", 7, "applies only to the builtin 'api' connector");
  CHECK(result.issues.size() == 1);
}

TEST_CASE("a connector plugin's inbound path defaults to /warehouse/<connector> and keeps off the API and push paths") {
  const auto plain = parse_config(std::string(kMinimal) + "warehouse:\n  connector: qimen\n", kFile);
  REQUIRE(plain.config);
  CHECK(plain.config->warehouse.inbound_path == "/warehouse/qimen");
  const auto own =
      parse_config(std::string(kMinimal) + "warehouse:\n  connector: qimen\n  inbound_path: /wms/in\n", kFile);
  REQUIRE(own.config);
  CHECK(own.config->warehouse.inbound_path == "/wms/in");
  const auto api =
      parse_config(std::string(kMinimal) + "warehouse:\n  connector: qimen\n  inbound_path: /v1/in\n", kFile);
  ERP_CHECK_ISSUE(api, "warehouse.inbound_path", 7, "must not be under /v1/");
  const auto builtin = parse_config(std::string(kMinimal) + "warehouse:\n  inbound_path: /wms/in\n", kFile);
  ERP_CHECK_ISSUE(builtin, "warehouse.inbound_path", 6, "applies only to a connector plugin");
  const auto clash = parse_config(
      with_shop("    push_path: /wms/in\n") + "warehouse:\n  connector: qimen\n  inbound_path: /wms/in\n", kFile);
  REQUIRE(testing::issue_at(clash, "warehouse.inbound_path") != nullptr);
  CHECK(testing::issue_at(clash, "warehouse.inbound_path")->message.find("push_path") != std::string::npos);
}

TEST_CASE("YAML merge keys get a clear message instead of a puzzling unknown key") {
  const auto result = parse_config(with_shop("    <<: {enabled: false}\n"), kFile);
  ERP_CHECK_ISSUE(result, "shops[0].<<", 11, "merge keys (<<) are not supported");
}

TEST_CASE("every problem is reported, in file order, not only the first") {
  const auto result = parse_config(yaml(R"(
database:
  path: x
plugins:
  dir: y
api:
  listen: nowhere
shops:
  - id: s1
    platform: taobao
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
    poll_intervall: 30s
outbox:
  max_attempts: 0
log:
  level: loud
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  REQUIRE(result.issues.size() == 4);
  CHECK(result.issues[0].to_string() ==
        "/etc/erpd/erpd.yaml:6: api.listen: 'nowhere' has no port (write HOST:PORT, "
        "like 127.0.0.1:7878 or [::1]:7878)");
  CHECK(result.issues[1].to_string() ==
        "/etc/erpd/erpd.yaml:13: shops[0].poll_intervall: unknown key 'poll_intervall' (did you mean "
        "'poll_interval'?)");
  CHECK(result.issues[2].line == 15);
  CHECK(result.issues[3].line == 17);
}

}  // namespace
}  // namespace erp::daemon::config
