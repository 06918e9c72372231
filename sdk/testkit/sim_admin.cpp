#include "testkit/sim_admin.hpp"

#include <utility>

#include "core/time_format.hpp"
#include "plugins/common/percent_encode.hpp"

namespace erp::testkit {
namespace {

constexpr std::chrono::seconds kAdminTimeout{20};

}  // namespace

SimAdmin::SimAdmin(std::string url, std::shared_ptr<sdk::HttpClient> http)
    : url_(std::move(url)), http_(std::move(http)) {}

sdk::Result<nlohmann::json> SimAdmin::call(const std::string& method, const std::string& path,
                                           const nlohmann::json* body) {
  sdk::HttpRequest request;
  request.method = method;
  request.url = url_ + path;
  request.timeout = kAdminTimeout;
  if (body != nullptr) {
    request.body = body->dump();
    request.headers.emplace_back("Content-Type", "application/json");
  }
  auto response = http_->send(request);
  if (!response) {
    return sdk::fail(response.error().code, "platform-sim " + method + " " + path + ": " + response.error().message);
  }
  auto parsed = nlohmann::json::parse(response->body, nullptr, false);
  if (response->status / 100 != 2) {
    std::string why = response->body;
    if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object()) {
      why = parsed["error"].value("message", why);
    }
    return sdk::fail(sdk::ErrorCode::invalid_input, "platform-sim " + method + " " + path + " answered " +
                                                        std::to_string(response->status) + ": " + why);
  }
  if (parsed.is_discarded()) {
    return sdk::fail(sdk::ErrorCode::invalid_input, "platform-sim " + method + " " + path + " answered no JSON");
  }
  return parsed;
}

sdk::Result<void> SimAdmin::reset() {
  auto answer = call("POST", "/admin/reset", nullptr);
  if (!answer) return std::move(answer).error();
  return {};
}

sdk::Result<void> SimAdmin::set_clock(sdk::Instant at) {
  const nlohmann::json body = {{"set", daemon::format_rfc3339(at)}};
  auto answer = call("POST", "/admin/clock", &body);
  if (!answer) return std::move(answer).error();
  return {};
}

sdk::Result<void> SimAdmin::advance_clock(std::chrono::seconds by) {
  const nlohmann::json body = {{"advance", std::to_string(by.count()) + "s"}};
  auto answer = call("POST", "/admin/clock", &body);
  if (!answer) return std::move(answer).error();
  return {};
}

sdk::Result<nlohmann::json> SimAdmin::generate(const std::string& platform, int orders) {
  const nlohmann::json body = {{"platform", platform}, {"shops", 1}, {"orders", orders}};
  auto answer = call("POST", "/admin/generate", &body);
  if (!answer) return std::move(answer).error();
  if (!answer->contains("shops") || !(*answer)["shops"].is_array() || (*answer)["shops"].empty()) {
    return sdk::fail(sdk::ErrorCode::invalid_input, "platform-sim /admin/generate answered no shop");
  }
  return (*answer)["shops"][0];
}

sdk::Result<void> SimAdmin::fail_every_request(const std::string& fault) {
  const nlohmann::json body = {{fault, 1.0}};
  auto answer = call("POST", "/admin/faults", &body);
  if (!answer) return std::move(answer).error();
  return {};
}

sdk::Result<void> SimAdmin::clear_faults() {
  auto answer = call("DELETE", "/admin/faults", nullptr);
  if (!answer) return std::move(answer).error();
  return {};
}

sdk::Result<int> SimAdmin::count(const std::string& kind, const std::string& order_id) {
  auto answer = call("GET", "/admin/counters?order_id=" + plugins::percent_encode(order_id), nullptr);
  if (!answer) return std::move(answer).error();
  if (!answer->contains(kind)) return 0;
  const auto& per_key = (*answer)[kind];
  if (!per_key.contains(order_id) || !per_key[order_id].is_number_integer()) return 0;
  return per_key[order_id].get<int>();
}

}  // namespace erp::testkit
