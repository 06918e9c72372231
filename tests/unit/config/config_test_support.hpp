#pragma once
// Shared helpers for the config tests: a scratch directory, environment overrides undone at the
// end of a test, and issue lookup by key path.

#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "config/loader.hpp"
#include "test_support/temp_dir.hpp"

namespace erp::daemon::config::testing {

/// Test YAML is written as R"(\n...)"; dropping the first newline makes line 1 the first line shown.
inline std::string yaml(std::string_view text) {
  if (!text.empty() && text.front() == '\n') text.remove_prefix(1);
  return std::string(text);
}

/// The shared scratch directory, with a helper that writes a file into it.
class TempDir : public erp::test::TempDir {
 public:
  TempDir() : erp::test::TempDir("erp-config-test") {}

  std::filesystem::path write(const std::filesystem::path& relative, std::string_view content) const {
    const auto file = path() / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << content;
    return file;
  }
};

/// Sets (or unsets, with nullopt) an environment variable for one test and restores it after.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, std::optional<std::string> value) : name_(std::move(name)) {
    if (const char* old = ::getenv(name_.c_str())) old_ = old;
    if (value) {
      ::setenv(name_.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

/// Every issue, one per line, for failure messages.
inline std::string all_issues(const LoadResult& result) {
  std::string out;
  for (const auto& issue : result.issues) out += issue.to_string() + "\n";
  return out;
}

/// The first issue at `key_path`, or nullptr.
inline const ConfigIssue* issue_at(const LoadResult& result, std::string_view key_path) {
  for (const auto& issue : result.issues) {
    if (issue.key_path == key_path) return &issue;
  }
  return nullptr;
}

/// The smallest config that loads: the two required keys.
inline constexpr std::string_view kMinimal = "database:\n  path: data/erpd.db\nplugins:\n  dir: plugins\n";

/// A config file name for parse_config tests that touch no files.
inline const std::filesystem::path kFile = "/etc/erpd/erpd.yaml";

/// kMinimal plus one valid shop entry (starting at line 6, its last key at line 10), with `extra`
/// appended to the entry: a key added there is on line 11.
inline std::string with_shop(std::string_view extra) {
  return std::string(kMinimal) + yaml(R"(
shops:
  - id: s1
    platform: taobao
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
)") + std::string(extra);
}

/// True when one of the issues reads exactly `line` ("FILE:LINE: key.path: what is wrong").
inline bool reports_issue(const LoadResult& result, const std::string& line) {
  for (const auto& issue : result.issues) {
    if (issue.to_string() == line) return true;
  }
  return false;
}

}  // namespace erp::daemon::config::testing

/// Checks that `result` reports exactly the issue line `text`, listing every issue when not.
#define ERP_CHECK_REPORTS(result, text)                                                        \
  do {                                                                                         \
    INFO("issues:\n" << ::erp::daemon::config::testing::all_issues(result));                   \
    CHECK_MESSAGE(::erp::daemon::config::testing::reports_issue(result, (text)), (text));      \
  } while (false)

/// Checks that `result` has an issue at `path` on `line` whose message contains `text`.
#define ERP_CHECK_ISSUE(result, path, line_no, text)                                           \
  do {                                                                                         \
    const auto* found_issue = ::erp::daemon::config::testing::issue_at(result, path);          \
    INFO("issues:\n" << ::erp::daemon::config::testing::all_issues(result));                   \
    REQUIRE_MESSAGE(found_issue != nullptr, "no issue at " << (path));                         \
    CHECK(found_issue->line == (line_no));                                                     \
    CHECK_MESSAGE(found_issue->message.find(text) != std::string::npos, found_issue->message); \
  } while (false)
