#include "outbox/backoff.hpp"

#include <doctest/doctest.h>

using namespace erp::daemon;
using namespace std::chrono_literals;

namespace {
config::OutboxConfig policy() {
  config::OutboxConfig p;
  p.max_attempts = 5;
  p.backoff_initial = 1s;
  p.backoff_max = 30s;
  return p;
}
const erp::sdk::Error kTransient = erp::sdk::fail(erp::sdk::ErrorCode::transient, "timeout");
}  // namespace

TEST_CASE("retry delay doubles per attempt from the initial backoff and stops at the maximum") {
  CHECK(outbox::retry_delay(policy(), 1, kTransient, 0.0) == 1s);
  CHECK(outbox::retry_delay(policy(), 2, kTransient, 0.0) == 2s);
  CHECK(outbox::retry_delay(policy(), 4, kTransient, 0.0) == 8s);
  CHECK(outbox::retry_delay(policy(), 20, kTransient, 0.0) == 30s);
}

TEST_CASE("jitter adds at most a fifth of the delay") {
  CHECK(outbox::retry_delay(policy(), 2, kTransient, 0.999) < 2400ms + 1ms);
  CHECK(outbox::retry_delay(policy(), 2, kTransient, 0.5) == 2200ms);
}

TEST_CASE("a platform's own retry-after wins when it is longer than the backoff") {
  auto limited = erp::sdk::fail(erp::sdk::ErrorCode::rate_limited, "ban will last 90 more seconds");
  limited.retry_after = 90s;
  CHECK(outbox::retry_delay(policy(), 1, limited, 0.0) == 90s);
}

TEST_CASE("permanent errors end an item at once; retryable ones after max_attempts") {
  const auto permanent = erp::sdk::fail(erp::sdk::ErrorCode::invalid_input, "bad waybill");
  CHECK(outbox::is_final_failure(policy(), 1, permanent));
  CHECK_FALSE(outbox::is_final_failure(policy(), 4, kTransient));
  CHECK(outbox::is_final_failure(policy(), 5, kTransient));
}
