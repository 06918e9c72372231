#pragma once
// The words the event log uses for what the platform changed, so `erpctl why` reads as a story
// ("status paid -> shipped") rather than a diff. Pure functions: facts in, sentences out.

#include <string>
#include <vector>

#include "erp/model.hpp"

namespace erp::daemon::store {

/// "received from the platform: paid, 3 lines, total 299.00"
std::string describe_received(const sdk::Order& order);

/// One phrase per change a merchant cares about, e.g. "status paid -> shipped",
/// "line 1002 refund none -> requested", "memo changed". Empty when only untracked facts moved.
std::vector<std::string> describe_changes(const sdk::Order& before, const sdk::Order& after);

/// The phrases joined with "; ", or a generic phrase when there are none.
std::string join_changes(const std::vector<std::string>& changes);

}  // namespace erp::daemon::store
