#pragma once
// The `timeout` option both platform plugins accept: how long one platform call may take.

#include <chrono>
#include <optional>
#include <string_view>

namespace erp::plugins {

/// `500ms`, `2s`, `1m`, from 100 ms to 5 minutes; nullopt when malformed or out of range.
std::optional<std::chrono::milliseconds> parse_timeout(std::string_view text) noexcept;

}  // namespace erp::plugins
