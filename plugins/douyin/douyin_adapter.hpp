#pragma once
// sdk::PlatformAdapter for Douyin shops (抖店). A translator only: it signs, calls the host's
// HttpClient and maps answers; the host owns retries, windows, push intake and persistence.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "erp/adapter.hpp"
#include "erp/host.hpp"
#include "plugins/douyin/douyin_client.hpp"

namespace erp::plugins::douyin {

class DouyinAdapter final : public sdk::PlatformAdapter {
 public:
  explicit DouyinAdapter(sdk::HostContext& host);

  sdk::Capabilities capabilities() const override;
  sdk::Result<sdk::OrderPage> list_modified(const sdk::ModifiedWindow& window, const std::string& page) override;
  sdk::Result<sdk::Order> get_order(const std::string& order_id) override;
  sdk::Result<void> write_memo(const sdk::MemoUpdate& update) override;
  sdk::Result<sdk::ShipmentReceipt> ship(const sdk::Shipment& shipment) override;
  sdk::Result<sdk::PushBatch> parse_push(const sdk::PushRequest& request) override;
  sdk::PushReply push_refusal(const sdk::Error& why) override;
  sdk::Result<std::vector<sdk::PlainReceiver>> decrypt_receivers(const std::vector<sdk::ReceiverCipher>& ciphers) override;

  // Dropship (iop.*, rules D1-D11; douyin_dropship). Merchant side:
  sdk::Result<std::vector<sdk::FactoryBinding>> list_factories() override;
  sdk::Result<std::vector<sdk::DistributeResult>> distribute(const sdk::DistributeRequest& request) override;
  sdk::Result<void> cancel_distribution(const std::string& distr_order_id) override;
  // Factory side (a factory shop's token only, D5):
  sdk::Result<sdk::DropshipPage> list_dropship(const sdk::ModifiedWindow& window, const std::string& page) override;
  sdk::Result<sdk::DropshipOrder> get_dropship(const std::string& distr_order_id) override;
  sdk::Result<sdk::DropshipShipReceipt> return_waybill(const sdk::DropshipShipment& shipment) override;

 private:
  sdk::Result<sdk::OrderPage> list_modified_impl(const sdk::ModifiedWindow& window, const std::string& page);
  sdk::Result<nlohmann::json> fetch_page(const sdk::ModifiedWindow& window, std::int64_t page, std::int64_t size);
  /// order.orderDetail's shop_order_detail, unmapped.
  sdk::Result<nlohmann::json> order_detail(const std::string& order_id);
  sdk::Result<sdk::ShipmentReceipt> ship_impl(const sdk::Shipment& shipment);
  sdk::Result<std::vector<sdk::PlainReceiver>> decrypt_impl(const std::vector<sdk::ReceiverCipher>& ciphers);
  sdk::Result<std::vector<sdk::DistributeResult>> distribute_impl(const sdk::DistributeRequest& request);
  sdk::Result<sdk::DropshipPage> list_dropship_impl(const sdk::ModifiedWindow& window, const std::string& page);
  std::string shop() const;

  sdk::HostContext& host_;
  DouyinClient client_;
};

}  // namespace erp::plugins::douyin
