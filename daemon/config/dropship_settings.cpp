// The dropship settings (rules D1, D4, D5, D8, D11): workflows.dropship and shops[].dropship.

#include "config/dropship_settings.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "config/suggest.hpp"
#include "config/value_rules.hpp"

namespace erp::daemon::config::detail {

namespace {

constexpr std::string_view kKey = "dropship";
constexpr std::array<std::string_view, 3> kDropshipKeys{"reconcile_every", "factories", "rules"};
constexpr std::array<std::string_view, 6> kFactoryKeys{"id",   "name",      "token_file", "douyin_shop_id",
                                                       "shop", "notify_url"};
constexpr std::array<std::string_view, 4> kRuleKeys{"name", "skus", "factory", "shops"};
constexpr std::array<std::string_view, 1> kShopDropshipKeys{"role"};
constexpr std::array<std::string_view, 2> kRoles{"merchant", "factory"};
constexpr std::string_view kDouyin = "douyin";
constexpr const char* kOneRole = "rule D1: a shop is a merchant or a factory in dropship, never both";

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

std::string first_at(int line) { return "(first at line " + std::to_string(line) + ")"; }

// The items of the list under `key` that are single non-empty values, each with its line and
// path; `what` names one item ("SKU id"). Nothing when the key is absent or is not a list; a bad
// item is reported and left out. `ok` turns false when anything was reported.
std::optional<std::vector<DropshipMention>> read_names(const MapReader& map, std::string_view key,
                                                       std::string_view what, std::string_view example, bool& ok) {
  const MapReader::Entry* entry = map.find(key);
  if (entry == nullptr) return std::nullopt;
  if (entry->value.IsNull()) {
    map.report(key, "has no value; write a list of " + std::string(what) + "s (" + std::string(example) + ")");
    ok = false;
    return std::nullopt;
  }
  if (!entry->value.IsSequence()) {
    map.report(key, "must be a list of " + std::string(what) + "s (" + std::string(example) + "), got " +
                        std::string(kind_of(entry->value)));
    ok = false;
    return std::nullopt;
  }
  std::vector<DropshipMention> out;
  std::size_t index = 0;
  for (const YAML::Node& item : entry->value) {
    std::string path = map.path_of(key) + "[" + std::to_string(index++) + "]";
    const int line = item.IsNull() || line_of(item) == 0 ? entry->line : line_of(item);
    if (!item.IsScalar()) {
      map.sink().add(line, std::move(path), "must be a " + std::string(what) + ", got " + std::string(kind_of(item)));
      ok = false;
    } else if (item.Scalar().empty()) {
      map.sink().add(line, std::move(path), "must not be empty");
      ok = false;
    } else {
      out.push_back(DropshipMention{item.Scalar(), line, std::move(path)});
    }
  }
  return out;
}

// The maps of the list under `key`, each read by `read_one(MapReader)`; `what` names one entry
// ("factory") and `first_key` the key an entry starts with.
template <class ReadOne>
void for_each_entry(const MapReader& section, std::string_view key, std::span<const std::string_view> known,
                    std::string_view what, std::string_view first_key, ReadOne&& read_one) {
  const MapReader::Entry* entry = section.find(key);
  if (entry == nullptr) return;
  const std::string shape =
      "a list of " + std::string(key) + " (each entry starting with '- " + std::string(first_key) + ":')";
  if (entry->value.IsNull()) {
    section.report(key, "has no value; write " + shape + ", or [] for none");
    return;
  }
  if (!entry->value.IsSequence()) {
    section.report(key, "must be " + shape + ", got " + std::string(kind_of(entry->value)));
    return;
  }
  std::size_t index = 0;
  for (const YAML::Node& item : entry->value) {
    std::string path = section.path_of(key) + "[" + std::to_string(index++) + "]";
    const int line = item.IsNull() || line_of(item) == 0 ? entry->line : line_of(item);
    if (!item.IsMap()) {
      section.sink().add(line, std::move(path),
                         "must be a map describing one " + std::string(what) + ", got " + std::string(kind_of(item)));
      continue;
    }
    read_one(MapReader(item, std::move(path), line, known, section.sink()));
  }
}

// Where each value of one key was first written in a list: the entry's path and the key's line.
struct FirstSeen {
  std::string entry_path;
  int line = 0;
};

using SeenMap = std::map<std::string, FirstSeen>;

// Records `value` of `key` in `seen`; false (and reported) when an earlier entry has it.
bool first_use(const MapReader& entry, std::string_view key, const std::string& value, SeenMap& seen,
               std::string_view why) {
  const int line = entry.find(key)->line;
  const auto [first, inserted] = seen.emplace(value, FirstSeen{entry.key_path(), line});
  if (inserted) return true;
  entry.report(key, "is also " + first->second.entry_path + "'s " + std::string(key) + " (line " +
                        std::to_string(first->second.line) + "); " + std::string(why));
  return false;
}

struct FactorySeen {
  SeenMap ids;
  SeenMap token_files;
  SeenMap douyin_shop_ids;
  SeenMap shops;
};

FactoryConfig read_factory(const MapReader& factory, const ReadContext& context, FactorySeen& seen,
                           DropshipReferences& references) {
  FactoryConfig out;
  out.line = factory.line();
  if (auto id = factory.text("id", Need::required)) {
    if (std::string why = check_dropship_name(*id); !why.empty()) {
      factory.report("id", "factory id " + in_quotes(*id) + " " + why);
    } else if (const auto first = seen.ids.find(*id); first != seen.ids.end()) {
      factory.report("id", "duplicate factory id " + in_quotes(*id) + " " + first_at(first->second.line));
    } else {
      seen.ids.emplace(*id, FirstSeen{factory.key_path(), factory.find("id")->line});
      out.id = std::move(*id);
    }
  }
  if (auto name = factory.text("name", Need::optional)) {
    if (name->empty()) {
      factory.report("name", "must not be empty; leave name out to show the factory by its id");
    } else {
      out.name = std::move(*name);
    }
  }
  if (out.name.empty()) out.name = out.id;
  if (auto token_file = factory.file_path("token_file", Need::required, context.base)) {
    const std::string key = token_file->string();
    if (first_use(factory, "token_file", key, seen.token_files,
                  "each factory needs a token of its own (rule D5: a factory's token sees only its own lines)")) {
      references.token_files.push_back(
          DropshipMention{key, factory.find("token_file")->line, factory.path_of("token_file")});
    }
    out.token_file = std::move(*token_file);
  }
  if (auto shop_id = factory.text("douyin_shop_id", Need::optional); shop_id && !shop_id->empty()) {
    if (std::string why = check_douyin_shop_id(*shop_id); !why.empty()) {
      factory.report("douyin_shop_id", in_quotes(*shop_id) + " " + why);
    } else {
      first_use(factory, "douyin_shop_id", *shop_id, seen.douyin_shop_ids,
                "the lines a merchant assigns to that Douyin shop would have two factories");
      out.douyin_shop_id = std::move(*shop_id);
    }
  }
  if (auto shop = factory.text("shop", Need::optional); shop && !shop->empty()) {
    if (first_use(factory, "shop", *shop, seen.shops, "a factory's own shop belongs to that one factory")) {
      references.factory_shops.push_back(DropshipMention{*shop, factory.find("shop")->line, factory.path_of("shop")});
    }
    out.shop = std::move(*shop);
  }
  if (auto url = factory.text("notify_url", Need::optional); url && !url->empty()) {
    if (std::string why = check_http_url(*url); why.empty()) {
      out.notify_url = std::move(*url);
    } else {
      factory.report("notify_url", std::move(why));
    }
  }
  return out;
}

// `written` holds every factory id as written, valid or not: a rule naming a factory whose id was
// already reported is not blamed again.
DropshipRule read_rule(const MapReader& rule, const std::vector<std::string>& written, SeenMap& names,
                       DropshipReferences& references) {
  DropshipRule out;
  if (auto name = rule.text("name", Need::required)) {
    if (std::string why = check_dropship_name(*name); !why.empty()) {
      rule.report("name", "rule name " + in_quotes(*name) + " " + why);
    } else if (const auto first = names.find(*name); first != names.end()) {
      rule.report("name", "duplicate rule name " + in_quotes(*name) + " " + first_at(first->second.line));
    } else {
      names.emplace(*name, FirstSeen{rule.key_path(), rule.find("name")->line});
      out.name = std::move(*name);
    }
  }
  bool skus_ok = true;
  if (auto skus = read_names(rule, "skus", "SKU id", "[A-1, B-2]", skus_ok)) {
    if (skus->empty() && skus_ok) {
      rule.report("skus", "must list at least one SKU id (outer_sku or sku); a rule matches the lines it lists");
    }
    for (DropshipMention& sku : *skus) out.skus.push_back(std::move(sku.value));
  } else if (rule.find("skus") == nullptr) {
    rule.report_missing("skus", "the outer_sku or sku ids whose lines go to the factory");
  }
  if (auto factory = rule.text("factory", Need::required)) {
    if (std::find(written.begin(), written.end(), *factory) == written.end()) {
      std::vector<std::string_view> ids(written.begin(), written.end());
      rule.report("factory", in_quotes(*factory) + " names no factory of workflows.dropship.factories" +
                                 did_you_mean(*factory, ids));
    }
    out.factory = std::move(*factory);
  }
  bool shops_ok = true;
  if (auto shops = read_names(rule, "shops", "shop id", "[shop-1, shop-2]", shops_ok)) {
    std::map<std::string, int> listed;
    for (DropshipMention& shop : *shops) {
      if (const auto first = listed.find(shop.value); first != listed.end()) {
        rule.sink().add(shop.line, shop.key_path,
                        "shop " + in_quotes(shop.value) + " is listed twice " + first_at(first->second));
        continue;
      }
      listed.emplace(shop.value, shop.line);
      out.shops.push_back(shop.value);
      references.rule_shops.push_back(std::move(shop));
    }
  }
  return out;
}

const ShopConfig* find_shop(const std::vector<ShopConfig>& shops, std::string_view id) {
  for (const ShopConfig& shop : shops) {
    if (!shop.id.empty() && shop.id == id) return &shop;
  }
  return nullptr;
}

std::string no_such_shop(const DropshipMention& mention, const std::vector<ShopConfig>& shops) {
  std::vector<std::string_view> ids;
  for (const ShopConfig& shop : shops) {
    if (!shop.id.empty()) ids.push_back(shop.id);
  }
  return in_quotes(mention.value) + " names no configured shop" + did_you_mean(mention.value, ids);
}

}  // namespace

std::string check_dropship_name(std::string_view name) {
  if (name.empty()) return "must not be empty";
  if (name.size() > kMaxDropshipNameLength) {
    return "must be at most " + std::to_string(kMaxDropshipNameLength) + " characters";
  }
  if (!std::all_of(name.begin(), name.end(), is_name_char)) return "must use only letters, digits, '_', '.' and '-'";
  return {};
}

std::string check_douyin_shop_id(std::string_view id) {
  if (id.empty()) return "must not be empty";
  if (!std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "must be digits only (Douyin's id of the factory's shop)";
  }
  return {};
}

DropshipConfig read_dropship(const MapReader& workflows, const ReadContext& context, DropshipReferences& references) {
  const MapReader section = workflows.child(kKey, kDropshipKeys);
  DropshipConfig out;
  if (const auto every = section.duration("reconcile_every", kMinDropshipReconcileEvery)) out.reconcile_every = *every;
  FactorySeen factories_seen;
  std::vector<std::string> written_ids;
  for_each_entry(section, "factories", kFactoryKeys, "factory", "id", [&](const MapReader& factory) {
    if (const MapReader::Entry* id = factory.find("id"); id != nullptr && id->value.IsScalar()) {
      written_ids.push_back(id->value.Scalar());
    }
    out.factories.push_back(read_factory(factory, context, factories_seen, references));
  });
  SeenMap rule_names;
  for_each_entry(section, "rules", kRuleKeys, "rule", "name", [&](const MapReader& rule) {
    out.rules.push_back(read_rule(rule, written_ids, rule_names, references));
  });
  return out;
}

DropshipRole read_shop_dropship_role(const MapReader& shop) {
  const MapReader section = shop.child(kKey, kShopDropshipKeys);
  const auto role = section.one_of("role", kRoles, "dropship role");
  return role && *role == "factory" ? DropshipRole::factory : DropshipRole::merchant;
}

void check_dropship_references(const DropshipReferences& references, const ApiConfig& api,
                               const std::vector<ShopConfig>& shops, IssueSink& sink) {
  if (!api.token_file.empty()) {
    for (const DropshipMention& token_file : references.token_files) {
      if (token_file.value == api.token_file.string()) {
        sink.add(token_file.line, token_file.key_path,
                 "is the API's token file (api.token_file); a factory needs a token of its own (rule D5: a "
                 "factory's token sees only its own lines)");
      }
    }
  }
  for (const DropshipMention& mention : references.factory_shops) {
    const ShopConfig* shop = find_shop(shops, mention.value);
    if (shop == nullptr) {
      sink.add(mention.line, mention.key_path, no_such_shop(mention, shops));
      continue;
    }
    // An empty platform was missing or wrong, and reported with the shop.
    if (!shop->platform.empty() && shop->platform != kDouyin) {
      sink.add(mention.line, mention.key_path,
               "shop " + in_quotes(mention.value) + " is a " + in_quotes(shop->platform) +
                   " shop; a factory's own shop is a Douyin shop (platform: douyin)");
    }
    if (shop->dropship_role != DropshipRole::factory) {
      sink.add(mention.line, mention.key_path,
               "shop " + in_quotes(mention.value) + " needs dropship.role: factory to be a factory's own shop (" +
                   kOneRole + ")");
    }
  }
  for (const DropshipMention& mention : references.rule_shops) {
    const ShopConfig* shop = find_shop(shops, mention.value);
    if (shop == nullptr) {
      sink.add(mention.line, mention.key_path, no_such_shop(mention, shops));
    } else if (shop->dropship_role != DropshipRole::merchant) {
      sink.add(mention.line, mention.key_path,
               "shop " + in_quotes(mention.value) +
                   " has dropship.role: factory; rules assign the lines of merchant shops (" + kOneRole + ")");
    }
  }
}

}  // namespace erp::daemon::config::detail
