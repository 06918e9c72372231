// The plugin host against real modules: one per way a plugin file can be wrong, each refused with
// one line naming the file and the reason, and a good one whose objects keep their library alive.

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "plugin_host/host_context.hpp"
#include "plugin_host/plugin_host.hpp"
#include "plugin_test_support.hpp"

namespace {

using erp::daemon::plugin_host::DaemonHostContext;
using erp::daemon::plugin_host::LoadedPlugin;
using erp::daemon::plugin_host::PluginHost;
using erp::test::install_module;
using erp::test::RecordingContext;
using erp::test::TempDir;
namespace sdk = erp::sdk;

std::string refused(const std::filesystem::path& file, const std::string& reason) {
  return "plugin " + file.string() + ": refused: " + reason;
}

/// Loads NAME from `dir` and returns the refusal line (failing the test if it loaded).
std::string refusal(const std::filesystem::path& dir, const std::string& name) {
  PluginHost host(dir);
  auto loaded = host.load(name);
  REQUIRE_FALSE(loaded.ok());
  const std::string& message = loaded.error().message;
  CHECK(message.find('\n') == std::string::npos);
  return message;
}

std::shared_ptr<sdk::HostContext> shop_context(std::map<std::string, std::string> config = {}) {
  config.try_emplace("id", "shop-1");
  config.try_emplace("base_url", "http://127.0.0.1:1/router/rest");
  std::map<std::string, erp::daemon::config::Secret> secrets;
  secrets.emplace("app_secret", erp::daemon::config::Secret("s3cr3t-value", "literal in config"));
  return std::make_shared<DaemonHostContext>("test_good", "shop-1", nullptr, std::move(secrets), std::move(config),
                                             nullptr);
}

std::string manifest_text(const char* field) { return std::string(field); }

}  // namespace

TEST_CASE("a good plugin loads once and its adapter answers through the host context") {
  TempDir dir;
  install_module("good", dir.path(), "erp-test_good.so");
  PluginHost host(dir.path());

  auto loaded = host.load("test_good");
  REQUIRE_MESSAGE(loaded.ok(), loaded.error().message);
  auto plugin = loaded.value();
  CHECK(plugin->name() == "test_good");
  CHECK(plugin->kind() == sdk::PluginKind::platform);
  CHECK(manifest_text(plugin->manifest().version) == "1.2.3");
  CHECK(plugin->file() == dir.path() / "erp-test_good.so");
  CHECK(plugin->config_keys().size() == 6);
  CHECK_FALSE(plugin->failed());

  auto again = host.load("test_good");
  REQUIRE(again.ok());
  CHECK(again.value() == plugin);
  CHECK(host.loaded().size() == 1);

  auto adapter = plugin->create_platform_adapter(shop_context());
  REQUIRE_MESSAGE(adapter.ok(), adapter.error().message);
  CHECK(adapter.value()->capabilities().max_window_seconds == 1800);
  auto order = adapter.value()->get_order("T100");
  REQUIRE(order.ok());
  CHECK(order->order_id == "T100");
  CHECK(order->shop == "shop-1");
  CHECK(order->extras.at("base_url") == "http://127.0.0.1:1/router/rest");
  CHECK(order->extras.at("has_app_secret") == "yes");
  auto missing = adapter.value()->get_order("");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == sdk::ErrorCode::not_found);
  CHECK(adapter.value()->ship(sdk::Shipment{}).error().code == sdk::ErrorCode::unsupported);

  SUBCASE("a reload makes a new instance from the same library") {
    auto second = plugin->create_platform_adapter(shop_context());
    REQUIRE(second.ok());
    CHECK(second.value() != adapter.value());
    CHECK(host.load("test_good").value() == plugin);
  }
}

TEST_CASE("objects keep their library and context alive, and release them in order") {
  TempDir dir;
  install_module("good", dir.path(), "erp-test_good.so");
  auto events = std::make_shared<std::vector<std::string>>();
  std::shared_ptr<sdk::PlatformAdapter> adapter;
  std::weak_ptr<LoadedPlugin> library;
  {
    PluginHost host(dir.path());
    auto plugin = host.load("test_good");
    REQUIRE(plugin.ok());
    library = plugin.value();
    auto made = plugin.value()->create_platform_adapter(std::make_shared<RecordingContext>(events));
    REQUIRE(made.ok());
    adapter = made.value();
  }
  // The host and every other reference are gone: the adapter alone keeps the plugin loaded.
  CHECK_FALSE(library.expired());
  auto order = adapter->get_order("T200");
  REQUIRE(order.ok());
  CHECK(order->order_id == "T200");
  CHECK(order->modified_at.time_since_epoch().count() == 1700000000000);

  adapter.reset();
  CHECK(library.expired());
  REQUIRE(events->size() == 4);
  CHECK((*events)[0] == "adapter created");
  CHECK((*events)[1] == "get_order T200");
  CHECK((*events)[2] == "adapter destroyed");  // while its context still existed
  CHECK((*events)[3] == "context destroyed");
}

TEST_CASE("a missing file is refused") {
  TempDir dir;
  CHECK(refusal(dir.path(), "absent") == refused(dir.path() / "erp-absent.so", "file not found"));
}

TEST_CASE("an invalid plugin name never becomes a path") {
  TempDir dir;
  CHECK(
      refusal(dir.path(), "../evil") ==
      refused(dir.path() / "erp-../evil.so", "invalid plugin name \"../evil\" (1 to 31 letters, digits, '_' or '-')"));
}

TEST_CASE("files that are not shared libraries are refused without being loaded") {
  TempDir dir;
  const auto good = erp::test::read_bytes(erp::test::module_file("good"));

  SUBCASE("a text file") {
    const auto file = erp::test::write_file(dir.path() / "erp-x.so", "#!/bin/sh\necho I am not a library\n");
    CHECK(refusal(dir.path(), "x") == refused(file, "not a shared library (not an ELF file)"));
  }
  SUBCASE("an empty file") {
    const auto file = erp::test::write_file(dir.path() / "erp-x.so", "");
    CHECK(refusal(dir.path(), "x") == refused(file, "not a shared library (not an ELF file)"));
  }
  SUBCASE("an ELF header cut short") {
    const auto file = erp::test::write_file(dir.path() / "erp-x.so", good.substr(0, 40));
    CHECK(refusal(dir.path(), "x") == refused(file, "not a shared library (truncated ELF header)"));
  }
  SUBCASE("an ELF file cut before its section headers") {
    const auto file = erp::test::write_file(dir.path() / "erp-x.so", good.substr(0, 4096));
    CHECK(refusal(dir.path(), "x") ==
          refused(file, "not a shared library (truncated ELF: section headers past the end of the file)"));
  }
  SUBCASE("an executable (ET_EXEC)") {
    std::string bytes = good;
    const std::uint16_t exec_type = 2;  // ET_EXEC, at offset 16 (e_type)
    std::memcpy(bytes.data() + 16, &exec_type, sizeof exec_type);
    const auto file = erp::test::write_file(dir.path() / "erp-x.so", bytes);
    CHECK(refusal(dir.path(), "x") == refused(file, "not a shared library (the file is an executable (ET_EXEC))"));
  }
  SUBCASE("a 32-bit ELF file") {
    std::string bytes = good;
    bytes[4] = 1;  // EI_CLASS = ELFCLASS32
    const auto file = erp::test::write_file(dir.path() / "erp-x.so", bytes);
    CHECK(refusal(dir.path(), "x") == refused(file, "not a shared library for this machine (not a 64-bit ELF file)"));
  }
  SUBCASE("a folder") {
    std::filesystem::create_directory(dir.path() / "erp-x.so");
    CHECK(refusal(dir.path(), "x") == refused(dir.path() / "erp-x.so", "not a regular file"));
  }
}

TEST_CASE("a shared library without a manifest is refused") {
  TempDir dir;
  const auto file = install_module("nomanifest", dir.path(), "erp-test_nomanifest.so");
  CHECK(refusal(dir.path(), "test_nomanifest") ==
        refused(file, "no erp_plugin_manifest symbol (not an erpd plugin, or built without ERP_PLUGIN)"));
}

TEST_CASE("a manifest symbol too small to be a manifest is refused") {
  TempDir dir;
  const auto file = install_module("smallmanifest", dir.path(), "erp-test_smallmanifest.so");
  CHECK(refusal(dir.path(), "test_smallmanifest") ==
        refused(file, "manifest too small: 8 bytes, expected " + std::to_string(sizeof(sdk::PluginManifest))));
}

TEST_CASE("an ABI mismatch is refused from the file alone, naming both versions") {
  // The module aborts in its constructor: this test would die if the host loaded it.
  TempDir dir;
  const auto file = install_module("abi", dir.path(), "erp-test_abi.so");
  CHECK(refusal(dir.path(), "test_abi") ==
        refused(file, "ABI version mismatch: expected " + std::to_string(erp::sdk::kAbiVersion) + ", found 999"));

  auto manifest = erp::daemon::plugin_host::read_manifest(file);
  REQUIRE(manifest.ok());
  CHECK(manifest->abi_version == 999);
  CHECK(manifest_text(manifest->name) == "test_abi");
}

TEST_CASE("a plugin built against the previous ABI (kAbiVersion - 1) is refused from the file alone") {
  // Since ABI 6 WarehouseConnector has the inbound calls in its vtable: an ABI 5 plugin must not load.
  TempDir dir;
  const auto file = install_module("abiprev", dir.path(), "erp-test_abiprev.so");
  CHECK(refusal(dir.path(), "test_abiprev") ==
        refused(file, "ABI version mismatch: expected " + std::to_string(erp::sdk::kAbiVersion) + ", found " +
                          std::to_string(erp::sdk::kAbiVersion - 1)));
}

TEST_CASE("a toolchain mismatch is refused, naming expected and found for each difference") {
  TempDir dir;
  const auto file = install_module("toolchain", dir.path(), "erp-test_toolchain.so");
  const auto host = erp::daemon::plugin_host::host_manifest();
  CHECK(refusal(dir.path(), "test_toolchain") ==
        refused(file, "compiler mismatch: expected " + manifest_text(host.compiler) + ", found gcc 99; " +
                          "standard library mismatch: expected " + manifest_text(host.stdlib) + ", found libc++ 99"));
}

TEST_CASE("check_compatible reports a Boost mismatch with both versions") {
  auto found = erp::daemon::plugin_host::host_manifest();
  found.boost_version = 108100;
  auto checked = erp::daemon::plugin_host::check_compatible("/plugins/erp-b.so", found);
  REQUIRE_FALSE(checked.ok());
  const auto expected = erp::daemon::plugin_host::host_manifest().boost_version;
  const std::string expected_text = std::to_string(expected / 100000) + "." + std::to_string(expected / 100 % 1000) +
                                    "." + std::to_string(expected % 100);
  CHECK(checked.error().message ==
        "plugin /plugins/erp-b.so: refused: Boost version mismatch: expected " + expected_text + ", found 1.81.0");
}

TEST_CASE("a plugin without a factory is refused") {
  TempDir dir;
  const auto file = install_module("nofactory", dir.path(), "erp-test_nofactory.so");
  CHECK(refusal(dir.path(), "test_nofactory") ==
        refused(file, "no erp_plugin_factory export (a plugin declares it with ERP_PLUGIN)"));
}

TEST_CASE("a throwing factory is a refusal, not a crash") {
  TempDir dir;
  const auto file = install_module("factorythrows", dir.path(), "erp-test_factorythrows.so");
  CHECK(refusal(dir.path(), "test_factorythrows") == refused(file, "factory threw: factory exploded"));
}

TEST_CASE("a throwing config_keys() is a refusal") {
  TempDir dir;
  const auto file = install_module("keysthrow", dir.path(), "erp-test_keysthrow.so");
  CHECK(refusal(dir.path(), "test_keysthrow") == refused(file, "config_keys() threw: no keys today"));
}

TEST_CASE("the manifest name must match the file name") {
  TempDir dir;
  const auto file = install_module("good", dir.path(), "erp-other.so");
  CHECK(refusal(dir.path(), "other") ==
        refused(file,
                "plugin name mismatch: expected \"other\" (from the file name), found \"test_good\" in the manifest"));

  PluginHost host(dir.path());
  const auto odd = install_module("good", dir.path(), "good.so");
  auto loaded = host.load_file(odd);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().message == refused(odd, "file name must be erp-NAME.so (the manifest names \"test_good\")"));
}

TEST_CASE("a plugin file or folder that others can write is refused") {
  TempDir dir;
  const auto file = install_module("good", dir.path(), "erp-test_good.so");

  SUBCASE("world-writable file") {
    std::filesystem::permissions(file, std::filesystem::perms(0666));
    CHECK(refusal(dir.path(), "test_good") == refused(file, "file is writable by group and others (mode 0666)"));
  }
  SUBCASE("group-writable file") {
    std::filesystem::permissions(file, std::filesystem::perms(0664));
    CHECK(refusal(dir.path(), "test_good") == refused(file, "file is writable by group (mode 0664)"));
  }
  SUBCASE("group-writable folder") {
    std::filesystem::permissions(dir.path(), std::filesystem::perms(0775));
    CHECK(refusal(dir.path(), "test_good") ==
          refused(file, "folder " + dir.path().string() + " is writable by group (mode 0775)"));
  }
  SUBCASE("world-writable folder") {
    std::filesystem::permissions(dir.path(), std::filesystem::perms(0757));
    CHECK(refusal(dir.path(), "test_good") ==
          refused(file, "folder " + dir.path().string() + " is writable by others (mode 0757)"));
  }
  SUBCASE("a symlink into a world-writable folder") {
    TempDir elsewhere;
    const auto real = install_module("good", elsewhere.path(), "erp-test_good.so");
    std::filesystem::permissions(elsewhere.path(), std::filesystem::perms(0777));
    std::filesystem::remove(file);
    std::filesystem::create_symlink(real, file);
    CHECK(refusal(dir.path(), "test_good") ==
          refused(file, "folder " + elsewhere.path().string() + " is writable by group and others (mode 0777)"));
  }
  SUBCASE("a file owned by another user") {
    if (geteuid() != 0) {
      MESSAGE("skipped: only root can give a file away");
      return;
    }
    REQUIRE(chown(file.c_str(), 65534, 65534) == 0);
    CHECK(refusal(dir.path(), "test_good") ==
          refused(file, "file is owned by uid 65534, not by root or the daemon's user (uid 0)"));
  }
  SUBCASE("a refusal is not remembered: once fixed, the plugin loads") {
    std::filesystem::permissions(file, std::filesystem::perms(0666));
    PluginHost host(dir.path());
    CHECK_FALSE(host.load("test_good").ok());
    std::filesystem::permissions(file, std::filesystem::perms(0644));
    CHECK(host.load("test_good").ok());
  }
}

TEST_CASE("a plugin that throws while creating an adapter is marked failed, and the host goes on") {
  TempDir dir;
  install_module("throwing", dir.path(), "erp-test_throwing.so");
  PluginHost host(dir.path());
  auto plugin = host.load("test_throwing");
  REQUIRE_MESSAGE(plugin.ok(), plugin.error().message);

  auto events = std::make_shared<std::vector<std::string>>();
  auto made = plugin.value()->create_platform_adapter(
      std::make_shared<RecordingContext>(events, std::map<std::string, std::string>{{"throw_on_create", "yes"}}));
  REQUIRE_FALSE(made.ok());
  CHECK(made.error().code == sdk::ErrorCode::internal);
  CHECK(made.error().message == "plugin test_throwing threw: create blew up");
  CHECK(plugin.value()->failed());
  CHECK(plugin.value()->failure() == "create_platform_adapter threw: create blew up");

  // The library is still usable: a shop configured differently gets an adapter.
  auto fine = plugin.value()->create_platform_adapter(std::make_shared<RecordingContext>(events));
  REQUIRE(fine.ok());
  CHECK(fine.value()->list_modified({}, "").ok());
}

TEST_CASE("an adapter method that throws becomes an internal error and marks the plugin failed") {
  constexpr bool kNoexcept =
      noexcept(std::declval<sdk::PlatformAdapter&>().get_order(std::declval<const std::string&>()));
  TempDir dir;
  install_module("throwing", dir.path(), "erp-test_throwing.so");
  PluginHost host(dir.path());
  auto plugin = host.load("test_throwing");
  REQUIRE(plugin.ok());
  auto adapter = plugin.value()->create_platform_adapter(
      std::make_shared<RecordingContext>(std::make_shared<std::vector<std::string>>()));
  REQUIRE(adapter.ok());
  auto order = adapter.value()->get_order("T1");
  REQUIRE_FALSE(order.ok());
  CHECK(order.error().code == sdk::ErrorCode::internal);
  if constexpr (kNoexcept) {
    // PlatformAdapter's methods are declared noexcept in the SDK, so a plugin cannot throw out of
    // them without std::terminate; the test module returns an error instead. Once the SDK drops
    // noexcept from the interface, the branch below runs.
    MESSAGE("PlatformAdapter::get_order is noexcept: a throwing plugin would terminate; guard not reachable");
    CHECK_FALSE(plugin.value()->failed());
  } else {
    CHECK(order.error().message == "plugin test_throwing threw: get_order blew up on T1");
    CHECK(plugin.value()->failed());
    CHECK(plugin.value()->failure() == "get_order threw: get_order blew up on T1");
  }
}

TEST_CASE("plugin kinds are kept apart and warehouse connectors are guarded too") {
  TempDir dir;
  install_module("warehouse", dir.path(), "erp-test_warehouse.so");
  install_module("good", dir.path(), "erp-test_good.so");
  PluginHost host(dir.path());
  auto warehouse = host.load("test_warehouse");
  auto platform = host.load("test_good");
  REQUIRE(warehouse.ok());
  REQUIRE(platform.ok());
  CHECK(warehouse.value()->kind() == sdk::PluginKind::warehouse);
  CHECK(host.loaded().size() == 2);

  auto wrong = platform.value()->create_warehouse_connector(shop_context());
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message == "plugin test_good is a platform plugin, not a warehouse plugin");
  auto wrong_too = warehouse.value()->create_platform_adapter(shop_context());
  REQUIRE_FALSE(wrong_too.ok());
  CHECK(wrong_too.error().message == "plugin test_warehouse is a warehouse plugin, not a platform plugin");

  auto connector = warehouse.value()->create_warehouse_connector(shop_context());
  REQUIRE(connector.ok());
  sdk::DeliveryOrder delivery;
  delivery.idempotency_key = "k1";
  CHECK(connector.value()->deliver(delivery).ok());
  // The ABI 4 shapes cross the boundary intact: shipped lines and an added gift line.
  sdk::OrderLine shipped;
  shipped.line_id = "L1";
  shipped.shipped_at = sdk::Instant{std::chrono::milliseconds{1709604000000}};
  shipped.waybill = "SF1001";
  shipped.carrier = "SF";
  delivery.order.lines.push_back(shipped);
  sdk::AddedLine gift;
  gift.line.line_id = "gift:R1:R1-1";
  gift.rule_id = "G4";
  gift.fulfils = {"R1"};
  delivery.added_lines.push_back(gift);
  CHECK(connector.value()->deliver(delivery).ok());
  delivery.added_lines[0].fulfils.clear();
  CHECK(connector.value()->deliver(delivery).error().message == "added line gift:R1:R1-1 has no rule or fulfils nothing");
  delivery.added_lines.clear();
  delivery.order.lines[0].waybill.clear();
  CHECK(connector.value()->deliver(delivery).error().message == "shipped without a waybill");
  CHECK(connector.value()->lock({}).value() == sdk::LockOutcome::locked);
  sdk::LockRequest unlock;
  unlock.idempotency_key = "warehouse.unlock:7";
  CHECK(connector.value()->unlock(unlock).ok());
  CHECK(connector.value()->unlock({}).error().code == sdk::ErrorCode::invalid_input);
}

TEST_CASE("a plugin's own creation error is passed on with its name") {
  TempDir dir;
  install_module("good", dir.path(), "erp-test_good.so");
  PluginHost host(dir.path());
  auto plugin = host.load("test_good");
  REQUIRE(plugin.ok());
  auto made = plugin.value()->create_platform_adapter(shop_context({{"refuse", "1"}}));
  REQUIRE_FALSE(made.ok());
  CHECK(made.error().code == sdk::ErrorCode::config_error);
  CHECK(made.error().message == "plugin test_good: refused by request");
  CHECK_FALSE(plugin.value()->failed());
  CHECK_FALSE(plugin.value()->create_platform_adapter(nullptr).ok());
}
