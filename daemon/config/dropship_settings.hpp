#pragma once
// The dropship settings (rules D1-D11): workflows.dropship (the factories, the assignment rules,
// the reconciliation interval) and a shop's `dropship:` map (its role). What the factories and
// rules say about shops and the API token is checked once those sections are read.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/issues.hpp"
#include "config/map_reader.hpp"

namespace erp::daemon::config::detail {

/// Factory ids and rule names appear in API paths, logs and the store: [A-Za-z0-9_.-]{1,64}.
inline constexpr std::size_t kMaxDropshipNameLength = 64;
/// D11: a shorter reconciliation would spend the shops' request budgets on reading back.
inline constexpr std::chrono::milliseconds kMinDropshipReconcileEvery{std::chrono::seconds{10}};

/// A value of workflows.dropship that names something of another section, with where it was
/// written, for the checks that run once that section is read.
struct DropshipMention {
  std::string value;
  int line = 0;
  std::string key_path;
};

/// What workflows.dropship names outside itself (only values that were valid as written).
struct DropshipReferences {
  std::vector<DropshipMention> token_files;    ///< factories[].token_file, resolved.
  std::vector<DropshipMention> factory_shops;  ///< factories[].shop
  std::vector<DropshipMention> rule_shops;     ///< rules[].shops[]
};

/// Empty when `name` may be a factory id or a rule name: 1 to kMaxDropshipNameLength characters
/// of [A-Za-z0-9_.-]. Otherwise what is wrong ("must ...").
std::string check_dropship_name(std::string_view name);

/// Empty when `id` may be a Douyin shop id: digits only, not empty. Otherwise what is wrong.
std::string check_douyin_shop_id(std::string_view id);

/// workflows.dropship (absent or empty: no factories, no rules, reconcile every 5m). Reported
/// here: bad values, unknown keys, duplicate factory ids, rule names, token files and factory
/// shops, and a rule naming no factory of the list. `references` receives what the loader checks
/// with check_dropship_references once the shops are read.
DropshipConfig read_dropship(const MapReader& workflows, const ReadContext& context, DropshipReferences& references);

/// A shop's `dropship:` map (only `role`); merchant when absent or wrong (and reported).
DropshipRole read_shop_dropship_role(const MapReader& shop);

/// The checks of workflows.dropship against the rest of the config: a factory's token file is not
/// the API's (D5), a factory's shop is a configured Douyin shop with role factory, and a rule's
/// shops are configured shops with role merchant (D1).
void check_dropship_references(const DropshipReferences& references, const ApiConfig& api,
                               const std::vector<ShopConfig>& shops, IssueSink& sink);

}  // namespace erp::daemon::config::detail
