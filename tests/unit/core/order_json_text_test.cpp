// order_to_json_text must write exactly what order_to_json(...).dump() writes: the store compares
// a fetched order's text with the stored one to tell "unchanged", and the API reads it back.

#include "core/order_json_text.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

#include "core/json_text.hpp"
#include "core/order_json.hpp"
#include "core/time_format.hpp"
#include "unit/core/sample_order.hpp"

using namespace erp;
using namespace erp::daemon;

namespace {

std::string dom_text(const sdk::Order& order, bool include_ciphertext) {
  return order_to_json(order, include_ciphertext).dump();
}

/// The shared sample with the text that needs escaping, an empty line, a negative amount and
/// more extras.
sdk::Order full_order() {
  sdk::Order o = erp::test::sample();
  o.cross_border = sdk::CrossBorderType::bonded_import;
  o.paid_at = *parse_rfc3339("2026-11-11T00:00:05.250Z");
  o.total = sdk::Money{-59800};
  o.lines[0].title = "大衣 \"冬款\"";
  o.lines.push_back({"L2", "", "", "", "", 0, sdk::Money{0}, sdk::Money{0}, sdk::OrderStatus::closed,
                     sdk::RefundStatus::none, std::nullopt, "", ""});
  o.lines[0].waybill = "SF\"1\"\n";
  o.lines[0].shipped_at = *parse_rfc3339("2026-11-12T03:04:05.007Z");
  o.memo = "拦截\n第二行\t😀";
  o.memo_flag = 5;
  o.extras.emplace("中文键", "值");
  o.extras.emplace("A", "");
  return o;
}

/// Random text from plain ASCII (control characters included), 2-, 3- and 4-byte characters.
std::string random_text(std::mt19937& rng) {
  static const char* const kPieces[] = {"a", "Z", "0", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t",
                                        "\x01", "\x1f", "\x7f", "é", "张", "😀", "{", "}", ",", ":"};
  std::uniform_int_distribution<int> length(0, 12);
  std::uniform_int_distribution<std::size_t> piece(0, std::size(kPieces) - 1);
  std::string text;
  for (int n = length(rng); n > 0; --n) text += kPieces[piece(rng)];
  return text;
}

sdk::Order random_order(std::mt19937& rng) {
  std::uniform_int_distribution<std::int64_t> number(-5'000'000'000LL, 5'000'000'000LL);
  std::uniform_int_distribution<int> small(0, 3);
  sdk::Order o;
  o.platform = random_text(rng);
  o.shop = random_text(rng);
  o.order_id = random_text(rng);
  o.status = static_cast<sdk::OrderStatus>(small(rng));
  o.platform_status = random_text(rng);
  o.created_at = from_millis(number(rng) + 1'800'000'000'000LL);
  if (small(rng) > 0) o.paid_at = from_millis(number(rng) + 1'800'000'000'000LL);
  o.modified_at = from_millis(number(rng) + 1'800'000'000'000LL);
  o.total.fen = number(rng);
  for (int n = small(rng); n > 0; --n) {
    sdk::OrderLine line;
    line.line_id = random_text(rng);
    line.title = random_text(rng);
    line.sku = random_text(rng);
    line.quantity = number(rng);
    line.price.fen = number(rng);
    line.paid.fen = number(rng);
    if (small(rng) > 1) line.shipped_at = from_millis(number(rng) + 1'800'000'000'000LL);
    line.waybill = random_text(rng);
    line.carrier = random_text(rng);
    o.lines.push_back(line);
  }
  o.receiver.ciphertext = random_text(rng);
  o.receiver.masked_name = random_text(rng);
  o.receiver.city = random_text(rng);
  o.buyer_ref = random_text(rng);
  o.memo = random_text(rng);
  o.memo_flag = small(rng);
  if (small(rng) > 1) o.ship_by = from_millis(number(rng) + 1'800'000'000'000LL);
  for (int n = small(rng); n > 0; --n) o.reservation_order_ids.push_back(random_text(rng));
  for (int n = small(rng); n > 0; --n) o.extras[random_text(rng)] = random_text(rng);
  return o;
}

}  // namespace

TEST_CASE("the payload text of a full order is byte for byte the document's dump, with and without ciphertext") {
  const auto order = full_order();
  CHECK(order_to_json_text(order, true) == dom_text(order, true));
  CHECK(order_to_json_text(order, false) == dom_text(order, false));
  CHECK(order_to_json_text(order, true).find("#cipher#") != std::string::npos);
  CHECK(order_to_json_text(order, false).find("#cipher#") == std::string::npos);
}

TEST_CASE("the payload text of an empty order is the document's dump, nulls and empty lists included") {
  const sdk::Order empty;
  CHECK(order_to_json_text(empty, true) == dom_text(empty, true));
  CHECK(order_to_json_text(empty, true).find("\"paid_at\":null") != std::string::npos);
}

TEST_CASE("2,000 random orders (escapes, control characters, multi-byte text) give the document's dump") {
  std::mt19937 rng(20261123);
  for (int i = 0; i < 2000; ++i) {
    const auto order = random_order(rng);
    const bool with_ciphertext = i % 2 == 0;
    REQUIRE_MESSAGE(order_to_json_text(order, with_ciphertext) == dom_text(order, with_ciphertext), "order #", i);
  }
}

TEST_CASE("text that is not UTF-8 is refused the way dump() refuses it") {
  for (const std::string& bad : {std::string("\xff"), std::string("ok\xc3"), std::string("\xe0\x80\x80"),
                                std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80"), std::string("\xc0\xaf")}) {
    auto order = full_order();
    order.memo = bad;
    CHECK_THROWS_AS(dom_text(order, true), nlohmann::json::type_error);
    CHECK_THROWS_AS(order_to_json_text(order, true), nlohmann::json::type_error);
  }
}

TEST_CASE("append_json_string escapes like dump() and says when the text is not UTF-8") {
  std::string out;
  CHECK(append_json_string(out, std::string("a\"b\\c\x01\x7f/\xe5\xbc\xa0", 11)));
  CHECK(out == nlohmann::json(std::string("a\"b\\c\x01\x7f/\xe5\xbc\xa0", 11)).dump());
  CHECK(out == "\"a\\\"b\\\\c\\u0001\x7f/\xe5\xbc\xa0\"");
  std::string partial;
  CHECK_FALSE(append_json_string(partial, "\x80"));
}
