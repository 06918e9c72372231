#pragma once
// One outbox side effect shape two handlers share: POST a JSON event to a URL someone configured
// (the warehouse's webhook, a factory's notify_url) with the outbox item's idempotency key, so the
// receiver can ignore a repeat after an unknown outcome.

#include <chrono>
#include <optional>
#include <string>

#include "erp/host.hpp"
#include "erp/result.hpp"

namespace erp::daemon::outbox {

struct EventPost {
  std::string url;
  std::string event;            ///< Sent as X-Erpd-Event.
  std::string idempotency_key;  ///< Sent as Idempotency-Key.
  std::string body;             ///< JSON.
  std::chrono::milliseconds timeout{std::chrono::seconds{10}};
  std::optional<std::string> bearer;  ///< Sent as a bearer token when set.
  std::string receiver;               ///< Who answers, for messages ("webhook ...", "factory acme ...").
};

/// 2xx and 409 (the receiver has this key already) are done; 408, 429 and 5xx are transient (the
/// outbox retries); any other status is invalid_input: the receiver refused the event.
sdk::Result<void> post_event(sdk::HttpClient& http, const EventPost& post) noexcept;

}  // namespace erp::daemon::outbox
