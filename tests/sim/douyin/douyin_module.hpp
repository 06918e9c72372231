#pragma once
// platform-sim's Douyin shop (抖店) module: the open-platform gateway (POST /<method with dots as
// slashes>, signed query, param JSON body, {code,msg,sub_code,sub_msg,log_id,data} answers), order,
// logistics, privacy (batchDecrypt) and dropship (iop.*) methods, and webhook pushes.
// Protocol facts: /work/shared/PLATFORMS.md §3; dropship rules D5-D8, D10, D11 of DOMAIN.md.

#include <chrono>
#include <memory>

#include "sim/core/module.hpp"

namespace erp::sim {

/// The Douyin module as the core sees it, plus the knobs only this module has.
class DouyinModule : public PlatformModule {
 public:
  /// order.batchDecrypt calls allowed per shop per simulated second (default 20).
  virtual void set_decrypt_limit(int calls_per_second) = 0;
  /// Waits until every queued push was sent (tests); false on timeout.
  virtual bool wait_pushes(std::chrono::milliseconds timeout) = 0;
};

/// Factory the core calls (the same declaration as in sim/core/modules.hpp).
std::unique_ptr<PlatformModule> make_douyin_module(Context& context);

}  // namespace erp::sim
