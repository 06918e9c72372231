#pragma once
// Douyin shop orders (PLATFORMS.md §3.4: an order.searchList `shop_order_list` item or order.orderDetail's
// `shop_order_detail`) -> sdk::Order. Reads what platform-sim renders and the real platform's variations:
// ids and amounts as JSON numbers or strings, missing optional fields, nulls.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "erp/adapter.hpp"
#include "erp/model.hpp"

namespace erp::plugins::douyin {

/// One Douyin shop order (an order.searchList `shop_order_list` item or order.orderDetail's
/// `shop_order_detail`) as an sdk::Order, or the reason it cannot be mapped (with the payload).
/// Never throws for bad input: every problem is a Rejected whose reason names the field and never
/// carries receiver data. The payload is the item's JSON with the legacy plaintext receiver fields
/// (`post_receiver`, `post_tel`, `post_addr.detail`, also on sku items, and `user_id_info`'s plaintext)
/// blanked, because quarantine stores it as is (rule D10).
std::variant<sdk::Order, sdk::Rejected> map_shop_order(const nlohmann::json& item, const std::string& shop);

/// One mapped order.searchList page.
struct MappedList {
  std::vector<sdk::Order> orders;
  std::vector<sdk::Rejected> rejected;
  std::int64_t total = 0;
  std::int64_t page = 0;
  std::int64_t size = 0;
};

/// The `data` object of an order.searchList answer: {page, size, total, shop_order_list[]}. A data object
/// without a list (or a list that is not an array) throws std::invalid_argument with a clear message; so do
/// page/size/total that are not integers. One exception: `total` 0 with no list (or a null one) is an
/// empty page, not a wrong shape.
MappedList map_order_list(const nlohmann::json& data, const std::string& shop);

/// order_status / main_status code -> normalized status: 1 pending_payment; 105 and 2 paid; 101 partially_shipped;
/// 3 shipped; 4 closed; 5 completed; nullopt for anything else (then the order is Rejected with the reason).
std::optional<sdk::OrderStatus> status_from_code(std::int64_t code) noexcept;

/// after_sale_info.after_sale_status -> refund status; nullopt for a code not documented. Codes are those of
/// order.searchList's AfterSaleInfo and afterSale.List (zsmhub/doudian-sdk response structs):
/// 0 none; 6 requested; 3, 7, 8, 11, 13 in_progress (return or exchange under way, second review);
/// 12, 51, 53 refunded (after-sale succeeded, cancellation refunded, reverse trade finished);
/// 14, 27, 28, 29 closed (exchange done, refused once or twice, failed or withdrawn).
std::optional<sdk::RefundStatus> refund_from_after_sale_status(std::int64_t code) noexcept;

/// The Receiver::ciphertext this mapper writes: compact JSON {"name": encrypt_post_receiver, "phone": encrypt_post_tel,
/// "detail": post_addr.encrypt_detail} (keys only when present), and its reverse for decryption.
struct ReceiverCiphers {
  std::string name, phone, detail;
};
/// Compact, keys sorted (detail, name, phone); an empty member is left out ("{}" when all are empty).
std::string encode_receiver_ciphers(const ReceiverCiphers& c);
/// nullopt when the text is not a JSON object whose only keys are name / phone / detail with string values.
std::optional<ReceiverCiphers> decode_receiver_ciphers(std::string_view text);

}  // namespace erp::plugins::douyin
