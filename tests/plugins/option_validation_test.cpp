// Plugin options checked against the plugin's declared keys, with file, line and key path.

#include "plugin_host/option_validation.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

namespace {

using erp::daemon::config::ConfigIssue;
using erp::daemon::config::PluginOption;
using erp::daemon::plugin_host::OptionsScope;
using erp::daemon::plugin_host::validate_plugin_options;
namespace sdk = erp::sdk;

const std::vector<sdk::ConfigKeySpec> kKeys{
    {"page_size", sdk::ConfigType::integer, false, "50", ""},     {"use_push", sdk::ConfigType::boolean, false, "", ""},
    {"sync_window", sdk::ConfigType::duration, false, "30m", ""}, {"region", sdk::ConfigType::string, true, "", ""},
    {"api_token", sdk::ConfigType::secret, false, "", ""},
};

const OptionsScope kScope{"/etc/erpd/erpd.yaml", "shops[1].options", 20, "taobao"};

/// "FILE:LINE: key.path: message", spelled out here so the test pins the format.
std::vector<std::string> lines(const std::vector<ConfigIssue>& issues) {
  std::vector<std::string> out;
  for (const auto& issue : issues) {
    out.push_back(issue.file + ":" + std::to_string(issue.line) + ": " + issue.key_path + ": " + issue.message);
  }
  return out;
}

}  // namespace

TEST_CASE("valid options give no issues") {
  const std::vector<PluginOption> options{{"page_size", "100", 21},
                                          {"use_push", "true", 22},
                                          {"sync_window", "5m", 23},
                                          {"region", "hz", 24},
                                          {"api_token", "x", 25}};
  CHECK(validate_plugin_options(kKeys, options, kScope).empty());
}

TEST_CASE("an unknown key suggests the nearest declared one, or lists them") {
  const std::vector<PluginOption> options{{"region", "hz", 21}, {"page_sise", "10", 22}, {"colour", "red", 23}};
  CHECK(lines(validate_plugin_options(kKeys, options, kScope)) ==
        std::vector<std::string>{
            "/etc/erpd/erpd.yaml:22: shops[1].options.page_sise: unknown option for plugin taobao (did you mean "
            "'page_size'?)",
            "/etc/erpd/erpd.yaml:23: shops[1].options.colour: unknown option for plugin taobao (known: page_size, "
            "use_push, sync_window, region, api_token)"});

  CHECK(lines(validate_plugin_options({}, {{"x", "1", 5}}, kScope)) ==
        std::vector<std::string>{
            "/etc/erpd/erpd.yaml:5: shops[1].options.x: unknown option: plugin taobao takes no options"});
}

TEST_CASE("wrong types are reported with the expected form; secrets are never repeated") {
  const std::vector<PluginOption> options{{"region", "hz", 21},
                                          {"page_size", "ten", 22},
                                          {"use_push", "maybe", 23},
                                          {"sync_window", "30", 24},
                                          {"api_token", "", 25}};
  CHECK(lines(validate_plugin_options(kKeys, options, kScope)) ==
        std::vector<std::string>{
            "/etc/erpd/erpd.yaml:22: shops[1].options.page_size: expected an integer, got \"ten\"",
            "/etc/erpd/erpd.yaml:23: shops[1].options.use_push: expected true or false, got \"maybe\"",
            "/etc/erpd/erpd.yaml:24: shops[1].options.sync_window: expected a duration such as 30s, 5m, 4h or 2d, "
            "got \"30\""});
}

TEST_CASE("a secret option may name the environment; an unset name is reported, never its value") {
  ::setenv("ERP_TEST_OPTION_TOKEN", "s3cret-from-env", 1);
  ::unsetenv("ERP_TEST_OPTION_UNSET");
  CHECK(
      validate_plugin_options(kKeys, {{"region", "hz", 24}, {"api_token", "${env:ERP_TEST_OPTION_TOKEN}", 25}}, kScope)
          .empty());
  const auto issues = lines(validate_plugin_options(
      kKeys, {{"region", "hz", 24}, {"api_token", "${env:ERP_TEST_OPTION_UNSET}", 25}}, kScope));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].find("/etc/erpd/erpd.yaml:25: shops[1].options.api_token: ") == 0);
  CHECK(issues[0].find("ERP_TEST_OPTION_UNSET") != std::string::npos);
}

TEST_CASE("value forms") {
  using erp::daemon::plugin_host::option_value_is_valid;
  CHECK(option_value_is_valid(sdk::ConfigType::integer, "-12"));
  CHECK(option_value_is_valid(sdk::ConfigType::integer, "+7"));
  CHECK_FALSE(option_value_is_valid(sdk::ConfigType::integer, "1.5"));
  CHECK_FALSE(option_value_is_valid(sdk::ConfigType::integer, "99999999999999999999"));
  CHECK(option_value_is_valid(sdk::ConfigType::boolean, "False"));
  CHECK(option_value_is_valid(sdk::ConfigType::boolean, "yes"));
  CHECK(option_value_is_valid(sdk::ConfigType::duration, "250ms"));
  CHECK(option_value_is_valid(sdk::ConfigType::duration, "2d"));
  CHECK_FALSE(option_value_is_valid(sdk::ConfigType::duration, "5 m"));
  CHECK_FALSE(option_value_is_valid(sdk::ConfigType::duration, "m"));
  CHECK_FALSE(option_value_is_valid(sdk::ConfigType::duration, "3w"));
  CHECK(option_value_is_valid(sdk::ConfigType::string, ""));
}

TEST_CASE("a missing or empty required key is reported at the entry") {
  CHECK(lines(validate_plugin_options(kKeys, {}, kScope)) ==
        std::vector<std::string>{
            "/etc/erpd/erpd.yaml:20: shops[1].options.region: required by plugin taobao but missing"});
  CHECK(
      lines(validate_plugin_options(kKeys, {{"region", "", 26}}, kScope)) ==
      std::vector<std::string>{"/etc/erpd/erpd.yaml:26: shops[1].options.region: required by plugin taobao but empty"});
}

TEST_CASE("control characters in a value cannot break the line") {
  auto issues = validate_plugin_options(kKeys, {{"region", "hz", 21}, {"page_size", "1\n2", 22}}, kScope);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].message == "expected an integer, got \"1?2\"");
}
