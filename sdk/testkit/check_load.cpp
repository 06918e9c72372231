// PC1 load: the same loader erpd uses, so a refusal here is the refusal erpd would print.

#include <string>

#include "testkit/checks.hpp"

namespace erp::testkit {
namespace {

std::string text_of(const char* field, std::size_t size) {
  std::string text;
  for (std::size_t i = 0; i < size && field[i] != '\0'; ++i) text += field[i];
  return text;
}

}  // namespace

LoadOutcome check_load(daemon::plugin_host::PluginHost& host, const std::filesystem::path& file) {
  auto loaded = host.load_file(file);
  if (!loaded) return {failed(kLoadCheck, loaded.error().message), nullptr};
  auto plugin = loaded.value();
  const auto& manifest = plugin->manifest();
  const std::string version = text_of(manifest.version, sizeof manifest.version);
  if (version.empty()) {
    return {failed(kLoadCheck, "the manifest has no plugin version (ERP_PLUGIN's third argument)"), nullptr};
  }
  if (plugin->kind() != sdk::PluginKind::platform) {
    return {failed(kLoadCheck, "plugin " + plugin->name() +
                                   " is a warehouse plugin; erp-plugin-check checks platform plugins "
                                   "(ERP_PLUGIN(platform, ...))"),
            nullptr};
  }
  return {passed(kLoadCheck, plugin->name() + " " + version + ", ABI " + std::to_string(manifest.abi_version) + ", " +
                                 text_of(manifest.compiler, sizeof manifest.compiler) + ", " +
                                 text_of(manifest.stdlib, sizeof manifest.stdlib)),
          plugin};
}

}  // namespace erp::testkit
