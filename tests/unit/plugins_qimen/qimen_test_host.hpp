#pragma once
// What the Qimen plugin tests share: a HostContext of fakes whose HttpClient answers from a queue
// and keeps every request, the options of one WMS, a Tmall order with two lines and a G4 gift,
// and a builder of signed inbound calls.

#include <chrono>
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "erp/host.hpp"
#include "erp/memory_state.hpp"
#include "erp/warehouse.hpp"
#include "plugins/qimen/qimen_factory.hpp"
#include "plugins/qimen/qimen_sign.hpp"
#include "plugins/qimen/qimen_time.hpp"
#include "unit/host_fakes.hpp"

namespace erp::plugins::qimen::testing {

namespace sdk = erp::sdk;

inline constexpr const char* kSecret = "qimen-secret-42";
inline constexpr const char* kSuccessXml =
    R"(<?xml version="1.0" encoding="utf-8"?><response><flag>success</flag><code>0</code><message>ok</message></response>)";

/// Answers from `answers` in turn (a success when it runs out) and keeps every request.
class QueueHttp final : public sdk::HttpClient {
 public:
  struct Answer {
    int status = 200;
    std::string body = kSuccessXml;
    bool transport_error = false;
  };

  sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest& request) noexcept override {
    requests.push_back(request);
    Answer answer;
    if (!answers.empty()) {
      answer = answers.front();
      answers.pop_front();
    }
    if (answer.transport_error) return sdk::fail(sdk::ErrorCode::transient, "timed out after 10000 ms");
    sdk::HttpResponse response;
    response.status = answer.status;
    response.body = answer.body;
    return response;
  }

  void answer_failure(std::string code, std::string message) {
    answers.push_back(Answer{200,
                             R"(<?xml version="1.0" encoding="utf-8"?><response><flag>failure</flag><code>)" + code +
                                 "</code><message>" + message + "</message></response>",
                             false});
  }

  std::deque<Answer> answers;
  std::vector<sdk::HttpRequest> requests;
};

inline sdk::Instant utc(int y, unsigned mo, unsigned d, int h, int mi = 0, int s = 0) {
  using namespace std::chrono;
  return sdk::Instant{sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s}};
}

class QimenHost final : public sdk::HostContext {
 public:
  QimenHost() {
    fake_clock.at = utc(2026, 11, 11, 4, 30);
    fake_secrets.values["app_secret"] = kSecret;
    fake_config.values = {{"url", "https://wms.example.com/qimen/router"},
                          {"app_key", "23456789"},
                          {"customer_id", "c1001"},
                          {"owner_code", "OWNER1"}};
  }
  sdk::Logger& logger() noexcept override { return log; }
  sdk::HttpClient& http() noexcept override { return web; }
  const sdk::Clock& clock() const noexcept override { return fake_clock; }
  const sdk::Secrets& secrets() const noexcept override { return fake_secrets; }
  const sdk::ConfigView& config() const noexcept override { return fake_config; }
  sdk::StateStore& state() noexcept override { return store; }

  /// The connector the plugin's factory makes from this host; throws (failing the test) when refused.
  std::unique_ptr<sdk::WarehouseConnector> connector() {
    auto made = make_qimen_factory()->create_warehouse_connector(*this);
    if (!made) throw std::runtime_error("connector refused: " + made.error().message);
    return std::move(made).value();
  }

  erp::testing::FakeClock fake_clock;
  erp::testing::FakeSecrets fake_secrets;
  erp::testing::FakeConfig fake_config;
  erp::testing::FakeLogger log;
  QueueHttp web;
  sdk::MemoryStateStore store;
};

/// The query parameters of a request URL, decoded.
inline Params query_params(const std::string& url) {
  const auto at = url.find('?');
  return parse_query(at == std::string::npos ? std::string() : url.substr(at + 1));
}

inline std::string param(const Params& params, const std::string& name) {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return "<absent>";
}

/// A Tmall order as the TOP mapper leaves it: two lines (one with no outer_sku), masked receiver,
/// the trade's OAID as the receiver ciphertext; and the G4 gift of reservation 4001 added.
inline sdk::DeliveryOrder gift_delivery() {
  sdk::DeliveryOrder delivery;
  sdk::Order& order = delivery.order;
  order.platform = "tmall";
  order.shop = "tm-1";
  order.order_id = "5010";
  order.created_at = utc(2026, 11, 11, 2);
  order.paid_at = utc(2026, 11, 11, 2, 1);
  order.ship_by = utc(2026, 11, 13, 16);
  order.total = sdk::Money{38300};
  order.memo = "拦截/不要发货";
  order.buyer_ref = "buyer-open-uid-1";
  order.receiver.ciphertext = "OAID-5010";
  order.receiver.masked_name = "张*";
  order.receiver.masked_phone = "138****5678";
  order.receiver.masked_address = "浙江省杭州市西湖区****";
  order.receiver.province = "浙江省";
  order.receiver.city = "杭州市";
  order.receiver.district = "西湖区";
  sdk::OrderLine dress;
  dress.line_id = "50101";
  dress.item_id = "600001";
  dress.sku = "sku-1";
  dress.outer_sku = "SKU-RED-M";
  dress.title = R"(Dress <red> & "gold")";
  dress.quantity = 2;
  dress.price = sdk::Money{19900};
  dress.paid = sdk::Money{35800};
  order.lines.push_back(dress);
  sdk::OrderLine socks;
  socks.line_id = "50102";
  socks.item_id = "600002";
  socks.sku = "sku-2";
  socks.title = "袜子";
  socks.quantity = 3;
  socks.price = sdk::Money{1000};
  socks.paid = sdk::Money{2500};
  order.lines.push_back(socks);
  sdk::AddedLine gift;
  gift.line.line_id = "gift:4001:40011";
  gift.line.item_id = "600009";
  gift.line.sku = "sku-9";
  gift.line.outer_sku = "GIFT-BAG";
  gift.line.title = "礼品袋";
  gift.line.quantity = 1;
  gift.rule_id = "G4";
  gift.fulfils = {"4001"};
  delivery.added_lines.push_back(gift);
  delivery.idempotency_key = "deliver:tmall/tm-1/5010";
  delivery.delivery_code = "5010";
  return delivery;
}

/// A call from the WMS, signed as a WMS would sign it (the signer itself is checked against
/// independent vectors in qimen_sign_test.cpp).
inline sdk::WarehouseCall signed_call(const std::string& method, const std::string& body,
                                      const std::string& format = "xml", const std::string& secret = kSecret) {
  Params params{{"method", method},     {"timestamp", "2026-11-11 15:00:00"},
                {"format", format},     {"app_key", "wms-key-7"},
                {"v", "2.0"},           {"sign_method", "md5"},
                {"customerId", "c1001"}};
  params.emplace_back("sign", sign(params, body, secret, SignMethod::md5));
  sdk::WarehouseCall call;
  call.query = build_query(params);
  call.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  call.body = body;
  return call;
}

/// One event on one line, for exact comparisons:
///   shipped id=OBC-1 code=5010 status=DELIVERED final=1 at=2026-11-11 14:20:00 note=
///     parcels=SF/SF1001[50101x2]
inline std::string describe(const sdk::WarehouseEvent& e) {
  std::string out;
  switch (e.kind) {
    case sdk::WarehouseEventKind::shipped:
      out = "shipped";
      break;
    case sdk::WarehouseEventKind::lock_outcome:
      out = "lock_outcome";
      break;
    case sdk::WarehouseEventKind::progress:
      out = "progress";
      break;
    case sdk::WarehouseEventKind::stock_change:
      out = "stock_change";
      break;
  }
  out += " id=" + e.message_id + " code=" + e.delivery_code + " status=" + e.status;
  out += " at=" + (e.at ? format_china_time(*e.at) : std::string("-"));
  if (e.kind == sdk::WarehouseEventKind::shipped) {
    out += " final=" + std::to_string(e.final ? 1 : 0) + " parcels=";
    for (std::size_t i = 0; i < e.parcels.size(); ++i) {
      const auto& p = e.parcels[i];
      out += (i ? ";" : "") + p.carrier_code + "/" + p.waybill + "[";
      for (std::size_t k = 0; k < p.items.size(); ++k) {
        out += (k ? "," : "") + p.items[k].line_id + "x" + std::to_string(p.items[k].quantity);
      }
      out += "]";
    }
  }
  if (e.kind == sdk::WarehouseEventKind::lock_outcome) out += " locked=" + std::to_string(e.locked ? 1 : 0);
  if (e.kind == sdk::WarehouseEventKind::stock_change) {
    out += " warehouse=" + e.warehouse_code + " item=" + e.item_code + " qty=" + std::to_string(e.quantity);
  }
  out += " note=" + e.note;
  return out;
}

inline std::vector<std::string> describe(const sdk::WarehouseMessages& messages) {
  std::vector<std::string> out;
  for (const auto& e : messages.events) out.push_back(describe(e));
  return out;
}

}  // namespace erp::plugins::qimen::testing
