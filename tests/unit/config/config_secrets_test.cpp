// Secrets come from the config, a file or the environment, say where they came from, and never
// show up in an error message.

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/loader.hpp"
#include "config_test_support.hpp"

namespace erp::daemon::config {
namespace {

using testing::all_issues;
using testing::kFile;
using testing::kMinimal;

constexpr std::string_view kSecret = "S3cr3t-Value-42";

// A shop whose app secret line is `secret_line` (line 10), plus `extra` lines after it.
std::string shop_with(std::string_view secret_line, std::string_view extra = {}) {
  return std::string(kMinimal) +
         "shops:\n  - id: s1\n    platform: tmall\n    base_url: https://eco.taobao.com/router/rest\n"
         "    app_key: k\n    " +
         std::string(secret_line) + "\n" + std::string(extra);
}

TEST_CASE("a literal secret is used as written and described as a literal") {
  const auto result = parse_config(shop_with("app_secret: \"" + std::string(kSecret) + "\""), kFile);
  REQUIRE(result.config);
  CHECK(result.config->shops[0].app_secret.reveal() == kSecret);
  CHECK(result.config->shops[0].app_secret.describe() == "literal in config");
}

TEST_CASE("a secret file is read with its trailing newline trimmed") {
  testing::TempDir dir;
  const auto secret_file = dir.write("secrets/app.secret", std::string(kSecret) + "\r\n");
  const auto token_file = dir.write("secrets/session", "sess ion\n\n");
  const auto file = dir.write(
      "erpd.yaml", shop_with("app_secret_file: secrets/app.secret", "    session_file: " + token_file.string() + "\n"));
  const auto result = load_config(file);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const auto& shop = result.config->shops[0];
  CHECK(shop.app_secret.reveal() == kSecret);
  CHECK(shop.app_secret.describe() == "file " + secret_file.string());
  REQUIRE(shop.session);
  CHECK(shop.session->reveal() == "sess ion");  // inner spaces are part of the secret
}

TEST_CASE("an ${env:NAME} secret is read from the environment") {
  testing::ScopedEnv env("ERP_TEST_APP_SECRET", std::string(kSecret));
  const auto result = parse_config(
      shop_with("app_secret: ${env:ERP_TEST_APP_SECRET}", "    access_token: \"${env:ERP_TEST_APP_SECRET}\"\n"), kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  CHECK(result.config->shops[0].app_secret.reveal() == kSecret);
  CHECK(result.config->shops[0].app_secret.describe() == "environment ERP_TEST_APP_SECRET");
  CHECK(result.config->shops[0].access_token->reveal() == kSecret);
}

TEST_CASE("an unset or empty environment variable is an error naming the variable") {
  testing::ScopedEnv unset("ERP_TEST_UNSET", std::nullopt);
  testing::ScopedEnv empty("ERP_TEST_EMPTY", "");
  const auto result = parse_config(
      shop_with("app_secret: ${env:ERP_TEST_UNSET}", "    session: ${env:ERP_TEST_EMPTY}\n    access_token: ${env:}\n"),
      kFile);
  CHECK_FALSE(result.config);
  ERP_CHECK_ISSUE(result, "shops[0].app_secret", 10, "environment variable ERP_TEST_UNSET is not set");
  ERP_CHECK_ISSUE(result, "shops[0].session", 11, "environment variable ERP_TEST_EMPTY is empty");
  ERP_CHECK_ISSUE(result, "shops[0].access_token", 12, "malformed environment reference");
}

TEST_CASE("a missing, empty or unreadable secret file is an error naming the file") {
  testing::TempDir dir;
  dir.write("empty.secret", "\n");
  dir.write("folder/keep", "x");
  const auto file = dir.write("erpd.yaml", shop_with("app_secret_file: nope.secret",
                                                     "    session_file: empty.secret\n"
                                                     "    access_token_file: folder\n"
                                                     "warehouse:\n  webhook_token_file: \"\"\n"));
  const auto result = load_config(file);
  CHECK_FALSE(result.config);
  ERP_CHECK_ISSUE(result, "shops[0].app_secret_file", 10,
                  "cannot read file " + (dir.path() / "nope.secret").string() + ": No such file or directory");
  ERP_CHECK_ISSUE(result, "shops[0].session_file", 11, "file " + (dir.path() / "empty.secret").string() + " is empty");
  ERP_CHECK_ISSUE(result, "shops[0].access_token_file", 12, "it is a directory");
  ERP_CHECK_ISSUE(result, "warehouse.webhook_token_file", 14, "must not be empty");

  if (::geteuid() != 0) {  // root reads any file, so unreadability cannot be staged
    const auto locked = dir.write("locked.secret", "x");
    ::chmod(locked.c_str(), 0);
    const auto second = load_config(dir.write("second.yaml", shop_with("app_secret_file: locked.secret")));
    ERP_CHECK_ISSUE(second, "shops[0].app_secret_file", 10, "Permission denied");
  }
}

TEST_CASE("a secret's describe() never contains the value") {
  testing::TempDir dir;
  testing::ScopedEnv env("ERP_TEST_DESCRIBE", std::string(kSecret));
  dir.write("s", kSecret);
  for (const std::string& line :
       {"app_secret: " + std::string(kSecret), std::string("app_secret: ${env:ERP_TEST_DESCRIBE}"),
        std::string("app_secret_file: s")}) {
    const auto result = load_config(dir.write("c.yaml", shop_with(line)));
    REQUIRE(result.config);
    CHECK(result.config->shops[0].app_secret.reveal() == kSecret);
    CHECK(result.config->shops[0].app_secret.describe().find(kSecret) == std::string::npos);
  }
}

TEST_CASE("a secret value never appears in any issue text") {
  testing::TempDir dir;
  dir.write("secret.txt", kSecret);
  testing::ScopedEnv env("ERP_TEST_LEAK", std::string(kSecret));
  const std::string s(kSecret);
  // Each document puts the secret where a careless message would repeat it.
  const std::vector<std::string> documents = {
      // given twice
      shop_with("app_secret: " + s, "    app_secret_file: secret.txt\n"),
      // under a misspelt key
      shop_with("app_secrt: " + s),
      // as the wrong type
      shop_with("app_secret: {value: " + s + "}"),
      shop_with("app_secret: [" + s + "]"),
      // in a webhook URL that is wrong for another reason
      std::string(kMinimal) + "warehouse:\n  webhook_url: \"https://wms host/h?token=" + s + "\"\n",
      std::string(kMinimal) + "warehouse:\n  webhook_url: \"https://user:" + s + "@wms/h\"\n",
      std::string(kMinimal) + "warehouse:\n  webhook_url: \"ftp://wms/h?token=" + s + "\"\n",
      // next to a connector plugin that ignores it
      std::string(kMinimal) + "warehouse:\n  connector: qimen\n  webhook_token: " + s + "\n",
      // as a plugin option written twice or with a nested value
      shop_with("app_secret: x", "    options: {password: " + s + ", password: " + s + "}\n"),
      shop_with("app_secret: x", "    options: {password: {v: " + s + "}}\n"),
      // from the environment, in a shop that is wrong elsewhere
      shop_with("app_secret: ${env:ERP_TEST_LEAK}", "    poll_interval: soon\n    enabled: nope\n"),
      // a half-written env reference or YAML that stops mid-secret
      shop_with("app_secret: \"${env:" + s + "}\""),
      shop_with("app_secret: [" + s),
      shop_with("app_secret: {" + s + ": [}"),
      // in sections that accept no such key
      std::string(kMinimal) + "log:\n  password: " + s + "\n",
      std::string(kMinimal) + "api:\n  token: " + s + "\n",
  };
  for (const auto& document : documents) {
    const auto result = load_config(dir.write("erpd.yaml", document));
    INFO("document:\n" << document);
    CHECK_FALSE(result.issues.empty());
    for (const auto& issue : result.issues) {
      CHECK_MESSAGE(issue.to_string().find(kSecret) == std::string::npos, issue.to_string());
    }
  }
}

}  // namespace
}  // namespace erp::daemon::config

namespace erp::daemon::config {
namespace {

TEST_CASE("erpctl can read the config without the daemon's environment or secret files") {
  testing::ScopedEnv unset("ERP_TEST_DAEMON_ONLY", std::nullopt);
  const std::string text = std::string(testing::kMinimal) +
                           "shops:\n  - id: s1\n    platform: tmall\n    base_url: https://eco.taobao.com/router/rest\n"
                           "    app_key: k\n    app_secret: ${env:ERP_TEST_DAEMON_ONLY}\n"
                           "    session_file: /nonexistent/session\n";
  CHECK_FALSE(parse_config(text, testing::kFile).config);

  const auto result = parse_config(text, testing::kFile, LoadOptions{.resolve_secrets = false});
  INFO(testing::all_issues(result));
  REQUIRE(result.config);
  const auto& shop = result.config->shops[0];
  CHECK(shop.app_secret.empty());
  CHECK(shop.app_secret.describe() == "environment ERP_TEST_DAEMON_ONLY (not read)");
  CHECK(shop.session->describe() == "file /nonexistent/session (not read)");

  // The form of a reference is still checked.
  const auto malformed = parse_config(std::string(testing::kMinimal) + "warehouse:\n  webhook_token: ${env:A-B}\n",
                                      testing::kFile, LoadOptions{.resolve_secrets = false});
  ERP_CHECK_ISSUE(malformed, "warehouse.webhook_token", 6, "malformed environment reference");
}

}  // namespace
}  // namespace erp::daemon::config
