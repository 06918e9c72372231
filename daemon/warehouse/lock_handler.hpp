#pragma once
// Performs "warehouse.lock" and "warehouse.unlock" outbox items: the warehouse is asked to stop
// an order it already has (rule I4), or told it may ship it again (I6, I7). A connector that
// answers at once (locked, too late) settles the intercept; one that answers later confirms
// through the API.

#include <cstdint>
#include <memory>
#include <string>

#include "erp/warehouse.hpp"
#include "outbox/handler.hpp"
#include "workflows/intercept/intercept_service.hpp"

namespace erp::daemon::warehouse {

/// The code of the delivery that ships what intercept `intercept_id` stopped, once it is
/// cancelled or unlocked, when the warehouse cancelled the first delivery to lock it.
std::string redelivery_code(const std::string& order_id, std::int64_t intercept_id);

class LockHandler final : public outbox::Handler {
 public:
  /// `unlock`: this handler performs "warehouse.unlock" items; otherwise "warehouse.lock" ones.
  LockHandler(store::Store& store, workflows::intercept::InterceptService& intercepts,
              std::shared_ptr<sdk::WarehouseConnector> connector, bool unlock);
  sdk::Result<void> execute(const store::OutboxItem& item) noexcept override;

 private:
  sdk::Result<void> perform(const store::OutboxItem& item);

  store::Store& store_;
  workflows::intercept::InterceptService& intercepts_;
  std::shared_ptr<sdk::WarehouseConnector> connector_;
  bool unlock_;
};

}  // namespace erp::daemon::warehouse
