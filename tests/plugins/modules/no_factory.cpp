// A valid manifest but no factory alias.

#include "erp/plugin.hpp"

extern "C" ERP_PLUGIN_EXPORT constexpr erp::sdk::PluginManifest erp_plugin_manifest =
    erp::sdk::make_manifest(erp::sdk::PluginKind::platform, "test_nofactory", "1.0.0");
