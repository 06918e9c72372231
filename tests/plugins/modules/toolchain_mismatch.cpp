// Same ABI, another toolchain: compiler "gcc 99" and another standard library. Its constructor
// aborts, so a host that loaded it before checking would die.

#include <cstdlib>
#include <memory>

#include "erp/plugin.hpp"

namespace {

constexpr erp::sdk::PluginManifest other_toolchain() {
  auto m = erp::sdk::make_manifest(erp::sdk::PluginKind::platform, "test_toolchain", "1.0.0");
  erp::sdk::detail::copy_text(m.compiler, "gcc 99");
  erp::sdk::detail::copy_text(m.stdlib, "libc++ 99");
  return m;
}

__attribute__((constructor)) void refuse_to_be_loaded() { std::abort(); }

std::unique_ptr<erp::sdk::PluginFactory> make_factory() { return std::make_unique<erp::sdk::PluginFactory>(); }

}  // namespace

extern "C" ERP_PLUGIN_EXPORT constexpr erp::sdk::PluginManifest erp_plugin_manifest = other_toolchain();
BOOST_DLL_ALIAS(make_factory, erp_plugin_factory)
