// Scenario events (apply) and generator mode for the Douyin module. Every state change sends the
// push a real shop would get (PLATFORMS.md §3.6 tags).

#include <algorithm>
#include <array>

#include "douyin_impl.hpp"

namespace erp::sim::douyin {
namespace {

constexpr std::int64_t kDefaultShipHours = 48;  // DOMAIN.md S1 default

std::string ystr(const YAML::Node& n, const char* key, const std::string& fallback = "") {
  const YAML::Node v = n[key];
  if (!v || v.IsNull()) return fallback;
  if (!v.IsScalar()) throw std::runtime_error(std::string(key) + " must be a scalar");
  return v.as<std::string>();
}

std::int64_t yint(const YAML::Node& n, const char* key, std::int64_t fallback) {
  const std::string s = ystr(n, key);
  if (s.empty()) return fallback;
  std::size_t used = 0;
  const long long v = std::stoll(s, &used);
  if (used != s.size()) throw std::runtime_error(std::string(key) + " must be an integer");
  return v;
}

bool ybool(const YAML::Node& n, const char* key, bool fallback) {
  const YAML::Node v = n[key];
  if (!v || v.IsNull()) return fallback;
  return v.as<bool>();
}

// Money: an integer is fen; a value with a decimal point is yuan ("12.50"); `<key>_yuan` is yuan.
std::int64_t parse_yuan(const std::string& s) {
  const auto dot = s.find('.');
  const std::string whole = s.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  auto digits = [](const std::string& d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 12 || !digits(whole) || frac.size() > 2 || !digits(frac))
    throw std::runtime_error("bad yuan amount: " + s);
  while (frac.size() < 2) frac += '0';
  return std::stoll(whole) * 100 + std::stoll(frac);
}

std::int64_t ymoney(const YAML::Node& n, const char* key, std::int64_t fallback) {
  const std::string yuan_key = std::string(key) + "_yuan";
  if (const std::string y = ystr(n, yuan_key.c_str()); !y.empty()) return parse_yuan(y);
  const std::string s = ystr(n, key);
  if (s.empty()) return fallback;
  if (s.find('.') != std::string::npos) return parse_yuan(s);
  return yint(n, key, fallback);
}

std::string mask_name(const std::string& name) {
  if (name.empty()) return "";
  std::size_t len = 1;
  while (len < name.size() && (static_cast<unsigned char>(name[len]) & 0xC0u) == 0x80u) ++len;
  return name.substr(0, len) + "**";
}

std::string mask_tel(const std::string& tel) {
  if (tel.size() < 7) return "****";
  return tel.substr(0, 3) + "****" + tel.substr(tel.size() - 4);
}

json yreceiver(const YAML::Node& n) {
  const YAML::Node r = n["receiver"];
  if (!r || !r.IsMap()) return json::object();
  return {{"name", ystr(r, "name")},
          {"phone", ystr(r, "phone")},
          {"province", ystr(r, "province")},
          {"city", ystr(r, "city")},
          {"town", ystr(r, "town")},
          {"street", ystr(r, "street")},
          {"detail", ystr(r, "detail", ystr(r, "address"))}};
}

std::vector<std::string> yids(const YAML::Node& n, const char* list_key, const char* one_key) {
  std::vector<std::string> out;
  if (const auto one = ystr(n, one_key); !one.empty()) out.push_back(one);
  const YAML::Node l = n[list_key];
  if (l && l.IsSequence())
    for (const auto& v : l) out.push_back(v.as<std::string>());
  return out;
}

}  // namespace

Order DouyinModuleImpl::make_order(ShopState& s, const std::string& id, const std::string& buyer,
                                   const json& receiver) {
  Order o;
  o.seq = ++seq_;
  o.id = id;
  o.shop_id = s.shop.id;
  o.buyer = buyer;
  o.create_time = now_s();
  o.update_time = o.create_time;
  o.province = receiver.value("province", "");
  o.city = receiver.value("city", "");
  o.town = receiver.value("town", "");
  o.street = receiver.value("street", "");
  // Rule D10: the name, phone and address detail are kept only as ciphertext on the order.
  const std::string name = receiver.value("name", "");
  const std::string phone = receiver.value("phone", "");
  o.enc_name = encrypt(s.shop.id, id, name, '~');
  o.enc_tel = encrypt(s.shop.id, id, phone, '$');
  o.enc_detail = encrypt(s.shop.id, id, receiver.value("detail", ""), '#');
  o.mask_name = mask_name(name);
  o.mask_tel = mask_tel(phone);
  return o;
}

std::optional<std::string> DouyinModuleImpl::apply(const Shop& shop, const YAML::Node& event) {
  Pushes pushes;
  std::optional<std::string> result;
  {
    std::unique_lock lock(mutex_);
    invalidate_cache();
    ShopState* s = shop_by_id(shop.id);
    if (!s) return "unknown Douyin shop " + shop.id;
    try {
      result = apply_locked(*s, event, pushes);
    } catch (const ApiError& e) {
      result = e.sub_code + ": " + e.sub_msg;
    } catch (const std::exception& e) {
      result = e.what();
    }
  }
  flush(pushes);
  return result;
}

std::optional<std::string> DouyinModuleImpl::apply_locked(ShopState& s, const YAML::Node& event, Pushes& pushes) {
  if (!event.IsMap()) return "event must be a map";
  const std::string type = ystr(event, "type");
  const std::int64_t now = now_s();
  auto order_of = [&]() -> Order& {
    const std::string id = ystr(event, "order_id");
    if (id.empty()) throw std::runtime_error(type + ": order_id is required");
    const auto it = s.orders.find(id);
    if (it == s.orders.end()) throw std::runtime_error(type + ": unknown order " + id);
    return it->second;
  };
  auto sku_of = [&](Order& o) -> SkuOrder& {
    const std::string id = ystr(event, "sku_order_id");
    if (id.empty()) {
      if (o.skus.empty()) throw std::runtime_error(type + ": order has no sku orders");
      return o.skus.front();
    }
    for (auto& k : o.skus)
      if (k.id == id) return k;
    throw std::runtime_error(type + ": unknown sku order " + id);
  };

  if (type == "order") {
    std::string id = ystr(event, "order_id");
    if (id.empty()) id = next_id();
    if (s.orders.count(id)) return "order " + id + " already exists";
    Order o = make_order(s, id, ystr(event, "buyer", "buyer"), yreceiver(event));
    o.create_time = yint(event, "create_time", now);
    o.update_time = o.create_time;
    o.post_amount = ymoney(event, "post_amount", 0);
    o.buyer_words = ystr(event, "buyer_words");
    const YAML::Node skus = event["skus"] ? event["skus"] : event["lines"];
    if (!skus || !skus.IsSequence() || skus.size() == 0) return "order: skus is required";
    for (const auto& k : skus) {
      SkuOrder sku;
      sku.id = ystr(k, "sku_order_id");
      if (sku.id.empty()) sku.id = next_id();
      sku.sku_id = ystr(k, "sku_id", next_id("17"));
      sku.out_sku_id = ystr(k, "code", ystr(k, "out_sku_id"));
      sku.product_id = ystr(k, "product_id", next_id("36"));
      sku.product_name = ystr(k, "product_name", ystr(k, "title", "商品"));
      sku.spec = ystr(k, "spec", "默认");
      sku.item_num = yint(k, "qty", yint(k, "item_num", 1));
      if (sku.item_num < 1) return "order: qty must be at least 1";
      sku.price = ymoney(k, "price", 0);
      sku.pay_amount = ymoney(k, "pay_amount", sku.price * sku.item_num);
      o.skus.push_back(std::move(sku));
    }
    Order& stored = s.orders[id] = std::move(o);
    push_order_tag(s, stored, "100", pushes);
    if (ybool(event, "paid", false)) {
      stored.status = kToShip;
      stored.pay_time = now;
      stored.exp_ship_time = now + yint(event, "exp_ship_hours", kDefaultShipHours) * 3600;
      push_order_tag(s, stored, "101", pushes);
    }
    return std::nullopt;
  }
  if (type == "pay") {
    Order& o = order_of();
    if (o.status != kUnpaid) return "pay: order " + o.id + " is not awaiting payment";
    o.status = kToShip;
    o.pay_time = now;
    o.update_time = now;
    o.exp_ship_time = now + yint(event, "exp_ship_hours", kDefaultShipHours) * 3600;
    push_order_tag(s, o, "101", pushes);
    return std::nullopt;
  }
  if (type == "cancel") {
    Order& o = order_of();
    o.update_time = now;
    if (!ystr(event, "sku_order_id").empty()) {
      SkuOrder& sku = sku_of(o);
      if (sku.shipped()) return "cancel: sku order " + sku.id + " already shipped";
      sku.cancelled = true;  // an item cancelled before shipping is refunded at once
      sku.refund = Refund::success;
      if (sku.aftersale_id.empty()) sku.aftersale_id = next_id("72");
      recompute(o);
      touch_distr(o, sku);
      push_refund(s, o, sku, "206", pushes);
      if (o.status == kCancelled) {
        o.cancel_time = now;
        push_order_tag(s, o, "106", pushes);
      }
      return std::nullopt;
    }
    if (o.status == kShipped || o.status == kCompleted) return "cancel: order " + o.id + " already shipped";
    for (auto& k : o.skus) {
      if (k.shipped()) continue;
      k.cancelled = true;
      touch_distr(o, k);
    }
    o.status = kCancelled;
    o.cancel_time = now;
    push_order_tag(s, o, "106", pushes);
    return std::nullopt;
  }
  if (type == "refund") {
    Order& o = order_of();
    SkuOrder& sku = sku_of(o);
    const std::string status = ystr(event, "status", ystr(event, "refund_status", "requested"));
    std::string tag;
    if (status == "requested") {
      sku.refund = Refund::requested;
      tag = "200";
    } else if (status == "agreed") {
      sku.refund = Refund::agreed;
      tag = "201";
    } else if (status == "success" || status == "refunded") {
      sku.refund = Refund::success;
      tag = "206";
    } else if (status == "closed") {
      sku.refund = Refund::closed;
      tag = "207";
    } else {
      return "refund: status must be requested | agreed | success | closed";
    }
    if (sku.aftersale_id.empty()) sku.aftersale_id = ystr(event, "aftersale_id", next_id("72"));
    o.update_time = now;
    recompute(o);
    touch_distr(o, sku);
    push_refund(s, o, sku, tag, pushes);
    return std::nullopt;
  }
  if (type == "memo") {
    Order& o = order_of();
    o.remark = ystr(event, "remark", ystr(event, "memo"));
    o.star = static_cast<int>(std::clamp<std::int64_t>(yint(event, "star", o.star), 0, 5));
    o.update_time = now;
    push_order_tag(s, o, "113", pushes);
    return std::nullopt;
  }
  if (type == "exp_ship_time") {
    Order& o = order_of();
    const std::int64_t hours = yint(event, "hours", -1);
    o.exp_ship_time = hours >= 0 ? now + hours * 3600 : yint(event, "exp_ship_time", o.exp_ship_time);
    o.update_time = now;
    push_order_tag(s, o, "126", pushes);
    return std::nullopt;
  }
  if (type == "address") {
    Order& o = order_of();
    Order fresh = make_order(s, o.id, o.buyer, yreceiver(event));
    o.province = fresh.province;
    o.city = fresh.city;
    o.town = fresh.town;
    o.street = fresh.street;
    o.enc_name = fresh.enc_name;
    o.enc_tel = fresh.enc_tel;
    o.enc_detail = fresh.enc_detail;
    o.mask_name = fresh.mask_name;
    o.mask_tel = fresh.mask_tel;
    o.update_time = now;
    push_order_tag(s, o, "105", pushes);
    return std::nullopt;
  }
  if (type == "bind_factory") {
    const std::string factory = ystr(event, "factory_shop_id", ystr(event, "factory"));
    ShopState* f = shop_by_id(factory);
    if (!f || f->shop.role != "factory") return "bind_factory: " + factory + " is not a factory shop";
    if (s.shop.role != "merchant") return "bind_factory: " + s.shop.id + " is not a merchant shop";  // rule D1
    s.factories[factory] = now;
    return std::nullopt;
  }
  if (type == "unbind_factory") {
    s.factories.erase(ystr(event, "factory_shop_id", ystr(event, "factory")));
    return std::nullopt;
  }
  if (type == "distribute") {
    const std::string factory = ystr(event, "factory_shop_id", ystr(event, "factory"));
    if (!s.factories.count(factory)) return "distribute: factory " + factory + " is not bound";
    Order& o = order_of();
    const auto ids = yids(event, "sku_order_ids", "sku_order_id");
    ShopState* f = shop_by_id(factory);
    for (auto& k : o.skus) {
      if (!ids.empty() && std::find(ids.begin(), ids.end(), k.id) == ids.end()) continue;
      if (!k.distr_order_id.empty() || k.shipped() || k.blocked()) continue;
      const Distr& d = assign(s, o, k, factory);
      if (f) push(*f, "501", d.id, {{"distr_order_id", d.id}, {"shop_id", factory}, {"user_id", s.shop.id}}, pushes);
    }
    return std::nullopt;
  }
  if (type == "ship") {
    Order& o = order_of();
    if (o.status == kUnpaid || o.status == kCancelled) return "ship: order " + o.id + " cannot ship";
    const auto ids = yids(event, "sku_order_ids", "sku_order_id");
    std::vector<std::pair<std::size_t, std::int64_t>> what;
    for (std::size_t i = 0; i < o.skus.size(); ++i) {
      const SkuOrder& k = o.skus[i];
      if (!ids.empty() && std::find(ids.begin(), ids.end(), k.id) == ids.end()) continue;
      if (!k.shipped() && !k.blocked()) what.emplace_back(i, k.item_num - k.shipped_num);
    }
    if (what.empty()) return "ship: nothing left to ship in " + o.id;
    // Shipped on the platform side (merchant back office): no write counter.
    ship_skus(s, o, what, ystr(event, "company_code", "zhongtong"), ystr(event, "logistics_code", next_id("75")),
              nullptr, pushes);
    return std::nullopt;
  }
  if (type == "complete") {
    Order& o = order_of();
    o.status = kCompleted;
    o.finish_time = now;
    o.update_time = now;
    push_order_tag(s, o, "103", pushes);
    return std::nullopt;
  }
  if (type == "token_expire") {
    s.token_exp = now;
    return std::nullopt;
  }
  return "unknown Douyin event type '" + type + "'";
}

void DouyinModuleImpl::generate(const Shop& shop, int count, std::mt19937& rng) {
  static const std::array<const char*, 8> kNames = {"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强"};
  static const std::array<std::array<const char*, 3>, 5> kPlaces = {{{"浙江省", "杭州市", "西湖区"},
                                                                     {"广东省", "深圳市", "南山区"},
                                                                     {"上海市", "上海市", "浦东新区"},
                                                                     {"北京市", "北京市", "朝阳区"},
                                                                     {"四川省", "成都市", "武侯区"}}};
  static const std::array<const char*, 6> kProducts = {"纯棉T恤", "保温杯", "蓝牙耳机", "面霜", "运动鞋", "数据线"};
  Pushes pushes;
  {
    std::unique_lock lock(mutex_);
    invalidate_cache();
    ShopState* s = shop_by_id(shop.id);
    if (!s) return;
    auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    auto range = [&](std::int64_t lo, std::int64_t hi) {
      return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    const std::int64_t now = now_s();
    for (int i = 0; i < count; ++i) {
      const auto& place = kPlaces[pick(kPlaces.size())];
      const std::string phone = "1" + std::to_string(range(3000000000, 9999999999));
      json receiver = {
          {"name", kNames[pick(kNames.size())]},
          {"phone", phone},
          {"province", place[0]},
          {"city", place[1]},
          {"town", place[2]},
          {"street", "某某街道"},
          {"detail", "幸福路" + std::to_string(range(1, 999)) + "号" + std::to_string(range(1, 30)) + "栋"}};
      const std::string id = next_id();
      Order o = make_order(*s, id, "buyer" + std::to_string(range(1, 100000)), receiver);
      o.post_amount = range(0, 1) ? 0 : 600;
      const std::int64_t lines = range(1, 4);
      for (std::int64_t l = 0; l < lines; ++l) {
        SkuOrder k;
        k.id = next_id();
        const std::size_t p = pick(kProducts.size());
        k.product_id = "36" + std::to_string(1000000000000000 + static_cast<std::int64_t>(p));
        k.product_name = kProducts[p];
        k.sku_id = "17" + std::to_string(1000000000000000 + static_cast<std::int64_t>(p) * 10 + range(0, 3));
        k.out_sku_id = "SKU-" + std::to_string(p) + "-" + std::to_string(range(0, 3));
        k.spec = "默认";
        k.item_num = range(1, 3);
        k.price = range(990, 29900);
        k.pay_amount = k.price * k.item_num;
        o.skus.push_back(std::move(k));
      }
      o.status = kToShip;
      o.pay_time = now;
      o.exp_ship_time = now + kDefaultShipHours * 3600;
      if (range(1, 10) == 1) {  // about one order in ten has a refund request on one line
        SkuOrder& k = o.skus[pick(o.skus.size())];
        k.refund = Refund::requested;
        k.aftersale_id = next_id("72");
      }
      Order& stored = s->orders[id] = std::move(o);
      push_order_tag(*s, stored, "100", pushes);
      push_order_tag(*s, stored, "101", pushes);
      for (const auto& k : stored.skus)
        if (k.refund == Refund::requested) push_refund(*s, stored, k, "200", pushes);
    }
  }
  flush(pushes);
}

}  // namespace erp::sim::douyin
