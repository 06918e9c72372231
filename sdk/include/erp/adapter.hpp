#pragma once
// The platform adapter contract. Adapters are pure translators: they sign requests, call the
// host's HttpClient, and map responses into the normalized model. No workflow logic lives here.

#include <cstdint>
#include <string>
#include <vector>

#include "erp/host.hpp"
#include "erp/model.hpp"
#include "erp/result.hpp"

namespace erp::sdk {

/// What an adapter can do; workflows look here instead of at the platform name.
struct Capabilities {
  bool incremental_sync = false;   ///< list_modified() over modified-time windows.
  bool memo_write = false;         ///< write_memo() (rule I3).
  bool split_shipment = false;     ///< ship() with several packages or chosen lines.
  bool push_events = false;        ///< parse_push() (rule D11).
  bool receiver_decrypt = false;   ///< decrypt_receivers() (rule D10).
  bool dropship = false;           ///< Factory channel (rules D1-D11).
  std::int64_t max_window_seconds = 86400;  ///< Longest modified-time window one call may ask for.
};

/// A half-open modified-time window [from, to).
struct ModifiedWindow {
  Instant from{};
  Instant to{};
};

/// A payload that could not be mapped, kept by the host in quarantine with the reason.
struct Rejected {
  std::string order_id;  ///< Empty when not even the id could be read.
  std::string reason;
  std::string payload;
};

/// One page of a modified-time listing.
struct OrderPage {
  std::vector<Order> orders;
  std::vector<Rejected> rejected;
  std::string next_page;  ///< Opaque token for the next page; empty when the window is drained.
};

/// Outcome of a shipment upload.
struct ShipmentReceipt {
  bool already_shipped = false;  ///< The platform already had this shipment (a safe retry).
  std::string detail;
};

/// Methods return errors as values and should not throw. They are deliberately not `noexcept`:
/// a throw from a `noexcept` function terminates the process inside the plugin, whereas without it
/// the host's guard catches the exception, marks the plugin failed and keeps the daemon running.
class PlatformAdapter {
 public:
  virtual ~PlatformAdapter() = default;

  virtual Capabilities capabilities() const = 0;

  /// One page of orders modified in `window`; pass the previous page's `next_page`, or "" to start.
  virtual Result<OrderPage> list_modified(const ModifiedWindow& window, const std::string& page) = 0;

  /// The full current state of one order.
  virtual Result<Order> get_order(const std::string& order_id) = 0;

  /// Writes the seller memo and flag (rule I3).
  virtual Result<void> write_memo(const MemoUpdate& update) {
    (void)update;
    return fail(ErrorCode::unsupported, "this adapter cannot write memos");
  }

  /// Uploads waybills. Before retrying an upload whose outcome is unknown the adapter reads the
  /// order back, so a retry never ships twice.
  virtual Result<ShipmentReceipt> ship(const Shipment& shipment) {
    (void)shipment;
    return fail(ErrorCode::unsupported, "this adapter cannot upload shipments");
  }
};

}  // namespace erp::sdk
