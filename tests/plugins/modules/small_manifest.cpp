// An `erp_plugin_manifest` symbol too small to be a manifest.

extern "C" __attribute__((visibility("default"), used)) const char erp_plugin_manifest[8] = "ERPPLUG";
