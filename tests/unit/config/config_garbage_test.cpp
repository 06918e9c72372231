// Whatever is in the file, loading it returns issues; it never throws or crashes, and a config
// comes back only when there are no issues.

#include <doctest/doctest.h>

#include <random>

#include "config/loader.hpp"
#include "config_test_support.hpp"

namespace erp::daemon::config {
namespace {

using testing::kFile;
using testing::kMinimal;

void check_survives(const std::string& text) {
  LoadResult result;
  CHECK_NOTHROW(result = parse_config(text, kFile));
  // Exactly one of: a config, or at least one issue.
  CHECK(result.config.has_value() == result.issues.empty());
  for (const auto& issue : result.issues) {
    CHECK_FALSE(issue.message.empty());
    CHECK(issue.line >= 0);
  }
}

TEST_CASE("garbage input never throws and always explains itself") {
  const std::vector<std::string> inputs = {
      std::string("\0", 1),
      std::string("database:\n  path: a\0b\nplugins:\n  dir: p\n", 37),
      "- - -",
      "[",
      "{",
      "}",
      "::::",
      "? [a, b]\n: c\n",
      "{[1]: 2, {a: b}: 3}",
      "null",
      "~",
      "true",
      "42",
      "\"just a string\"",
      "---\n...\n",
      "...",
      "%YAML 1.2\n---\n",
      "%BOGUS\n---\na: 1\n",
      "a: &a [*a]\n",
      "shops: &s [*s]\n",
      "database: &d {path: *d}\nplugins: {dir: x}\n",
      "a: *undefined\n",
      "database: !!binary aGVsbG8=\nplugins: !custom {dir: x}\n",
      "shops: [~, 1, [], {}, \"\", {id: ~}]\n",
      "shops:\n  -\n  -\n",
      std::string(kMinimal) + "shops:\n  - {id: [x], platform: {}, base_url: ~, app_key: [], app_secret: {}}\n",
      std::string(kMinimal) + "api:\n  listen: \"[:\"\n",
      std::string(kMinimal) + "api:\n  listen: \"[]:1\"\n",
      std::string(kMinimal) + "api:\n  listen: \":\"\n",
      std::string(kMinimal) + "outbox:\n  max_attempts: 99999999999999999999999999999999999999999\n",
      std::string(kMinimal) + "outbox:\n  backoff_max: 999999999999999999999999d\n",
      std::string(kMinimal) + "outbox:\n  backoff_max: 999999999d\n",
      std::string(kMinimal) + "outbox:\n  max_attempts: 1e400\n",
      std::string(kMinimal) + "shops:\n  - id: s\n    poll_interval: -5s\n",
      "99999999999999999999999999: x\n",
      "database:\n\tpath: x\n",
      "\xff\xfe\x00d\x00b",
      "\xef\xbb\xbf" + std::string(kMinimal),
      "\xed\xa0\x80: x\n",
      "\xf4\x90\x80\x80: x\n",
      "\xc0\xaf: x\n",
      "key: \x80\n",
  };
  for (const auto& input : inputs) {
    INFO("input: " << input);
    check_survives(input);
  }
}

TEST_CASE("deeply nested input is an issue, not a stack overflow") {
  check_survives(std::string(100000, '['));
  check_survives("workflows: " + std::string(50000, '[') + std::string(50000, ']') + "\n");
  std::string block;
  for (int i = 0; i < 5000; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  check_survives(block);
}

TEST_CASE("huge keys and values are reported briefly") {
  // yaml-cpp caps a plain key at 1024 characters, so the key is long but not huge.
  const std::string long_key(1000, 'k');
  const std::string huge(1 << 20, 'x');
  const auto result = parse_config(std::string(kMinimal) + long_key + ": 1\nlog:\n  level: " + huge + "\n", kFile);
  INFO(testing::all_issues(result).substr(0, 2000));
  REQUIRE(result.issues.size() == 2);
  for (const auto& issue : result.issues) CHECK(issue.to_string().size() < 400);
}

TEST_CASE("control characters in echoed text do not reach the terminal") {
  const auto result = parse_config(std::string(kMinimal) + "log:\n  level: \"in\\e[31mfo\"\n", kFile);
  REQUIRE(result.issues.size() == 1);
  CHECK(result.issues[0].message.find('\x1b') == std::string::npos);
}

TEST_CASE("random bytes and mutated configs never throw") {
  std::mt19937 rng(20261111);  // fixed seed: a failure reproduces
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 300; ++round) {
    std::string text(static_cast<std::size_t>(byte(rng)), '\0');
    for (auto& c : text) c = static_cast<char>(byte(rng));
    check_survives(text);
  }
  const std::string base = std::string(kMinimal) +
                           "shops:\n  - id: s1\n    platform: tmall\n    base_url: https://eco.taobao.com/router/rest\n"
                           "    app_key: k\n    app_secret: s\n    options: {a: 1}\nlog:\n  level: info\n";
  const std::string alphabet = ":-[]{}&*!|>'\"#%@`,? \n\t~0";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  for (int round = 0; round < 2000; ++round) {
    std::string text = base;
    std::uniform_int_distribution<std::size_t> where(0, text.size() - 1);
    for (int edits = 0; edits < 3; ++edits) text[where(rng)] = alphabet[pick(rng)];
    check_survives(text);
  }
}

TEST_CASE("load_config on special files returns an issue") {
  for (const char* path : {"/dev/null", "/", "/proc/self/status"}) {
    INFO(path);
    LoadResult result;
    CHECK_NOTHROW(result = load_config(path));
    CHECK_FALSE(result.config);
    CHECK_FALSE(result.issues.empty());
  }
}

}  // namespace
}  // namespace erp::daemon::config
