// Dropship (代打, iop.*) methods, PLATFORMS.md §3.5, with DOMAIN.md rules D1-D8 enforced.

#include <algorithm>

#include "douyin_impl.hpp"

namespace erp::sim::douyin {
namespace {

constexpr std::int64_t kMaxListWindow = 30 * 60;  // iop.orderList update-time window (§3.5)

void require_role(const ShopState& s, const char* role) {
  // Rule D1: a shop is a merchant or a factory, and only that side's methods answer it.
  if (s.shop.role != role)
    throw no_permission("dop.no-permissions",
                        std::string("当前店铺不是") + (std::string(role) == "factory" ? "代打厂家" : "代打商家"));
}

}  // namespace

Distr& DouyinModuleImpl::assign(ShopState& merchant, Order& o, SkuOrder& sku, const std::string& factory) {
  Distr d;
  d.id = next_id("71");
  d.merchant = merchant.shop.id;
  d.factory = factory;
  d.order_id = o.id;
  d.sku_order_id = sku.id;
  d.distr_time = now_s();
  d.update_time = d.distr_time;
  sku.distr_order_id = d.id;
  return distrs_[d.id] = std::move(d);
}

void DouyinModuleImpl::touch_distr(const Order& o, const SkuOrder& sku) {
  // Rule D8: a buyer cancellation does not unassign, but it must reach the factory at once, so the
  // assignment's update_time moves and iop.orderList returns it again.
  if (sku.distr_order_id.empty()) return;
  const auto it = distrs_.find(sku.distr_order_id);
  if (it == distrs_.end()) return;
  it->second.update_time = std::max(o.update_time, now_s());
  if (sku.blocked()) it->second.cancel_reason = "买家已取消";
}

json DouyinModuleImpl::render_distr(const Distr& d, bool detail) const {
  json out = {{"distr_order_id", d.id},
              {"user_id", d.merchant},
              {"user_name", d.merchant},
              {"distr_time", d.distr_time},
              {"distr_status", d.status},
              {"update_time", d.update_time},
              {"distr_cancel_reason", d.cancel_reason}};
  const auto shop = shops_.find(d.merchant);
  if (shop == shops_.end()) return out;
  const auto order = shop->second.orders.find(d.order_id);
  if (order == shop->second.orders.end()) return out;
  const Order& o = order->second;
  const auto sku =
      std::find_if(o.skus.begin(), o.skus.end(), [&](const SkuOrder& k) { return k.id == d.sku_order_id; });
  if (sku == o.skus.end()) return out;
  out["seller_words"] = o.remark;
  out["product_name"] = sku->product_name;
  out["product_count"] = sku->item_num;
  out["product_id"] = sku->product_id;
  out["product_price"] = sku->price;
  out["sku_spec"] = sku->spec;
  out["out_sku_id"] = sku->out_sku_id;
  out["receiver_id"] = o.enc_name;
  out["province"] = o.province;
  out["city"] = o.city;
  out["district"] = o.town;
  out["street"] = o.street;
  out["province_id"] = "";
  out["city_id"] = "";
  out["district_id"] = "";
  out["street_id"] = "";
  // Not on Douyin's documented list: the item's own state, so a factory sees a buyer cancel (D8) [I].
  out["item_status"] = sku->blocked() && !sku->shipped() ? kCancelled : (sku->shipped() ? kShipped : kToShip);
  out["buyer_cancelled"] = sku->blocked();
  out["exp_ship_time"] = o.exp_ship_time;
  if (detail) {
    out["encrypt_post_receiver"] = o.enc_name;
    out["encrypt_post_tel"] = o.enc_tel;
    out["encrypt_detail"] = o.enc_detail;
    out["shop_order_id"] = o.id;
    out["track_no"] = sku->logistics_code;
    out["company_code"] = sku->company_code;
  }
  return out;
}

json DouyinModuleImpl::iop_seller_supplier_list(ShopState& s, const json& p) {
  require_role(s, "merchant");
  const std::int64_t page = opt_int(p, "page", 0, 1000000).value_or(0);
  const std::int64_t size = opt_int(p, "size", 1, 100).value_or(20);
  json list = json::array();
  std::int64_t i = 0;
  for (const auto& [factory, since] : s.factories) {
    if (i >= page * size && i < (page + 1) * size)
      list.push_back({{"supplier_id", factory}, {"supplier_name", factory}, {"bind_time", since}, {"status", 1}});
    ++i;
  }
  return {{"supplier_list", list}, {"total", s.factories.size()}};
}

json DouyinModuleImpl::iop_seller_distribute(ShopState& s, const json& p, Pushes& pushes) {
  require_role(s, "merchant");
  std::string factory = opt_str(p, "supplier_shop_id").value_or("");
  if (factory.empty()) factory = opt_str(p, "supplier_id").value_or("");
  if (factory.empty()) throw missing_param("supplier_shop_id");
  const auto bound = s.factories.find(factory);
  ShopState* f = shop_by_id(factory);
  if (bound == s.factories.end() || !f || f->shop.role != "factory")
    throw business(kErrNotBound, "厂家" + factory + "未与本店绑定");

  // Targets: distribute_order_list [{order_id, sku_order_id | sku_order_ids}] or one order_id (+ sku ids).
  std::vector<std::pair<std::string, std::vector<std::string>>> targets;
  auto read_target = [&](const json& t) {
    if (!t.is_object()) throw invalid_param("distribute_order_list", "items must be objects");
    std::vector<std::string> skus;
    if (auto one = opt_str(t, "sku_order_id")) skus.push_back(*one);
    if (const auto it = t.find("sku_order_ids"); it != t.end() && !it->is_null()) {
      if (!it->is_array()) throw invalid_param("sku_order_ids", "must be a list");
      for (const auto& k : *it) {
        if (!k.is_string() && !k.is_number_integer()) throw invalid_param("sku_order_ids", "must hold ids");
        skus.push_back(k.is_string() ? k.get<std::string>() : k.dump());
      }
    }
    targets.emplace_back(req_str(t, "order_id"), std::move(skus));
  };
  if (const auto list = p.find("distribute_order_list"); list != p.end() && !list->is_null()) {
    if (!list->is_array() || list->empty() || list->size() > 100)
      throw invalid_param("distribute_order_list", "1 to 100 orders");
    for (const auto& t : *list) read_target(t);
  } else {
    read_target(p);
  }

  json results = json::array();
  std::size_t failed = 0;
  for (auto& [order_id, sku_ids] : targets) {
    auto fail = [&](const std::string& sku, const std::string& why) {
      ++failed;
      results.push_back({{"order_id", order_id},
                         {"sku_order_id", sku},
                         {"distr_order_id", ""},
                         {"success", false},
                         {"err_msg", why}});
    };
    const auto it = s.orders.find(order_id);
    if (it == s.orders.end()) {
      fail("", "订单不存在");
      continue;
    }
    Order& o = it->second;
    if (o.create_time < bound->second) {  // rule D3
      fail("", "订单创建早于绑定生效时间,不能代打");
      continue;
    }
    if (o.status == kUnpaid || o.status == kCancelled) {
      fail("", "订单状态不允许分配");
      continue;
    }
    for (auto& sku : o.skus) {
      if (!sku_ids.empty() && std::find(sku_ids.begin(), sku_ids.end(), sku.id) == sku_ids.end()) continue;
      if (sku.shipped()) {
        fail(sku.id, "商品已发货");
      } else if (sku.blocked()) {
        fail(sku.id, "商品已取消");
      } else if (!sku.distr_order_id.empty()) {
        fail(sku.id, "商品已分配给厂家");
      } else {
        const Distr& d = assign(s, o, sku, factory);  // rule D4: per item
        results.push_back({{"order_id", o.id},
                           {"sku_order_id", sku.id},
                           {"distr_order_id", d.id},
                           {"success", true},
                           {"err_msg", ""}});
        json data = {{"distr_order_id", d.id}, {"shop_id", factory}, {"user_id", s.shop.id}};
        push(*f, "501", d.id, std::move(data), pushes);
      }
    }
    for (const auto& k : sku_ids)
      if (std::none_of(o.skus.begin(), o.skus.end(), [&](const SkuOrder& x) { return x.id == k; }))
        fail(k, "子订单不存在");
  }
  json data = {{"result_list", results}};
  if (failed == 0) return data;
  if (failed == results.size()) {
    ApiError e = business(kErrDistrState, "分配失败");
    e.data = data;
    throw e;
  }
  ApiError part{10001, "部分失败", "isv.business-part-failed", "部分订单分配失败"};
  part.data = data;
  // A partial success still changed state; it is answered as Douyin's 10001 with per-item results.
  throw part;
}

json DouyinModuleImpl::iop_seller_cancel_distribute(ShopState& s, const json& p) {
  require_role(s, "merchant");
  std::vector<std::string> ids;
  if (auto one = opt_str(p, "distr_order_id")) ids.push_back(*one);
  if (auto order = opt_str(p, "order_id")) {
    const auto sku = opt_str(p, "sku_order_id");
    for (const auto& [id, d] : distrs_)
      if (d.merchant == s.shop.id && d.order_id == *order && (!sku || d.sku_order_id == *sku) && d.status == 1)
        ids.push_back(id);
  }
  if (ids.empty()) throw missing_param("distr_order_id");
  for (const auto& id : ids) {
    const auto it = distrs_.find(id);
    if (it == distrs_.end() || it->second.merchant != s.shop.id) throw business(kErrDistrNotFound, "代打订单不存在");
    if (it->second.status == 2) throw business(kErrAlreadyShipped, "代打订单已发货,不能取消分配");
    if (it->second.status == 3) throw business(kErrDistrState, "代打订单已取消分配");
  }
  for (const auto& id : ids) {
    Distr& d = distrs_.at(id);
    d.status = 3;
    d.update_time = now_s();
    d.cancel_reason = "商家取消分配";
    if (ShopState* m = shop_by_id(d.merchant)) {
      const auto o = m->orders.find(d.order_id);
      if (o != m->orders.end())
        for (auto& k : o->second.skus)
          if (k.id == d.sku_order_id && k.distr_order_id == d.id) k.distr_order_id.clear();
    }
  }
  return json::object();
}

json DouyinModuleImpl::iop_order_list(ShopState& s, const json& p) {
  require_role(s, "factory");  // rule D5: only a factory token fetches assigned orders
  constexpr std::int64_t kMaxTime = 32503680000;
  const auto start = opt_int(p, "start_update_time", 0, kMaxTime);
  const auto end = opt_int(p, "end_update_time", 0, kMaxTime);
  if (start.has_value() != end.has_value()) throw missing_param(start ? "end_update_time" : "start_update_time");
  if (start && (*end < *start || *end - *start > kMaxListWindow))
    throw invalid_param("end_update_time", "window must be 0 to 30 minutes");
  const auto status = opt_int(p, "distr_status", 0, 10);
  const std::int64_t page = opt_int(p, "page", 0, 1000000).value_or(0);
  const std::int64_t size = opt_int(p, "size", 1, 100).value_or(10);
  std::vector<const Distr*> hits;
  for (const auto& [id, d] : distrs_) {
    if (d.factory != s.shop.id) continue;
    if (start && (d.update_time < *start || d.update_time > *end)) continue;
    if (status && *status != 0 && d.status != *status) continue;
    hits.push_back(&d);
  }
  std::sort(hits.begin(), hits.end(), [](const Distr* a, const Distr* b) {
    return a->update_time != b->update_time ? a->update_time > b->update_time : a->id > b->id;
  });
  json list = json::array();
  const auto first = static_cast<std::size_t>(page * size);
  for (std::size_t i = first; i < hits.size() && i < first + static_cast<std::size_t>(size); ++i)
    list.push_back(render_distr(*hits[i], false));
  return {{"order_list", list}, {"total", hits.size()}};
}

json DouyinModuleImpl::iop_order_info(ShopState& s, const json& p) {
  require_role(s, "factory");
  const std::string id = req_str(p, "distr_order_id");
  const auto it = distrs_.find(id);
  if (it == distrs_.end() || it->second.factory != s.shop.id) throw business(kErrDistrNotFound, "代打订单不存在");
  return {{"order_info", render_distr(it->second, true)}};
}

json DouyinModuleImpl::iop_waybill_return(ShopState& s, const json& p, Pushes& pushes) {
  require_role(s, "factory");
  const std::string id = req_str(p, "distr_order_id");
  const std::string company = req_str(p, "company_code");
  const std::string track = req_str(p, "track_no");
  const bool reject_refund = opt_bool(p, "is_refund_reject", false);
  const auto it = distrs_.find(id);
  if (it == distrs_.end() || it->second.factory != s.shop.id) throw business(kErrDistrNotFound, "代打订单不存在");
  Distr& d = it->second;
  if (const auto user = opt_str(p, "user_id"); user && !user->empty() && *user != d.merchant)
    throw invalid_param("user_id", "is not the merchant of this dropship order");
  ShopState* m = shop_by_id(d.merchant);
  if (!m) throw business(kErrDistrNotFound, "代打订单不存在");
  Order& o = find_order(*m, d.order_id);
  const auto sku =
      std::find_if(o.skus.begin(), o.skus.end(), [&](const SkuOrder& k) { return k.id == d.sku_order_id; });
  if (sku == o.skus.end()) throw business(kErrDistrNotFound, "代打订单不存在");
  if (sku->shipped() || d.status == 2) throw business(kErrAlreadyShipped, "该商品已发货,请勿重复发货");  // rule D7
  if (d.status == 3) throw business(kErrDistrState, "代打订单已取消分配,不能发货");
  if (sku->blocked() || o.status == kCancelled) throw business(kErrBuyerCancelled, "买家已取消,禁止发货");  // rule D8
  if ((sku->refund == Refund::requested || sku->refund == Refund::agreed) && !reject_refund)
    throw business(kErrRefundPending, "商品售后中,不能发货");
  // Rule D6: only this item ships; other factories' items of the same order stay as they are.
  const auto index = static_cast<std::size_t>(sku - o.skus.begin());
  ship_skus(*m, o, {{index, sku->item_num - sku->shipped_num}}, company, track, "iop.ship", pushes);
  d.status = 2;
  d.update_time = now_s();
  return json::object();
}

}  // namespace erp::sim::douyin
