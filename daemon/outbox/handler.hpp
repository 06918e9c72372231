#pragma once
// One kind of side effect the outbox knows how to perform ("warehouse.deliver", "platform.memo" ...).

#include <map>
#include <memory>
#include <string>

#include "erp/result.hpp"
#include "store/records.hpp"

namespace erp::daemon::outbox {

/// Performs one outbox item. Must be safe to repeat with the same idempotency key: after a crash
/// the dispatcher cannot know whether the last attempt reached the other side.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual sdk::Result<void> execute(const store::OutboxItem& item) noexcept = 0;
};

/// Handlers by outbox kind. Replaced as a whole on reload.
using HandlerMap = std::map<std::string, std::shared_ptr<Handler>>;

}  // namespace erp::daemon::outbox
