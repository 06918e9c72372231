#pragma once
// Loads plugin libraries with Boost.DLL. The manifest is read from the file and checked before
// any plugin code runs; a refused plugin gets one line naming the file and the reason. Libraries
// are loaded once and never unloaded while the daemon runs: every object a plugin creates holds
// a reference to its library (CONVENTIONS 2, 3, 8).

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "erp/plugin.hpp"
#include "erp/result.hpp"

namespace erp::daemon::plugin_host {

// Every error these functions return is one line, "plugin FILE: refused: REASON", ready to print.

/// Reads `erp_plugin_manifest` straight from the ELF file (.dynsym + section data), without
/// dlopen, so no constructor of a foreign or broken library ever runs.
sdk::Result<sdk::PluginManifest> read_manifest(const std::filesystem::path& file);

/// The manifest this host expects (its own toolchain fingerprint; name/version/kind ignored).
sdk::PluginManifest host_manifest();

/// Compares a found manifest with the host's: ABI version, compiler, standard library, Boost.
/// The error says "expected X, found Y".
sdk::Result<void> check_compatible(const std::filesystem::path& file, const sdk::PluginManifest& found);

/// Refuses a file, or the folder holding it, writable by anyone but its owner, or owned by
/// someone other than root or the daemon's user.
sdk::Result<void> check_permissions(const std::filesystem::path& file);

/// The conventional file of a plugin: DIR/erp-NAME.so
std::filesystem::path plugin_file(const std::filesystem::path& dir, const std::string& name);

class LoadedPlugin;

/// A plugin library, loaded once. Objects it creates keep it (and their host context) alive.
class LoadedPlugin : public std::enable_shared_from_this<LoadedPlugin> {
 public:
  struct Impl;
  explicit LoadedPlugin(std::unique_ptr<Impl> impl);
  ~LoadedPlugin();

  const std::string& name() const noexcept;
  const std::filesystem::path& file() const noexcept;
  const sdk::PluginManifest& manifest() const noexcept;
  sdk::PluginKind kind() const noexcept;
  /// The keys the plugin declared, read once at load (a throwing config_keys() refuses the plugin).
  std::vector<sdk::ConfigKeySpec> config_keys() const;

  /// Makes a new adapter for one shop. Every call of the returned adapter is guarded: an
  /// exception becomes ErrorCode::internal "plugin NAME threw: what()" and marks this plugin
  /// failed, instead of crashing. The adapter holds, and releases in this order: the plugin's own
  /// object, then `host`, then this LoadedPlugin (and so the library).
  sdk::Result<std::shared_ptr<sdk::PlatformAdapter>> create_platform_adapter(std::shared_ptr<sdk::HostContext> host);
  sdk::Result<std::shared_ptr<sdk::WarehouseConnector>> create_warehouse_connector(
      std::shared_ptr<sdk::HostContext> host);

  /// True once any call into the plugin threw; shown in status. Calls still go through: the
  /// daemon decides what a failed plugin means for its shops.
  bool failed() const noexcept;
  /// The last throw, "get_order threw: what()", or "" when none.
  std::string failure() const;

  /// Records that a call into the plugin threw (used by the guards around its objects).
  void mark_failed(std::string_view call, std::string_view what) noexcept;

 private:
  std::unique_ptr<Impl> impl_;
};

class PluginHost {
 public:
  explicit PluginHost(std::filesystem::path dir);

  /// Loads DIR/erp-NAME.so once; later calls return the same library. The name in the manifest
  /// must match NAME. Checks, in order: the file exists, its and its folder's permissions, the
  /// manifest (read from the file), the toolchain, the name; then dlopen, the factory alias, the
  /// factory call and its config_keys(). A refusal is not remembered: a fixed file loads next time.
  sdk::Result<std::shared_ptr<LoadedPlugin>> load(const std::string& name);

  /// Loads a specific file named erp-NAME.so (erp-plugin-check and tests).
  sdk::Result<std::shared_ptr<LoadedPlugin>> load_file(const std::filesystem::path& file);

  std::vector<std::shared_ptr<LoadedPlugin>> loaded() const;
  const std::filesystem::path& dir() const noexcept { return dir_; }

 private:
  std::filesystem::path dir_;
  mutable std::mutex mutex_;
  std::map<std::filesystem::path, std::shared_ptr<LoadedPlugin>> by_file_;
};

}  // namespace erp::daemon::plugin_host
