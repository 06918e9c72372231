// A plugin built against the previous SDK ABI (kAbiVersion - 1; at ABI 4 that is ABI 3, from before
// OrderLine gained its shipping facts and DeliveryOrder::added_lines became AddedLine). Its structs'
// layouts differ from the host's, so the host must refuse it from the file alone; its constructor
// aborts to prove the host never loads it.

#include <cstdlib>
#include <memory>

#include "erp/plugin.hpp"

namespace {

constexpr erp::sdk::PluginManifest previous_manifest() {
  auto m = erp::sdk::make_manifest(erp::sdk::PluginKind::warehouse, "test_abiprev", "0.3.0");
  m.abi_version = erp::sdk::kAbiVersion - 1;
  return m;
}

__attribute__((constructor)) void refuse_to_be_loaded() { std::abort(); }

std::unique_ptr<erp::sdk::PluginFactory> make_factory() { return std::make_unique<erp::sdk::PluginFactory>(); }

}  // namespace

extern "C" ERP_PLUGIN_EXPORT constexpr erp::sdk::PluginManifest erp_plugin_manifest = previous_manifest();
BOOST_DLL_ALIAS(make_factory, erp_plugin_factory)
