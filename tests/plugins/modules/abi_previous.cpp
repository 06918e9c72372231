// A plugin built against the previous SDK ABI (kAbiVersion - 1; at ABI 6 that is ABI 5, from before
// WarehouseConnector gained lock_cancels_delivery, parse_inbound and inbound_reply, and
// DeliveryOrder and LockRequest their delivery codes). A connector built then has a shorter virtual
// table than the host's, so an inbound call would run whatever sits past its end; the host cannot
// tell which of the changed layouts a plugin uses, so it refuses every plugin of another ABI, this
// platform plugin included, from the file alone; its constructor aborts to prove the host never loads it.

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
