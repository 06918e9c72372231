// See top_pages.hpp. Only this file includes the simulator's headers.

#include "top_pages.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

#include "core/module.hpp"
#include "core/modules.hpp"
#include "top/top_sign.hpp"
#include "top/top_time.hpp"

namespace erp::bench {

RecordedPages record_tmall_pages(int pages, const std::string& fields, const std::string& types) {
  erp::sim::Clock clock;
  erp::sim::Counters counters;
  erp::sim::Faults faults;
  erp::sim::Context context{clock, counters, faults};
  // A standing clock: the timestamp check and the generator's "created 1-30 min ago" agree
  // however long generation takes.
  clock.set(std::chrono::floor<std::chrono::seconds>(clock.now()));
  auto module = erp::sim::make_top_module(context);

  erp::sim::Shop shop;
  shop.id = "gen-tmall-1";
  shop.platform = "tmall";
  shop.app_key = "gen-tmall-1-key";
  shop.app_secret = "gen-tmall-1-secret";
  shop.session = "gen-tmall-1-session";
  module->add_shop(shop);
  std::mt19937 rng(20261111);
  module->generate(shop, pages * 100, rng);

  const auto now = clock.now();
  RecordedPages out;
  out.shop = shop.id;
  for (int page = 1; page <= pages; ++page) {
    std::map<std::string, std::string> p{
        {"method", "taobao.trades.sold.increment.get"},
        {"app_key", shop.app_key},
        {"session", shop.session},
        {"timestamp", erp::sim::top::format_china_time(now)},
        {"format", "json"},
        {"v", "2.0"},
        {"sign_method", "md5"},
        {"fields", fields},
        {"type", types},
        {"start_modified", erp::sim::top::format_china_time(now - std::chrono::hours{24})},
        {"end_modified", erp::sim::top::format_china_time(now)},
        {"page_size", "100"},
        {"page_no", std::to_string(page)},
    };
    p["sign"] = erp::sim::top::sign(p, shop.app_secret, erp::sim::top::SignMethod::md5);
    erp::sim::Request request;
    request.method = "GET";
    request.path = "/router/rest";
    request.target = "/router/rest";
    for (const auto& [k, v] : p) request.query.emplace_back(k, v);
    erp::sim::Response response = module->handle(request);
    if (response.status != 200 || response.body.find("error_response") != std::string::npos) {
      throw std::runtime_error("increment.get page " + std::to_string(page) + ": " + response.body.substr(0, 300));
    }
    const auto parsed = nlohmann::json::parse(response.body);
    out.trades += static_cast<long long>(
        parsed["trades_sold_increment_get_response"]["trades"]["trade"].size());
    out.bodies.push_back(std::move(response.body));
  }
  return out;
}

}  // namespace erp::bench
