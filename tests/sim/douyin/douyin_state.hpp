#pragma once
// The Douyin module's in-memory model: shops with their tokens, shop orders with sku orders,
// receiver ciphertexts, dropship (iop) assignments and idempotency answers. Guarded by the
// module's lock; nothing here is thread-safe on its own.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/core/module.hpp"

namespace erp::sim::douyin {

/// Douyin order_status / main_status codes (PLATFORMS.md §3.4).
enum : int {
  kUnpaid = 1,
  kPaid = 105,
  kToShip = 2,
  kPartShipped = 101,
  kShipped = 3,
  kCancelled = 4,
  kCompleted = 5,
};

/// Where an after-sale stands on a sku order (sim-internal; rendered as after_sale_info).
enum class Refund { none, requested, agreed, success, closed };

struct SkuOrder {
  std::string id;
  std::string product_id;
  std::string product_name;
  std::string sku_id;
  std::string out_sku_id;  ///< The merchant's sku code.
  std::string spec;        ///< e.g. "颜色:红色"
  std::int64_t item_num = 1;
  std::int64_t price = 0;  ///< Unit price, fen.
  std::int64_t pay_amount = 0;
  bool cancelled = false;  ///< Cancelled by the buyer (before shipping) or by a refund success.
  Refund refund = Refund::none;
  std::string aftersale_id;
  std::int64_t shipped_num = 0;
  std::int64_t ship_time = 0;
  std::string logistics_code;
  std::string company_code;
  std::string distr_order_id;  ///< Active dropship assignment, if any.
  bool shipped() const { return shipped_num >= item_num; }
  bool blocked() const { return cancelled || refund == Refund::success; }
};

struct Pack {
  std::string pack_id;
  std::string company_code;
  std::string logistics_code;
  std::int64_t ship_time = 0;
  std::vector<std::pair<std::string, std::int64_t>> items;  ///< sku order id, quantity
};

struct Order {
  std::string id;
  std::uint64_t seq = 0;  ///< Creation order; breaks ties between equal times in listings.
  std::string shop_id;
  std::string buyer;
  int status = kUnpaid;
  std::int64_t create_time = 0;
  std::int64_t update_time = 0;
  std::int64_t pay_time = 0;
  std::int64_t exp_ship_time = 0;
  std::int64_t ship_time = 0;
  std::int64_t finish_time = 0;
  std::int64_t cancel_time = 0;
  std::int64_t post_amount = 0;
  std::string buyer_words;
  std::string remark;
  int star = 0;
  // Receiver: province/city/town/street travel in clear (as on Douyin); name, phone and detail
  // only as ciphertext (rule D10). The plaintext lives in the cipher table, never here.
  std::string province, city, town, street;
  std::string enc_name, enc_tel, enc_detail;
  std::string mask_name, mask_tel;
  std::vector<SkuOrder> skus;
  std::vector<Pack> packs;
  std::int64_t order_amount() const;
  std::int64_t pay_amount() const;
};

struct Cipher {
  std::string shop_id;
  std::string order_id;
  std::string plaintext;
};

/// One sku order assigned to a factory (代打): distr_status 1 to ship, 2 shipped, 3 assignment cancelled.
struct Distr {
  std::string id;
  std::string merchant;
  std::string factory;
  std::string order_id;
  std::string sku_order_id;
  int status = 1;
  std::int64_t distr_time = 0;
  std::int64_t update_time = 0;
  std::string cancel_reason;
};

struct ShopState {
  Shop shop;
  std::string token;
  std::string refresh;
  std::int64_t token_exp = 0;
  std::int64_t refresh_exp = 0;
  std::map<std::string, Order> orders;
  std::map<std::string, std::int64_t> factories;  ///< Bound factory shop id -> binding time (D2, D3).
  std::int64_t decrypt_second = -1;
  int decrypt_calls = 0;
};

}  // namespace erp::sim::douyin
