#pragma once
// Dropship on Douyin (代打, iop.*; PLATFORMS.md §3.5, rules D1-D11): the requests of the merchant
// side (iop.sellerSupplierList, iop.sellerDistribute, iop.sellerCancleDistribute) and of the factory
// side (iop.orderList, iop.orderInfo, iop.waybillReturn), and their answers mapped onto
// erp/dropship.hpp. Pure translation: which items to assign, when to poll and what to do with a
// refusal is the host's.
//
// Business numbers under 50002 isv.business-failed:<n> are platform-sim's (tests/sim/README.md);
// Douyin documents only 41007. Per-item refusals of iop.sellerDistribute carry words, not numbers,
// so both are read.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "erp/adapter.hpp"
#include "erp/dropship.hpp"
#include "plugins/douyin/douyin_errors.hpp"

namespace erp::plugins::douyin {

/// iop.orderList: end_update_time - start_update_time <= 30 minutes (§3.5). Longer windows are
/// read in slices of this length.
inline constexpr std::int64_t kMaxDropshipSliceSeconds = 30 * 60;
/// iop.orderList / iop.sellerSupplierList `size` limit.
inline constexpr std::int64_t kMaxDropshipPageSize = 100;
/// iop.sellerDistribute: distribute_order_list holds 1 to 100 orders.
inline constexpr std::size_t kMaxDistributeOrders = 100;

/// "41001" for sub_code "isv.business-failed:41001"; "" for any other sub_code.
std::string business_number(std::string_view sub_code);

/// Why Douyin refused one item, from its business number (may be "") and its words:
/// 20005 / "已发货" already_shipped; 20014, 20012 / "已取消" buyer_cancelled; 41001 not_bound;
/// 41004 / "早于绑定" before_binding; "已分配" already_assigned; 10016, 41002 / "不存在" not_found;
/// anything else (41003 wrong state, "已取消分配" taken back by the merchant, 20011 after-sale
/// pending ...) other. A known number wins over the words.
sdk::DropshipRefusal dropship_refusal(std::string_view number, std::string_view words);

// --- merchant side -------------------------------------------------------------------------------

/// One mapped iop.sellerSupplierList page.
struct SupplierPage {
  std::vector<sdk::FactoryBinding> factories;  ///< Entries in force (status 1 or none given).
  std::size_t listed = 0;                      ///< supplier_list entries on the page, any status.
  std::int64_t total = 0;
};

/// The `data` of iop.sellerSupplierList: supplier_list[]{supplier_id, supplier_name, bind_time,
/// status}, total. bind_time is unix seconds (0 or absent: the epoch). Throws std::invalid_argument
/// when data has the wrong shape.
SupplierPage map_supplier_list(const nlohmann::json& data);

/// The iop.sellerDistribute params, one object per call of at most kMaxDistributeOrders orders:
/// {supplier_shop_id, distribute_order_list[]{order_id, sku_order_ids[]}}, the items grouped by
/// order in the order they first appear. The request must be valid (check_distribute).
std::vector<nlohmann::json> distribute_calls(const sdk::DistributeRequest& request);

/// invalid_input when a factory id, an order id or a line id is missing.
sdk::Result<void> check_distribute(const sdk::DistributeRequest& request);

/// One result per item of `items`, in their order, from an answer's data (result_list[]{order_id,
/// sku_order_id, distr_order_id, success, err_msg}); a result without sku_order_id stands for
/// every item of its order (Douyin refuses whole orders that way). An item the answer does not
/// mention is refused `other`.
std::vector<sdk::DistributeResult> map_distribute_results(const std::vector<sdk::DistributeItem>& items,
                                                          const nlohmann::json& data);

/// Every item refused for the same reason (41001 for the whole call: not_bound).
std::vector<sdk::DistributeResult> refuse_all(const std::vector<sdk::DistributeItem>& items,
                                              sdk::DropshipRefusal refusal, const std::string& detail);

/// What a refused iop.sellerDistribute call means: per-item results (10001 part failed, or a
/// refusal carrying data.result_list), every item not_bound (41001), or nullopt: an error.
std::optional<std::vector<sdk::DistributeResult>> distribute_refusal(const std::vector<sdk::DistributeItem>& items,
                                                                     const DouyinError& refusal);

// --- factory side --------------------------------------------------------------------------------

/// iop.orderList params: inclusive unix seconds (at most kMaxDropshipSliceSeconds apart), every
/// distr_status, page from 0.
nlohmann::json order_list_params(std::int64_t from_s, std::int64_t to_s, std::int64_t page, std::int64_t size);

/// One iop.orderList / iop.orderInfo entry as a DropshipOrder, or why it cannot be (the payload
/// with any plaintext receiver field blanked, rule D10). distr_status 1 to_ship, 2 shipped,
/// 3 unassigned. The receiver is the ciphertext of encrypt_post_receiver, encrypt_post_tel and
/// encrypt_detail, encoded as the order mapper encodes an order's (encode_receiver_ciphers), so
/// decrypt_receivers({order_id = shop_order_id, ciphertext}) opens it; the listing carries neither
/// the ciphertexts nor shop_order_id, so listed entries have region only (get_dropship for the rest).
std::variant<sdk::DropshipOrder, sdk::Rejected> map_dropship_order(const nlohmann::json& item);

/// One mapped iop.orderList page.
struct DropshipList {
  std::vector<sdk::DropshipOrder> orders;
  std::vector<sdk::Rejected> rejected;
  std::int64_t total = 0;
};

/// The `data` of iop.orderList: order_list[], total. Throws std::invalid_argument on a wrong shape
/// (total 0 with no list is an empty page).
DropshipList map_dropship_list(const nlohmann::json& data);

/// iop.waybillReturn params: distr_order_id, company_code, track_no, user_id (the merchant) when known.
nlohmann::json waybill_return_params(const sdk::DropshipShipment& shipment);

/// A refused iop.waybillReturn as a receipt when it is a business refusal (50001/50002: already
/// shipped 20005, buyer cancelled 20014/20012, no such assignment 41002, wrong state 41003,
/// after-sale pending 20011 ...): the same call would be refused again. nullopt for anything else
/// (transport, rate limit, token, permission), which stays an error.
std::optional<sdk::DropshipShipReceipt> waybill_refusal(const DouyinError& refusal);

}  // namespace erp::plugins::douyin
