#include "testkit/listing_walk.hpp"

#include <algorithm>
#include <set>

namespace erp::testkit {
namespace {

// A window of a few dozen seeded orders never needs this many pages: more means the tokens cycle.
constexpr int kMaxPagesPerWindow = 200;

}  // namespace

ListingWalk walk_listing(sdk::PlatformAdapter& adapter, sdk::Instant from, sdk::Instant to,
                         std::chrono::seconds window) {
  ListingWalk walk;
  for (sdk::Instant start = from; start < to; start += window) {
    const sdk::ModifiedWindow current{start, std::min<sdk::Instant>(start + window, to)};
    ++walk.windows;
    std::set<std::string> tokens_seen;
    std::string token;
    for (int page = 0;; ++page) {
      if (page == kMaxPagesPerWindow) {
        walk.paging_problem = "one window took more than " + std::to_string(kMaxPagesPerWindow) + " pages";
        return walk;
      }
      auto listed = adapter.list_modified(current, token);
      ++walk.pages;
      if (!listed) {
        walk.error = std::move(listed).error();
        return walk;
      }
      for (auto& order : listed->orders) walk.orders.push_back({std::move(order), current});
      for (auto& rejected : listed->rejected) walk.rejected.push_back(std::move(rejected));
      if (listed->next_page.empty()) break;
      // A token handed out twice within one window sends erpd round in circles.
      if (!tokens_seen.insert(listed->next_page).second) {
        walk.paging_problem = "page token \"" + listed->next_page + "\" was handed out twice in one window";
        return walk;
      }
      token = listed->next_page;
    }
  }
  return walk;
}

}  // namespace erp::testkit
