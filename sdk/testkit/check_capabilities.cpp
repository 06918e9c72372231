// PC3 capabilities: erpd's sync plans its windows from max_window_seconds and pages with the
// plugin's page size; nonsense there shows up as a sync that never finishes or asks too much.

#include "plugin_host/option_validation.hpp"
#include "testkit/checks.hpp"

namespace erp::testkit {
namespace {

constexpr std::int64_t kMinWindowSeconds = 60;
constexpr std::int64_t kMaxWindowSeconds = 90LL * 86400;  // no platform keeps more history than this

}  // namespace

CheckResult check_capabilities(CheckContext& context) {
  const auto& caps = context.capabilities;
  if (!caps.incremental_sync) {
    return failed(kCapabilitiesCheck, "incremental_sync is false, but erpd syncs every shop with list_modified");
  }
  if (caps.max_window_seconds < kMinWindowSeconds || caps.max_window_seconds > kMaxWindowSeconds) {
    return failed(kCapabilitiesCheck,
                  "max_window_seconds " + std::to_string(caps.max_window_seconds) + " is outside 60 s .. 90 days");
  }
  if (caps.memo_max_chars < 0) {
    return failed(kCapabilitiesCheck, "memo_max_chars " + std::to_string(caps.memo_max_chars) + " is negative");
  }
  if (const auto* page_size = daemon::plugin_host::find_key_spec(context.keys, "page_size")) {
    if (page_size->type != sdk::ConfigType::integer) {
      return failed(kCapabilitiesCheck, "the page_size option is not declared as an integer");
    }
  }
  // An empty window [t, t) holds nothing: erpd asks for one when its cursor has caught up.
  const sdk::ModifiedWindow empty{context.span_to, context.span_to};
  auto page = context.adapter->list_modified(empty, "");
  if (!page) {
    context.remember(page.error());
    return failed(kCapabilitiesCheck, "an empty window failed: " + describe(page.error()));
  }
  if (!page->orders.empty() || !page->rejected.empty() || !page->next_page.empty()) {
    return failed(kCapabilitiesCheck, "an empty window [t, t) listed orders or a next page");
  }
  return passed(kCapabilitiesCheck, "windows up to " + std::to_string(caps.max_window_seconds) + " s" +
                                        (caps.memo_write ? ", memo writes" : "") +
                                        (caps.receiver_decrypt ? ", receiver decrypt" : "") +
                                        (caps.push_events ? ", pushes" : "") + (caps.dropship ? ", dropship" : ""));
}

}  // namespace erp::testkit
