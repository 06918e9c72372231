// erp-plugin-check, run as a plugin author runs it: the built binary against plugin files, each
// run starting its own platform-sim. The real adapters and the template must pass every check; each
// deliberately flawed module (check_modules/) must fail, and fail in the check meant to catch it.

#include <doctest/doctest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "test_support/temp_dir.hpp"

namespace {

struct CheckRun {
  int exit_code = -1;
  std::string out;  ///< stdout: the verdict lines and the summary.
};

/// Runs erp-plugin-check with `args` (already shell-quoted where needed), stderr discarded.
CheckRun run_plugin_check(const std::string& args) {
  const std::string command = std::string(ERP_BUILD_DIR) + "/bin/erp-plugin-check " + args + " 2>/dev/null";
  CheckRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) run.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

/// A copy of a built plugin with the mode erpd's loader accepts whatever the build's umask was.
std::filesystem::path installed_copy(const std::filesystem::path& built, const erp::test::TempDir& dir) {
  const auto target = dir.path() / built.filename();
  std::filesystem::copy_file(built, target, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::permissions(target, std::filesystem::perms(0644));
  return target;
}

CheckRun check_plugin(const std::filesystem::path& built, const std::string& extra_args = "") {
  const erp::test::TempDir dir("erp-plugin-check");
  return run_plugin_check(installed_copy(built, dir).string() + " " + extra_args);
}

std::filesystem::path flawed_module(const std::string& name) {
  return std::filesystem::path(ERP_CHECK_MODULE_DIR) / ("erp-pcheck_" + name + ".so");
}

bool has_line_starting(const std::string& out, const std::string& prefix) {
  return out.rfind(prefix, 0) == 0 || out.find("\n" + prefix) != std::string::npos;
}

/// A flawed template wrapper, checked against the template's platform.
CheckRun check_flawed(const std::string& flaw, const std::string& extra_args = "") {
  return check_plugin(flawed_module(flaw), "--platform example " + extra_args);
}

/// The run failed (exit 1) with this verdict line, whose reason (when given) says `detail`.
void require_verdict(const CheckRun& run, const std::string& line_prefix, const std::string& detail = "") {
  INFO(run.out);
  CHECK(run.exit_code == 1);
  CHECK(has_line_starting(run.out, line_prefix));
  CHECK(run.out.find(detail) != std::string::npos);
}

void require_all_pass(const CheckRun& run) {
  INFO(run.out);
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("FAIL ") == std::string::npos);
  for (const char* id : {"PC1", "PC2", "PC3", "PC4", "PC5", "PC6", "PC7", "PC9"}) {
    CHECK(has_line_starting(run.out, std::string("PASS ") + id + " "));
  }
  CHECK(run.out.find(" 0 failed") != std::string::npos);
}

}  // namespace

TEST_CASE("erp-plugin-check passes the Tmall plugin, writes included") {
  const auto run = check_plugin(std::filesystem::path(ERP_PLUGIN_DIR) / "erp-tmall.so");
  require_all_pass(run);
  CHECK(has_line_starting(run.out, "PASS PC8 writes: a memo write counted once"));
}

TEST_CASE("erp-plugin-check passes the Taobao plugin") {
  require_all_pass(check_plugin(std::filesystem::path(ERP_PLUGIN_DIR) / "erp-taobao.so"));
}

TEST_CASE("erp-plugin-check passes the Douyin plugin, decrypted receivers never logged") {
  const auto run = check_plugin(std::filesystem::path(ERP_PLUGIN_DIR) / "erp-douyin.so");
  require_all_pass(run);
  CHECK(run.out.find("no decrypted receiver data") != std::string::npos);
}

TEST_CASE("erp-plugin-check passes the plugin template against platform-sim's example platform") {
  const auto run = check_plugin(std::filesystem::path(ERP_TEMPLATE_PLUGIN));
  require_all_pass(run);
  // The template has neither memo writes nor shipments.
  CHECK(has_line_starting(run.out, "SKIP PC8 writes"));
}

TEST_CASE("a plugin that repeats a page token fails PC4 listing") {
  require_verdict(check_flawed("repeats_token"), "FAIL PC4 listing: page token \"again\" was handed out twice");
}

TEST_CASE("a plugin that throws from list_modified fails PC4 listing, and the run goes on") {
  const auto run = check_flawed("throws_in_listing");
  require_verdict(run, "FAIL PC4 listing: ", "threw: cannot map order");
  CHECK(has_line_starting(run.out, "PASS PC9 privacy"));
}

TEST_CASE("a plugin whose get_order maps an order differently from its listing fails PC6 get_order") {
  require_verdict(check_flawed("get_order_differs"), "FAIL PC6 get_order: order ",
                  "differs from its listing: total_fen was ");
}

TEST_CASE("a plugin that logs its API token fails PC9 privacy") {
  const auto run = check_flawed("logs_secret");
  require_verdict(run, "FAIL PC9 privacy: the shop's api_token appears in a log line");
  INFO(run.out);
  CHECK(has_line_starting(run.out, "PASS PC4 listing"));
  // The verdict names the secret, never shows it.
  CHECK(run.out.find("gen-example-1-session") == std::string::npos);
}

TEST_CASE("a plugin that calls every failure internal fails PC7 errors") {
  require_verdict(check_flawed("all_internal"),
                  "FAIL PC7 errors: list_modified under server_error: expected transient, got internal");
}

TEST_CASE("a plugin the loader refuses fails PC1 with the loader's own message, and nothing else runs") {
  const auto run = check_plugin(std::filesystem::path(ERP_TEST_MODULE_DIR) / "erp-test_abi.so");
  require_verdict(run, "FAIL PC1 load: plugin ", "erp-test_abi.so: refused: ");
  INFO(run.out);
  CHECK(run.out.find("ABI version mismatch: expected ") != std::string::npos);
  CHECK(has_line_starting(run.out, "SKIP PC9 privacy: needs a loaded plugin (PC1)"));
}

TEST_CASE("erp-plugin-check: usage errors exit 2, --help exits 0") {
  CHECK(run_plugin_check("").exit_code == 2);
  CHECK(run_plugin_check("a.so --orders 2").exit_code == 2);
  CHECK(run_plugin_check("a.so --sim ftp://x").exit_code == 2);
  const auto help = run_plugin_check("--help");
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("usage: erp-plugin-check PLUGIN.so") != std::string::npos);
  // A platform platform-sim does not simulate cannot start a run.
  const auto unknown = check_plugin(std::filesystem::path(ERP_PLUGIN_DIR) / "erp-tmall.so", "--platform jd");
  CHECK(unknown.exit_code == 2);
  // Nor can a simulator that does not answer (port 9, discard, is closed on test machines).
  const auto no_sim = check_plugin(std::filesystem::path(ERP_PLUGIN_DIR) / "erp-tmall.so", "--sim http://127.0.0.1:9");
  CHECK(no_sim.exit_code == 2);
}

TEST_CASE("erp-plugin-check --json reports every check for scripts") {
  const auto run = check_flawed("repeats_token", "--json");
  INFO(run.out);
  CHECK(run.exit_code == 1);
  CHECK(run.out.find("\"id\": \"PC4\"") != std::string::npos);
  CHECK(run.out.find("\"status\": \"fail\"") != std::string::npos);
  CHECK(run.out.find("\"ok\": false") != std::string::npos);
}
