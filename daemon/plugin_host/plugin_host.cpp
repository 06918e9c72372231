// PluginHost and LoadedPlugin: every check that can be made on the file is made before dlopen, and
// the first plugin code that runs (the factory) is called inside try/catch.

#include "plugin_host/plugin_host.hpp"

#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/dll/shared_library.hpp>
#include <cstring>
#include <exception>
#include <utility>

#include "plugin_host/guarded_objects.hpp"
#include "plugin_host/refusal.hpp"

namespace erp::daemon::plugin_host {

// Members are declared in reverse order of release: the factory (plugin code) goes before the
// library that holds its code. The library is also opened with RTLD_NODELETE, so even the last
// reference going away never unmaps code that a stray pointer might still reach.
struct LoadedPlugin::Impl {
  std::filesystem::path file;
  sdk::PluginManifest manifest{};
  std::string name;
  std::shared_ptr<boost::dll::shared_library> library;
  std::unique_ptr<sdk::PluginFactory> factory;
  std::vector<sdk::ConfigKeySpec> keys;

  std::mutex create_mutex;  // a factory need not be thread-safe; reloads are rare
  std::atomic<bool> failed{false};
  mutable std::mutex failure_mutex;
  std::string failure;
};

namespace {

using detail::refuse;

constexpr const char* kFactoryAlias = "erp_plugin_factory";
constexpr const char* kNotStdException = "an exception that is not a std::exception";

bool valid_plugin_name(const std::string& name) {
  if (name.empty() || name.size() >= sizeof(sdk::PluginManifest{}.name)) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

/// NAME from ".../erp-NAME.so", or "" when the file is not named that way.
std::string name_from_file(const std::filesystem::path& file) {
  const std::string base = file.filename().string();
  const std::string prefix = "erp-";
  const std::string suffix = ".so";
  if (base.size() <= prefix.size() + suffix.size() || base.compare(0, prefix.size(), prefix) != 0 ||
      base.compare(base.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return {};
  }
  return base.substr(prefix.size(), base.size() - prefix.size() - suffix.size());
}

/// boost::dll puts dlerror()'s text inside a longer message; the operator needs only that text.
std::string dlopen_reason(const std::string& what) {
  const std::string marker = "(dlerror system message: ";
  const auto start = what.find(marker);
  if (start == std::string::npos) return what;
  const auto end = what.find(')', start + marker.size());
  return what.substr(start + marker.size(), end == std::string::npos ? std::string::npos : end - start - marker.size());
}

const char* kind_name(sdk::PluginKind kind) { return kind == sdk::PluginKind::platform ? "platform" : "warehouse"; }

/// Calls a factory's create_* and guards what it makes. `make` returns the plugin's Result.
template <class Interface, class Make, class Guard>
sdk::Result<std::shared_ptr<Interface>> create_guarded(LoadedPlugin& plugin, std::mutex& mutex,
                                                       std::shared_ptr<sdk::HostContext> host, const char* call,
                                                       const char* noun, Make&& make, Guard&& guard) {
  if (!host) return sdk::fail(sdk::ErrorCode::internal, "plugin " + plugin.name() + ": no host context given");
  std::lock_guard lock(mutex);
  try {
    auto made = make(*host);
    if (!made.ok()) {
      sdk::Error error = std::move(made).error();
      error.message = "plugin " + plugin.name() + ": " + error.message;
      return error;
    }
    if (!made.value()) {
      return sdk::fail(sdk::ErrorCode::internal, "plugin " + plugin.name() + " returned no " + noun);
    }
    return guard(std::move(host), std::move(made).value());
  } catch (const std::exception& e) {
    return detail::thrown(plugin, call, e.what());
  } catch (...) {
    return detail::thrown(plugin, call, kNotStdException);
  }
}

}  // namespace

LoadedPlugin::LoadedPlugin(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LoadedPlugin::~LoadedPlugin() = default;

const std::string& LoadedPlugin::name() const noexcept { return impl_->name; }
const std::filesystem::path& LoadedPlugin::file() const noexcept { return impl_->file; }
const sdk::PluginManifest& LoadedPlugin::manifest() const noexcept { return impl_->manifest; }
sdk::PluginKind LoadedPlugin::kind() const noexcept { return static_cast<sdk::PluginKind>(impl_->manifest.kind); }
std::vector<sdk::ConfigKeySpec> LoadedPlugin::config_keys() const { return impl_->keys; }

sdk::Result<std::shared_ptr<sdk::PlatformAdapter>> LoadedPlugin::create_platform_adapter(
    std::shared_ptr<sdk::HostContext> host) {
  if (kind() != sdk::PluginKind::platform) {
    return sdk::fail(sdk::ErrorCode::config_error,
                     "plugin " + name() + " is a warehouse plugin, not a platform plugin");
  }
  return create_guarded<sdk::PlatformAdapter>(
      *this, impl_->create_mutex, std::move(host), "create_platform_adapter", "adapter",
      [this](sdk::HostContext& context) { return impl_->factory->create_platform_adapter(context); },
      [this](std::shared_ptr<sdk::HostContext> context, std::unique_ptr<sdk::PlatformAdapter> adapter) {
        return detail::guard_adapter(shared_from_this(), std::move(context), std::move(adapter));
      });
}

sdk::Result<std::shared_ptr<sdk::WarehouseConnector>> LoadedPlugin::create_warehouse_connector(
    std::shared_ptr<sdk::HostContext> host) {
  if (kind() != sdk::PluginKind::warehouse) {
    return sdk::fail(sdk::ErrorCode::config_error,
                     "plugin " + name() + " is a platform plugin, not a warehouse plugin");
  }
  return create_guarded<sdk::WarehouseConnector>(
      *this, impl_->create_mutex, std::move(host), "create_warehouse_connector", "connector",
      [this](sdk::HostContext& context) { return impl_->factory->create_warehouse_connector(context); },
      [this](std::shared_ptr<sdk::HostContext> context, std::unique_ptr<sdk::WarehouseConnector> connector) {
        return detail::guard_connector(shared_from_this(), std::move(context), std::move(connector));
      });
}

bool LoadedPlugin::failed() const noexcept { return impl_->failed.load(); }

std::string LoadedPlugin::failure() const {
  std::lock_guard lock(impl_->failure_mutex);
  return impl_->failure;
}

void LoadedPlugin::mark_failed(std::string_view call, std::string_view what) noexcept {
  impl_->failed.store(true);
  try {
    std::string text = std::string(call) + " threw: " + std::string(what);
    spdlog::error("plugin {}: {}", impl_->name, text);
    std::lock_guard lock(impl_->failure_mutex);
    impl_->failure = std::move(text);
  } catch (...) {
    // Out of memory while reporting: the flag is set, which is what status needs.
  }
}

PluginHost::PluginHost(std::filesystem::path dir) : dir_(std::move(dir)) {}

sdk::Result<std::shared_ptr<LoadedPlugin>> PluginHost::load(const std::string& name) {
  if (!valid_plugin_name(name)) {
    return refuse(dir_ / ("erp-" + detail::printable(name) + ".so"),
                  "invalid plugin name \"" + detail::printable(name) + "\" (1 to 31 letters, digits, '_' or '-')");
  }
  return load_file(plugin_file(dir_, name));
}

sdk::Result<std::shared_ptr<LoadedPlugin>> PluginHost::load_file(const std::filesystem::path& file) {
  std::lock_guard lock(mutex_);
  std::error_code ec;
  std::filesystem::path key = std::filesystem::weakly_canonical(file, ec);
  if (ec) key = file.lexically_normal();
  if (auto it = by_file_.find(key); it != by_file_.end()) return it->second;

  // 1. exists, 2. permissions
  if (!std::filesystem::exists(file, ec)) return refuse(file, "file not found", sdk::ErrorCode::not_found);
  if (auto safe = check_permissions(file); !safe.ok()) return std::move(safe).error();

  // 3. manifest, read from the file, 4. toolchain, 5. name
  auto manifest = read_manifest(file);
  if (!manifest.ok()) return std::move(manifest).error();
  if (auto compatible = check_compatible(file, manifest.value()); !compatible.ok()) {
    return std::move(compatible).error();
  }
  const std::string found_name = detail::printable(manifest->name);
  const std::string wanted_name = name_from_file(file);
  if (wanted_name.empty()) {
    return refuse(file, "file name must be erp-NAME.so (the manifest names \"" + found_name + "\")");
  }
  if (wanted_name != found_name) {
    return refuse(file, "plugin name mismatch: expected \"" + wanted_name + "\" (from the file name), found \"" +
                            found_name + "\" in the manifest");
  }
  const auto kind = static_cast<sdk::PluginKind>(manifest->kind);
  if (kind != sdk::PluginKind::platform && kind != sdk::PluginKind::warehouse) {
    return refuse(file, "unknown plugin kind " + std::to_string(manifest->kind) + " in the manifest");
  }

  // 6. dlopen: from here on the plugin's code runs. RTLD_NOW: an unresolved symbol is a refusal
  // now, not a crash on first call; RTLD_LOCAL: plugins cannot interpose on each other.
  auto impl = std::make_unique<LoadedPlugin::Impl>();
  impl->file = file;
  impl->manifest = manifest.value();
  impl->name = found_name;
  impl->library = std::make_shared<boost::dll::shared_library>();
  try {
    const auto mode = static_cast<boost::dll::load_mode::type>(RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    impl->library->load(boost::dll::fs::path(file.string()), mode);
  } catch (const std::exception& e) {
    return refuse(file, "cannot load: " + dlopen_reason(e.what()));
  }

  // 7. the factory alias, 8. the factory itself and the keys it declares.
  if (!impl->library->has(kFactoryAlias)) {
    return refuse(file, "no erp_plugin_factory export (a plugin declares it with ERP_PLUGIN)");
  }
  try {
    auto& factory_fn = impl->library->get_alias<sdk::PluginFactoryFn>(kFactoryAlias);
    impl->factory = factory_fn();
  } catch (const std::exception& e) {
    return refuse(file, std::string("factory threw: ") + e.what());
  } catch (...) {
    return refuse(file, std::string("factory threw: ") + kNotStdException);
  }
  if (!impl->factory) return refuse(file, "factory returned no object");
  try {
    impl->keys = impl->factory->config_keys();
  } catch (const std::exception& e) {
    return refuse(file, std::string("config_keys() threw: ") + e.what());
  } catch (...) {
    return refuse(file, std::string("config_keys() threw: ") + kNotStdException);
  }

  auto plugin = std::make_shared<LoadedPlugin>(std::move(impl));
  spdlog::info("plugin {}: loaded {} {} ({} plugin)", file.string(), plugin->name(),
               detail::printable(plugin->manifest().version), kind_name(kind));
  by_file_.emplace(key, plugin);
  return plugin;
}

std::vector<std::shared_ptr<LoadedPlugin>> PluginHost::loaded() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<LoadedPlugin>> plugins;
  plugins.reserve(by_file_.size());
  for (const auto& [file, plugin] : by_file_) plugins.push_back(plugin);
  return plugins;
}

}  // namespace erp::daemon::plugin_host
