#pragma once
// The TOP (Taobao Open Platform) module of platform-sim: the /router/rest gateway for Taobao and
// Tmall shops, with TOP's signature, timestamp and session checks, its error_response shape and
// the trade, memo and offline-shipping methods (PLATFORMS.md sections 1 and 2).

#include <memory>

#include "core/module.hpp"

namespace erp::sim {

/// Makes the TOP module. The core also declares this in core/modules.hpp; both say the same.
std::unique_ptr<PlatformModule> make_top_module(Context& context);

}  // namespace erp::sim
