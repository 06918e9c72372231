#pragma once
// The opaque next_page token of list_modified and the arithmetic of paging backwards through a
// listing whose items leave it while it is read (TOP increment.get, Douyin order.searchList).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

}  // namespace erp::plugins
