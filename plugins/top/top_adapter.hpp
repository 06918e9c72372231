#pragma once
// sdk::PlatformAdapter for Taobao and Tmall shops over TOP. A translator only: it signs, calls the
// host's HttpClient and maps answers; the host owns retries, windows and persistence.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "erp/adapter.hpp"
#include "erp/host.hpp"
#include "plugins/top/top_client.hpp"

namespace erp::plugins::top {

/// What a read-back shows about one line (taobao.trade.fullinfo.get orders.status / orders.invoice_no).
struct LineShipState {
  std::string status;
  std::string invoice_no;
};
using LineStates = std::map<std::string, LineShipState>;

struct AdapterOptions {
  bool tmall = false;  ///< Tmall fields (G2/G3, S6/S7) and Tmall plugin name.
};

/// The `fields` list asked of taobao.trades.sold.increment.get and taobao.trade.fullinfo.get.
std::string trade_fields(bool tmall);

/// The `type` list for increment.get: every trade type, so Tmall Global (tmall_i18n) and presale
/// (step) trades are not dropped by TOP's narrow default (PLATFORMS.md §2.1).
std::string all_trade_types();

class TopAdapter final : public sdk::PlatformAdapter {
 public:
  TopAdapter(sdk::HostContext& host, AdapterOptions options);

  sdk::Capabilities capabilities() const override;
  sdk::Result<sdk::OrderPage> list_modified(const sdk::ModifiedWindow& window, const std::string& page) override;
  sdk::Result<sdk::Order> get_order(const std::string& order_id) override;
  sdk::Result<void> write_memo(const sdk::MemoUpdate& update) override;
  sdk::Result<sdk::ShipmentReceipt> ship(const sdk::Shipment& shipment) override;

 private:
  enum class PackageOutcome { uploaded, already_there };

  sdk::Result<sdk::OrderPage> list_modified_impl(const sdk::ModifiedWindow& window, const std::string& page);
  sdk::Result<sdk::Order> get_order_impl(const std::string& order_id);
  sdk::Result<void> write_memo_impl(const sdk::MemoUpdate& update);
  sdk::Result<sdk::ShipmentReceipt> ship_impl(const sdk::Shipment& shipment);

  sdk::Result<nlohmann::json> fetch_page(const sdk::ModifiedWindow& window, std::int64_t page_no,
                                         std::int64_t page_size);
  sdk::Result<LineStates> read_lines(const std::string& tid);
  sdk::Result<PackageOutcome> ship_package(const std::string& tid, const sdk::Package& package);

  sdk::HostContext& host_;
  AdapterOptions options_;
  TopClient client_;
};

/// Whether a read-back shows `package` shipped with its waybill: every named line carries it, or,
/// for a whole-trade package (no line_ids), some line carries it and no line still waits to ship.
/// `pending` receives the named lines that do not carry it yet.
bool package_on_platform(const LineStates& lines, const sdk::Package& package,
                         std::vector<std::string>* pending = nullptr);

}  // namespace erp::plugins::top
