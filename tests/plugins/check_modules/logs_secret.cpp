// Flaw caught by PC9 (privacy): logs the shop's API token at debug level on every listing. erpd
// would redact it in its own log, but a plugin that writes it shows it wherever redaction cannot
// reach (a derived token, a copy in an error message).

#include "flawed_example.hpp"

namespace {

class LogsSecret final : public erp::test::flawed::ForwardingAdapter {
 public:
  using ForwardingAdapter::ForwardingAdapter;

  erp::sdk::Result<erp::sdk::OrderPage> list_modified(const erp::sdk::ModifiedWindow& window,
                                                      const std::string& page) override {
    if (auto token = host_.secrets().get("api_token")) host_.logger().debug("listing with token " + *token);
    return ForwardingAdapter::list_modified(window, page);
  }
};

std::unique_ptr<erp::sdk::PluginFactory> make_logs_secret() {
  return std::make_unique<erp::test::flawed::FlawedFactory<LogsSecret>>("pcheck_logs_secret");
}

}  // namespace

ERP_PLUGIN(platform, "pcheck_logs_secret", "0.1.0", &make_logs_secret);
