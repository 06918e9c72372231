// The toolchain fingerprint check. The host computes its expectation with the same make_manifest()
// the plugin used, so "expected" and "found" are always spelled the same way.

#include <cstring>
#include <string>
#include <vector>

#include "plugin_host/plugin_host.hpp"
#include "plugin_host/refusal.hpp"

namespace erp::daemon::plugin_host {
namespace {

using detail::printable;

std::string boost_version_text(std::uint32_t version) {
  return std::to_string(version / 100000) + "." + std::to_string(version / 100 % 1000) + "." +
         std::to_string(version % 100);
}

template <std::size_t N>
std::string text_of(const char (&field)[N]) {
  return printable(std::string(field, strnlen(field, N)));
}

}  // namespace

sdk::PluginManifest host_manifest() { return sdk::make_manifest(sdk::PluginKind::platform, "", ""); }

sdk::Result<void> check_compatible(const std::filesystem::path& file, const sdk::PluginManifest& found) {
  const sdk::PluginManifest expected = host_manifest();
  // A different ABI makes every other field meaningless, so it is reported alone.
  if (found.abi_version != expected.abi_version) {
    return detail::refuse(file, "ABI version mismatch: expected " + std::to_string(expected.abi_version) + ", found " +
                                    std::to_string(found.abi_version));
  }
  std::vector<std::string> mismatches;
  auto compare_text = [&](const char* what, const std::string& want, const std::string& have) {
    if (want != have) mismatches.push_back(std::string(what) + " mismatch: expected " + want + ", found " + have);
  };
  compare_text("compiler", text_of(expected.compiler), text_of(found.compiler));
  compare_text("standard library", text_of(expected.stdlib), text_of(found.stdlib));
  if (found.boost_version != expected.boost_version) {
    mismatches.push_back("Boost version mismatch: expected " + boost_version_text(expected.boost_version) + ", found " +
                         boost_version_text(found.boost_version));
  }
  if (mismatches.empty()) return {};
  std::string reason;
  for (const auto& mismatch : mismatches) reason += (reason.empty() ? "" : "; ") + mismatch;
  return detail::refuse(file, reason);
}

std::filesystem::path plugin_file(const std::filesystem::path& dir, const std::string& name) {
  return dir / ("erp-" + name + ".so");
}

}  // namespace erp::daemon::plugin_host
