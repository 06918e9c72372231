// The Qimen connector's inbound path: any body, correctly signed (so the parsers read past the
// signature), as any of the methods in XML or JSON; or any query string and body as they come.
// Each is taken or refused with a reason, its reply is built, and nothing crashes.
//
// The first byte chooses: bits 0-1 the method, bits 2-3 the format parameter, bit 4 raw mode
// (the rest is "<query>\n<body>", signed or not as it happens).
#include <cstddef>
#include <cstdint>
#include <string>

#include "plugins/qimen/qimen_config.hpp"
#include "plugins/qimen/qimen_inbound.hpp"
#include "plugins/qimen/qimen_reply.hpp"
#include "plugins/qimen/qimen_sign.hpp"

namespace {

const erp::plugins::qimen::QimenConfig& fuzz_config() {
  static const erp::plugins::qimen::QimenConfig config = [] {
    erp::plugins::qimen::QimenConfig c;
    c.url = "http://127.0.0.1:9/qimen";
    c.app_key = "fuzz-key";
    c.app_secret = "fuzz-secret";
    c.customer_id = "c1001";
    c.owner_code = "OWNER1";
    return c;
  }();
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace erp::plugins::qimen;
  if (size == 0) return 0;
  const unsigned selector = data[0];
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  erp::sdk::WarehouseCall call;
  if ((selector & 0x10U) != 0) {
    const std::size_t newline = rest.find('\n');
    call.query = rest.substr(0, newline);
    if (newline != std::string::npos) call.body = rest.substr(newline + 1);
  } else {
    static const char* const kMethods[] = {"taobao.qimen.deliveryorder.confirm", "orderprocess.report",
                                           "taobao.qimen.stockchange.report", "deliveryorder.create"};
    static const char* const kFormats[] = {"xml", "json", "", "XML"};
    call.body = rest;
    Params params{{"method", kMethods[selector & 0x03U]},
                  {"timestamp", "2026-11-11 15:00:00"},
                  {"format", kFormats[(selector >> 2) & 0x03U]},
                  {"app_key", "wms"},
                  {"v", "2.0"},
                  {"sign_method", "md5"},
                  {"customerId", "c1001"}};
    params.emplace_back("sign", sign(params, call.body, fuzz_config().app_secret, SignMethod::md5));
    call.query = build_query(params);
  }
  const auto parsed = parse_qimen_call(call, fuzz_config());
  erp::sdk::InboundOutcome outcome;
  if (!parsed) {
    outcome.accepted = false;
    outcome.code = std::string(erp::sdk::to_string(parsed.error().code));
    outcome.message = parsed.error().message;
  }
  (void)qimen_reply(call, outcome);
  return 0;
}
