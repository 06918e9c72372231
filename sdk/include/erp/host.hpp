#pragma once
// What the host lends a plugin (CONVENTIONS 5). A plugin never touches SQLite, spdlog globals or
// curl_global_init: it reaches the outside world only through this context, so retries, timeouts,
// rate limits, metrics and fault injection live in one place and plugins can be tested offline.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "erp/model.hpp"
#include "erp/result.hpp"

namespace erp::sdk {

enum class LogLevel { trace, debug, info, warn, error };

/// The plugin's logger. Messages are prefixed with the plugin and shop by the host.
/// Never pass secrets or receiver plaintext.
class Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(LogLevel level, std::string_view message) noexcept = 0;
  void debug(std::string_view m) noexcept { log(LogLevel::debug, m); }
  void info(std::string_view m) noexcept { log(LogLevel::info, m); }
  void warn(std::string_view m) noexcept { log(LogLevel::warn, m); }
  void error(std::string_view m) noexcept { log(LogLevel::error, m); }
};

/// One HTTP round trip as the plugin built it. The plugin signs; the host sends.
struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{30000};
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// The first header with this name (case-insensitive), if any.
  std::optional<std::string> header(std::string_view name) const;
};

/// The host's HTTP client. A network failure or timeout comes back as ErrorCode::transient;
/// any HTTP status, including 5xx, comes back as a response for the plugin to classify.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request) noexcept = 0;
};

/// The host's clock (tests and platform-sim scenarios move it).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const noexcept = 0;
};

/// Named secrets of the plugin's shop: "app_secret", "session" (TOP), "access_token" (Douyin) ...
/// Resolved by the host from config literals, *_file references or environment references.
class Secrets {
 public:
  virtual ~Secrets() = default;
  virtual Result<std::string> get(std::string_view name) const noexcept = 0;
};

/// A read-only view of the plugin's own config section (the shop entry or the warehouse entry),
/// already validated against the keys the plugin declared.
class ConfigView {
 public:
  virtual ~ConfigView() = default;
  /// The value of a scalar key as written in YAML, or nullopt when absent.
  virtual std::optional<std::string> get(std::string_view key) const noexcept = 0;
  std::string get_or(std::string_view key, std::string fallback) const {
    auto v = get(key);
    return v ? *v : std::move(fallback);
  }
};

/// Small durable state of one plugin instance (its shop), kept by the host in the daemon's
/// database so it survives restarts: refreshed tokens, a platform-side cursor. Not for orders.
class StateStore {
 public:
  virtual ~StateStore() = default;
  /// The value last put under `key`, or nullopt when none was.
  virtual Result<std::optional<std::string>> get(std::string_view key) const noexcept = 0;
  /// Stores `value` under `key` durably before returning. `secret`: the value is a credential
  /// (a refreshed token); the host hides it in this plugin's log lines from now on, and when it
  /// is a JSON object, each of its string members too (a token pair stored as one value).
  virtual Result<void> put(std::string_view key, std::string_view value, bool secret) noexcept = 0;
};

/// Everything the host lends one plugin instance. Outlives every object the plugin creates with it.
class HostContext {
 public:
  virtual ~HostContext() = default;
  virtual Logger& logger() noexcept = 0;
  virtual HttpClient& http() noexcept = 0;
  virtual const Clock& clock() const noexcept = 0;
  virtual const Secrets& secrets() const noexcept = 0;
  virtual const ConfigView& config() const noexcept = 0;
  virtual StateStore& state() noexcept = 0;
};

inline std::optional<std::string> HttpResponse::header(std::string_view name) const {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  for (const auto& [key, value] : headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < key.size() && same; ++i) same = lower(key[i]) == lower(name[i]);
    if (same) return value;
  }
  return std::nullopt;
}

}  // namespace erp::sdk
