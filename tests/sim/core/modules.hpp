#pragma once
// The platform modules the platform-sim binary registers. Each is implemented in its own folder
// (tests/sim/top, tests/sim/douyin) as a static library (erp_sim_top, erp_sim_douyin).

#include <memory>

#include "module.hpp"

namespace erp::sim {

/// Taobao and Tmall shops over the TOP gateway (/router/rest).
std::unique_ptr<PlatformModule> make_top_module(Context& context);

/// Douyin shops over the Douyin open platform (/<method with dots as slashes>).
std::unique_ptr<PlatformModule> make_douyin_module(Context& context);

}  // namespace erp::sim
