#include "erp/privacy.hpp"

#include <doctest/doctest.h>

using namespace erp::sdk;

TEST_CASE("D10 masked receiver forms keep only what a person may see") {
  CHECK(mask_name("张三丰") == "张**");
  CHECK(mask_name("李") == "李*");
  CHECK(mask_name("Li") == "L*");
  CHECK(mask_name("") == "");
  CHECK(mask_phone("13812345678") == "138****5678");
  CHECK(mask_phone("12345") == "*****");
  CHECK(mask_address("浙江省", "杭州市", "西湖区") == "浙江省杭州市西湖区****");
}

TEST_CASE("masking never splits a multi-byte character into invalid UTF-8") {
  const std::string masked = mask_name("欧阳娜娜");
  CHECK(masked == "欧***");
  CHECK(masked.size() == 3 + 3);
}
