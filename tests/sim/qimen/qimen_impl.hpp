#pragma once
// Internals of the Qimen module shared by its source files: the gateway (the ERP's calls coming
// in), orders (what deliveryorder.create and order.cancel do), events (scenario events), outbound
// (what the warehouse does on its own and the calls that tell the ERP) and the module's shell.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "qimen/qimen_module.hpp"
#include "qimen/qimen_payload.hpp"
#include "qimen/qimen_sender.hpp"
#include "qimen/qimen_state.hpp"

namespace erp::sim::qimen {

inline constexpr const char* kServicePath = "/router/qimen/service";
inline constexpr const char* kMethodPrefix = "taobao.qimen.";
inline constexpr const char* kCreate = "taobao.qimen.deliveryorder.create";
inline constexpr const char* kCancel = "taobao.qimen.order.cancel";
inline constexpr const char* kConfirm = "taobao.qimen.deliveryorder.confirm";
inline constexpr const char* kProcess = "taobao.qimen.orderprocess.report";
inline constexpr const char* kStock = "taobao.qimen.stockchange.report";

/// The business answer to one of the ERP's calls.
struct Reply {
  bool ok = true;
  std::string code = "0";
  std::string message = "success";
  Tree extra = Tree::object();  ///< Method-specific fields after flag, code and message.
};
Reply failure(std::string code, std::string message);

/// One parcel a ship event asks for, before it is checked against the order.
struct ParcelRequest {
  std::string carrier;  ///< Empty: the WMS's carrier setting.
  std::string waybill;  ///< Empty: generated.
  /// orderLineNo and quantity; no quantity means all that is left of the line.
  std::vector<std::pair<std::string, std::optional<std::int64_t>>> lines;
};

struct ShipRequest {
  std::string code;
  std::vector<ParcelRequest> parcels;  ///< Empty: one parcel with every line left to ship.
  std::string carrier;                 ///< For the default parcel.
  std::string waybill;                 ///< For the default parcel.
  bool partial = false;
  std::string out_biz_code;  ///< Empty: generated.
  int repeat = 1;
  bool omit_items = false;
};

struct StockChange {
  std::string item_code;
  std::int64_t quantity = 0;
  std::string out_biz_code;
  std::string order_code;
  std::string order_type;
  std::string warehouse_code;
  std::string owner_code;
  int repeat = 1;
};

/// A message the WMS sends to the ERP.
struct OutMessage {
  std::string method;  ///< Full name (taobao.qimen.…), as callbacks to an ERP carry it.
  std::string order_code;
  std::string out_biz_code;
  std::string status;
  std::string counter;  ///< Counters kind, one count per message sent.
  Tree body = Tree::object();
  int repeat = 1;      ///< The same message (same bytes) sent this many times.
  bool retry = false;  ///< Sent again while the ERP does not answer (confirms).
};

class QimenModuleImpl final : public QimenModule {
 public:
  explicit QimenModuleImpl(Context& context);
  ~QimenModuleImpl() override;

  std::string name() const override { return "qimen"; }
  std::vector<std::string> platforms() const override { return {"qimen"}; }
  std::string base_path() const override { return kServicePath; }
  bool serves(const Request& request) const override;
  Response handle(const Request& request) override;
  Response transport_error(const Request& partial, int status, const std::string& message) const override;
  void add_shop(const Shop& shop) override;
  std::optional<std::string> apply(const Shop& shop, const YAML::Node& event) override;
  void on_clock(Instant now) override;
  void generate(const Shop& shop, int count, std::mt19937& rng) override;
  nlohmann::json state() const override;
  void reset() override;
  bool wait_sent(std::chrono::milliseconds timeout) override;

 private:
  // qimen_orders.cpp (callers hold mutex_)
  Reply create(Wms& wms, const Tree& body);
  Reply cancel(Wms& wms, const Tree& body);

  // qimen_events.cpp (callers hold mutex_)
  std::optional<std::string> apply_locked(Wms& wms, const YAML::Node& event);

  // qimen_outbound.cpp (callers hold mutex_ unless said otherwise)
  /// Ships parcels and tells the ERP; the refusal's reason when the order cannot ship them.
  std::optional<std::string> ship(Wms& wms, const ShipRequest& request);
  /// Settles a pending asynchronous cancel and tells the ERP (CANCELED / CANCELEDFAIL).
  void decide_cancel(Wms& wms, DeliveryOrder& order, bool canceled);
  std::optional<std::string> report_process(Wms& wms, const std::string& code, const std::string& status,
                                            const std::string& info, int repeat);
  void report_stock(Wms& wms, const StockChange& change);
  /// Auto-ships and clock-decided cancels that fell due.
  void run_due(Instant now);
  /// Something falls due at `t`: run_due looks at the orders again then.
  void due_at(Instant t);
  void send(Wms& wms, const OutMessage& message);
  /// The sending thread's report of one attempt (takes mutex_).
  void record_attempt(const OutboundCall& call, const AttemptResult& result);

  std::string next_seq();
  std::string now_cst() const;

  Context& context_;
  mutable std::mutex mutex_;
  std::map<std::string, Wms> wms_;  ///< By customerId.
  std::uint64_t seq_ = 0;           ///< Ids, waybills and message ids; not reset, so they stay unique.
  std::uint64_t call_seq_ = 0;
  /// The earliest auto-ship or cancel decision still to come, so a clock step (every scenario
  /// event makes one) does not walk every order when nothing is due.
  std::optional<Instant> next_due_;
  Sender sender_;  ///< Last: its thread stops before the state it reports into goes away.
};

}  // namespace erp::sim::qimen
