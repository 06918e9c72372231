#pragma once
// The plugin ABI: a plain data manifest the host reads from the file before any plugin code runs,
// and one factory exported with BOOST_DLL_ALIAS. Use ERP_PLUGIN(...) once per plugin, in one file.

#include <boost/config.hpp>
#include <boost/dll/alias.hpp>
#include <boost/version.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "erp/adapter.hpp"
#include "erp/host.hpp"
#include "erp/result.hpp"
#include "erp/version.hpp"
#include "erp/warehouse.hpp"

namespace erp::sdk {

/// What a plugin provides.
enum class PluginKind : std::uint32_t { platform = 1, warehouse = 2 };

/// Value types a plugin config key may take; the host validates YAML against them.
enum class ConfigType { string, integer, boolean, duration, secret };

/// One config key a plugin accepts in its shop (or warehouse) entry, beyond the common ones.
struct ConfigKeySpec {
  std::string name;
  ConfigType type = ConfigType::string;
  bool required = false;
  std::string default_value;
  std::string doc;
};

/// The toolchain fingerprint block. No pointers: it must be readable straight from the ELF file.
struct PluginManifest {
  char magic[8];                ///< "ERPPLUG"
  std::uint32_t manifest_size;  ///< sizeof(PluginManifest) as the plugin saw it.
  std::uint32_t abi_version;    ///< kAbiVersion of the SDK the plugin was built with.
  std::uint32_t kind;           ///< PluginKind
  std::uint32_t boost_version;  ///< BOOST_VERSION
  std::uint32_t cxx_standard;   ///< __cplusplus (recorded, not enforced: the library ABI is what matters)
  char name[32];                ///< Plugin name, e.g. "taobao"; must match the file name erp-<name>.so
  char version[32];             ///< Plugin's own version
  char compiler[32];            ///< e.g. "gcc 12"
  char stdlib[32];              ///< e.g. "libstdc++ 12"
};

namespace detail {
template <std::size_t N>
constexpr void copy_text(char (&out)[N], const char* text) {
  std::size_t i = 0;
  for (; text[i] != '\0' && i + 1 < N; ++i) out[i] = text[i];
  for (; i < N; ++i) out[i] = '\0';
}
}  // namespace detail

#define ERP_DETAIL_STR2(x) #x
#define ERP_DETAIL_STR(x) ERP_DETAIL_STR2(x)
#if defined(__clang__)
#define ERP_COMPILER_ID "clang " ERP_DETAIL_STR(__clang_major__)
#elif defined(__GNUC__)
#define ERP_COMPILER_ID "gcc " ERP_DETAIL_STR(__GNUC__)
#else
#define ERP_COMPILER_ID "unknown"
#endif
#if defined(_LIBCPP_VERSION)
#define ERP_STDLIB_ID "libc++ " ERP_DETAIL_STR(_LIBCPP_VERSION)
#elif defined(_GLIBCXX_RELEASE)
#define ERP_STDLIB_ID "libstdc++ " ERP_DETAIL_STR(_GLIBCXX_RELEASE)
#else
#define ERP_STDLIB_ID "unknown"
#endif

/// The manifest of this translation unit's toolchain. The host builds its own expectation with the
/// same function, so "expected" and "found" are computed the same way.
constexpr PluginManifest make_manifest(PluginKind kind, const char* name, const char* version) {
  PluginManifest m{};
  detail::copy_text(m.magic, "ERPPLUG");
  m.manifest_size = sizeof(PluginManifest);
  m.abi_version = kAbiVersion;
  m.kind = static_cast<std::uint32_t>(kind);
  m.boost_version = BOOST_VERSION;
  m.cxx_standard = static_cast<std::uint32_t>(__cplusplus);
  detail::copy_text(m.name, name);
  detail::copy_text(m.version, version);
  detail::copy_text(m.compiler, ERP_COMPILER_ID);
  detail::copy_text(m.stdlib, ERP_STDLIB_ID);
  return m;
}

/// What the exported factory returns. The host calls it once per library; it then makes one
/// adapter (or connector) per configured shop, and again on every SIGHUP reload.
class PluginFactory {
 public:
  virtual ~PluginFactory() = default;

  /// Keys this plugin accepts in its shop or warehouse entry besides the common ones.
  virtual std::vector<ConfigKeySpec> config_keys() const { return {}; }

  // The create_* functions are deliberately not noexcept: the host calls them inside try/catch and
  // refuses a plugin that throws. Behind a noexcept declaration a throw would std::terminate the
  // daemon before the host's handler could run. Report failures as Result values all the same.

  /// For platform plugins. `host` outlives the adapter.
  virtual Result<std::unique_ptr<PlatformAdapter>> create_platform_adapter(HostContext& host) {
    (void)host;
    return fail(ErrorCode::unsupported, "not a platform plugin");
  }

  /// For warehouse plugins. `host` outlives the connector.
  virtual Result<std::unique_ptr<WarehouseConnector>> create_warehouse_connector(HostContext& host) {
    (void)host;
    return fail(ErrorCode::unsupported, "not a warehouse plugin");
  }
};

/// Signature of the exported factory (alias `erp_plugin_factory`).
using PluginFactoryFn = std::unique_ptr<PluginFactory>();

}  // namespace erp::sdk

#define ERP_PLUGIN_EXPORT __attribute__((visibility("default"), used))

/// Declares a plugin: its manifest block and its factory. Use once, in the plugin's export file.
///   ERP_PLUGIN(platform, "taobao", "1.0.0", &make_taobao_factory)
/// where `std::unique_ptr<erp::sdk::PluginFactory> make_taobao_factory()` is a free function.
/// The manifest is constexpr so that it is always constant-initialized into .rodata, where the host
/// reads it from the file; NAME and VERSION must therefore be string literals (checked here).
#define ERP_PLUGIN(KIND, NAME, VERSION, FACTORY)                                                      \
  static_assert(sizeof(NAME) <= sizeof(::erp::sdk::PluginManifest{}.name), "plugin name too long");   \
  static_assert(sizeof(VERSION) <= sizeof(::erp::sdk::PluginManifest{}.version), "version too long"); \
  extern "C" ERP_PLUGIN_EXPORT constexpr ::erp::sdk::PluginManifest erp_plugin_manifest =             \
      ::erp::sdk::make_manifest(::erp::sdk::PluginKind::KIND, NAME, VERSION);                         \
  namespace erp_plugin_export_detail {                                                                \
  inline std::unique_ptr<::erp::sdk::PluginFactory> erp_plugin_factory_impl() { return (FACTORY)(); } \
  }                                                                                                   \
  BOOST_DLL_ALIAS(erp_plugin_export_detail::erp_plugin_factory_impl, erp_plugin_factory)
