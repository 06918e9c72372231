// erp-example: a platform plugin for a made-up shop platform with a small JSON API, as the
// starting point of a real one. It shows what every adapter does:
//   - declare its config keys, so `erpd check-config` checks the shop entry (config_keys);
//   - sign or authorize each request with the shop's secrets, through the host's HTTP client;
//   - map the platform's orders into erp::sdk::Order, and quarantine what cannot be mapped
//     (OrderPage::rejected) instead of dropping it;
//   - turn the platform's failures into ErrorCode, so the host knows whether to retry.
// The made-up API:  GET {base_url}/orders?modified_from=&modified_to=&page=  ->
//   {"orders": [ORDER...], "next_page": ""};  GET {base_url}/orders/{id} -> ORDER, where
//   ORDER = {"id", "status": "paid|shipped|closed", "paid_at": unix seconds, "modified_at": unix
//   seconds, "total_fen", "lines": [{"id", "sku", "quantity", "paid_fen"}]}.
// Authorization: "Bearer <api_token>", the shop's `api_token` secret.

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "erp/plugin.hpp"

namespace {

using namespace erp::sdk;
using nlohmann::json;

constexpr const char* kPlatform = "example";

Instant from_unix_seconds(std::int64_t seconds) {
  return Instant{std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::seconds{seconds})};
}

std::int64_t unix_seconds(Instant at) {
  return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

OrderStatus status_of(const std::string& text) {
  if (text == "shipped") return OrderStatus::shipped;
  if (text == "closed") return OrderStatus::closed;
  if (text == "paid") return OrderStatus::paid;
  throw std::invalid_argument("unknown status '" + text + "'");
}

/// One platform order as erpd's model; throws (json or invalid_argument) on a payload it cannot
/// read, which the caller quarantines with the reason.
Order to_order(const json& j, const std::string& shop) {
  Order o;
  o.platform = kPlatform;
  o.shop = shop;
  o.order_id = j.at("id").get<std::string>();
  o.platform_status = j.at("status").get<std::string>();
  o.status = status_of(o.platform_status);
  if (j.contains("paid_at") && !j["paid_at"].is_null()) o.paid_at = from_unix_seconds(j["paid_at"].get<std::int64_t>());
  o.modified_at = from_unix_seconds(j.at("modified_at").get<std::int64_t>());
  o.created_at = o.paid_at.value_or(o.modified_at);
  o.total = Money{j.at("total_fen").get<std::int64_t>()};
  for (const auto& l : j.at("lines")) {
    OrderLine line;
    line.line_id = l.at("id").get<std::string>();
    line.sku = l.at("sku").get<std::string>();
    line.outer_sku = line.sku;
    line.quantity = l.at("quantity").get<std::int64_t>();
    line.paid = Money{l.at("paid_fen").get<std::int64_t>()};
    line.status = o.status;
    o.lines.push_back(std::move(line));
  }
  return o;
}

class ExampleAdapter final : public PlatformAdapter {
 public:
  explicit ExampleAdapter(HostContext& host) : host_(host) {}

  Capabilities capabilities() const override {
    Capabilities caps;
    caps.incremental_sync = true;
    caps.max_window_seconds = 3600;  // the platform's longest listing window
    return caps;
  }

  Result<OrderPage> list_modified(const ModifiedWindow& window, const std::string& page) override {
    auto body = get("/orders?modified_from=" + std::to_string(unix_seconds(window.from)) +
                    "&modified_to=" + std::to_string(unix_seconds(window.to)) + "&page=" + page);
    if (!body) return std::move(body).error();
    OrderPage out;
    try {
      const json j = json::parse(*body);
      for (const auto& item : j.at("orders")) {
        try {
          out.orders.push_back(to_order(item, shop()));
        } catch (const std::exception& e) {
          // Never drop an order silently: the host keeps it in quarantine with the reason.
          out.rejected.push_back({item.value("id", std::string()), e.what(), item.dump()});
        }
      }
      out.next_page = j.value("next_page", std::string());
    } catch (const std::exception& e) {
      return fail(ErrorCode::transient, std::string("unreadable order list: ") + e.what());
    }
    return out;
  }

  Result<Order> get_order(const std::string& order_id) override {
    auto body = get("/orders/" + order_id);
    if (!body) return std::move(body).error();
    try {
      return to_order(json::parse(*body), shop());
    } catch (const std::exception& e) {
      return fail(ErrorCode::invalid_input, "order " + order_id + " cannot be read: " + e.what());
    }
  }

 private:
  std::string shop() const { return host_.config().get_or("id", ""); }

  /// GET base_url + path with the shop's token; the body of a 2xx, or the failure classified.
  Result<std::string> get(const std::string& path) {
    auto token = host_.secrets().get("api_token");
    if (!token) return fail(ErrorCode::config_error, "api_token: " + token.error().message);
    HttpRequest request;
    request.method = "GET";
    request.url = host_.config().get_or("base_url", "") + path;
    request.headers = {{"Authorization", "Bearer " + *token}, {"Accept", "application/json"}};
    auto response = host_.http().send(request);
    if (!response) return std::move(response).error();  // network: transient, the host retries
    const int status = response->status;
    if (status / 100 == 2) return std::move(response->body);
    if (status == 401) return fail(ErrorCode::auth_expired, "the platform refused the token (401)");
    if (status == 403) return fail(ErrorCode::needs_reauth, "the merchant must authorize the app again (403)");
    if (status == 404) return fail(ErrorCode::not_found, "not found (404) at " + path);
    if (status == 429) return fail(ErrorCode::rate_limited, "throttled (429)");
    if (status >= 500) return fail(ErrorCode::transient, "platform error " + std::to_string(status));
    return fail(ErrorCode::invalid_input, "refused with " + std::to_string(status) + ": " + response->body);
  }

  HostContext& host_;
};

class ExampleFactory final : public PluginFactory {
 public:
  std::vector<ConfigKeySpec> config_keys() const override {
    return {{"api_token", ConfigType::secret, true, "", "The shop's API token, under the shop's options: (never logged)."}};
  }

  Result<std::unique_ptr<PlatformAdapter>> create_platform_adapter(HostContext& host) override {
    if (host.config().get_or("base_url", "").empty()) return fail(ErrorCode::config_error, "base_url is required");
    return std::unique_ptr<PlatformAdapter>(std::make_unique<ExampleAdapter>(host));
  }
};

std::unique_ptr<PluginFactory> make_factory() { return std::make_unique<ExampleFactory>(); }

}  // namespace

ERP_PLUGIN(platform, "example", "0.1.0", &make_factory);
