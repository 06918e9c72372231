#pragma once
// The platform adapter contract. Adapters are pure translators: they sign requests, call the
// host's HttpClient, and map responses into the normalized model. No workflow logic lives here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "erp/dropship.hpp"
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
  /// Longest seller memo the platform takes, in characters (UTF-8 code points); 0: no known limit.
  int memo_max_chars = 0;
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

/// One page of the dropship items assigned to a factory shop, by modified time (rule D5).
struct DropshipPage {
  std::vector<DropshipOrder> orders;
  std::vector<Rejected> rejected;
  std::string next_page;  ///< Empty when the window is drained.
};

/// Outcome of a shipment upload.
struct ShipmentReceipt {
  bool already_shipped = false;  ///< The platform already had this shipment (a safe retry).
  std::string detail;
};

/// One push (webhook call) as the host received it on the shop's push path (rule D11).
struct PushRequest {
  std::vector<std::pair<std::string, std::string>> headers;  ///< Names in lower case.
  std::string body;                                          ///< The raw bytes, exactly as received.

  /// The first header with this (lower-case) name, if any.
  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key == name) return value;
    }
    return std::nullopt;
  }
};

/// What one pushed message is about. The host fetches the order at once; a push never carries the
/// order's state itself (pushes arrive late, twice or out of order, rule D11).
struct PushMessage {
  std::string msg_id;    ///< The platform's message id: the host dedupes by it.
  std::string tag;       ///< The platform's message type, verbatim ("101", "206" ...).
  std::string order_id;  ///< The order it concerns; empty when the message is about no order.
  std::string topic;     ///< "order", "refund", "dropship" (the host reads the factory side again, D11) or "other".
};

/// How to answer the platform: its own acknowledgement shape.
struct PushReply {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
};

struct PushBatch {
  std::vector<PushMessage> messages;
  PushReply reply;  ///< What to answer once the messages are safely taken over.
};

/// One receiver ciphertext to decrypt, with the order it belongs to (the platform checks both).
struct ReceiverCipher {
  std::string order_id;
  std::string ciphertext;  ///< Receiver::ciphertext as the adapter stored it.
};

/// A decrypted receiver (rule D10). Lives in memory only: the host hands it to the party that
/// ships and never stores or logs it.
struct PlainReceiver {
  std::string order_id;
  std::string name;
  std::string phone;
  std::string address;  ///< The street detail (province, city and district are in Receiver).
  std::string error;    ///< Non-empty when the platform refused this one (the others still count).
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

  /// Verifies a push and says what it is about (rule D11). A bad signature is
  /// ErrorCode::invalid_input with the reason; the host answers it with push_refusal().
  virtual Result<PushBatch> parse_push(const PushRequest& request) {
    (void)request;
    return fail(ErrorCode::unsupported, "this adapter takes no pushes");
  }

  /// What to answer a push that was refused (bad signature, unreadable body).
  virtual PushReply push_refusal(const Error& why) {
    (void)why;
    return PushReply{400, "application/json", "{}"};
  }

  /// Decrypts receivers for the party that ships (rule D10), in as many platform calls as needed.
  /// One entry per cipher, in the same order.
  virtual Result<std::vector<PlainReceiver>> decrypt_receivers(const std::vector<ReceiverCipher>& ciphers) {
    (void)ciphers;
    return fail(ErrorCode::unsupported, "this adapter cannot decrypt receivers");
  }

  // --- dropship (rules D1-D11), when capabilities().dropship ---------------------------------
  // Merchant side.

  /// The factories the platform shows as bound to this shop, with when each binding took effect.
  virtual Result<std::vector<FactoryBinding>> list_factories() {
    return fail(ErrorCode::unsupported, "this adapter has no dropship channel");
  }

  /// Assigns items to a bound factory; one result per item, in request order (rule D4). A call the
  /// platform refused as a whole is an error; refusals of single items are results.
  virtual Result<std::vector<DistributeResult>> distribute(const DistributeRequest& request) {
    (void)request;
    return fail(ErrorCode::unsupported, "this adapter has no dropship channel");
  }

  /// Takes an assignment back. ErrorCode::already_shipped when the factory shipped it already.
  virtual Result<void> cancel_distribution(const std::string& distr_order_id) {
    (void)distr_order_id;
    return fail(ErrorCode::unsupported, "this adapter has no dropship channel");
  }

  // Factory side: only a factory shop's credentials may call these (rule D5).

  /// One page of the items assigned to this factory shop and modified in `window`.
  virtual Result<DropshipPage> list_dropship(const ModifiedWindow& window, const std::string& page) {
    (void)window;
    (void)page;
    return fail(ErrorCode::unsupported, "this adapter has no dropship channel");
  }

  /// One assigned item in full, with the receiver's ciphertext.
  virtual Result<DropshipOrder> get_dropship(const std::string& distr_order_id) {
    (void)distr_order_id;
    return fail(ErrorCode::unsupported, "this adapter has no dropship channel");
  }

  /// Reports the factory's waybill for one assigned item. Refusals (already shipped D7, buyer
  /// cancelled D8) come back as a receipt, not an error, so they are never retried.
  virtual Result<DropshipShipReceipt> return_waybill(const DropshipShipment& shipment) {
    (void)shipment;
    return fail(ErrorCode::unsupported, "this adapter has no dropship channel");
  }
};

}  // namespace erp::sdk
