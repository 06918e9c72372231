// A manifest from a future SDK (ABI 999). Its constructor aborts: the host must refuse it from the
// file alone, without ever loading it.

#include <cstdlib>
#include <memory>

#include "erp/plugin.hpp"

namespace {

constexpr erp::sdk::PluginManifest future_manifest() {
  auto m = erp::sdk::make_manifest(erp::sdk::PluginKind::platform, "test_abi", "9.9.9");
  m.abi_version = 999;
  return m;
}

__attribute__((constructor)) void refuse_to_be_loaded() { std::abort(); }

std::unique_ptr<erp::sdk::PluginFactory> make_factory() { return std::make_unique<erp::sdk::PluginFactory>(); }

}  // namespace

extern "C" ERP_PLUGIN_EXPORT constexpr erp::sdk::PluginManifest erp_plugin_manifest = future_manifest();
BOOST_DLL_ALIAS(make_factory, erp_plugin_factory)
