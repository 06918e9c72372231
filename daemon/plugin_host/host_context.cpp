#include "plugin_host/host_context.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <mutex>
#include <utility>

#include "config/secret_source.hpp"
#include "erp/memory_state.hpp"
#include "net/system_clock.hpp"
#include "plugin_host/option_validation.hpp"

namespace erp::daemon::plugin_host {
namespace {

// Secrets shorter than this are not searched for in log text: replacing every "1" or "ab" would
// mangle messages while protecting nothing a real credential looks like.
constexpr std::size_t kMinRedactedLength = 4;

spdlog::level::level_enum to_spdlog(sdk::LogLevel level) {
  switch (level) {
    case sdk::LogLevel::trace:
      return spdlog::level::trace;
    case sdk::LogLevel::debug:
      return spdlog::level::debug;
    case sdk::LogLevel::info:
      return spdlog::level::info;
    case sdk::LogLevel::warn:
      return spdlog::level::warn;
    case sdk::LogLevel::error:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

/// Forwards to spdlog's default logger (which the daemon points at stderr / the journal). A plugin
/// is told never to log secrets; as a second line of defence any secret value of its own shop
/// that still shows up is replaced, and control characters are escaped so one call stays one line.
class PrefixLogger final : public sdk::Logger {
 public:
  PrefixLogger(std::string prefix, std::vector<std::string> hidden)
      : prefix_(std::move(prefix)), hidden_(std::move(hidden)) {}

  /// From now on `secret` is replaced in every line (a token the plugin obtained at run time).
  void hide(std::string_view secret) {
    if (secret.size() < kMinRedactedLength) return;
    std::lock_guard lock(mutex_);
    if (std::find(hidden_.begin(), hidden_.end(), secret) == hidden_.end()) hidden_.emplace_back(secret);
  }

  void log(sdk::LogLevel level, std::string_view message) noexcept override {
    try {
      auto* logger = spdlog::default_logger_raw();
      if (logger == nullptr || !logger->should_log(to_spdlog(level))) return;
      logger->log(to_spdlog(level), "{}{}", prefix_, clean(message));
    } catch (...) {
      // Logging must never take the plugin (or the daemon) down.
    }
  }

  const std::string& prefix() const noexcept { return prefix_; }

 private:
  std::string clean(std::string_view message) const {
    std::string text(message);
    std::lock_guard lock(mutex_);
    for (const auto& secret : hidden_) {
      for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 8)) {
        text.replace(at, secret.size(), "[secret]");
      }
    }
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
        out += '?';
      } else {
        out += c;
      }
    }
    return out;
  }

  std::string prefix_;
  mutable std::mutex mutex_;  ///< hide() runs on whichever thread refreshed a token.
  std::vector<std::string> hidden_;
};

/// The plugin's view of its state: the backing store plus log redaction of secret values.
class RedactingState final : public sdk::StateStore {
 public:
  RedactingState(std::shared_ptr<sdk::StateStore> backing, PrefixLogger& logger)
      : backing_(backing ? std::move(backing) : std::make_shared<sdk::MemoryStateStore>()), logger_(logger) {}

  sdk::Result<std::optional<std::string>> get(std::string_view key) const noexcept override {
    auto value = backing_->get(key);
    try {
      // Whether a stored value was a secret is not stored; after a restart every value read back
      // is hidden, since the plugin may be using it as a credential.
      if (value && *value) hide(**value);
    } catch (...) {
    }
    return value;
  }

  sdk::Result<void> put(std::string_view key, std::string_view value, bool secret) noexcept override {
    try {
      if (secret) hide(value);
    } catch (...) {
      return sdk::fail(sdk::ErrorCode::internal, "out of memory hiding a secret");
    }
    return backing_->put(key, value, secret);
  }

 private:
  /// The value, and each string member when it is a JSON object (a token pair kept as one value).
  void hide(std::string_view value) const {
    logger_.hide(value);
    const auto parsed = nlohmann::json::parse(value, nullptr, false);
    if (!parsed.is_object()) return;
    for (const auto& member : parsed) {
      if (member.is_string()) logger_.hide(member.get_ref<const std::string&>());
    }
  }

  std::shared_ptr<sdk::StateStore> backing_;
  PrefixLogger& logger_;
};

class SecretStore final : public sdk::Secrets {
 public:
  explicit SecretStore(std::map<std::string, config::Secret> secrets) : secrets_(secrets.begin(), secrets.end()) {}

  sdk::Result<std::string> get(std::string_view name) const noexcept override {
    try {
      auto it = secrets_.find(name);
      if (it == secrets_.end()) {
        return sdk::fail(sdk::ErrorCode::not_found, "no secret named \"" + std::string(name) + "\" is configured");
      }
      return it->second.reveal();
    } catch (...) {
      return sdk::Error{};
    }
  }

  std::vector<std::string> values() const {
    std::vector<std::string> out;
    for (const auto& [name, secret] : secrets_) {
      if (secret.reveal().size() >= kMinRedactedLength) out.push_back(secret.reveal());
    }
    return out;
  }

 private:
  std::map<std::string, config::Secret, std::less<>> secrets_;
};

class MapConfigView final : public sdk::ConfigView {
 public:
  explicit MapConfigView(std::map<std::string, std::string> values) : values_(values.begin(), values.end()) {}

  std::optional<std::string> get(std::string_view key) const noexcept override {
    try {
      auto it = values_.find(key);
      if (it == values_.end()) return std::nullopt;
      return it->second;
    } catch (...) {
      return std::nullopt;
    }
  }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

/// Stands in for a missing HTTP client so a plugin gets an error value, never a null reference.
class NoHttpClient final : public sdk::HttpClient {
 public:
  sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest&) noexcept override {
    return sdk::fail(sdk::ErrorCode::internal, "the host gave this plugin no HTTP client");
  }
};

std::string prefix_for(const std::string& plugin, const std::string& shop) {
  return shop.empty() ? "[" + plugin + "] " : "[" + plugin + " shop " + shop + "] ";
}

/// Sorts `options` into secrets and plain values by the declared key types and fills in declared
/// defaults; undeclared keys pass as plain values (validation has already reported them).
void add_options(const std::vector<config::PluginOption>& options, const std::vector<sdk::ConfigKeySpec>& keys,
                 const std::string& owner, std::map<std::string, config::Secret>& secrets,
                 std::map<std::string, std::string>& values) {
  for (const auto& option : options) {
    const auto* spec = find_key_spec(keys, option.key);
    if (spec != nullptr && spec->type == sdk::ConfigType::secret) {
      // `${env:NAME}` is read here; the config check refused one that does not resolve.
      auto resolved = config::detail::secret_from_text(option.value);
      secrets.insert_or_assign(option.key, resolved.secret
                                               ? *resolved.secret
                                               : config::Secret(option.value, "option " + option.key + " of " + owner));
    } else {
      values.insert_or_assign(option.key, option.value);
    }
  }
  for (const auto& spec : keys) {
    if (spec.type == sdk::ConfigType::secret || spec.default_value.empty()) continue;
    values.try_emplace(spec.name, spec.default_value);
  }
}

}  // namespace

struct DaemonHostContext::Impl {
  Impl(std::string prefix, std::shared_ptr<sdk::HttpClient> http_client,
       std::map<std::string, config::Secret> secret_map, std::map<std::string, std::string> config_map,
       std::shared_ptr<const sdk::Clock> clock_source, std::shared_ptr<sdk::StateStore> state_backing)
      : secrets(std::move(secret_map)),
        logger(std::move(prefix), secrets.values()),
        http(http_client ? std::move(http_client) : std::make_shared<NoHttpClient>()),
        clock(clock_source ? std::move(clock_source) : std::make_shared<net::SystemClock>()),
        config(std::move(config_map)),
        state(std::move(state_backing), logger) {}

  SecretStore secrets;
  PrefixLogger logger;
  std::shared_ptr<sdk::HttpClient> http;
  std::shared_ptr<const sdk::Clock> clock;
  MapConfigView config;
  RedactingState state;
};

DaemonHostContext::DaemonHostContext(std::string plugin, std::string shop, std::shared_ptr<sdk::HttpClient> http,
                                     std::map<std::string, config::Secret> secrets,
                                     std::map<std::string, std::string> config, std::shared_ptr<const sdk::Clock> clock,
                                     std::shared_ptr<sdk::StateStore> state)
    : impl_(std::make_unique<Impl>(prefix_for(plugin, shop), std::move(http), std::move(secrets), std::move(config),
                                   std::move(clock), std::move(state))) {}

DaemonHostContext::~DaemonHostContext() = default;

sdk::Logger& DaemonHostContext::logger() noexcept { return impl_->logger; }
sdk::HttpClient& DaemonHostContext::http() noexcept { return *impl_->http; }
const sdk::Clock& DaemonHostContext::clock() const noexcept { return *impl_->clock; }
const sdk::Secrets& DaemonHostContext::secrets() const noexcept { return impl_->secrets; }
const sdk::ConfigView& DaemonHostContext::config() const noexcept { return impl_->config; }
sdk::StateStore& DaemonHostContext::state() noexcept { return impl_->state; }
const std::string& DaemonHostContext::log_prefix() const noexcept { return impl_->logger.prefix(); }

std::shared_ptr<DaemonHostContext> make_shop_host_context(const config::ShopConfig& shop,
                                                          const std::vector<sdk::ConfigKeySpec>& keys,
                                                          std::shared_ptr<sdk::HttpClient> http,
                                                          std::shared_ptr<const sdk::Clock> clock,
                                                          std::shared_ptr<sdk::StateStore> state) {
  std::map<std::string, config::Secret> secrets;
  std::map<std::string, std::string> values;
  add_options(shop.options, keys, "shop " + shop.id, secrets, values);
  // The common keys come last so that they win over an option of the same name.
  if (!shop.app_secret.empty()) secrets.insert_or_assign("app_secret", shop.app_secret);
  if (shop.session) secrets.insert_or_assign("session", *shop.session);
  if (shop.access_token) secrets.insert_or_assign("access_token", *shop.access_token);
  values.insert_or_assign("id", shop.id);
  values.insert_or_assign("platform", shop.platform);
  values.insert_or_assign("base_url", shop.base_url);
  values.insert_or_assign("app_key", shop.app_key);
  if (!shop.sign_method.empty()) values.insert_or_assign("sign_method", shop.sign_method);
  return std::make_shared<DaemonHostContext>(shop.platform, shop.id, std::move(http), std::move(secrets),
                                             std::move(values), std::move(clock), std::move(state));
}

std::shared_ptr<DaemonHostContext> make_warehouse_host_context(const config::WarehouseConfig& warehouse,
                                                               const std::vector<sdk::ConfigKeySpec>& keys,
                                                               std::shared_ptr<sdk::HttpClient> http,
                                                               std::shared_ptr<const sdk::Clock> clock,
                                                               std::shared_ptr<sdk::StateStore> state) {
  std::map<std::string, config::Secret> secrets;
  std::map<std::string, std::string> values;
  add_options(warehouse.options, keys, "the warehouse", secrets, values);
  if (warehouse.webhook_token) secrets.insert_or_assign("webhook_token", *warehouse.webhook_token);
  values.insert_or_assign("connector", warehouse.connector);
  if (!warehouse.webhook_url.empty()) values.insert_or_assign("webhook_url", warehouse.webhook_url);
  return std::make_shared<DaemonHostContext>(warehouse.connector, std::string(), std::move(http), std::move(secrets),
                                             std::move(values), std::move(clock), std::move(state));
}

}  // namespace erp::daemon::plugin_host
