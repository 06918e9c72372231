// The Douyin gateway: routing, signature and token checks, faults and the response envelope
// (PLATFORMS.md §3.1-§3.3), plus the module's shared helpers.

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <mutex>
#include <set>

#include "douyin_impl.hpp"
#include "douyin_sign.hpp"

namespace erp::sim {

std::unique_ptr<PlatformModule> make_douyin_module(Context& context) {
  return std::make_unique<douyin::DouyinModuleImpl>(context);
}

}  // namespace erp::sim

namespace erp::sim::douyin {
namespace {

constexpr std::size_t kMaxBody = 4 * 1024 * 1024;
constexpr std::int64_t kTokenLifetime = 7 * 24 * 3600;     // access_token expires_in [I]
constexpr std::int64_t kRefreshLifetime = 14 * 24 * 3600;  // refresh_token [I]

const char* msg_for(int code) {
  switch (code) {
    case 10000:
      return "success";
    case 10001:
      return "部分失败";
    case 20000:
      return "服务不可用";
    case 30001:
      return "没有权限";
    case 40001:
      return "缺少必选参数";
    case 40003:
      return "非法的参数";
    case 50002:
      return "业务处理失败";
    case 60000:
      return "请求太频繁";
    case 70000:
      return "API已下线";
    default:
      return "未知错误";
  }
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

ApiError missing_param(const std::string& name) {
  return {40001, msg_for(40001), "isv.parameter-missing", "缺少参数: " + name};
}
ApiError invalid_param(const std::string& name, const std::string& why) {
  return {40003, msg_for(40003), "isv.parameter-invalid", "参数不合法: " + name + " " + why};
}
ApiError business(const std::string& number, const std::string& sub_msg) {
  return {50002, msg_for(50002), "isv.business-failed:" + number, sub_msg};
}
ApiError no_permission(const std::string& sub_code, const std::string& sub_msg) {
  return {30001, msg_for(30001), sub_code, sub_msg};
}

std::optional<std::string> opt_str(const json& p, const char* key) {
  const auto it = p.find(key);
  if (it == p.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return it->dump();
  throw invalid_param(key, "must be a string");
}

std::string req_str(const json& p, const char* key) {
  auto v = opt_str(p, key);
  if (!v || v->empty()) throw missing_param(key);
  return *v;
}

std::optional<std::int64_t> opt_int(const json& p, const char* key, std::int64_t lo, std::int64_t hi) {
  const auto it = p.find(key);
  if (it == p.end() || it->is_null()) return std::nullopt;
  std::int64_t v = 0;
  if (it->is_number_unsigned()) {
    const auto u = it->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(hi)) throw invalid_param(key, "out of range");
    v = static_cast<std::int64_t>(u);
  } else if (it->is_number_integer()) {
    v = it->get<std::int64_t>();
  } else if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    if (s.empty()) return std::nullopt;
    const bool neg = s[0] == '-';
    const std::string digits = neg ? s.substr(1) : s;
    if (!all_digits(digits)) throw invalid_param(key, "must be an integer");
    v = std::stoll(digits) * (neg ? -1 : 1);
  } else {
    throw invalid_param(key, "must be an integer");
  }
  if (v < lo || v > hi) throw invalid_param(key, "out of range");
  return v;
}

std::int64_t req_int(const json& p, const char* key, std::int64_t lo, std::int64_t hi) {
  auto v = opt_int(p, key, lo, hi);
  if (!v) throw missing_param(key);
  return *v;
}

bool opt_bool(const json& p, const char* key, bool fallback) {
  const auto it = p.find(key);
  if (it == p.end() || it->is_null()) return fallback;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_number_integer()) return it->get<std::int64_t>() != 0;
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    if (s == "true" || s == "1") return true;
    if (s == "false" || s == "0" || s.empty()) return false;
  }
  throw invalid_param(key, "must be true or false");
}

std::int64_t Order::order_amount() const {
  std::int64_t sum = post_amount;
  for (const auto& s : skus) sum += s.price * s.item_num;
  return sum;
}

std::int64_t Order::pay_amount() const {
  std::int64_t sum = post_amount;
  for (const auto& s : skus) sum += s.pay_amount;
  return sum;
}

DouyinModuleImpl::DouyinModuleImpl(Context& context) : context_(context), pusher_(context.counters) {}

DouyinModuleImpl::~DouyinModuleImpl() = default;

bool DouyinModuleImpl::serves(const Request& request) const {
  // Douyin method paths: exactly two segments, e.g. /order/searchList, /iop/waybillReturn.
  const std::string& p = request.path;
  if (p.size() < 4 || p[0] != '/') return false;
  const auto slash = p.find('/', 1);
  if (slash == std::string::npos || slash == 1 || slash + 1 >= p.size()) return false;
  if (p.find('/', slash + 1) != std::string::npos) return false;
  const std::string first = p.substr(1, slash - 1);
  if (first == "admin" || first == "router") return false;
  return std::all_of(p.begin() + 1, p.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_'; });
}

std::int64_t DouyinModuleImpl::now_s() const {
  return std::chrono::duration_cast<std::chrono::seconds>(context_.clock.now().time_since_epoch()).count();
}

std::string DouyinModuleImpl::next_id(const char* prefix) {
  // 19-digit ids shaped like Douyin's (e.g. 6920000000000000001).
  const std::uint64_t n = ++seq_;
  std::string digits = std::to_string(n);
  std::string id = prefix;
  id.append(17 - std::min<std::size_t>(17, digits.size()), '0');
  id += digits;
  return id;
}

std::string DouyinModuleImpl::encrypt(const std::string& shop_id, const std::string& order_id, const std::string& plain,
                                      char mark) {
  // Ciphertext shaped like Douyin's: <m><search index><m><cipher>*<key blob><m>1<m><m>, with m '~' for a
  // name, '$' for a phone and '#' for an address. The bytes are a keyed digest, never the plaintext.
  const std::string seed = shop_id + "|" + order_id + "|" + std::to_string(++seq_) + "|" + plain;
  auto b64 = [](const std::string& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
  };
  auto digest = [](const std::string& s) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_Digest(s.data(), s.size(), md, &len, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<const char*>(md), len);
  };
  const std::string index = b64(digest("index:" + plain)).substr(0, 24);
  const std::string body = b64(digest("a:" + seed) + digest("b:" + seed) + digest("c:" + seed));
  const std::string key = b64(digest("k:" + seed).substr(0, 18));
  std::string cipher;
  cipher += mark;
  cipher += index;
  cipher += mark;
  cipher += body + "*" + key;
  cipher += mark;
  cipher += '1';
  cipher += mark;
  cipher += mark;
  ciphers_[cipher] = Cipher{shop_id, order_id, plain};
  return cipher;
}

ShopState* DouyinModuleImpl::shop_by_id(const std::string& id) {
  const auto it = shops_.find(id);
  return it == shops_.end() ? nullptr : &it->second;
}

Order& DouyinModuleImpl::find_order(ShopState& s, const std::string& order_id) {
  const auto it = s.orders.find(order_id);
  if (it == s.orders.end()) throw business(kErrOrderNotFound, "订单不存在");
  return it->second;
}

void DouyinModuleImpl::issue_token(ShopState& s) {
  if (!s.token.empty()) token_index_.erase(s.token);
  if (!s.refresh.empty()) refresh_index_.erase(s.refresh);
  auto uuid = [this] {
    const std::string h = md5_hex(std::to_string(++seq_) + "|" + std::to_string(now_s()));
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
  };
  s.token = uuid();
  s.refresh = uuid();
  s.token_exp = now_s() + kTokenLifetime;
  s.refresh_exp = now_s() + kRefreshLifetime;
  s.shop.session = s.token;
  s.shop.refresh_token = s.refresh;
  token_index_[s.token] = s.shop.id;
  refresh_index_[s.refresh] = s.shop.id;
}

void DouyinModuleImpl::add_shop(const Shop& shop) {
  std::unique_lock lock(mutex_);
  auto& s = shops_[shop.id];
  if (!s.token.empty()) token_index_.erase(s.token);
  if (!s.refresh.empty()) refresh_index_.erase(s.refresh);
  s.shop = shop;
  s.token = shop.session;
  s.refresh = shop.refresh_token;
  s.token_exp = now_s() + kTokenLifetime;
  s.refresh_exp = now_s() + kRefreshLifetime;
  if (!s.token.empty()) token_index_[s.token] = shop.id;
  if (!s.refresh.empty()) refresh_index_[s.refresh] = shop.id;
  app_secrets_[shop.app_key] = shop.app_secret;
}

void DouyinModuleImpl::on_clock(Instant) {
  // Token expiry and ship-by times are evaluated lazily against the clock; nothing is scheduled.
}

json DouyinModuleImpl::state() const {
  std::shared_lock lock(mutex_);
  json by_status = json::object();
  std::size_t orders = 0;
  for (const auto& [id, s] : shops_) {
    for (const auto& [oid, o] : s.orders) {
      ++orders;
      by_status[std::to_string(o.status)] = by_status.value(std::to_string(o.status), 0) + 1;
    }
  }
  return {{"shops", shops_.size()},
          {"orders", orders},
          {"by_status", by_status},
          {"distr_orders", distrs_.size()},
          {"pushes", {{"sent", pusher_.sent()}, {"dropped", pusher_.dropped()}, {"failed", pusher_.failed()}}}};
}

void DouyinModuleImpl::reset() {
  std::unique_lock lock(mutex_);
  invalidate_cache();
  for (auto& [id, s] : shops_) {
    s.orders.clear();
    s.factories.clear();
    s.decrypt_second = -1;
    s.decrypt_calls = 0;
  }
  ciphers_.clear();
  distrs_.clear();
  idempotent_.clear();
  pusher_.clear();
}

void DouyinModuleImpl::flush(Pushes& pushes) {
  for (auto& p : pushes) pusher_.enqueue(std::move(p));
  pushes.clear();
}

Response DouyinModuleImpl::transport_error(const Request&, int status, const std::string& message) const {
  // A request the transport refused (malformed HTTP, body too large) still gets Douyin's envelope.
  const bool server = status >= 500;
  const int code = server ? 20000 : 40003;
  json body = {{"code", code},
               {"msg", msg_for(code)},
               {"sub_code", server ? "isp.service-error" : "isv.parameter-format-invalid"},
               {"sub_msg", message},
               {"log_id", md5_hex("transport|" + std::to_string(++seq_)).substr(0, 24)},
               {"data", json::object()},
               {"err_no", code},
               {"message", message}};
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Response DouyinModuleImpl::handle(const Request& request) {
  const bool legacy =
      request.headers.count("x-open-no-old-err-code") == 0 || request.headers.at("x-open-no-old-err-code") != "1";
  auto envelope = [&](int code, const std::string& msg, const std::string& sub_code, const std::string& sub_msg,
                      json data, int http_status) {
    const std::time_t t = static_cast<std::time_t>(now_s() + 8 * 3600);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
    const std::string tail = md5_hex(std::to_string(++seq_)).substr(0, 20);
    json body = {{"code", code},
                 {"msg", msg},
                 {"sub_code", sub_code},
                 {"sub_msg", sub_msg},
                 {"log_id", std::string(stamp) + lower(tail)},
                 {"data", std::move(data)}};
    // Without `x-open-no-old-err-code: 1` the gateway also fills the legacy fields (§3.1, §3.3) [I].
    if (legacy) {
      body["err_no"] = code == 10000 ? 0 : code;
      body["message"] = code == 10000 ? std::string("success") : (sub_msg.empty() ? msg : sub_msg);
    }
    Response r;
    r.status = http_status;
    r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
  };
  try {
    std::string path_method = request.path.size() > 1 ? request.path.substr(1) : "";
    std::replace(path_method.begin(), path_method.end(), '/', '.');
    if (request.method != "POST") throw invalid_param("http method", "must be POST");
    const std::string method = request.query_value("method");
    if (method.empty()) throw missing_param("method");
    if (method != path_method) throw invalid_param("method", "does not match the path");

    switch (context_.faults.draw(method)) {
      case Fault::timeout: {
        Response r;
        r.hang = true;
        return r;
      }
      case Fault::server_error:
        return envelope(20000, msg_for(20000), "isp.service-error", "服务暂不可用,请稍后重试", json::object(), 500);
      case Fault::rate_limit:
        return envelope(60000, msg_for(60000), "isv.traffic-limited", "请求太频繁,请稍后再试", json::object(), 200);
      case Fault::expired_session:
        if (method != "token.create" && method != "token.refresh")
          return envelope(40003, msg_for(40003), "isv.access-token-expired", "access_token已过期", json::object(), 200);
        break;
      case Fault::truncated: {
        Response r = dispatch(request, method);
        r.truncate = true;
        return r;
      }
      case Fault::none:
        break;
    }
    return dispatch(request, method);
  } catch (const ApiError& e) {
    return envelope(e.code, e.msg, e.sub_code, e.sub_msg, e.data, e.http_status);
  } catch (const std::exception& e) {
    return envelope(20000, msg_for(20000), "isp.service-error", std::string("内部错误: ") + e.what(), json::object(),
                    500);
  }
}

Response DouyinModuleImpl::dispatch(const Request& request, const std::string& method) {
  const bool legacy =
      request.headers.count("x-open-no-old-err-code") == 0 || request.headers.at("x-open-no-old-err-code") != "1";
  const std::string app_key = request.query_value("app_key");
  if (app_key.empty()) throw ApiError{40001, msg_for(40001), "isv.app-id-missing", "缺少app_key"};
  const std::string sign_value = request.query_value("sign");
  if (sign_value.empty()) throw ApiError{40001, msg_for(40001), "isv.signature-missing", "缺少sign"};
  const std::string timestamp = request.query_value("timestamp");
  if (timestamp.empty()) throw missing_param("timestamp");
  if (!all_digits(timestamp))
    throw ApiError{40003, msg_for(40003), "isv.timestamp-format-error", "timestamp须为unix秒"};
  const std::string v = request.query_value("v");
  if (v.empty()) throw missing_param("v");
  if (v != "2") throw invalid_param("v", "must be 2");
  std::string sign_method = request.query_value("sign_method");
  if (sign_method.empty()) sign_method = "md5";  // the Java SDK's sign() sends none and signs with md5 [I]
  if (sign_method != "md5" && sign_method != "hmac-sha256") throw invalid_param("sign_method", "md5 | hmac-sha256");
  if (request.body.size() > kMaxBody)
    throw ApiError{40003, msg_for(40003), "isv.parameter-format-invalid", "body too large"};

  std::string secret;
  {
    std::shared_lock lock(mutex_);
    const auto it = app_secrets_.find(app_key);
    if (it == app_secrets_.end()) throw ApiError{40003, msg_for(40003), "isv.app-id-invalid", "app_key不存在"};
    secret = it->second;
    // Shops registered with the same app_key normally share its secret; if not, the token's shop decides.
    if (const auto t = token_index_.find(request.query_value("access_token")); t != token_index_.end()) {
      const auto shop = shops_.find(t->second);
      if (shop != shops_.end() && shop->second.shop.app_key == app_key) secret = shop->second.shop.app_secret;
    }
  }
  std::string why;
  const auto canonical = canonical_param_json(request.body, &why);
  if (!canonical)
    throw ApiError{40003, msg_for(40003), "isv.parameter-format-invalid", "param_json不是合法的JSON对象: " + why};
  const auto expected = sign(sign_method, secret, app_key, method, *canonical, timestamp, v);
  if (!expected || lower(sign_value) != *expected)
    throw ApiError{40003, msg_for(40003), "isv.signature-invalid", "签名不合法"};
  const json params = json::parse(*canonical);

  // The envelope's data member arrives as JSON text so cached order renderings are spliced in as is.
  auto ok_text = [&](const std::string& data) {
    const std::time_t t = static_cast<std::time_t>(now_s() + 8 * 3600);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
    Response r;
    r.body.reserve(data.size() + 160);
    r.body += "{\"code\":10000,\"data\":";
    r.body += data;
    if (legacy) r.body += ",\"err_no\":0";
    r.body += ",\"log_id\":\"";
    r.body += stamp;
    r.body += md5_hex(std::to_string(++seq_)).substr(0, 20);
    r.body += legacy ? "\",\"message\":\"success\"" : "\"";
    r.body += ",\"msg\":\"success\",\"sub_code\":\"\",\"sub_msg\":\"\"}";
    return r;
  };
  auto ok = [&](const json& data) { return ok_text(data.dump(-1, ' ', false, json::error_handler_t::replace)); };

  if (method == "token.create") return ok(token_create(app_key, params));
  if (method == "token.refresh") return ok(token_refresh(app_key, params));

  static const std::set<std::string> kReads = {"order.searchList", "order.orderDetail", "iop.sellerSupplierList",
                                               "iop.orderList", "iop.orderInfo"};
  static const std::set<std::string> kWrites = {
      "order.addOrderRemark", "order.logisticsAdd",   "order.logisticsAddMultiPack",
      "order.batchDecrypt",   "iop.sellerDistribute", "iop.sellerCancleDistribute",
      "iop.waybillReturn"};
  const bool read = kReads.count(method) > 0;
  if (!read && kWrites.count(method) == 0)
    throw ApiError{70000, msg_for(70000), "isp.api-service-off", "API不存在或已下线: " + method};

  const std::string token = request.query_value("access_token");
  if (token.empty()) throw ApiError{40001, msg_for(40001), "isv.access-token-missing", "缺少access_token"};

  auto resolve = [&]() -> ShopState& {
    const auto it = token_index_.find(token);
    if (it == token_index_.end())
      throw ApiError{40003, msg_for(40003), "isv.access-token-no-existed", "access_token不存在"};
    ShopState* s = shop_by_id(it->second);
    if (!s || s->shop.app_key != app_key)
      throw no_permission("dop.authorization-no-existed", "店铺授权不存在或已过期,请重新授权");
    if (now_s() >= s->token_exp)
      throw ApiError{40003, msg_for(40003), "isv.access-token-expired", "access_token已过期"};
    return *s;
  };

  if (read) {
    std::shared_lock lock(mutex_);
    ShopState& s = resolve();
    if (method == "order.searchList") return ok_text(order_search_list(s, params));
    if (method == "order.orderDetail") return ok_text(order_detail(s, params));
    if (method == "iop.sellerSupplierList") return ok(iop_seller_supplier_list(s, params));
    if (method == "iop.orderList") return ok(iop_order_list(s, params));
    return ok(iop_order_info(s, params));
  }

  Pushes pushes;
  json data;
  try {
    std::unique_lock lock(mutex_);
    invalidate_cache();
    ShopState& s = resolve();
    if (method == "order.addOrderRemark") {
      data = order_add_remark(s, params, pushes);
    } else if (method == "order.logisticsAdd") {
      data = order_logistics_add(s, params, pushes);
    } else if (method == "order.logisticsAddMultiPack") {
      data = order_logistics_multi_pack(s, params, pushes);
    } else if (method == "order.batchDecrypt") {
      data = order_batch_decrypt(s, params);
    } else if (method == "iop.sellerDistribute") {
      data = iop_seller_distribute(s, params, pushes);
    } else if (method == "iop.sellerCancleDistribute") {
      data = iop_seller_cancel_distribute(s, params);
    } else {
      data = iop_waybill_return(s, params, pushes);
    }
  } catch (const ApiError&) {
    flush(pushes);  // a partial success (10001) changed state and owes its pushes
    throw;
  }
  flush(pushes);
  return ok(std::move(data));
}

json DouyinModuleImpl::token_create(const std::string& app_key, const json& p) {
  // Self-use apps pass grant_type=authorization_self and shop_id; tool apps an auth code. The
  // simulator takes the code to be the shop id.
  const std::string grant = opt_str(p, "grant_type").value_or("authorization_self");
  std::string shop_id;
  if (grant == "authorization_self") {
    shop_id = opt_str(p, "shop_id").value_or("");
  } else if (grant == "authorization_code") {
    shop_id = req_str(p, "code");
  } else {
    throw invalid_param("grant_type", "authorization_self | authorization_code");
  }
  std::unique_lock lock(mutex_);
  ShopState* s = nullptr;
  if (shop_id.empty()) {
    for (auto& [id, st] : shops_) {
      if (st.shop.app_key != app_key) continue;
      if (s) throw missing_param("shop_id");
      s = &st;
    }
  } else {
    s = shop_by_id(shop_id);
  }
  if (!s || s->shop.app_key != app_key)
    throw no_permission("dop.authorization-no-existed", "店铺授权不存在或已过期,请重新授权");
  issue_token(*s);
  return {{"access_token", s->token},    {"expires_in", kTokenLifetime},
          {"refresh_token", s->refresh}, {"scope", "SCOPE"},
          {"shop_id", s->shop.id},       {"shop_name", s->shop.id},
          {"authority_id", s->shop.id},  {"auth_subject_type", s->shop.role == "factory" ? "SupplyChain" : "MiniShop"}};
}

json DouyinModuleImpl::token_refresh(const std::string& app_key, const json& p) {
  const std::string refresh = req_str(p, "refresh_token");
  const std::string grant = opt_str(p, "grant_type").value_or("refresh_token");
  if (grant != "refresh_token") throw invalid_param("grant_type", "must be refresh_token");
  std::unique_lock lock(mutex_);
  const auto it = refresh_index_.find(refresh);
  if (it == refresh_index_.end())
    throw ApiError{40003, msg_for(40003), "dop.token-generate-failed:token-invalid", "refresh_token无效"};
  ShopState* s = shop_by_id(it->second);
  if (!s || s->shop.app_key != app_key)
    throw no_permission("dop.authorization-no-existed", "店铺授权不存在或已过期,请重新授权");
  if (now_s() >= s->refresh_exp)
    throw ApiError{40003, msg_for(40003), "dop.token-generate-failed:token-expired", "refresh_token已过期"};
  issue_token(*s);  // the old access_token and refresh_token stop working
  return {{"access_token", s->token}, {"expires_in", kTokenLifetime}, {"refresh_token", s->refresh}, {"scope", "SCOPE"},
          {"shop_id", s->shop.id},    {"shop_name", s->shop.id},      {"authority_id", s->shop.id}};
}

void DouyinModuleImpl::push(const ShopState& s, const std::string& tag, const std::string& order_id, json data,
                            Pushes& pushes) {
  if (s.shop.push_url.empty()) return;
  PushJob job;
  job.url = s.shop.push_url;
  job.app_key = s.shop.app_key;
  job.app_secret = s.shop.app_secret;
  job.shop_id = s.shop.id;
  job.order_id = order_id;
  job.tag = tag;
  job.msg_id = next_id("70");
  job.data = data.dump(-1, ' ', false, json::error_handler_t::replace);
  pushes.push_back(std::move(job));
}

}  // namespace erp::sim::douyin
