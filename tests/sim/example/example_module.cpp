// The example platform's gateway: bearer-token authorization, the two GET routes, the core's
// fault draws, and HTTP statuses the template classifies (401, 403, 404, 429, 5xx).

#include "example/example_module.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <mutex>

#include "example/example_orders.hpp"

namespace erp::sim {
namespace {

using example::ExampleLine;
using example::ExampleOrder;
using example::ExampleOrderBook;

constexpr const char* kListPath = "/example/orders";
constexpr const char* kOrderPathPrefix = "/example/orders/";
/// The platform's longest listing window, as the template's capabilities() declares it.
constexpr std::int64_t kMaxWindowSeconds = 3600;

Response example_error(int status, const std::string& code, const std::string& message) {
  Response response;
  response.status = status;
  response.body = nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump();
  return response;
}

Response json_ok(const nlohmann::json& body) {
  Response response;
  response.body = body.dump();
  return response;
}

std::optional<std::int64_t> unix_seconds_param(const Request& request, const std::string& name) {
  const std::string text = request.query_value(name);
  std::int64_t value = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || parsed.ec != std::errc{} || parsed.ptr != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

std::string text_of(const YAML::Node& event, const char* key, std::string fallback) {
  return event[key] ? event[key].as<std::string>() : std::move(fallback);
}

class ExampleModule final : public PlatformModule {
 public:
  explicit ExampleModule(Context& context) : context_(context) {}

  std::string name() const override { return "example"; }
  std::vector<std::string> platforms() const override { return {"example"}; }
  std::string token_name() const override { return "api_token"; }
  std::string base_path() const override { return "/example"; }

  bool serves(const Request& request) const override { return request.path.rfind("/example/", 0) == 0; }

  Response handle(const Request& request) override {
    if (request.method != "GET") {
      Response refused = example_error(405, "method_not_allowed", "only GET is served");
      refused.headers.emplace_back("Allow", "GET");
      return refused;
    }
    const auto shop = shop_of(request);
    if (!shop) return example_error(401, "unauthorized", "missing or unknown bearer token");
    if (request.path == kListPath) return with_fault("orders.list", [&] { return list(*shop, request); });
    if (request.path.rfind(kOrderPathPrefix, 0) == 0 && request.path.size() > std::string(kOrderPathPrefix).size()) {
      const std::string id = request.path.substr(std::string(kOrderPathPrefix).size());
      return with_fault("orders.get", [&] { return get(*shop, id); });
    }
    return example_error(404, "not_found", "no route " + request.path);
  }

  void add_shop(const Shop& shop) override {
    std::lock_guard lock(mutex_);
    // A shop registered again (a scenario replacing it) keeps only its newest token.
    std::erase_if(shop_by_token_, [&](const auto& entry) { return entry.second == shop.id; });
    shop_by_token_[shop.session] = shop.id;
  }

  std::optional<std::string> apply(const Shop& shop, const YAML::Node& event) override {
    try {
      const std::string type = text_of(event, "type", "");
      if (type == "order") return add_event_order(shop, event);
      if (type == "status") return change_status(shop, event);
      return "unknown event type '" + type + "' (example: order, status)";
    } catch (const YAML::Exception& e) {
      return std::string("unreadable event: ") + e.what();
    }
  }

  void on_clock(Instant) override {}

  void generate(const Shop& shop, int count, std::mt19937& rng) override {
    for (int i = 0; i < count; ++i) book_.put(shop.id, example::generated_order(book_.next_id(), now_s(), rng));
  }

  nlohmann::json state() const override {
    std::lock_guard lock(mutex_);
    return {{"shops", shop_by_token_.size()}, {"orders", book_.size()}};
  }

  void reset() override {
    book_.clear();
    std::lock_guard lock(mutex_);
    shop_by_token_.clear();
  }

 private:
  std::int64_t now_s() const {
    return std::chrono::duration_cast<std::chrono::seconds>(context_.clock.now().time_since_epoch()).count();
  }

  std::optional<std::string> shop_of(const Request& request) const {
    const auto header = request.headers.find("authorization");
    const std::string prefix = "Bearer ";
    if (header == request.headers.end() || header->second.rfind(prefix, 0) != 0) return std::nullopt;
    std::lock_guard lock(mutex_);
    const auto shop = shop_by_token_.find(header->second.substr(prefix.size()));
    if (shop == shop_by_token_.end()) return std::nullopt;
    return shop->second;
  }

  /// Faults come after authorization, as on TOP, so they never hide a credential problem. A
  /// timed-out or truncated call is still answered in full by `answer`: the client just never
  /// reads it.
  template <class Answer>
  Response with_fault(const std::string& method, Answer&& answer) {
    switch (context_.faults.draw(method)) {
      case Fault::server_error:
        return example_error(503, "unavailable", "the platform is briefly unavailable");
      case Fault::rate_limit: {
        Response throttled = example_error(429, "throttled", "too many requests");
        throttled.headers.emplace_back("Retry-After", "1");
        return throttled;
      }
      case Fault::expired_session:
        return example_error(401, "token_expired", "the api token has expired");
      case Fault::timeout: {
        Response response = answer();
        response.hang = true;
        return response;
      }
      case Fault::truncated: {
        Response response = answer();
        response.truncate = true;
        return response;
      }
      case Fault::none:
        break;
    }
    return answer();
  }

  Response list(const std::string& shop, const Request& request) const {
    const auto from = unix_seconds_param(request, "modified_from");
    const auto to = unix_seconds_param(request, "modified_to");
    if (!from || !to) return example_error(400, "bad_request", "modified_from and modified_to: unix seconds required");
    if (*to < *from) return example_error(400, "bad_request", "modified_to is before modified_from");
    if (*to - *from > kMaxWindowSeconds) {
      return example_error(400, "bad_request", "the window is longer than 3600 seconds");
    }
    const auto page = book_.list(shop, *from, *to, request.query_value("page"));
    if (!page) return example_error(400, "bad_request", "page: not a token this listing gave out");
    nlohmann::json orders = nlohmann::json::array();
    for (const auto& order : page->orders) orders.push_back(example::order_json(order));
    return json_ok({{"orders", std::move(orders)}, {"next_page", page->next_page}});
  }

  Response get(const std::string& shop, const std::string& id) const {
    const auto order = book_.find(shop, id);
    if (!order) return example_error(404, "not_found", "no order " + id);
    return json_ok(example::order_json(*order));
  }

  std::optional<std::string> add_event_order(const Shop& shop, const YAML::Node& event) {
    ExampleOrder order;
    order.id = text_of(event, "id", book_.next_id());
    order.status = text_of(event, "status", "paid");
    order.modified_at = now_s();
    if (order.status != "closed") order.paid_at = order.modified_at;
    if (event["lines"]) {
      for (const auto& node : event["lines"]) {
        ExampleLine line;
        line.id = text_of(node, "id", order.id + "-" + std::to_string(order.lines.size() + 1));
        line.sku = text_of(node, "sku", "EX-SKU");
        line.quantity = node["quantity"] ? node["quantity"].as<std::int64_t>() : 1;
        line.paid_fen = node["paid_fen"] ? node["paid_fen"].as<std::int64_t>() : 100;
        order.lines.push_back(std::move(line));
      }
    } else {
      order.lines.push_back({order.id + "-1", "EX-SKU", 1, 100});
    }
    for (const auto& line : order.lines) order.total_fen += line.paid_fen;
    book_.put(shop.id, std::move(order));
    return std::nullopt;
  }

  std::optional<std::string> change_status(const Shop& shop, const YAML::Node& event) {
    const std::string id = text_of(event, "id", "");
    auto order = book_.find(shop.id, id);
    if (!order) return "no order '" + id + "' in shop " + shop.id;
    order->status = text_of(event, "status", order->status);
    order->modified_at = std::max(order->modified_at + 1, now_s());
    book_.put(shop.id, std::move(*order));
    return std::nullopt;
  }

  Context& context_;
  ExampleOrderBook book_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> shop_by_token_;
};

}  // namespace

std::unique_ptr<PlatformModule> make_example_module(Context& context) {
  return std::make_unique<ExampleModule>(context);
}

}  // namespace erp::sim
