#include "plugins/common/paging.hpp"

#include <charconv>

namespace erp::plugins {
namespace {
constexpr std::string_view kPrefix = "pg1:";

bool read_number(std::string_view& text, std::int64_t& out, bool last) noexcept {
  const std::size_t end = last ? text.size() : text.find(':');
  if (end == std::string_view::npos || end == 0) return false;
  const auto [ptr, error] = std::from_chars(text.data(), text.data() + end, out);
  if (error != std::errc() || ptr != text.data() + end) return false;
  text.remove_prefix(last ? end : end + 1);
  return true;
}
}  // namespace

std::string encode_cursor(const PageCursor& cursor) {
  return std::string(kPrefix) + std::to_string(cursor.page) + ':' + std::to_string(cursor.total) + ':' +
         std::to_string(cursor.page_size);
}

std::optional<PageCursor> decode_cursor(std::string_view token) noexcept {
  if (token.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  token.remove_prefix(kPrefix.size());
  PageCursor cursor;
  if (!read_number(token, cursor.page, false) || !read_number(token, cursor.total, false) ||
      !read_number(token, cursor.page_size, true)) {
    return std::nullopt;
  }
  if (cursor.page < 1 || cursor.total < 0 || cursor.page_size < 1 || cursor.page_size > 100) return std::nullopt;
  return cursor;
}

std::int64_t last_page(std::int64_t total, std::int64_t page_size) noexcept {
  if (total <= 0 || page_size <= 0) return 1;
  return (total + page_size - 1) / page_size;
}

sdk::Result<sdk::OrderPage> list_backwards(const std::string& token, std::int64_t page_size, const PageFetch& fetch) {
  PageCursor cursor;
  std::int64_t seen_total = 0;
  if (token.empty()) {
    if (page_size < 1) return sdk::fail(sdk::ErrorCode::config_error, "page_size must be an integer from 1 to 100");
    auto first = fetch(1, page_size);
    if (!first) return std::move(first).error();
    const std::int64_t last = last_page(first->total, page_size);
    if (last <= 1) return sdk::OrderPage{std::move(first->orders), std::move(first->rejected), ""};
    cursor = PageCursor{last, first->total, page_size};
    seen_total = first->total;
  } else {
    auto decoded = decode_cursor(token);
    if (!decoded) return sdk::fail(sdk::ErrorCode::invalid_input, "next_page token was not made by this adapter");
    cursor = *decoded;
    seen_total = cursor.total;
  }
  auto listed = fetch(cursor.page, cursor.page_size);
  if (!listed) return std::move(listed).error();
  sdk::OrderPage out{std::move(listed->orders), std::move(listed->rejected), ""};
  if (listed->total > seen_total) {
    out.next_page = encode_cursor(PageCursor{last_page(listed->total, cursor.page_size), listed->total, cursor.page_size});
  } else if (cursor.page > 1) {
    out.next_page = encode_cursor(PageCursor{cursor.page - 1, listed->total, cursor.page_size});
  }
  return out;
}

}  // namespace erp::plugins
