// Flaw caught by PC6 (get_order): the single-order call maps the total differently from the
// listing (as a second, drifted mapper would), so erpd would store a new version of the order
// every time it fetches it.

#include "flawed_example.hpp"

namespace {

class GetOrderDiffers final : public erp::test::flawed::ForwardingAdapter {
 public:
  using ForwardingAdapter::ForwardingAdapter;

  erp::sdk::Result<erp::sdk::Order> get_order(const std::string& order_id) override {
    auto order = ForwardingAdapter::get_order(order_id);
    if (order) order->total.fen += 1;
    return order;
  }
};

std::unique_ptr<erp::sdk::PluginFactory> make_get_order_differs() {
  return std::make_unique<erp::test::flawed::FlawedFactory<GetOrderDiffers>>("pcheck_get_order_differs");
}

}  // namespace

ERP_PLUGIN(platform, "pcheck_get_order_differs", "0.1.0", &make_get_order_differs);
