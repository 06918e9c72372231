#include "erp/money.hpp"

#include <doctest/doctest.h>

using erp::sdk::format_yuan;
using erp::sdk::Money;
using erp::sdk::parse_yuan;

TEST_CASE("platform decimal strings become exact fen") {
  CHECK(parse_yuan("12")->fen == 1200);
  CHECK(parse_yuan("12.3")->fen == 1230);
  CHECK(parse_yuan("12.30")->fen == 1230);
  CHECK(parse_yuan("0.01")->fen == 1);
  CHECK(parse_yuan("-0.01")->fen == -1);
  CHECK(parse_yuan("19999.99")->fen == 1999999);
}

TEST_CASE("anything that is not a plain yuan amount is refused rather than guessed") {
  for (const char* bad : {"", "-", ".5", "1.", "1.234", "1e3", " 1", "1 ", "1,000.00", "abc", "99999999999999999999"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_yuan(bad).has_value());
  }
}

TEST_CASE("fen print back as yuan with two decimals") {
  CHECK(format_yuan(Money{1230}) == "12.30");
  CHECK(format_yuan(Money{5}) == "0.05");
  CHECK(format_yuan(Money{-105}) == "-1.05");
  CHECK(format_yuan(Money{0}) == "0.00");
  CHECK(format_yuan(*parse_yuan("8888.88")) == "8888.88");
}
