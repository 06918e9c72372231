#pragma once
// The contract checks, one per file (check_*.cpp), run in id order by check_runner.cpp. Each
// returns its verdict with a reason a plugin author can act on (docs/plugin-authoring.md).

#include <filesystem>
#include <memory>

#include "plugin_host/plugin_host.hpp"
#include "testkit/check_context.hpp"
#include "testkit/check_result.hpp"

namespace erp::testkit {

struct LoadOutcome {
  CheckResult result;
  std::shared_ptr<daemon::plugin_host::LoadedPlugin> plugin;  ///< Null when the load failed.
};

/// PC1: erpd's loader accepts the file (manifest, ABI, toolchain, name, factory, config keys),
/// the manifest is complete and the plugin is a platform plugin.
LoadOutcome check_load(daemon::plugin_host::PluginHost& host, const std::filesystem::path& file);

/// PC2: declared keys are well-formed; an empty entry and an entry with a wrong token fail as
/// config (or authorization) errors naming what is wrong, without throwing; the seeded entry makes
/// an adapter (stored in `context`).
CheckResult check_config(CheckContext& context);

/// PC3: capabilities are usable by erpd's sync (window limit, memo limit, page_size option) and an
/// empty window lists nothing.
CheckResult check_capabilities(CheckContext& context);

/// PC4: the seeded span, window by window, lists every seeded order exactly once, complete and
/// inside its window; paging ends and never repeats a token. Fills `context.listed`.
CheckResult check_listing(CheckContext& context);

/// PC5: a second walk maps every order to the same order JSON.
CheckResult check_repeatable(CheckContext& context);

/// PC6: get_order answers each listed order as listed, and not_found for an unknown id.
CheckResult check_get_order(CheckContext& context);

/// PC7: under each platform-sim fault at 100 %, calls fail with the right ErrorCode and never
/// throw or answer a partial page as success; afterwards the adapter works again.
CheckResult check_errors(CheckContext& context);

/// PC8: memo writes and shipments (when the adapter has them) are counted once by platform-sim,
/// and a repeat is answered as the SDK contract says.
CheckResult check_writes(CheckContext& context);

/// PC9: no log line or error message of the plugin, and no listed order, holds a secret of the
/// shop or a receiver's plaintext (when the adapter can decrypt receivers).
CheckResult check_privacy(CheckContext& context);

}  // namespace erp::testkit
