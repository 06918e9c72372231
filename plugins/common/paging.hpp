#pragma once
// The opaque next_page token of list_modified and the arithmetic of paging backwards through a
// listing whose items leave it while it is read (TOP increment.get, Douyin order.searchList).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "erp/adapter.hpp"

namespace erp::plugins {

/// Where a backwards walk through one window stands.
struct PageCursor {
  std::int64_t page = 1;         ///< The page to fetch next (1-based; a 0-based platform gets page - 1).
  std::int64_t total = 0;        ///< total_results last seen for the window.
  std::int64_t page_size = 100;  ///< Fixed for the whole walk, so page numbers keep their meaning.
};

/// "pg1:<page>:<total>:<page_size>".
std::string encode_cursor(const PageCursor& cursor);

/// nullopt for anything encode_cursor did not produce.
std::optional<PageCursor> decode_cursor(std::string_view token) noexcept;

/// Number of the last page for `total` results (at least 1).
std::int64_t last_page(std::int64_t total, std::int64_t page_size) noexcept;

/// One listing page as the platform answered it, already mapped.
struct ListedPage {
  std::vector<sdk::Order> orders;
  std::vector<sdk::Rejected> rejected;
  std::int64_t total = 0;  ///< What the platform says the whole window holds.
};

/// Fetches and maps page `page` (1-based) of `size` orders of the window being walked.
using PageFetch = std::function<sdk::Result<ListedPage>(std::int64_t page, std::int64_t size)>;

/// One step of a backwards walk through a window whose orders leave it when they change (their
/// modified time moves past the window's end) and shift every later order one place towards the
/// first page. Read from the last page to the first, orders only move onto pages still to be
/// read: at worst one is listed twice, never skipped. `token` is "" to start (page 1 is read only
/// to learn the total) or the previous step's next_page. Orders entering the window (it ends in
/// the future) raise the total: the walk then restarts at the new last page.
sdk::Result<sdk::OrderPage> list_backwards(const std::string& token, std::int64_t page_size, const PageFetch& fetch);

}  // namespace erp::plugins
