#pragma once
// Version numbers of the SDK. Bump kAbiVersion whenever a header in erp/ changes a class layout,
// a virtual function table or a struct that crosses the plugin boundary.

#include <cstdint>

namespace erp::sdk {

/// Plugin ABI version. The host refuses a plugin built against any other value.
inline constexpr std::uint32_t kAbiVersion = 2;

/// SDK release, for humans.
inline constexpr const char* kSdkVersion = "0.2.0";

}  // namespace erp::sdk
