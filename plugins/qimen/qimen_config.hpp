#pragma once
// The Qimen connector's options (the `options` of the daemon's warehouse entry), their
// declarations for the host and their reading, checked once when the connector is created.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "erp/host.hpp"
#include "erp/plugin.hpp"
#include "erp/result.hpp"
#include "plugins/qimen/qimen_sign.hpp"
#include "plugins/qimen/qimen_tree.hpp"

namespace erp::plugins::qimen {

/// How a gift line (rule G4) is told apart from a bought one: the standard has no gift flag.
enum class GiftMark {
  extend_props,  ///< <extendProps><isGift>1</isGift></extendProps> on the line (gift_key names the key).
  remark,        ///< <remark>赠品</remark> on the line (gift_remark gives the text).
  none,          ///< Only the zero price shows it.
};

/// What a successful order.cancel answer means.
enum class CancelOutcome {
  answer,  ///< The answer itself: success is a cancelled order.
  report,  ///< The WMS confirms later (deliveryorder.confirm CANCELED / CANCELEDFAIL, orderprocess.report).
};

struct SenderInfo {
  std::string name;
  std::string mobile;
  std::string province;
  std::string city;
  std::string address;
};

struct QimenConfig {
  std::string url;
  std::string app_key;
  std::string app_secret;
  std::string customer_id;
  Format format = Format::xml;
  bool method_prefix = true;  ///< true: "taobao.qimen.deliveryorder.create"; false: "deliveryorder.create".
  std::string version = "2.0";
  SignMethod sign_method = SignMethod::md5;
  std::string warehouse_code = "OTHER";
  std::string owner_code;
  std::string logistics_code = "OTHER";
  std::optional<SenderInfo> sender;
  GiftMark gift_mark = GiftMark::extend_props;
  std::string gift_key = "isGift";
  std::string gift_remark = "赠品";
  CancelOutcome cancel_outcome = CancelOutcome::answer;
  std::chrono::milliseconds timeout{10000};
};

/// The keys for PluginFactory::config_keys(), with their types, defaults and documentation.
std::vector<sdk::ConfigKeySpec> qimen_config_keys();

/// The options as the host hands them over. config_error naming the key for a missing required
/// key or a value out of its range.
sdk::Result<QimenConfig> read_qimen_config(const sdk::ConfigView& config, const sdk::Secrets& secrets);

}  // namespace erp::plugins::qimen
