// A plugin built against the previous SDK ABI (kAbiVersion - 1; at ABI 5 that is ABI 4, from before
// PlatformAdapter gained the dropship calls list_factories, distribute, cancel_distribution,
// list_dropship, get_dropship and return_waybill, and Capabilities gained `dropship`). Its adapter's
// virtual table is shorter than the host's, so a dropship call would run whatever sits past its end,
// and the byte the host reads as Capabilities::dropship is padding the plugin never set. The host
// must refuse it from the file alone; its constructor aborts to prove the host never loads it.

#include <cstdlib>
#include <memory>

#include "erp/plugin.hpp"

namespace {

constexpr erp::sdk::PluginManifest previous_manifest() {
  auto m = erp::sdk::make_manifest(erp::sdk::PluginKind::platform, "test_abiprev", "0.4.0");
  m.abi_version = erp::sdk::kAbiVersion - 1;
  return m;
}

__attribute__((constructor)) void refuse_to_be_loaded() { std::abort(); }

std::unique_ptr<erp::sdk::PluginFactory> make_factory() { return std::make_unique<erp::sdk::PluginFactory>(); }

}  // namespace

extern "C" ERP_PLUGIN_EXPORT constexpr erp::sdk::PluginManifest erp_plugin_manifest = previous_manifest();
BOOST_DLL_ALIAS(make_factory, erp_plugin_factory)
