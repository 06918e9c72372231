#pragma once
// Version numbers of the SDK. Bump kAbiVersion whenever a header in erp/ changes a class layout,
// a virtual function table or a struct that crosses the plugin boundary.

#include <cstdint>

namespace erp::sdk {

/// Plugin ABI version. The host refuses a plugin built against any other value.
///   1: the first SDK.
///   2: HostContext::state(); PlatformAdapter::parse_push, push_refusal and decrypt_receivers.
///   3: intercepts (rules I1-I9): LockRequest gains platform, shop and intercept_id;
///      WarehouseConnector::unlock(); Capabilities::memo_max_chars.
///   4: 1-yuan reservation gifts (rules G1-G13): OrderLine gains shipped_at, waybill and carrier;
///      DeliveryOrder::added_lines holds AddedLine (the line, its rule id, the orders it fulfils).
///   5: dropship (rules D1-D11): erp/dropship.hpp; PlatformAdapter::list_factories, distribute,
///      cancel_distribution, list_dropship, get_dropship and return_waybill.
///   6: warehouse inbound (Qimen): DeliveryOrder::delivery_code, LockRequest::delivery_codes;
///      WarehouseConnector::lock_cancels_delivery, parse_inbound and inbound_reply.
inline constexpr std::uint32_t kAbiVersion = 6;

/// SDK release, for humans.
inline constexpr const char* kSdkVersion = "0.6.0";

}  // namespace erp::sdk
