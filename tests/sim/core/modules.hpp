#pragma once
// The platform modules the platform-sim binary registers. Each is implemented in its own folder
// (tests/sim/top, tests/sim/douyin, tests/sim/example, tests/sim/qimen) as a static library
// (erp_sim_top, erp_sim_douyin, erp_sim_example, erp_sim_qimen).

#include <memory>

#include "module.hpp"

namespace erp::sim {

/// Taobao and Tmall shops over the TOP gateway (/router/rest).
std::unique_ptr<PlatformModule> make_top_module(Context& context);

/// Douyin shops over the Douyin open platform (/<method with dots as slashes>).
std::unique_ptr<PlatformModule> make_douyin_module(Context& context);

/// The plugin template's made-up platform (/example/...), see tests/sim/example.
std::unique_ptr<PlatformModule> make_example_module(Context& context);

/// A warehouse system (WMS) speaking the Qimen warehouse standard (/router/qimen/service), see
/// tests/sim/qimen.
std::unique_ptr<PlatformModule> make_qimen_module(Context& context);

}  // namespace erp::sim
