#include <doctest/doctest.h>

#include "erp/model.hpp"
#include "erp/result.hpp"

using namespace erp::sdk;

TEST_CASE("retryable and permanent error codes are classified for the host's retry policy") {
  CHECK(fail(ErrorCode::transient, "x").retryable);
  CHECK(fail(ErrorCode::rate_limited, "x").retryable);
  CHECK_FALSE(fail(ErrorCode::invalid_input, "x").retryable);
  CHECK_FALSE(fail(ErrorCode::already_shipped, "x").retryable);
  CHECK_FALSE(fail(ErrorCode::config_error, "x").retryable);
  CHECK(to_string(ErrorCode::already_shipped) == "already_shipped");
}

TEST_CASE("a Result holds either the value or the error") {
  Result<int> good = 42;
  REQUIRE(good.ok());
  CHECK(*good == 42);
  Result<int> bad = fail(ErrorCode::not_found, "no such order");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "no such order");
  Result<void> done;
  CHECK(done.ok());
}

TEST_CASE("normalized status names are the fixed public ones and round-trip") {
  for (auto s : {OrderStatus::pending_payment, OrderStatus::paid, OrderStatus::partially_shipped, OrderStatus::shipped,
                 OrderStatus::completed, OrderStatus::closed}) {
    CHECK(order_status_from_string(to_string(s)) == s);
  }
  CHECK(to_string(OrderStatus::partially_shipped) == "partially_shipped");
  CHECK_FALSE(order_status_from_string("PAID").has_value());
  CHECK(refund_status_from_string("refunded") == RefundStatus::refunded);
  CHECK(cross_border_from_string("bonded_import") == CrossBorderType::bonded_import);
}
