#pragma once
// Reads a span window by window and page by page, the way erpd's sync does, and notes every way
// the paging went wrong. PC4 (listing) and PC5 (repeatable) both walk with it.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "erp/adapter.hpp"

namespace erp::testkit {

struct ListedOrder {
  sdk::Order order;
  sdk::ModifiedWindow window;  ///< The window it was listed in.
};

struct ListingWalk {
  std::vector<ListedOrder> orders;
  std::vector<sdk::Rejected> rejected;
  int windows = 0;
  int pages = 0;
  /// The first paging problem (a token repeated, no end after many pages), or empty.
  std::string paging_problem;
  /// The first error list_modified returned; the walk stops there.
  std::optional<sdk::Error> error;
};

/// Lists [from, to) in consecutive windows of `window` (the last one shorter).
ListingWalk walk_listing(sdk::PlatformAdapter& adapter, sdk::Instant from, sdk::Instant to,
                         std::chrono::seconds window);

}  // namespace erp::testkit
