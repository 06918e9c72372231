#include "plugin_host/option_validation.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <string_view>

#include "config/secret_source.hpp"

namespace erp::daemon::plugin_host {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Levenshtein distance with adjacent transpositions, ignoring case (typos, not spelling).
std::size_t edit_distance(std::string_view a_text, std::string_view b_text) {
  const std::string a = lower(a_text);
  const std::string b = lower(b_text);
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

const sdk::ConfigKeySpec* nearest(std::string_view key, const std::vector<sdk::ConfigKeySpec>& keys) {
  const sdk::ConfigKeySpec* best = nullptr;
  std::size_t best_distance = 0;
  for (const auto& spec : keys) {
    const std::size_t distance = edit_distance(key, spec.name);
    if (best == nullptr || distance < best_distance) {
      best = &spec;
      best_distance = distance;
    }
  }
  const std::size_t allowed = std::max<std::size_t>(2, key.size() / 3);
  return best != nullptr && best_distance <= allowed ? best : nullptr;
}

/// User text between quotes for a message: control bytes become '?', long text is cut.
std::string in_quotes(std::string_view text) {
  constexpr std::size_t kMax = 60;
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    out += (byte < 0x20 || byte == 0x7f || text[i] == '"') ? '?' : text[i];
  }
  if (text.size() > kMax) out += "...";
  return out + "\"";
}

bool is_integer(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

bool is_boolean(std::string_view text) {
  const std::string word = lower(text);
  return word == "true" || word == "false" || word == "yes" || word == "no" || word == "on" || word == "off";
}

bool is_duration(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 9) return false;
  const std::string_view unit = text.substr(digits);
  return unit == "ms" || unit == "s" || unit == "m" || unit == "h" || unit == "d";
}

std::string type_error(sdk::ConfigType type, const std::string& value) {
  switch (type) {
    case sdk::ConfigType::integer:
      return "expected an integer, got " + in_quotes(value);
    case sdk::ConfigType::boolean:
      return "expected true or false, got " + in_quotes(value);
    case sdk::ConfigType::duration:
      return "expected a duration such as 30s, 5m, 4h or 2d, got " + in_quotes(value);
    case sdk::ConfigType::string:
    case sdk::ConfigType::secret:
      break;
  }
  return "invalid value";
}

config::ConfigIssue issue(const OptionsScope& scope, int line, const std::string& key, std::string message) {
  config::ConfigIssue out;
  out.file = scope.file;
  out.line = line;
  out.key_path = scope.key_path + "." + key;
  out.message = std::move(message);
  return out;
}

}  // namespace

bool option_value_is_valid(sdk::ConfigType type, const std::string& text) {
  switch (type) {
    case sdk::ConfigType::integer:
      return is_integer(text);
    case sdk::ConfigType::boolean:
      return is_boolean(text);
    case sdk::ConfigType::duration:
      return is_duration(text);
    case sdk::ConfigType::string:
    case sdk::ConfigType::secret:
      return true;
  }
  return false;
}

const sdk::ConfigKeySpec* find_key_spec(const std::vector<sdk::ConfigKeySpec>& keys, const std::string& key) {
  for (const auto& spec : keys) {
    if (spec.name == key) return &spec;
  }
  return nullptr;
}

std::vector<config::ConfigIssue> validate_plugin_options(const std::vector<sdk::ConfigKeySpec>& keys,
                                                         const std::vector<config::PluginOption>& options,
                                                         const OptionsScope& scope) {
  std::vector<config::ConfigIssue> issues;
  for (const auto& option : options) {
    const auto* spec = find_key_spec(keys, option.key);
    if (spec == nullptr) {
      std::string message;
      if (keys.empty()) {
        message = "unknown option: plugin " + scope.plugin + " takes no options";
      } else if (const auto* close = nearest(option.key, keys)) {
        message = "unknown option for plugin " + scope.plugin + " (did you mean '" + close->name + "'?)";
      } else {
        std::string known;
        for (const auto& candidate : keys) known += (known.empty() ? "" : ", ") + candidate.name;
        message = "unknown option for plugin " + scope.plugin + " (known: " + known + ")";
      }
      issues.push_back(issue(scope, option.line, option.key, std::move(message)));
      continue;
    }
    if (option.value.empty()) {
      if (spec->required) {
        issues.push_back(issue(scope, option.line, option.key, "required by plugin " + scope.plugin + " but empty"));
      } else if (spec->type != sdk::ConfigType::string && spec->type != sdk::ConfigType::secret) {
        issues.push_back(issue(scope, option.line, option.key, type_error(spec->type, option.value)));
      }
      continue;
    }
    if (!option_value_is_valid(spec->type, option.value)) {
      issues.push_back(issue(scope, option.line, option.key, type_error(spec->type, option.value)));
    } else if (spec->type == sdk::ConfigType::secret) {
      // A secret option may name the environment (`${env:NAME}`) like the shops' own secrets.
      if (auto resolved = config::detail::secret_from_text(option.value); !resolved.secret) {
        issues.push_back(issue(scope, option.line, option.key, std::move(resolved.error)));
      }
    }
  }

  for (const auto& spec : keys) {
    if (!spec.required) continue;
    const bool present = std::any_of(options.begin(), options.end(),
                                     [&](const config::PluginOption& option) { return option.key == spec.name; });
    if (!present)
      issues.push_back(issue(scope, scope.line, spec.name, "required by plugin " + scope.plugin + " but missing"));
  }

  std::stable_sort(issues.begin(), issues.end(),
                   [](const config::ConfigIssue& a, const config::ConfigIssue& b) { return a.line < b.line; });
  return issues;
}

std::vector<config::ConfigIssue> validate_shop_options(const LoadedPlugin& plugin, const config::ShopConfig& shop,
                                                       std::size_t index, const std::filesystem::path& file) {
  OptionsScope scope{file.string(), "shops[" + std::to_string(index) + "].options", shop.line, plugin.name()};
  return validate_plugin_options(plugin.config_keys(), shop.options, scope);
}

std::vector<config::ConfigIssue> validate_warehouse_options(const LoadedPlugin& plugin,
                                                            const config::WarehouseConfig& warehouse,
                                                            const std::filesystem::path& file) {
  const int line = warehouse.options.empty() ? 0 : warehouse.options.front().line;
  OptionsScope scope{file.string(), "warehouse.options", line, plugin.name()};
  return validate_plugin_options(plugin.config_keys(), warehouse.options, scope);
}

}  // namespace erp::daemon::plugin_host
