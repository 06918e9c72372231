#pragma once
// A PlatformModule that records what the core asks of it, for the core's tests.

#include <mutex>
#include <string>
#include <vector>

#include "core/module.hpp"

namespace erp::sim::testing {

class FakeModule : public PlatformModule {
 public:
  explicit FakeModule(Context& context) : ctx_(context) {}

  struct Applied {
    std::string shop;
    std::string type;
    Instant clock;  ///< The simulated time while it was applied.
  };

  std::string name() const override { return "fake"; }
  std::vector<std::string> platforms() const override { return {"taobao", "tmall"}; }
  bool serves(const Request& request) const override { return request.path == "/router/rest"; }

  Response handle(const Request& request) override {
    const std::string method = request.query_value("method");
    Response r;
    switch (ctx_.faults.draw(method)) {
      case Fault::timeout:
        r.hang = true;
        break;
      case Fault::truncated:
        r.truncate = true;
        break;
      case Fault::server_error:
        r.status = 500;
        break;
      default:
        break;
    }
    if (method == "memo") ctx_.counters.add("memo", request.query_value("shop"), request.query_value("tid"));
    nlohmann::json body = {{"method", method}, {"path", request.path}, {"body", request.body}};
    r.body = body.dump();
    return r;
  }

  void add_shop(const Shop& shop) override {
    std::lock_guard lock(mutex_);
    shops.push_back(shop);
  }

  std::optional<std::string> apply(const Shop& shop, const YAML::Node& event) override {
    const std::string type = event["type"].as<std::string>();
    if (type == "refuse") return "fake refuses this event";
    std::lock_guard lock(mutex_);
    applied.push_back({shop.id, type, ctx_.clock.now()});
    return std::nullopt;
  }

  void on_clock(Instant now) override {
    std::lock_guard lock(mutex_);
    clocks.push_back(now);
  }

  void generate(const Shop& shop, int count, std::mt19937&) override {
    std::lock_guard lock(mutex_);
    generated += count;
    generated_shops.push_back(shop.id);
  }

  nlohmann::json state() const override {
    std::lock_guard lock(mutex_);
    return {{"generated", generated}, {"applied", applied.size()}};
  }

  void reset() override {
    std::lock_guard lock(mutex_);
    applied.clear();
    shops.clear();
    generated = 0;
    ++resets;
  }

  Response transport_error(const Request& partial, int status, const std::string& message) const override {
    Response r;
    r.status = status;
    r.body = nlohmann::json{{"error_response", {{"code", status}, {"msg", message}, {"path", partial.path}}}}.dump();
    return r;
  }

  mutable std::mutex mutex_;
  std::vector<Shop> shops;
  std::vector<Applied> applied;
  std::vector<Instant> clocks;
  std::vector<std::string> generated_shops;
  int generated = 0;
  int resets = 0;

 private:
  Context& ctx_;
};

}  // namespace erp::sim::testing
