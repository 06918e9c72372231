#pragma once
// Internal to the store: the SQL of an order listing, apart from running it, so the tests can ask
// SQLite how it will run each shape (which index, no sort of the whole table).

#include <string>

#include "store/store.hpp"

namespace erp::daemon::store {

/// SELECT of ERP_STORE_ORDER_COLUMNS for `filter` (state already validated), in id order after
/// ?1, with ?2 platform, ?3 shop, ?4 status and ?5 the row limit bound where the filter uses them.
std::string order_list_sql(const OrderFilter& filter);

}  // namespace erp::daemon::store
