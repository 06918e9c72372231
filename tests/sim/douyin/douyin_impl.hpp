#pragma once
// Internals of the Douyin module shared by its source files (gateway, orders, iop, events).

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "douyin_module.hpp"
#include "douyin_pusher.hpp"
#include "douyin_state.hpp"

namespace erp::sim::douyin {

using nlohmann::json;

/// An answer other than success, in the envelope's terms (PLATFORMS.md §3.3).
struct ApiError {
  int code;
  std::string msg;
  std::string sub_code;
  std::string sub_msg;
  int http_status = 200;
  json data = json::object();  ///< Per-item results for partial failures.
};

ApiError missing_param(const std::string& name);
ApiError invalid_param(const std::string& name, const std::string& why);
ApiError business(const std::string& number, const std::string& sub_msg);
ApiError no_permission(const std::string& sub_code, const std::string& sub_msg);

// Business error numbers the simulator uses under 50002 isv.business-failed:<n>. Douyin's real
// numbers for these cases are not documented in the sources (PLATFORMS.md); 41007 is.
inline constexpr const char* kErrOrderNotFound = "10016";
inline constexpr const char* kErrAlreadyShipped = "20005";
inline constexpr const char* kErrRefundPending = "20011";
inline constexpr const char* kErrOrderCancelled = "20012";
inline constexpr const char* kErrNotPaid = "20013";
inline constexpr const char* kErrBuyerCancelled = "20014";
inline constexpr const char* kErrNotBound = "41001";
inline constexpr const char* kErrDistrNotFound = "41002";
inline constexpr const char* kErrDistrState = "41003";
inline constexpr const char* kErrBeforeBinding = "41004";
inline constexpr const char* kErrPieceCount = "41007";

// Typed access to business params; a wrong type or range throws invalid_param, a missing
// required one missing_param. Douyin clients send ids and numbers as strings or numbers.
std::optional<std::string> opt_str(const json& p, const char* key);
std::string req_str(const json& p, const char* key);
std::optional<std::int64_t> opt_int(const json& p, const char* key, std::int64_t lo, std::int64_t hi);
std::int64_t req_int(const json& p, const char* key, std::int64_t lo, std::int64_t hi);
bool opt_bool(const json& p, const char* key, bool fallback);

/// The shop a token resolved to, for one call.
struct Caller {
  ShopState* shop = nullptr;
};

class DouyinModuleImpl final : public DouyinModule {
 public:
  explicit DouyinModuleImpl(Context& context);
  ~DouyinModuleImpl() override;

  std::string name() const override { return "douyin"; }
  std::vector<std::string> platforms() const override { return {"douyin"}; }
  std::string token_name() const override { return "access_token"; }
  bool serves(const Request& request) const override;
  Response handle(const Request& request) override;
  Response transport_error(const Request& partial, int status, const std::string& message) const override;
  void add_shop(const Shop& shop) override;
  std::optional<std::string> apply(const Shop& shop, const YAML::Node& event) override;
  void on_clock(Instant now) override;
  void generate(const Shop& shop, int count, std::mt19937& rng) override;
  json state() const override;
  void reset() override;

  void set_push_faults(double drop, double duplicate) override { pusher_.set_faults(drop, duplicate); }
  void set_decrypt_limit(int calls_per_second) override { decrypt_limit_ = calls_per_second; }
  bool wait_pushes(std::chrono::milliseconds timeout) override { return pusher_.wait_idle(timeout); }

 private:
  using Pushes = std::vector<PushJob>;

  Response dispatch(const Request& request, const std::string& method);
  json token_create(const std::string& app_key, const json& p);
  json token_refresh(const std::string& app_key, const json& p);
  void issue_token(ShopState& s);

  // order.*
  // Reads answer the data member as JSON text built from cached order renderings.
  std::string order_search_list(ShopState& s, const json& p);
  std::string order_detail(ShopState& s, const json& p);
  json order_add_remark(ShopState& s, const json& p, Pushes& pushes);
  json order_logistics_add(ShopState& s, const json& p, Pushes& pushes);
  json order_logistics_multi_pack(ShopState& s, const json& p, Pushes& pushes);
  json order_batch_decrypt(ShopState& s, const json& p);
  // iop.*
  json iop_seller_supplier_list(ShopState& s, const json& p);
  json iop_seller_distribute(ShopState& s, const json& p, Pushes& pushes);
  json iop_seller_cancel_distribute(ShopState& s, const json& p);
  json iop_order_list(ShopState& s, const json& p);
  json iop_order_info(ShopState& s, const json& p);
  json iop_waybill_return(ShopState& s, const json& p, Pushes& pushes);

  // Shared model operations (callers hold the write lock).
  std::int64_t now_s() const;
  std::string next_id(const char* prefix = "69");
  std::string encrypt(const std::string& shop_id, const std::string& order_id, const std::string& plain, char mark);
  Order& find_order(ShopState& s, const std::string& order_id);
  void recompute(Order& o);
  void ship_skus(ShopState& s, Order& o, const std::vector<std::pair<std::size_t, std::int64_t>>& what,
                 const std::string& company, const std::string& code, const char* counter_kind, Pushes& pushes);
  void touch_distr(const Order& o, const SkuOrder& sku);
  Distr& assign(ShopState& merchant, Order& o, SkuOrder& sku, const std::string& factory);
  void push(const ShopState& s, const std::string& tag, const std::string& order_id, json data, Pushes& pushes);
  void push_order_tag(const ShopState& s, const Order& o, const std::string& tag, Pushes& pushes);
  void push_refund(const ShopState& s, const Order& o, const SkuOrder& sku, const std::string& tag, Pushes& pushes);
  void flush(Pushes& pushes);
  json render_order(const Order& o) const;
  /// render_order as text, cached until the next write (callers hold at least the shared lock).
  std::shared_ptr<const std::string> rendered(const Order& o) const;
  /// Forgets cached renderings; every write section calls it while holding the write lock.
  void invalidate_cache();
  json render_distr(const Distr& d, bool detail) const;
  ShopState* shop_by_id(const std::string& id);
  Order make_order(ShopState& s, const std::string& id, const std::string& buyer, const json& receiver);
  std::optional<std::string> apply_locked(ShopState& s, const YAML::Node& event, Pushes& pushes);

  Context& context_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, ShopState> shops_;
  std::map<std::string, std::string> token_index_;    ///< access_token -> shop id
  std::map<std::string, std::string> refresh_index_;  ///< refresh_token -> shop id
  std::map<std::string, std::string> app_secrets_;    ///< app_key -> app_secret
  std::map<std::string, Cipher> ciphers_;
  std::map<std::string, Distr> distrs_;
  std::map<std::string, std::string> idempotent_;  ///< shop id + "\n" + request_id -> data JSON
  mutable std::atomic<std::uint64_t> seq_{0};
  std::atomic<int> decrypt_limit_{20};
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<const Order*, std::shared_ptr<const std::string>> cache_;
  Pusher pusher_;
};

}  // namespace erp::sim::douyin
