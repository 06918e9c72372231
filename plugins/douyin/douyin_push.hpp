#pragma once
// Douyin message pushes (PLATFORMS.md §3.6, rule D11): a JSON array of {tag, msg_id, data} where
// data is itself JSON text, signed in the `event-sign` header as md5(app_key + raw body + secret).

#include <string>
#include <string_view>

#include "erp/adapter.hpp"

namespace erp::plugins::douyin {

/// {"code":0,"msg":"success"}: the acknowledgement the Go SDK answers a push with.
inline constexpr std::string_view kPushSuccess = R"({"code":0,"msg":"success"})";
/// {"code":1,"msg":"fail"}.
inline constexpr std::string_view kPushFailure = R"({"code":1,"msg":"fail"})";

/// Whether `event_sign` is md5(app_key + body + app_secret) in hex (compared ignoring case, in
/// constant time). The exact received bytes are hashed: no whitespace is stripped.
bool push_signature_valid(std::string_view event_sign, std::string_view app_key, std::string_view body,
                          std::string_view app_secret);

/// "order" for trade tags 100-113 and 126, "refund" for 200-218, "dropship" for the 代打 tags 500,
/// 501, 504, 505 and the named `doudian_iopTrade_*` ones (PLATFORMS.md §3.5), "other" for the rest.
std::string push_topic(std::string_view tag);

/// Verifies and reads a push. invalid_input (with the reason, never the body) when the signature
/// is missing or wrong, the app-id header names another app, or the body is not a message array.
/// With `douyin_shop_id` set, messages whose data names another shop are left out: one app's
/// push URL carries every shop it is authorized for, and several shops may share a push path.
/// A dropship message names no order (order_id ""): the host reads the factory's listing again,
/// since a push never carries state (rule D11).
sdk::Result<sdk::PushBatch> parse_douyin_push(const sdk::PushRequest& request, std::string_view app_key,
                                              std::string_view app_secret, std::string_view douyin_shop_id = {});

}  // namespace erp::plugins::douyin
