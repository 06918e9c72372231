#include "plugin_host/guarded_objects.hpp"

#include <exception>
#include <string>
#include <utility>

namespace erp::daemon::plugin_host::detail {
namespace {

// Members are declared in reverse order of release: the plugin's object must go first (its
// destructor may still use the context and runs code from the library), then the context, and the
// library reference last.
template <class Interface>
class Guard {
 public:
  Guard(std::shared_ptr<LoadedPlugin> plugin, std::shared_ptr<sdk::HostContext> host, std::unique_ptr<Interface> inner)
      : plugin_(std::move(plugin)), host_(std::move(host)), inner_(std::move(inner)) {}

 protected:
  /// Runs `call` on the plugin's object; an exception becomes an internal error.
  template <class R, class Call>
  R guarded(std::string_view name, Call&& call) noexcept {
    try {
      return call(*inner_);
    } catch (const std::exception& e) {
      return thrown(*plugin_, name, e.what());
    } catch (...) {
      return thrown(*plugin_, name, "an exception that is not a std::exception");
    }
  }

  std::shared_ptr<LoadedPlugin> plugin_;
  std::shared_ptr<sdk::HostContext> host_;
  std::unique_ptr<Interface> inner_;
};

class GuardedAdapter final : public sdk::PlatformAdapter, private Guard<sdk::PlatformAdapter> {
 public:
  using Guard::Guard;

  sdk::Capabilities capabilities() const noexcept override {
    try {
      return inner_->capabilities();
    } catch (const std::exception& e) {
      (void)thrown(*plugin_, "capabilities", e.what());
    } catch (...) {
      (void)thrown(*plugin_, "capabilities", "an exception that is not a std::exception");
    }
    return sdk::Capabilities{};  // nothing optional is claimed by a plugin that cannot answer
  }

  sdk::Result<sdk::OrderPage> list_modified(const sdk::ModifiedWindow& window,
                                            const std::string& page) noexcept override {
    return guarded<sdk::Result<sdk::OrderPage>>("list_modified",
                                                [&](sdk::PlatformAdapter& a) { return a.list_modified(window, page); });
  }

  sdk::Result<sdk::Order> get_order(const std::string& order_id) noexcept override {
    return guarded<sdk::Result<sdk::Order>>("get_order",
                                            [&](sdk::PlatformAdapter& a) { return a.get_order(order_id); });
  }

  sdk::Result<void> write_memo(const sdk::MemoUpdate& update) noexcept override {
    return guarded<sdk::Result<void>>("write_memo", [&](sdk::PlatformAdapter& a) { return a.write_memo(update); });
  }

  sdk::Result<sdk::ShipmentReceipt> ship(const sdk::Shipment& shipment) noexcept override {
    return guarded<sdk::Result<sdk::ShipmentReceipt>>("ship",
                                                      [&](sdk::PlatformAdapter& a) { return a.ship(shipment); });
  }

  sdk::Result<sdk::PushBatch> parse_push(const sdk::PushRequest& request) noexcept override {
    return guarded<sdk::Result<sdk::PushBatch>>("parse_push",
                                                [&](sdk::PlatformAdapter& a) { return a.parse_push(request); });
  }

  sdk::PushReply push_refusal(const sdk::Error& why) noexcept override {
    try {
      return inner_->push_refusal(why);
    } catch (const std::exception& e) {
      (void)thrown(*plugin_, "push_refusal", e.what());
    } catch (...) {
      (void)thrown(*plugin_, "push_refusal", "an exception that is not a std::exception");
    }
    return sdk::PushReply{400, "application/json", "{}"};
  }

  sdk::Result<std::vector<sdk::PlainReceiver>> decrypt_receivers(
      const std::vector<sdk::ReceiverCipher>& ciphers) noexcept override {
    return guarded<sdk::Result<std::vector<sdk::PlainReceiver>>>(
        "decrypt_receivers", [&](sdk::PlatformAdapter& a) { return a.decrypt_receivers(ciphers); });
  }

  sdk::Result<std::vector<sdk::FactoryBinding>> list_factories() noexcept override {
    return guarded<sdk::Result<std::vector<sdk::FactoryBinding>>>(
        "list_factories", [&](sdk::PlatformAdapter& a) { return a.list_factories(); });
  }

  sdk::Result<std::vector<sdk::DistributeResult>> distribute(const sdk::DistributeRequest& request) noexcept override {
    return guarded<sdk::Result<std::vector<sdk::DistributeResult>>>(
        "distribute", [&](sdk::PlatformAdapter& a) { return a.distribute(request); });
  }

  sdk::Result<void> cancel_distribution(const std::string& distr_order_id) noexcept override {
    return guarded<sdk::Result<void>>("cancel_distribution",
                                      [&](sdk::PlatformAdapter& a) { return a.cancel_distribution(distr_order_id); });
  }

  sdk::Result<sdk::DropshipPage> list_dropship(const sdk::ModifiedWindow& window,
                                               const std::string& page) noexcept override {
    return guarded<sdk::Result<sdk::DropshipPage>>(
        "list_dropship", [&](sdk::PlatformAdapter& a) { return a.list_dropship(window, page); });
  }

  sdk::Result<sdk::DropshipOrder> get_dropship(const std::string& distr_order_id) noexcept override {
    return guarded<sdk::Result<sdk::DropshipOrder>>(
        "get_dropship", [&](sdk::PlatformAdapter& a) { return a.get_dropship(distr_order_id); });
  }

  sdk::Result<sdk::DropshipShipReceipt> return_waybill(const sdk::DropshipShipment& shipment) noexcept override {
    return guarded<sdk::Result<sdk::DropshipShipReceipt>>(
        "return_waybill", [&](sdk::PlatformAdapter& a) { return a.return_waybill(shipment); });
  }
};

class GuardedConnector final : public sdk::WarehouseConnector, private Guard<sdk::WarehouseConnector> {
 public:
  using Guard::Guard;

  sdk::Result<void> deliver(const sdk::DeliveryOrder& delivery) noexcept override {
    return guarded<sdk::Result<void>>("deliver", [&](sdk::WarehouseConnector& c) { return c.deliver(delivery); });
  }

  sdk::Result<sdk::LockOutcome> lock(const sdk::LockRequest& request) noexcept override {
    return guarded<sdk::Result<sdk::LockOutcome>>("lock", [&](sdk::WarehouseConnector& c) { return c.lock(request); });
  }

  sdk::Result<void> unlock(const sdk::LockRequest& request) noexcept override {
    return guarded<sdk::Result<void>>("unlock", [&](sdk::WarehouseConnector& c) { return c.unlock(request); });
  }

  bool lock_cancels_delivery() const noexcept override {
    try {
      return inner_->lock_cancels_delivery();
    } catch (const std::exception& e) {
      (void)thrown(*plugin_, "lock_cancels_delivery", e.what());
    } catch (...) {
      (void)thrown(*plugin_, "lock_cancels_delivery", "an exception that is not a std::exception");
    }
    return false;
  }

  sdk::Result<sdk::WarehouseMessages> parse_inbound(const sdk::WarehouseCall& call) noexcept override {
    return guarded<sdk::Result<sdk::WarehouseMessages>>(
        "parse_inbound", [&](sdk::WarehouseConnector& c) { return c.parse_inbound(call); });
  }

  sdk::PushReply inbound_reply(const sdk::WarehouseCall& call, const sdk::InboundOutcome& outcome) noexcept override {
    try {
      return inner_->inbound_reply(call, outcome);
    } catch (const std::exception& e) {
      (void)thrown(*plugin_, "inbound_reply", e.what());
    } catch (...) {
      (void)thrown(*plugin_, "inbound_reply", "an exception that is not a std::exception");
    }
    // The warehouse sends again after a 500, so nothing it reported is lost.
    return sdk::PushReply{500, "text/plain", "erpd: the warehouse connector failed to answer\n"};
  }
};

}  // namespace

sdk::Error thrown(LoadedPlugin& plugin, std::string_view call, std::string_view what) noexcept {
  plugin.mark_failed(call, what);
  try {
    return sdk::Error::make(sdk::ErrorCode::internal, "plugin " + plugin.name() + " threw: " + std::string(what));
  } catch (...) {
    return sdk::Error{};  // out of memory while reporting: an internal error without words
  }
}

std::shared_ptr<sdk::PlatformAdapter> guard_adapter(std::shared_ptr<LoadedPlugin> plugin,
                                                    std::shared_ptr<sdk::HostContext> host,
                                                    std::unique_ptr<sdk::PlatformAdapter> adapter) {
  return std::make_shared<GuardedAdapter>(std::move(plugin), std::move(host), std::move(adapter));
}

std::shared_ptr<sdk::WarehouseConnector> guard_connector(std::shared_ptr<LoadedPlugin> plugin,
                                                         std::shared_ptr<sdk::HostContext> host,
                                                         std::unique_ptr<sdk::WarehouseConnector> connector) {
  return std::make_shared<GuardedConnector>(std::move(plugin), std::move(host), std::move(connector));
}

}  // namespace erp::daemon::plugin_host::detail
