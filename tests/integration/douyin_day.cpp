#include "integration/douyin_day.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <ctime>

#include "integration/dice.hpp"
#include "integration/platform_calls.hpp"
#include "store/store.hpp"

namespace erp::test {
namespace {

using nlohmann::json;

/// A 19-digit id shaped like Douyin's: `prefix` then `n` zero-padded.
std::string id19(const char* prefix, std::int64_t n) {
  std::string digits = std::to_string(n);
  std::string out = prefix;
  out.append(19 - out.size() - digits.size(), '0');
  return out + digits;
}

struct Writer {
  const DouyinShop& shop;
  std::string yaml;
  void event(int minute, const std::string& type, const std::string& keys) {
    yaml += "  - {at: \"+" + std::to_string(minute) + "m\", shop: " + shop.id + ", type: " + type +
            (keys.empty() ? "" : ", " + keys) + "}\n";
  }
};

std::string receiver_yaml(int i, Dice& dice) {
  static const char* kNames[] = {"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强"};
  static const char* kPlaces[][4] = {{"浙江省", "杭州市", "西湖区", "文新街道"},
                                     {"广东省", "深圳市", "南山区", "粤海街道"},
                                     {"上海市", "上海市", "浦东新区", "花木街道"},
                                     {"四川省", "成都市", "武侯区", "玉林街道"}};
  const auto& place = kPlaces[dice.below(4)];
  const std::string phone = "139" + std::to_string(10000000 + i * 7919 % 90000000);
  return std::string("receiver: {name: ") + kNames[dice.below(8)] + ", phone: \"" + phone +
         "\", province: " + place[0] + ", city: " + place[1] + ", town: " + place[2] + ", street: " + place[3] +
         ", detail: \"幸福路" + std::to_string(1 + dice.below(900)) + "号\"}";
}

}  // namespace

std::string douyin_scenario_shop(const DouyinShop& shop, const std::string& push_url) {
  return "  - {id: " + shop.id + ", platform: douyin, app_key: " + shop.app_key() +
         ", app_secret: " + shop.app_secret() + ", access_token: " + shop.access_token() +
         ", refresh_token: " + shop.refresh_token() + (push_url.empty() ? "" : ", push_url: \"" + push_url + "\"") +
         "}\n";
}

std::string douyin_day_events(const DouyinShop& shop, int orders, std::uint64_t seed, int first) {
  Writer w{shop, {}};
  Dice dice(seed);
  for (int i = 0; i < orders; ++i) {
    const std::string order_id = id19("693", first + i + 1);
    const std::string oid = "order_id: \"" + order_id + "\"";
    const int minute = 10 + (i * 1140) / orders + dice.below(5);  // spread over the first 19 hours
    const bool paid = i % 7 != 0;
    const int skus = 1 + dice.below(3);
    std::vector<std::string> sku_ids;
    std::string sku_yaml = "skus: [";
    for (int k = 1; k <= skus; ++k) {
      const int product = 1 + dice.below(6);
      sku_ids.push_back(id19("694", std::int64_t{first + i + 1} * 10 + k));
      sku_yaml += std::string(k > 1 ? ", " : "") + "{sku_order_id: \"" + sku_ids.back() + "\", sku_id: \"" +
                  id19("17", product * 10 + k) + "\", product_id: \"" + id19("36", product) + "\", code: \"SKU-" +
                  std::to_string(product) + "-" + std::to_string(k) + "\", product_name: \"商品" +
                  std::to_string(product) + "\", spec: \"规格" + std::to_string(k) +
                  "\", qty: " + std::to_string(1 + dice.below(3)) + ", price: \"" +
                  std::to_string(9 + dice.below(290)) + "." + std::to_string(10 + dice.below(90)) + "\"}";
    }
    sku_yaml += "]";
    std::string keys = oid + ", buyer: buyer-" + std::to_string(i / 2) + (paid ? ", paid: true" : "") + ", " +
                       receiver_yaml(i, dice) + ", " + sku_yaml;
    if (i % 3 == 0) keys += ", post_amount: \"6.00\"";
    if (i % 6 == 1) keys += ", buyer_words: \"请尽快发货 " + std::to_string(i) + "\"";
    w.event(minute, "order", keys);
    if (!paid) {
      w.event(minute + 30, i % 14 == 0 ? "pay" : "cancel", oid);
      if (i % 14 != 0) continue;
    }
    if (i % 15 == 2) w.event(minute + 20 + 15, "exp_ship_time", oid + ", hours: 24");
    if (i % 5 == 0) {
      w.event(minute + 40, "memo",
              oid + ", remark: \"check " + std::to_string(i) + "\", star: " + std::to_string(i % 6));
    }
    if (i % 12 == 7) w.event(minute + 50, "address", oid + ", " + receiver_yaml(i + 1000, dice));
    if (i % 9 == 0) {
      const std::string refund =
          oid + ", sku_order_id: \"" + sku_ids.front() + "\", aftersale_id: \"" + id19("72", first + i + 1) + "\"";
      w.event(minute + 60, "refund", refund);
      if (i % 18 == 0) w.event(minute + 180, "refund", refund + ", status: success");
      continue;
    }
    if (i % 13 == 0) {
      w.event(minute + 90, "cancel", oid);
      continue;
    }
    if (i % 17 == 3 && skus > 1) w.event(minute + 70, "cancel", oid + ", sku_order_id: \"" + sku_ids.back() + "\"");
    if (i % 4 == 0) {
      w.event(minute + 120, "ship", oid + ", company_code: shunfeng, logistics_code: \"SF" + order_id + "\"");
      if (i % 8 == 0) w.event(minute + 300, "complete", oid);
    } else if (i % 10 == 5 && skus > 1) {
      w.event(minute + 120, "ship",
              oid + ", sku_order_id: \"" + sku_ids.front() + "\", company_code: yuantong, logistics_code: \"YT" +
                  order_id + "\"");
    }
  }
  return w.yaml;
}

int load_douyin_day(const PlatformSim& sim, int orders, const std::vector<DouyinShop>& shops) {
  const auto now = std::chrono::system_clock::now();
  std::string yaml = "clock: \"" + rfc3339(now - std::chrono::hours(24)) + "\"\nshops:\n";
  for (const auto& shop : shops) yaml += douyin_scenario_shop(shop);
  yaml += "events:\n";
  int first = 0;
  for (const auto& shop : shops) {
    yaml += douyin_day_events(shop, orders, 20261111 + static_cast<std::uint64_t>(first), first);
    first += 100000;
  }
  const json loaded = sim_admin(sim, "POST", "/admin/scenario?name=douyin-day.yaml", yaml);
  CHECK(loaded["refused"].empty());
  const json walked = sim_admin(sim, "POST", "/admin/clock", json{{"set", rfc3339(now)}}.dump());
  INFO("events the simulator refused: " << walked["refused"].dump());
  CHECK(walked["refused"].empty());
  CHECK(walked["pending"] == 0);
  return orders * static_cast<int>(shops.size());
}

std::string douyin_shop_yaml(const PlatformSim& sim, const DouyinShop& shop, const DouyinShopOptions& o) {
  std::string yaml = "  - id: " + shop.id + "\n    platform: douyin\n    base_url: " + sim.url() +
                     "\n    app_key: " + shop.app_key() + "\n    app_secret: " + shop.app_secret() +
                     "\n    access_token: " + shop.access_token() + "\n    poll_interval: " + o.poll_interval +
                     "\n    requests_per_minute: " + std::to_string(o.requests_per_minute) + "\n";
  if (!o.push_path.empty()) yaml += "    push_path: " + o.push_path + "\n";
  yaml += "    options:\n      timeout: " + o.timeout + "\n";
  const std::string refresh = o.refresh_token.value_or(shop.refresh_token());
  if (!refresh.empty()) yaml += "      refresh_token: " + refresh + "\n";
  if (o.page_size > 0) yaml += "      page_size: " + std::to_string(o.page_size) + "\n";
  return yaml;
}

std::string douyin_sync_yaml(const std::string& backfill, const std::string& window, const std::string& reconcile_every,
                             const std::string& reconcile_span) {
  return "sync:\n  backfill: " + backfill + "\n  window: " + window +
         "\n  lag: 1s\n  overlap: 1m\n  reconcile_every: " + reconcile_every + "\n  reconcile_span: " + reconcile_span +
         "\n";
}

json shop_status(const TempDir& dir, const std::string& shop) {
  const auto reply = http("GET", api_url(dir) + "/v1/status", api_token(dir));
  if (reply.status != 200) return nullptr;
  const json status = json::parse(reply.body, nullptr, false);
  if (!status.is_object()) return nullptr;
  for (const auto& s : status["shops"]) {
    if (s["id"] == shop) return s;
  }
  return nullptr;
}

int sim_counter(const PlatformSim& sim, const std::string& kind, const std::string& key) {
  const json counters = sim_admin(sim, "GET", "/admin/counters");
  const auto it = counters.find(kind);
  return it != counters.end() && it->is_object() ? it->value(key, 0) : 0;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

std::string log_tail(Erpd& erpd, std::size_t bytes) {
  const std::string log = erpd.log();
  return log.substr(log.size() > bytes ? log.size() - bytes : 0);
}

std::map<std::string, int> received_counts(const TempDir& dir, const std::vector<std::string>& keys) {
  std::map<std::string, int> out;
  const std::string url = api_url(dir), token = api_token(dir);
  for (const auto& key : keys) {
    const auto why = http("GET", url + "/v1/orders/" + key + "/why", token);
    INFO(key << ": " << why.status << " " << why.body);
    REQUIRE(why.status == 200);
    int received = 0;
    const json history = json::parse(why.body);
    for (const auto& event : history["entries"]) received += event["kind"] == "order.received";
    out[key] = received;
  }
  return out;
}

json douyin_call(const PlatformSim& sim, const DouyinShop& shop, const std::string& method, const json& params,
                 const std::string& access_token) {
  // The parameters' canonical form: keys sorted at every depth, compact (nlohmann's object is sorted).
  const std::string body = params.dump();
  const std::string timestamp = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  const std::string secret = shop.app_secret();
  const std::string sign = md5_hex(secret + "app_key" + shop.app_key() + "method" + method + "param_json" + body +
                                   "timestamp" + timestamp + "v2" + secret);
  std::string path = "/" + method;
  for (auto& c : path) c = c == '.' ? '/' : c;
  const std::string url = sim.url() + path + "?app_key=" + shop.app_key() + "&method=" + method +
                          "&v=2&timestamp=" + timestamp + "&sign=" + sign + "&sign_method=md5" +
                          (access_token.empty() ? "" : "&access_token=" + access_token);
  const auto reply = http("POST", url, "", body);
  INFO(method << " -> " << reply.status << " " << reply.body);
  const json answer = json::parse(reply.body, nullptr, false);
  REQUIRE(answer.is_object());
  return answer;
}

std::optional<std::string> plugin_state_value(const TempDir& dir, const std::string& platform, const std::string& shop,
                                              const std::string& key) {
  auto store = daemon::store::Store::open(dir / "erpd.db");
  if (!store) FAIL("cannot open the database: " << store.error().message);
  return (*store)->plugin_state(platform, shop, key);
}

}  // namespace erp::test
