// erpd with real plugin files: one built out of tree against the installed SDK, shops added,
// changed and removed by SIGHUP, and plugin files or options that must stop it from starting.

#include <doctest/doctest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include "integration/fixtures.hpp"

using namespace erp::test;
using nlohmann::json;

namespace {

std::string tiny_shop(const std::string& id, const std::string& greeting = "hello") {
  return "  - id: " + id +
         "\n    platform: tiny\n    base_url: http://127.0.0.1:9/router/rest\n    app_key: k-" + id +
         "\n    app_secret: s3cret-" + id + "\n    options:\n      greeting: " + greeting + "\n";
}

ConfigOptions tiny_config(const std::string& shops) {
  ConfigOptions options;
  options.plugins_dir = ERP_TINY_PLUGIN_DIR;
  options.shops_yaml = shops;
  return options;
}

json status(const TempDir& dir) { return json::parse(erpctl(dir, {"status", "--json"}).out); }

}  // namespace

TEST_CASE("erpd loads a plugin built out of tree against the installed SDK and shows it in status") {
  TempDir dir;
  write_config(dir, tiny_config(tiny_shop("tiny-1")));
  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE_MESSAGE(erpd.start(), erpd.log());
  const auto s = status(dir);
  REQUIRE(s["plugins"].size() == 1);
  CHECK(s["plugins"][0]["name"] == "tiny");
  CHECK(s["plugins"][0]["kind"] == "platform");
  REQUIRE(s["shops"].size() == 1);
  CHECK(s["shops"][0]["id"] == "tiny-1");
  CHECK(s["shops"][0]["state"] == "ok");
  const auto table = erpctl(dir, {"status"});
  CHECK(table.out.find("tiny-1") != std::string::npos);
  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
}

TEST_CASE("SIGHUP adds, changes and removes shops without a restart") {
  TempDir dir;
  write_config(dir, tiny_config(tiny_shop("tiny-1")));
  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd.start());

  write_config(dir, tiny_config(tiny_shop("tiny-1", "changed") + tiny_shop("tiny-2")));
  erpd.signal(SIGHUP);
  REQUIRE(eventually([&] { return erpd.log().find("config reloaded") != std::string::npos; }));
  auto s = status(dir);
  CHECK(s["shops"].size() == 2);
  CHECK(s["last_reload"]["ok"] == true);
  CHECK(erpd.log().find("added tiny-2; removed none; changed tiny-1") != std::string::npos);

  write_config(dir, tiny_config(tiny_shop("tiny-2")));
  erpd.signal(SIGHUP);
  REQUIRE(eventually([&] { return status(dir)["shops"].size() == 1; }));
  CHECK(status(dir)["shops"][0]["id"] == "tiny-2");
  CHECK(erpd.running());  // the same process throughout
  CHECK(erpd.notify().messages().size() >= 5);  // READY, RELOADING, READY, RELOADING, READY
  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
}

TEST_CASE("a reload with a bad plugin option is rejected and the running shops stay") {
  TempDir dir;
  write_config(dir, tiny_config(tiny_shop("tiny-1")));
  Erpd erpd(dir / "erpd.yaml", dir.path());
  REQUIRE(erpd.start());
  auto text = read_file(dir / "erpd.yaml");
  text.replace(text.find("greeting:"), 9, "greting:");
  write_file(dir / "erpd.yaml", text);
  erpd.signal(SIGHUP);
  REQUIRE(eventually([&] { return erpd.log().find("config reload rejected") != std::string::npos; }));
  CHECK(erpd.log().find("did you mean 'greeting'") != std::string::npos);
  erpd.signal(SIGTERM);
  CHECK(erpd.wait() == 0);
}

TEST_CASE("a plugin file that is not a shared library stops erpd with one line naming it") {
  TempDir dir;
  const auto plugins = dir / "plugins";
  write_file(plugins / "erp-bogus.so", "this is not an ELF file\n", fs::perms::owner_read | fs::perms::owner_write);
  fs::permissions(plugins, fs::perms::owner_all);
  ConfigOptions options;
  options.plugins_dir = plugins.string();
  options.shops_yaml = "  - id: b1\n    platform: bogus\n    base_url: http://127.0.0.1:9/\n    app_key: k\n"
                       "    app_secret: s\n";
  write_config(dir, options);
  const auto checked = run({erpd_binary().string(), "check-config", (dir / "erpd.yaml").string()});
  CHECK(checked.exit_code == 2);
  CHECK(checked.err.find((plugins / "erp-bogus.so").string() + ": refused: not a shared library") !=
        std::string::npos);
  const auto started = run({erpd_binary().string(), "--config", (dir / "erpd.yaml").string()});
  CHECK(started.exit_code == 2);
  CHECK(started.err.find("refused: not a shared library") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "erpd.db"));
}
