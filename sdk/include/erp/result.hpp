#pragma once
// Errors cross the plugin boundary as values, never as exceptions (CONVENTIONS 4).
// A plugin classifies what went wrong; the host decides whether and when to retry.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace erp::sdk {

/// What went wrong, in terms the host's retry policy understands.
enum class ErrorCode {
  rate_limited,     ///< The platform throttled us; retry after `retry_after`.
  auth_expired,     ///< Token expired; the host may refresh it or mark the shop needs-reauth.
  needs_reauth,     ///< The merchant must authorize the app again; no retry helps.
  not_found,        ///< The object does not exist on the other side.
  already_shipped,  ///< A shipment was refused because the lines already shipped.
  transient,        ///< Network error, timeout, 5xx, platform-side hiccup: retry with backoff.
  invalid_input,    ///< The request or payload is malformed; retrying the same thing cannot help.
  config_error,     ///< Bad app key, bad signature, wrong base URL: the operator must fix config.
  unsupported,      ///< The adapter does not have this capability.
  conflict,         ///< The object changed state in a way that forbids the operation.
  internal,         ///< A bug in the plugin or the host.
};

/// The stable name of a code as used in logs, the API and the outbox (`rate_limited`, ...).
constexpr std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::auth_expired: return "auth_expired";
    case ErrorCode::needs_reauth: return "needs_reauth";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::already_shipped: return "already_shipped";
    case ErrorCode::transient: return "transient";
    case ErrorCode::invalid_input: return "invalid_input";
    case ErrorCode::config_error: return "config_error";
    case ErrorCode::unsupported: return "unsupported";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

/// Whether the same call may succeed later without anyone changing anything.
constexpr bool is_retryable(ErrorCode code) noexcept {
  return code == ErrorCode::rate_limited || code == ErrorCode::transient || code == ErrorCode::auth_expired;
}

/// A failure with its classification. `message` must never contain secrets or receiver plaintext.
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  bool retryable = false;
  /// When the other side said how long to wait (TOP "ban will last N more seconds").
  std::optional<std::chrono::seconds> retry_after;

  static Error make(ErrorCode code, std::string message) {
    return Error{code, std::move(message), is_retryable(code), std::nullopt};
  }
};

/// Either a value or an Error. A small stand-in for std::expected (C++23).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

/// Result of an operation that yields nothing but may fail.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

/// Shorthand: `return erp::sdk::fail(ErrorCode::transient, "timeout");`
inline Error fail(ErrorCode code, std::string message) { return Error::make(code, std::move(message)); }

}  // namespace erp::sdk
