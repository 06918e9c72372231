// PC2 config: what erpd's config validation and the plugin make of shop entries. The host
// validates declared options before a plugin sees them, so what is left to the plugin is the
// common keys and the credentials: an empty entry must be a config_error (or needs_reauth for a
// missing token) naming a key, a wrong
// token an authorization (or config) error, and neither may throw.

#include <algorithm>
#include <set>

#include "plugin_host/host_context.hpp"
#include "plugin_host/option_validation.hpp"
#include "testkit/checks.hpp"

namespace erp::testkit {
namespace {

constexpr const char* kWrongToken = "erp-plugin-check-wrong-token";

/// "" when the declared keys are well-formed, else what is wrong with the first bad one.
std::string key_problem(const std::vector<sdk::ConfigKeySpec>& keys) {
  std::set<std::string> names;
  for (const auto& key : keys) {
    const bool word = !key.name.empty() && std::all_of(key.name.begin(), key.name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!word) return "config key \"" + key.name + "\" is not a lower-case word (a-z, 0-9, _)";
    if (!names.insert(key.name).second) return "config key " + key.name + " is declared twice";
    if (key.type == sdk::ConfigType::secret && !key.default_value.empty()) {
      return "secret config key " + key.name + " has a default value (a secret is never built in)";
    }
    if (key.required && !key.default_value.empty()) {
      return "config key " + key.name + " is required and has a default (the default can never apply)";
    }
    if (!key.default_value.empty() && !daemon::plugin_host::option_value_is_valid(key.type, key.default_value)) {
      return "the default \"" + key.default_value + "\" of config key " + key.name + " is not of its declared type";
    }
  }
  return {};
}

/// An error naming at least one of `keys` in its message.
bool names_a_key(const sdk::Error& error, const std::vector<std::string>& keys) {
  return std::any_of(keys.begin(), keys.end(),
                     [&](const std::string& key) { return error.message.find(key) != std::string::npos; });
}

/// Makes an adapter for `shop` and, when that succeeds, lists one minute: the first error either
/// step returns, or nullopt when both succeed.
std::optional<sdk::Error> first_error(CheckContext& context, const config::ShopConfig& shop) {
  auto host = daemon::plugin_host::make_shop_host_context(shop, context.keys, context.http, context.clock);
  auto adapter = context.plugin->create_platform_adapter(host);
  if (!adapter) return std::move(adapter).error();
  const sdk::ModifiedWindow minute{context.span_to - std::chrono::minutes{1}, context.span_to};
  auto page = adapter.value()->list_modified(minute, "");
  if (!page) return std::move(page).error();
  return std::nullopt;
}

std::string make_seeded_adapter(CheckContext& context) {
  const daemon::plugin_host::OptionsScope scope{"(the entry erp-plugin-check built)", "shops[0].options", 0,
                                                context.plugin->name()};
  const auto issues = daemon::plugin_host::validate_plugin_options(context.keys, context.shop.options, scope);
  if (!issues.empty()) {
    return "the seeded shop's entry does not validate: " + issues.front().to_string() +
           " (give options platform-sim does not generate with --option KEY=VALUE)";
  }
  auto inner = daemon::plugin_host::make_shop_host_context(context.shop, context.keys, context.http, context.clock);
  auto host = std::make_shared<CapturingHostContext>(inner);
  auto adapter = context.plugin->create_platform_adapter(host);
  if (!adapter) return "the seeded shop's entry was refused: " + describe(adapter.error());
  context.host = host;
  context.adapter = adapter.value();
  context.capabilities = context.adapter->capabilities();
  return {};
}

}  // namespace

CheckResult check_config(CheckContext& context) {
  if (auto problem = key_problem(context.keys); !problem.empty()) {
    // The adapter is still made, so the later checks can run on a plugin with a cosmetic flaw.
    (void)make_seeded_adapter(context);
    return failed(kConfigCheck, problem);
  }
  if (auto problem = make_seeded_adapter(context); !problem.empty()) return failed(kConfigCheck, problem);

  // An entry with nothing but its id and platform, as a half-written erpd.yaml has.
  config::ShopConfig empty;
  empty.id = context.shop.id + "-empty";
  empty.platform = context.shop.platform;
  std::vector<std::string> missing = {"base_url", "app_key", "app_secret", "session", "access_token"};
  for (const auto& key : context.keys) {
    if (key.required) missing.push_back(key.name);
  }
  const auto empty_error = first_error(context, empty);
  if (!empty_error) return failed(kConfigCheck, "an entry with no base_url, credentials or options listed orders");
  context.remember(*empty_error);
  if (is_throw(*empty_error))
    return failed(kConfigCheck, "an empty entry made the plugin throw: " + empty_error->message);
  // needs_reauth too: a plugin may report the missing token first, which only authorizing the app
  // again provides (Douyin does); either way erpd stops retrying and tells someone.
  const bool settled =
      empty_error->code == sdk::ErrorCode::config_error || empty_error->code == sdk::ErrorCode::needs_reauth;
  if (!settled || !names_a_key(*empty_error, missing)) {
    return failed(kConfigCheck,
                  "an empty entry should fail as config_error (or needs_reauth) naming a missing key, got " +
                      describe(*empty_error));
  }

  // The seeded entry with every token replaced: what a revoked or mistyped token looks like.
  config::ShopConfig wrong = context.shop;
  if (wrong.session) wrong.session = config::Secret(kWrongToken, "erp-plugin-check");
  if (wrong.access_token) wrong.access_token = config::Secret(kWrongToken, "erp-plugin-check");
  for (auto& option : wrong.options) {
    const auto* spec = daemon::plugin_host::find_key_spec(context.keys, option.key);
    if (spec != nullptr && spec->type == sdk::ConfigType::secret) option.value = kWrongToken;
  }
  const auto wrong_error = first_error(context, wrong);
  if (!wrong_error) return failed(kConfigCheck, "an entry with a wrong token listed orders");
  context.remember(*wrong_error);
  if (is_throw(*wrong_error))
    return failed(kConfigCheck, "a wrong token made the plugin throw: " + wrong_error->message);
  const auto code = wrong_error->code;
  if (code != sdk::ErrorCode::auth_expired && code != sdk::ErrorCode::needs_reauth &&
      code != sdk::ErrorCode::config_error) {
    return failed(kConfigCheck, "a wrong token should fail as auth_expired, needs_reauth or config_error, got " +
                                    describe(*wrong_error));
  }
  return passed(kConfigCheck, std::to_string(context.keys.size()) +
                                  " declared keys; an empty entry: " + std::string(sdk::to_string(empty_error->code)) +
                                  "; a wrong token: " + std::string(sdk::to_string(code)));
}

}  // namespace erp::testkit
