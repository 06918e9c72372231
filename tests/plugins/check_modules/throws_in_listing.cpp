// Flaw caught by PC4 (listing): throws from list_modified as soon as a page holds orders (a
// mapping bug that escapes as an exception instead of a quarantined order).

#include <stdexcept>

#include "flawed_example.hpp"

namespace {

class ThrowsInListing final : public erp::test::flawed::ForwardingAdapter {
 public:
  using ForwardingAdapter::ForwardingAdapter;

  erp::sdk::Result<erp::sdk::OrderPage> list_modified(const erp::sdk::ModifiedWindow& window,
                                                      const std::string& page) override {
    auto listed = ForwardingAdapter::list_modified(window, page);
    if (listed && !listed->orders.empty()) throw std::runtime_error("cannot map order " + listed->orders[0].order_id);
    return listed;
  }
};

std::unique_ptr<erp::sdk::PluginFactory> make_throws_in_listing() {
  return std::make_unique<erp::test::flawed::FlawedFactory<ThrowsInListing>>("pcheck_throws_in_listing");
}

}  // namespace

ERP_PLUGIN(platform, "pcheck_throws_in_listing", "0.1.0", &make_throws_in_listing);
