#include "example/example_orders.hpp"

#include <algorithm>
#include <charconv>
#include <tuple>

namespace erp::sim::example {
namespace {

// Page tokens look opaque to the plugin but are the offset of the page's first order. "p" keeps
// them from being mistaken for a number the plugin could compute itself.
constexpr char kTokenPrefix = 'p';

std::optional<std::size_t> offset_of(const std::string& token) {
  if (token.empty()) return std::size_t{0};
  if (token.size() < 2 || token.front() != kTokenPrefix) return std::nullopt;
  std::size_t offset = 0;
  const char* first = token.data() + 1;
  const char* last = token.data() + token.size();
  const auto parsed = std::from_chars(first, last, offset);
  if (parsed.ec != std::errc{} || parsed.ptr != last || offset == 0) return std::nullopt;
  return offset;
}

struct CatalogueItem {
  const char* sku;
  std::int64_t price_fen;
};

constexpr CatalogueItem kCatalogue[] = {
    {"EX-TEA-250G", 4900}, {"EX-CUP-SET", 12900}, {"EX-KETTLE", 29900}, {"EX-SPOON", 990}, {"EX-TRAY", 5900},
};

}  // namespace

nlohmann::json order_json(const ExampleOrder& order) {
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& line : order.lines) {
    lines.push_back({{"id", line.id}, {"sku", line.sku}, {"quantity", line.quantity}, {"paid_fen", line.paid_fen}});
  }
  return {{"id", order.id},
          {"status", order.status},
          {"paid_at", order.paid_at == 0 ? nlohmann::json(nullptr) : nlohmann::json(order.paid_at)},
          {"modified_at", order.modified_at},
          {"total_fen", order.total_fen},
          {"lines", std::move(lines)}};
}

ExampleOrder generated_order(std::string id, std::int64_t now_s, std::mt19937& rng) {
  auto pick = [&rng](int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); };
  ExampleOrder order;
  order.id = std::move(id);
  order.modified_at = now_s - pick(0, 1799);
  order.paid_at = order.modified_at - pick(0, 600);
  const int roll = pick(1, 10);
  order.status = roll == 1 ? "shipped" : roll == 2 ? "closed" : "paid";
  const int line_count = pick(1, 3);
  for (int i = 1; i <= line_count; ++i) {
    const auto& item = kCatalogue[static_cast<std::size_t>(pick(0, static_cast<int>(std::size(kCatalogue)) - 1))];
    ExampleLine line;
    line.id = order.id + "-" + std::to_string(i);
    line.sku = item.sku;
    line.quantity = pick(1, 3);
    line.paid_fen = line.quantity * item.price_fen;
    order.total_fen += line.paid_fen;
    order.lines.push_back(std::move(line));
  }
  return order;
}

void ExampleOrderBook::put(const std::string& shop, ExampleOrder order) {
  std::lock_guard lock(mutex_);
  auto& orders = by_shop_[shop];
  const std::string id = order.id;
  orders.insert_or_assign(id, std::move(order));
}

std::optional<ExampleOrder> ExampleOrderBook::find(const std::string& shop, const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto orders = by_shop_.find(shop);
  if (orders == by_shop_.end()) return std::nullopt;
  const auto it = orders->second.find(id);
  if (it == orders->second.end()) return std::nullopt;
  return it->second;
}

std::optional<ExampleOrderBook::Page> ExampleOrderBook::list(const std::string& shop, std::int64_t from,
                                                             std::int64_t to, const std::string& token) const {
  const auto offset = offset_of(token);
  if (!offset) return std::nullopt;
  std::vector<ExampleOrder> matching;
  {
    std::lock_guard lock(mutex_);
    if (const auto orders = by_shop_.find(shop); orders != by_shop_.end()) {
      for (const auto& [id, order] : orders->second) {
        if (order.modified_at >= from && order.modified_at < to) matching.push_back(order);
      }
    }
  }
  std::sort(matching.begin(), matching.end(), [](const ExampleOrder& a, const ExampleOrder& b) {
    return std::tie(a.modified_at, a.id) < std::tie(b.modified_at, b.id);
  });
  Page page;
  if (*offset >= matching.size()) return page;
  const std::size_t end = std::min(matching.size(), *offset + kPageSize);
  const auto first = matching.begin() + static_cast<std::ptrdiff_t>(*offset);
  page.orders.assign(first, matching.begin() + static_cast<std::ptrdiff_t>(end));
  if (end < matching.size()) page.next_page = kTokenPrefix + std::to_string(end);
  return page;
}

std::string ExampleOrderBook::next_id() {
  std::lock_guard lock(mutex_);
  return std::to_string(next_id_++);
}

std::size_t ExampleOrderBook::size() const {
  std::lock_guard lock(mutex_);
  std::size_t total = 0;
  for (const auto& [shop, orders] : by_shop_) total += orders.size();
  return total;
}

void ExampleOrderBook::clear() {
  std::lock_guard lock(mutex_);
  by_shop_.clear();
}

}  // namespace erp::sim::example
