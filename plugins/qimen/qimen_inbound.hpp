#pragma once
// What the WMS calls the ERP with (WAREHOUSE-QIMEN.md §1-§3): the call checked (customerId,
// signature), its body read whatever the Content-Type says, and its method's payload turned into
// the host's WarehouseEvents. The mapping table is in README.md.

#include "erp/result.hpp"
#include "erp/warehouse.hpp"
#include "plugins/qimen/qimen_config.hpp"
#include "plugins/qimen/qimen_tree.hpp"

namespace erp::plugins::qimen {

/// The format of a call's body: its `format` parameter when it says xml or json, else the body's
/// first character; xml when neither tells.
Format call_format(const sdk::WarehouseCall& call);

/// The whole inbound path. invalid_input for a missing or wrong sign (message "signature ..."), a
/// body that does not parse, a payload missing a required field or an unknown method; config_error
/// for a customerId other than the configured one.
sdk::Result<sdk::WarehouseMessages> parse_qimen_call(const sdk::WarehouseCall& call, const QimenConfig& config);

/// The events of one verified payload, by method name without the "taobao.qimen." prefix.
sdk::Result<sdk::WarehouseMessages> read_delivery_confirm(const Node& root);
sdk::Result<sdk::WarehouseMessages> read_process_report(const Node& root);
sdk::Result<sdk::WarehouseMessages> read_stock_change(const Node& root);

}  // namespace erp::plugins::qimen
