#pragma once
// Receiver decryption for the party that ships (rule D10): POST /v1/receivers/decrypt and
// GET /v1/orders/{platform}/{shop}/{order_id}/receiver. The plaintext lives in the response only:
// never logged, never stored; every decryption handed out is an audit event on its order.

#include <functional>
#include <string>

#include "api/router.hpp"
#include "core/order_key.hpp"
#include "erp/adapter.hpp"

namespace erp::daemon::api::receiver_routes {

/// Most orders one batch request may name.
inline constexpr std::size_t kMaxOrders = 200;

/// Body `{"orders": [{"platform", "shop", "order_id"}, ...]}` (1..200 entries). 200 with
/// `{"receivers": [...]}` in the request's order, each entry decrypted or with its `error`
/// (unknown order, a platform without decryption, the platform's refusal); 400 for a bad body;
/// 503 with Retry-After when the platform stayed rate limited for about 5 s, or while another
/// decryption request is running.
ApiResponse post_decrypt(ApiDeps& deps, const std::string& body);

/// One order's receiver: 200 with the same entry object; 404 unknown order; 422 the platform
/// gives no decryption or the order has no ciphertext; 503 no running adapter, rate limited or
/// busy; 502 the platform refused or failed.
ApiResponse get_receiver(ApiDeps& deps, const OrderKey& key);

/// A dropship factory's receiver for printing (rule D10): `cipher` decrypted through `shop`'s
/// adapter, with the same busy and rate-limit answers as above. `region` gives province, city and
/// district. `audit` is called with the outcome ("decrypted", or the error code) before anything
/// is answered; an order the daemon does not store (a factory shop's item) has no event log, so
/// the caller keeps the audit.
ApiResponse factory_receiver(ApiDeps& deps, const std::string& shop, const sdk::ReceiverCipher& cipher,
                             const sdk::Receiver& region, const std::function<void(const std::string&)>& audit);

}  // namespace erp::daemon::api::receiver_routes
