// Flaw caught by PC7 (errors): calls every platform or network failure `internal` (only a
// refused token and an unknown order keep their codes), so erpd would never retry a 503 or wait
// out a throttle.

#include "flawed_example.hpp"

namespace {

using erp::sdk::ErrorCode;

template <class T>
erp::sdk::Result<T> all_internal(erp::sdk::Result<T> result) {
  if (result) return result;
  const ErrorCode code = result.error().code;
  if (code == ErrorCode::auth_expired || code == ErrorCode::not_found || code == ErrorCode::config_error) return result;
  return erp::sdk::fail(ErrorCode::internal, "request failed: " + result.error().message);
}

class AllInternal final : public erp::test::flawed::ForwardingAdapter {
 public:
  using ForwardingAdapter::ForwardingAdapter;

  erp::sdk::Result<erp::sdk::OrderPage> list_modified(const erp::sdk::ModifiedWindow& window,
                                                      const std::string& page) override {
    return all_internal(ForwardingAdapter::list_modified(window, page));
  }

  erp::sdk::Result<erp::sdk::Order> get_order(const std::string& order_id) override {
    return all_internal(ForwardingAdapter::get_order(order_id));
  }
};

std::unique_ptr<erp::sdk::PluginFactory> make_all_internal() {
  return std::make_unique<erp::test::flawed::FlawedFactory<AllInternal>>("pcheck_all_internal");
}

}  // namespace

ERP_PLUGIN(platform, "pcheck_all_internal", "0.1.0", &make_all_internal);
