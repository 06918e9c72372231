// Flaw caught by PC4 (listing): hands back the same page token forever, so a window never ends.

#include "flawed_example.hpp"

namespace {

class RepeatsToken final : public erp::test::flawed::ForwardingAdapter {
 public:
  using ForwardingAdapter::ForwardingAdapter;

  erp::sdk::Result<erp::sdk::OrderPage> list_modified(const erp::sdk::ModifiedWindow& window,
                                                      const std::string& page) override {
    // Every page claims another one, "again"; asked for it, the first page is read once more.
    auto listed = ForwardingAdapter::list_modified(window, page == "again" ? "" : page);
    if (listed) listed->next_page = "again";
    return listed;
  }
};

std::unique_ptr<erp::sdk::PluginFactory> make_repeats_token() {
  return std::make_unique<erp::test::flawed::FlawedFactory<RepeatsToken>>("pcheck_repeats_token");
}

}  // namespace

ERP_PLUGIN(platform, "pcheck_repeats_token", "0.1.0", &make_repeats_token);
