#pragma once
// The orders of platform-sim's "example" platform, in the shape sdk/template/example_plugin.cpp
// reads: the made-up API the plugin template is written against, so that the template (and a
// plugin author's first copy of it) can be proven with erp-plugin-check like any real adapter.

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace erp::sim::example {

struct ExampleLine {
  std::string id;
  std::string sku;
  std::int64_t quantity = 1;
  std::int64_t paid_fen = 0;
};

/// One order as the platform keeps it. Times are unix seconds; paid_at 0 means unpaid.
struct ExampleOrder {
  std::string id;
  std::string status = "paid";  ///< paid | shipped | closed
  std::int64_t paid_at = 0;
  std::int64_t modified_at = 0;
  std::int64_t total_fen = 0;
  std::vector<ExampleLine> lines;
};

/// ORDER as the API renders it (the comment at the top of example_plugin.cpp).
nlohmann::json order_json(const ExampleOrder& order);

/// A realistic paid (sometimes shipped or closed) order modified in the last 30 minutes before
/// `now_s`, with 1-3 lines.
ExampleOrder generated_order(std::string id, std::int64_t now_s, std::mt19937& rng);

/// Every shop's orders. Thread-safe.
class ExampleOrderBook {
 public:
  /// Orders per listing page: small, so that a few dozen orders already take several pages.
  static constexpr std::size_t kPageSize = 20;

  struct Page {
    std::vector<ExampleOrder> orders;
    std::string next_page;  ///< Empty on the last page.
  };

  /// Adds or replaces an order of `shop`.
  void put(const std::string& shop, ExampleOrder order);
  std::optional<ExampleOrder> find(const std::string& shop, const std::string& id) const;
  /// Orders with from <= modified_at < to, oldest first (ties by id), one page. `token` is "" for
  /// the first page or a next_page this book gave out; nullopt when it is not one.
  std::optional<Page> list(const std::string& shop, std::int64_t from, std::int64_t to, const std::string& token) const;
  /// A fresh order id, unique across shops.
  std::string next_id();
  std::size_t size() const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::map<std::string, ExampleOrder>> by_shop_;
  std::uint64_t next_id_ = 700000000001;
};

}  // namespace erp::sim::example
