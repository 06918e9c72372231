#pragma once
// The `page_size` option both platform plugins accept: orders per listing page, 1 to 100 (the
// limit of TOP's increment.get and of Douyin's order.searchList alike).

#include <cstdint>

#include "erp/host.hpp"

namespace erp::plugins {

inline constexpr std::int64_t kMaxPageSize = 100;

/// The configured page size, `fallback` when unset, -1 when it is not a whole number from 1 to 100.
std::int64_t page_size_option(const sdk::ConfigView& config, std::int64_t fallback);

}  // namespace erp::plugins
