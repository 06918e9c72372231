#pragma once
// The answer to a WMS's call (WAREHOUSE-QIMEN.md §2 "Response"): flag, code and message in the
// call's own format, always HTTP 200 (the business result lives in flag).

#include "erp/adapter.hpp"
#include "erp/warehouse.hpp"

namespace erp::plugins::qimen {

/// The code and message of a refused signature, as Qimen receivers conventionally answer it.
inline constexpr const char* kSignCheckFailure = "sign-check-failure";
inline constexpr const char* kIllegalRequest = "Illegal request";

/// success: code 0. Refused: the outcome's code and message; a refusal for the signature (the
/// code sign-check-failure, or a message starting "signature") says only sign-check-failure /
/// Illegal request.
sdk::PushReply qimen_reply(const sdk::WarehouseCall& call, const sdk::InboundOutcome& outcome);

}  // namespace erp::plugins::qimen
