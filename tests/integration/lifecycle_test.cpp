// erpd as a process: start, READY, status, version, check-config, graceful stop, journal
// priorities, watchdog. Each test runs the real binaries in a temp dir.

#include <doctest/doctest.h>

#include "erp/version.hpp"
#include <signal.h>

#include <nlohmann/json.hpp>

#include "integration/fixtures.hpp"

using namespace erp::test;

TEST_CASE("erpd starts, reports READY, answers erpctl status and stops on SIGTERM") {
  TempDir dir;
  write_config(dir);
  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE_MESSAGE(erpd.start(), erpd.log());

  const auto status = erpctl(dir, {"status"});
  CHECK_MESSAGE(status.exit_code == 0, status.err);
  CHECK(status.out.find("running") != std::string::npos);

  const auto json = erpctl(dir, {"status", "--json"});
  REQUIRE(json.exit_code == 0);
  const auto body = nlohmann::json::parse(json.out);
  CHECK(body["state"] == "running");
  CHECK(body["database"]["schema_version"].get<int>() >= 2);

  CHECK(http("GET", api_url(dir) + "/healthz").status == 200);
  const auto unauthorized = http("GET", api_url(dir) + "/v1/status");
  CHECK(unauthorized.status == 401);
  CHECK(nlohmann::json::parse(unauthorized.body).contains("error"));
  CHECK(http("GET", api_url(dir) + "/v1/status", api_token(dir)).status == 200);

  // The token file was generated on first start, readable by its owner only.
  const auto perms = fs::status(dir / "api.token").permissions();
  CHECK((perms & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);

  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
  CHECK(erpd.notify().wait_for("STOPPING=1", 1s));
  CHECK(erpd.log().find("erpd stopped") != std::string::npos);
}

TEST_CASE("erpd --version prints the daemon version and the plugin ABI version") {
  const auto result = run({erpd_binary().string(), "--version"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("erpd ") == 0);
  CHECK(result.out.find("plugin ABI " + std::to_string(erp::sdk::kAbiVersion)) != std::string::npos);
}

TEST_CASE("the example config passes check-config with the built plugins, their options included") {
  TempDir dir;
  std::string example = read_file(fs::path(ERP_SOURCE_DIR) / "config/erpd.example.yaml");
  const std::string installed = "/usr/lib/x86_64-linux-gnu/erpd/plugins";
  REQUIRE(example.find(installed) != std::string::npos);
  example.replace(example.find(installed), installed.size(), ERP_PLUGIN_DIR);
  write_file(dir / "erpd.yaml", example);
  const auto result = run({erpd_binary().string(), "check-config", (dir / "erpd.yaml").string()});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
}

TEST_CASE("check-config exits 0 for a valid file and 2 with FILE:LINE: key lines for a bad one") {
  TempDir dir;
  const auto good = write_config(dir);
  const auto ok = run({erpd_binary().string(), "check-config", good.string()});
  CHECK_MESSAGE(ok.exit_code == 0, ok.err);

  const auto bad = dir / "bad.yaml";
  write_file(bad, "database:\n  path: x.db\nplugins:\n  dir: .\napi:\n  lisen: 127.0.0.1:1\n");
  const auto refused = run({erpd_binary().string(), "check-config", bad.string()});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find(bad.string() + ":6: api.lisen:") != std::string::npos);
  CHECK(refused.err.find("listen") != std::string::npos);  // the suggestion
}

TEST_CASE("erpd with a bad config exits 2 before starting anything") {
  TempDir dir;
  const auto bad = dir / "bad.yaml";
  write_file(bad, "database:\n  path: " + (dir / "erpd.db").string() + "\nplugins:\n  dir: .\nshops:\n  - id: x\n");
  const auto result = run({erpd_binary().string(), "--config", bad.string()});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find(bad.string() + ":") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "erpd.db"));
}

TEST_CASE("erpd refuses a token file others can read") {
  TempDir dir;
  write_config(dir);
  write_file(dir / "api.token", "0123456789abcdef0123456789abcdef\n");  // 0644
  Erpd erpd(dir / "erpd.yaml", dir.path());
  CHECK_FALSE(erpd.start(5s));
  CHECK(erpd.wait() == 1);
  CHECK(erpd.log().find((dir / "api.token").string()) != std::string::npos);
}

TEST_CASE("under systemd, log lines carry <N> priorities and the watchdog is pinged") {
  TempDir dir;
  write_config(dir);
  Erpd erpd(dir / "erpd.yaml", dir.path(), {{"JOURNAL_STREAM", "8:12345"}, {"WATCHDOG_USEC", "400000"}});
  REQUIRE(erpd.start());
  CHECK(erpd.notify().wait_for("WATCHDOG=1", 2s));
  erpd.signal(SIGTERM);
  REQUIRE(erpd.wait() == 0);
  const auto log = erpd.log();
  CHECK(log.rfind("<6>", 0) == 0);
  CHECK(log.find("\n<6>erpd stopped") != std::string::npos);
}

TEST_CASE("SIGHUP with an invalid config keeps the running config and says why") {
  TempDir dir;
  write_config(dir);
  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd.start());
  auto text = read_file(dir / "erpd.yaml");
  write_file(dir / "erpd.yaml", text + "bogus_key: 1\n");
  erpd.signal(SIGHUP);
  CHECK(erpd.notify().wait_for("RELOADING=1", 5s));
  CHECK(eventually([&] { return erpd.log().find("config reload rejected") != std::string::npos; }));
  const auto messages = erpd.notify().messages();
  bool monotonic = false;
  for (const auto& m : messages) monotonic |= m.find("MONOTONIC_USEC=") != std::string::npos;
  CHECK(monotonic);
  const auto status = nlohmann::json::parse(erpctl(dir, {"status", "--json"}).out);
  CHECK(status["state"] == "running");
  CHECK(status["last_reload"]["ok"] == false);
  CHECK(erpd.log().find("bogus_key") != std::string::npos);
  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
}
