// The `shops:` list: one entry per shop the daemon syncs.

#include <array>
#include <map>

#include "config/deadline_settings.hpp"
#include "config/dropship_settings.hpp"
#include "config/gift_settings.hpp"
#include "config/intercept_settings.hpp"
#include "config/push_path.hpp"
#include "config/sections.hpp"
#include "config/value_rules.hpp"

namespace erp::daemon::config::detail {

namespace {

constexpr std::array<std::string_view, 20> kShopKeys{"id",           "platform",
                                                     "base_url",     "app_key",
                                                     "app_secret",   "app_secret_file",
                                                     "session",      "session_file",
                                                     "access_token", "access_token_file",
                                                     "sign_method",  "poll_interval",
                                                     "enabled",      "options",
                                                     "push_path",    "requests_per_minute",
                                                     "intercept",    "gift",
                                                     "dropship",     "deadlines"};
// The request budget per shop: below 1 nothing would ever be sent; above this a typo is likelier
// than a platform quota (TOP's largest paid tiers are far below it).
constexpr int kMinRequestsPerMinute = 1;
constexpr int kMaxRequestsPerMinute = 100000;
// What each builtin platform's gateway accepts; a third-party plugin checks its own.
constexpr std::array<std::string_view, 3> kTopSignMethods{"md5", "hmac", "hmac-sha256"};
constexpr std::array<std::string_view, 2> kDouyinSignMethods{"hmac-sha256", "md5"};
// Faster polling only burns the shop's API quota, which the platforms count per app.
constexpr std::chrono::milliseconds kMinPollInterval{std::chrono::seconds{1}};

struct FirstUse {
  std::string path;
  int line = 0;
};

void read_sign_method(const MapReader& shop, const std::string& platform, ShopConfig& out) {
  auto method = shop.text("sign_method", Need::optional);
  if (!method || method->empty()) return;
  std::span<const std::string_view> allowed;
  if (platform == "taobao" || platform == "tmall") {
    allowed = kTopSignMethods;
  } else if (platform == "douyin") {
    allowed = kDouyinSignMethods;
  } else {
    out.sign_method = std::move(*method);
    return;
  }
  if (auto checked = shop.one_of("sign_method", allowed, "sign method " + platform + " supports")) {
    out.sign_method = std::move(*checked);
  }
}

ShopConfig read_shop(const MapReader& shop, const ReadContext& context, const WorkflowsConfig& workflows,
                     const LoadedCalendars* calendars, std::map<std::string, FirstUse>& ids) {
  ShopConfig out;
  out.line = shop.line();
  if (auto id = shop.text("id", Need::required)) {
    if (std::string why = check_shop_id(*id); !why.empty()) {
      shop.report("id", "shop id " + in_quotes(*id) + " " + why);
    } else if (const auto first = ids.find(*id); first != ids.end()) {
      shop.report("id", "duplicate shop id " + in_quotes(*id) + " (first used by " + first->second.path + " at line " +
                            std::to_string(first->second.line) + ")");
    } else {
      ids.emplace(*id, FirstUse{shop.key_path(), shop.find("id")->line});
      out.id = std::move(*id);
    }
  }
  if (auto platform = shop.text("platform", Need::required)) {
    if (std::string why = check_plugin_name(*platform); why.empty()) {
      out.platform = std::move(*platform);
    } else {
      shop.report("platform", in_quotes(*platform) + " " + why);
    }
  }
  if (auto url = shop.text("base_url", Need::required)) {
    if (std::string why = check_http_url(*url); why.empty()) {
      out.base_url = std::move(*url);
    } else {
      shop.report("base_url", std::move(why));
    }
  }
  if (auto key = shop.text("app_key", Need::required)) out.app_key = std::move(*key);
  if (auto secret = shop.secret("app_secret", Need::required, context)) out.app_secret = std::move(*secret);
  out.session = shop.secret("session", Need::optional, context);
  out.access_token = shop.secret("access_token", Need::optional, context);
  read_sign_method(shop, out.platform, out);
  if (const auto interval = shop.duration("poll_interval", kMinPollInterval)) out.poll_interval = *interval;
  if (const auto rate = shop.whole_number("requests_per_minute", kMinRequestsPerMinute)) {
    if (*rate > kMaxRequestsPerMinute) {
      shop.report("requests_per_minute",
                  "must be at most " + std::to_string(kMaxRequestsPerMinute) + ", got " + std::to_string(*rate));
    } else {
      out.requests_per_minute = *rate;
    }
  }
  if (const auto enabled = shop.boolean("enabled")) out.enabled = *enabled;
  if (auto path = shop.text("push_path", Need::optional)) {
    if (std::string why = check_push_path(*path); why.empty()) {
      out.push_path = std::move(*path);
    } else {
      shop.report("push_path", std::move(why));
    }
  } else if (!out.id.empty()) {
    out.push_path = default_push_path(out.id);
  }
  out.options = shop.options("options");
  out.intercept = read_shop_intercept(shop, workflows.intercept);
  out.gift = read_shop_gift(shop, out.platform, workflows.gift);
  out.dropship_role = read_shop_dropship_role(shop);
  out.deadlines = read_shop_deadlines(shop, out.platform, workflows.deadlines, calendars);
  return out;
}

}  // namespace

std::vector<ShopConfig> read_shops(const MapReader& root, const ReadContext& context, const WorkflowsConfig& workflows,
                                   const LoadedCalendars* calendars) {
  std::vector<ShopConfig> out;
  const MapReader::Entry* entry = root.find("shops");
  if (entry == nullptr || entry->value.IsNull()) return out;
  if (!entry->value.IsSequence()) {
    root.report("shops", "must be a list of shops (each entry starting with '- id:'), got " +
                             std::string(kind_of(entry->value)));
    return out;
  }
  std::map<std::string, FirstUse> ids;
  std::size_t index = 0;
  for (const YAML::Node& item : entry->value) {
    const std::string path = "shops[" + std::to_string(index++) + "]";
    // An empty item ("-" alone) has no line of its own; the list's key is the nearest honest one.
    const int line = item.IsNull() || line_of(item) == 0 ? entry->line : line_of(item);
    if (!item.IsMap()) {
      root.sink().add(line, path, "must be a map describing one shop, got " + std::string(kind_of(item)));
      continue;
    }
    const MapReader shop(item, path, line, kShopKeys, root.sink());
    out.push_back(read_shop(shop, context, workflows, calendars, ids));
  }
  return out;
}

}  // namespace erp::daemon::config::detail
