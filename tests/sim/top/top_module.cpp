#include "top/top_module.hpp"

#if __has_include("core/modules.hpp")
#include "core/modules.hpp"
#endif

#include <algorithm>
#include <atomic>
#include <charconv>
#include <functional>
#include <limits>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_map>

#include "erp/money.hpp"
#include "top/top_gateway.hpp"
#include "top/top_sign.hpp"
#include "top/top_time.hpp"
#include "top/top_trade.hpp"

namespace erp::sim {

namespace top {

namespace {

using nlohmann::json;
using Params = std::map<std::string, std::string>;
using namespace std::chrono_literals;

constexpr auto kTimestampSkew = std::chrono::minutes(10);     // PLATFORMS.md 1.2
constexpr auto kMaxIncrementWindow = std::chrono::hours(24);  // PLATFORMS.md 2.2
constexpr auto kHistory = std::chrono::days(90);              // "only the last 3 months", 2.1 / 2.2
constexpr std::size_t kMaxMemoBytes = 1000;                   // PLATFORMS.md 2.5
constexpr std::size_t kMaxReservationsPerMain = 12;           // rule G3
constexpr int kBanSeconds = 1;
constexpr std::int64_t kFirstTid = 3100000000000000000;
constexpr std::int64_t kFirstOid = 3200000000000000000;

/// Where a request's failure or success goes, with the method's own response root.
struct Outcome {
  std::optional<TopError> error;
  std::string body;  ///< The inner JSON members of the success object (without braces), request_id appended later.
};

Outcome fail(TopError e) { return Outcome{std::move(e), {}}; }

/// `taobao.trades.sold.get` -> `trades_sold_get_response` (PLATFORMS.md 1.4).
std::string response_root(const std::string& method) {
  std::string root = method;
  if (root.rfind("taobao.", 0) == 0) root = root.substr(7);
  std::replace(root.begin(), root.end(), '.', '_');
  return root + "_response";
}

std::string param(const Params& params, const char* name) {
  const auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

Instant floor_seconds(Instant t) {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::floor<std::chrono::seconds>(t));
}

bool status_matches(const std::string& filter, const std::string& status) {
  if (filter.empty()) return true;
  if (filter == "ALL_WAIT_PAY") return status == "WAIT_BUYER_PAY" || status == "TRADE_NO_CREATE_PAY";
  if (filter == "ALL_CLOSED") return status == "TRADE_CLOSED" || status == "TRADE_CLOSED_BY_TAOBAO";
  return filter == status;
}

/// PLATFORMS.md 2.1: without `type` only guarantee_trade, auto_delivery, ec, cod and step trades
/// come back; guarantee_trade covers the fixed-price and auction trades.
std::set<std::string> type_filter(const std::string& types) {
  std::set<std::string> out;
  std::string list = types.empty() ? "guarantee_trade,auto_delivery,ec,cod,step" : types;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string name = list.substr(start, end - start);
    if (name == "guarantee_trade") {
      out.insert("fixed");
      out.insert("auction");
    }
    if (!name.empty()) out.insert(std::move(name));
    start = end + 1;
  }
  return out;
}

bool known_refund_status(const std::string& s) {
  static const std::set<std::string> kKnown = {"NO_REFUND",
                                               "WAIT_SELLER_AGREE",
                                               "WAIT_BUYER_RETURN_GOODS",
                                               "WAIT_SELLER_CONFIRM_GOODS",
                                               "SELLER_REFUSE_BUYER",
                                               "CLOSED",
                                               "SUCCESS"};
  return kKnown.count(s) != 0;
}

std::string base36(std::uint64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, 36);
  return std::string(buffer, result.ptr);
}

/// "1,2,3" -> {"1","2","3"}.
std::vector<std::string> text_list_of(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    if (end > start) out.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

/// YAML helpers: a scalar as text, or "" when absent or not a scalar.
std::string text(const YAML::Node& node, const char* key) {
  const YAML::Node value = node[key];
  if (!value || !value.IsScalar()) return {};
  return value.Scalar();
}

bool flag(const YAML::Node& node, const char* key) {
  const std::string value = text(node, key);
  return value == "true" || value == "yes" || value == "1";
}

/// A scalar or a sequence of scalars as a list of strings.
std::vector<std::string> text_list(const YAML::Node& node, const char* key) {
  std::vector<std::string> out;
  const YAML::Node value = node[key];
  if (!value) return out;
  if (value.IsScalar()) {
    out = text_list_of(value.Scalar());
  } else if (value.IsSequence()) {
    for (const auto& item : value) {
      if (item.IsScalar()) out.push_back(item.Scalar());
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

/// A reservation tag planned on a repurchase trade (rule G2): revealed `delay` after payment.
struct TagPlan {
  std::vector<std::string> reservations;
  std::optional<std::chrono::seconds> delay;  ///< Unset: random within 2-4 h.
  std::int64_t oid = 0;                       ///< 0: the first line.
};

/// A tag waiting for its time.
struct PendingTag {
  Instant due{};
  std::int64_t tid = 0;
  std::int64_t oid = 0;
  std::string value;
};

class TopModule final : public PlatformModule {
 public:
  explicit TopModule(Context& context) : context_(context) {}

  std::string name() const override { return "top"; }
  std::vector<std::string> platforms() const override { return {"taobao", "tmall"}; }
  bool serves(const Request& request) const override { return request.path == "/router/rest"; }
  std::string base_path() const override { return "/router/rest"; }

  Response handle(const Request& request) override {
    const std::string request_id = next_request_id();
    try {
      return handle_checked(request, request_id);
    } catch (const std::exception& e) {
      // Nothing a caller sends should get here; if it does, it is still TOP's shape.
      return render_error(remote_error("isp.unknown-error", std::string("platform-sim: ") + e.what()), request_id);
    }
  }

  /// Requests the transport refused (malformed HTTP, too large, a throwing handler) still get
  /// TOP's error_response, under the transport's HTTP status.
  Response transport_error(const Request&, int status, const std::string& message) const override {
    TopError error = status >= 500 ? remote_error("isp.unknown-error", "platform-sim: " + message)
                                   : invalid_argument("request", "malformed or oversized request: " + message);
    Response response = render_error(error, next_request_id());
    response.status = status;
    return response;
  }

  void add_shop(const Shop& shop) override {
    std::unique_lock lock(mutex_);
    if (const auto old = shops_.find(shop.id); old != shops_.end()) sessions_.erase(old->second.session);
    shops_[shop.id] = shop;
    if (!shop.session.empty()) sessions_[shop.session] = shop.id;
    app_secrets_[shop.app_key] = shop.app_secret;
  }

  std::optional<std::string> apply(const Shop& shop, const YAML::Node& event) override;

  void on_clock(Instant now) override {
    std::unique_lock lock(mutex_);
    reveal_due(now);
  }

  void generate(const Shop& shop, int count, std::mt19937& rng) override;
  void generate_arriving(const Shop& shop, int count, std::mt19937& rng) override;

  json state() const override {
    std::shared_lock lock(mutex_);
    json by_status = json::object();
    json by_shop = json::object();
    for (const auto& [tid, trade] : trades_) {
      by_status[trade.status] = by_status.value(trade.status, 0) + 1;
      by_shop[trade.shop] = by_shop.value(trade.shop, 0) + 1;
    }
    return {{"trades", trades_.size()},
            {"by_status", by_status},
            {"by_shop", by_shop},
            {"shops", shops_.size()},
            {"pending_reservation_tags", pending_.size()}};
  }

  void reset() override {
    std::unique_lock lock(mutex_);
    trades_.clear();
    shop_tids_.clear();
    ++revision_;
    plans_.clear();
    linked_mains_.clear();
    merchant_managed_.clear();
    pending_.clear();
    reservations_by_buyer_.clear();
    next_due_ms_.store(std::numeric_limits<std::int64_t>::max());
  }

 private:
  /// `count` paid trades in `shop`: created now, or at random over the last half hour.
  void make_trades(const Shop& shop, int count, std::mt19937& rng, bool back_dated);

  // ---- gateway -------------------------------------------------------------------------------
  Response handle_checked(const Request& request, const std::string& request_id);
  Outcome dispatch(const std::string& method, const Shop& shop, const Params& params, Instant now);

  std::string next_request_id() const {
    return "simtop" + base36(request_seq_.fetch_add(1, std::memory_order_relaxed) + 1000000);
  }

  // ---- methods (PLATFORMS.md 2) ----------------------------------------------------------------
  Outcome trades_sold_get(const Shop& shop, const Params& params, Instant now) const;
  Outcome trades_sold_increment_get(const Shop& shop, const Params& params, Instant now) const;
  Outcome trade_fullinfo_get(const Shop& shop, const Params& params) const;
  Outcome trade_memo_write(const Shop& shop, const Params& params, Instant now, bool add);
  Outcome logistics_offline_send(const Shop& shop, const Params& params, Instant now);
  /// The shared listing of sold.get and increment.get.
  Outcome list_trades(const Shop& shop, const Params& params, Instant from, Instant to, bool by_modified) const;

  // ---- state (callers hold mutex_) -------------------------------------------------------------
  TopTrade* find_trade(const std::string& shop, std::int64_t tid);
  const TopTrade* find_trade(const std::string& shop, std::int64_t tid) const;
  /// Bumps `modified`, re-derives the status and re-renders the JSON after a change.
  void touch(TopTrade& trade, Instant now);
  void pay(TopTrade& trade, Instant now, bool forbid_consign, std::mt19937& rng);
  void schedule_tag(TopTrade& trade, const TagPlan& plan, Instant base, std::mt19937& rng);
  void reveal_due(Instant now);
  /// Rules G5-G10, platform mode: once a repurchase trade has shipped every line, the platform
  /// ships its linked reservation trades with the waybill of the line that shipped last.
  void ship_linked_reservations(const TopTrade& main, Instant now);
  void refresh_next_due();
  std::int64_t take_tid() { return next_tid_++; }
  std::int64_t take_oid() { return next_oid_++; }
  void insert(TopTrade trade);

  /// The event types of apply(); each returns an error message or nullopt.
  std::optional<std::string> event_order(const Shop& shop, const YAML::Node& event, Instant now);
  std::optional<std::string> event_on_trade(const Shop& shop, const std::string& type, const YAML::Node& event,
                                            Instant now);

  Context context_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, Shop> shops_;
  std::unordered_map<std::string, std::string> sessions_;     ///< session -> shop id
  std::unordered_map<std::string, std::string> app_secrets_;  ///< app_key -> secret
  std::unordered_map<std::int64_t, TopTrade> trades_;
  std::map<std::string, std::vector<std::int64_t>> shop_tids_;
  std::unordered_map<std::int64_t, TagPlan> plans_;  ///< tid -> tag to schedule when it is paid
  /// Reservation tid -> the repurchase trades whose revealed tag names it (rule G7).
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> linked_mains_;
  /// Tmall shops in merchant-managed gift mode (rule G12): the platform does not ship reservations.
  std::set<std::string> merchant_managed_;
  std::vector<PendingTag> pending_;
  /// shop -> buyer -> their 1-yuan reservation trades in payment order (generator, rule G3).
  std::map<std::string, std::map<std::string, std::vector<std::int64_t>>> reservations_by_buyer_;
  std::atomic<std::int64_t> next_due_ms_{std::numeric_limits<std::int64_t>::max()};

  /// Bumped (under the unique lock) by every change a listing could see: a trade added, touched,
  /// or all forgotten.
  std::uint64_t revision_ = 0;
  /// The last listing's filtered, sorted trades. A full sync asks page after page of the same
  /// window; without this, every page re-scanned and re-sorted the whole shop (O(N^2 log N) per
  /// sync). Valid while `revision` is current; readers share mutex_, so it has its own mutex.
  struct ListingCache {
    std::string key;
    std::uint64_t revision = 0;
    std::vector<const TopTrade*> hits;
  };
  mutable std::mutex listing_mutex_;
  mutable ListingCache listing_;
  mutable std::atomic<std::uint64_t> request_seq_{0};
  std::int64_t next_tid_ = kFirstTid;
  std::int64_t next_oid_ = kFirstOid;
  std::int64_t next_refund_id_ = 150000000000000;
  std::mt19937 rng_{20261123};
};

// ---- gateway ---------------------------------------------------------------------------------

Response TopModule::handle_checked(const Request& request, const std::string& request_id) {
  const Instant now = context_.clock.now();
  if (now.time_since_epoch().count() >= next_due_ms_.load(std::memory_order_relaxed)) on_clock(now);

  if (request.method != "GET" && request.method != "POST") {
    return render_error(http_action_not_allowed(request.method), request_id);
  }
  const auto collected = collect_params(request);
  if (!collected) {
    return render_error(invalid_argument("request",
                                         "the request carries more than platform-sim accepts (1 MiB, 512 "
                                         "parameters)"),
                        request_id);
  }
  const Params& params = *collected;

  const std::string method = param(params, "method");
  if (method.empty()) return render_error(missing_method(), request_id);
  static const std::set<std::string> kMethods = {"taobao.trades.sold.get",    "taobao.trades.sold.increment.get",
                                                 "taobao.trade.fullinfo.get", "taobao.trade.memo.add",
                                                 "taobao.trade.memo.update",  "taobao.logistics.offline.send"};
  if (kMethods.count(method) == 0) return render_error(invalid_method(method), request_id);

  const std::string app_key = param(params, "app_key");
  if (app_key.empty()) return render_error(missing_app_key(), request_id);

  const std::string timestamp = param(params, "timestamp");
  if (timestamp.empty()) return render_error(missing_timestamp(), request_id);
  const auto sent_at = parse_china_time(timestamp, true);
  if (!sent_at) {
    return render_error(invalid_timestamp("timestamp must be yyyy-MM-dd HH:mm:ss in GMT+8"), request_id);
  }

  const std::string v = param(params, "v");
  if (v.empty()) return render_error(missing_version(), request_id);
  if (v != "2.0") return render_error(invalid_version(v), request_id);

  const std::string format = param(params, "format");
  if (!format.empty() && format != "json") return render_error(invalid_format(format), request_id);

  const std::string sign_text = param(params, "sign");
  if (sign_text.empty()) return render_error(missing_signature(), request_id);
  // An absent sign_method is md5, the SDKs' default.
  const std::string sign_method_text = param(params, "sign_method");
  const auto sign_method = sign_method_from_string(sign_method_text.empty() ? "md5" : sign_method_text);
  if (!sign_method) {
    return render_error(invalid_argument("sign_method", "sign_method must be md5, hmac or hmac-sha256"), request_id);
  }

  Shop shop;
  std::string secret;
  bool have_shop = false;
  const std::string session = param(params, "session");
  {
    std::shared_lock lock(mutex_);
    const auto app = app_secrets_.find(app_key);
    if (app == app_secrets_.end()) return render_error(invalid_app_key(), request_id);
    secret = app->second;
    if (const auto s = sessions_.find(session); !session.empty() && s != sessions_.end()) {
      const Shop& found = shops_.at(s->second);
      if (found.app_key == app_key) {
        shop = found;
        secret = found.app_secret;
        have_shop = true;
      }
    }
  }
  if (sign(params, secret, *sign_method) != sign_text) return render_error(invalid_signature(), request_id);

  const auto skew = *sent_at > now ? *sent_at - now : now - *sent_at;
  if (skew > kTimestampSkew) {
    return render_error(invalid_timestamp("timestamp is " + std::to_string(skew.count() / 1000) +
                                          " s away from the server time (at most 600 s)"),
                        request_id);
  }

  // Every method here is a seller API that needs authorization.
  if (session.empty()) return render_error(missing_session(), request_id);
  if (!have_shop) return render_error(invalid_session(), request_id);

  const Fault fault = context_.faults.draw(method);
  switch (fault) {
    case Fault::rate_limit:
      return render_error(app_call_limited(kBanSeconds), request_id);
    case Fault::server_error:
      return render_error(service_unavailable(), request_id);
    case Fault::expired_session:
      return render_error(expired_session(), request_id);
    case Fault::none:
    case Fault::timeout:
    case Fault::truncated:
      break;
  }

  Outcome outcome = dispatch(method, shop, params, now);
  Response response;
  if (outcome.error) {
    response = render_error(*outcome.error, request_id);
  } else {
    std::string body;
    body.reserve(outcome.body.size() + 96);
    body += "{\"";
    body += response_root(method);
    body += "\":{";
    body += outcome.body;
    if (!outcome.body.empty()) body += ',';
    body += "\"request_id\":\"";
    body += request_id;
    body += "\"}}";
    response.body = std::move(body);
  }
  // A timed-out or truncated call still did its work: the caller just never learns it, which is
  // what makes retries dangerous and "exactly once" worth testing.
  if (fault == Fault::timeout) response.hang = true;
  if (fault == Fault::truncated) response.truncate = true;
  return response;
}

Outcome TopModule::dispatch(const std::string& method, const Shop& shop, const Params& params, Instant now) {
  static const std::map<std::string, std::vector<const char*>> kRequired = {
      {"taobao.trades.sold.get", {"fields"}},
      {"taobao.trades.sold.increment.get", {"fields", "start_modified", "end_modified"}},
      {"taobao.trade.fullinfo.get", {"fields", "tid"}},
      {"taobao.trade.memo.add", {"tid", "memo"}},
      {"taobao.trade.memo.update", {"tid"}},
      {"taobao.logistics.offline.send", {"tid", "out_sid", "company_code"}}};
  for (const char* name : kRequired.at(method)) {
    if (param(params, name).empty()) return fail(missing_argument(name));
  }
  if (method == "taobao.trade.fullinfo.get") {
    std::shared_lock lock(mutex_);
    return trade_fullinfo_get(shop, params);
  }
  if (method == "taobao.trades.sold.get") {
    std::shared_lock lock(mutex_);
    return trades_sold_get(shop, params, now);
  }
  if (method == "taobao.trades.sold.increment.get") {
    std::shared_lock lock(mutex_);
    return trades_sold_increment_get(shop, params, now);
  }
  std::unique_lock lock(mutex_);
  if (method == "taobao.trade.memo.add") return trade_memo_write(shop, params, now, true);
  if (method == "taobao.trade.memo.update") return trade_memo_write(shop, params, now, false);
  return logistics_offline_send(shop, params, now);
}

// ---- methods ---------------------------------------------------------------------------------

Outcome TopModule::list_trades(const Shop& shop, const Params& params, Instant from, Instant to,
                               bool by_modified) const {
  std::int64_t page_no = 1, page_size = 40;
  if (const auto text_no = param(params, "page_no"); !text_no.empty()) {
    const auto value = parse_int(text_no);
    if (!value || *value < 1) return fail(invalid_argument("page_no", "page_no must be a positive integer"));
    page_no = *value;
  }
  if (const auto text_size = param(params, "page_size"); !text_size.empty()) {
    const auto value = parse_int(text_size);
    if (!value || *value < 1 || *value > 100) {
      return fail(invalid_argument("page_size", "page_size must be between 1 and 100"));
    }
    page_size = *value;
  }
  const bool use_has_next = param(params, "use_has_next") == "true";
  const std::string status = param(params, "status");
  const std::set<std::string> types = type_filter(param(params, "type"));
  const std::string buyer = param(params, "buyer_open_id");
  const FieldSelection selection = parse_fields(param(params, "fields"));

  std::string key = shop.id + '|' + std::to_string(from.time_since_epoch().count()) + '|' +
                    std::to_string(to.time_since_epoch().count()) + (by_modified ? "|m|" : "|c|") + status + '|' +
                    buyer + '|';
  for (const auto& type : types) key += type + ',';
  std::lock_guard listing_lock(listing_mutex_);
  if (listing_.key != key || listing_.revision != revision_) {
    std::vector<const TopTrade*> hits;
    if (const auto it = shop_tids_.find(shop.id); it != shop_tids_.end()) {
      for (const std::int64_t tid : it->second) {
        const TopTrade& trade = trades_.at(tid);
        const Instant at = by_modified ? trade.modified : trade.created;
        if (at < from || at > to) continue;
        if (!status_matches(status, trade.status)) continue;
        if (types.count(trade.type) == 0) continue;
        if (!buyer.empty() && trade.buyer_open_uid != buyer) continue;
        hits.push_back(&trade);
      }
    }
    // Newest first: by created (sold.get) or modified (increment.get), PLATFORMS.md 2.1 / 2.2; the
    // tid breaks ties so pages never overlap.
    std::sort(hits.begin(), hits.end(), [by_modified](const TopTrade* a, const TopTrade* b) {
      const Instant ta = by_modified ? a->modified : a->created;
      const Instant tb = by_modified ? b->modified : b->created;
      if (ta != tb) return ta > tb;
      return a->tid > b->tid;
    });
    listing_ = ListingCache{std::move(key), revision_, std::move(hits)};
  }
  const std::vector<const TopTrade*>& hits = listing_.hits;
  const auto total = static_cast<std::int64_t>(hits.size());
  // A page number past the end (even one near INT64_MAX) is just an empty page.
  const std::int64_t first = page_no - 1 > total / page_size ? total : (page_no - 1) * page_size;
  const std::int64_t last = std::min(total, first + page_size);

  std::string body;
  if (use_has_next) {
    body += "\"has_next\":";
    body += last < total ? "true" : "false";
  } else {
    body += "\"total_results\":" + std::to_string(total);
  }
  if (first < last) {
    body += ",\"trades\":{\"trade\":[";
    for (std::int64_t i = first; i < last; ++i) {
      if (i != first) body += ',';
      append_trade_json(body, *hits[static_cast<std::size_t>(i)], selection);
    }
    body += "]}";
  }
  return Outcome{std::nullopt, std::move(body)};
}

Outcome TopModule::trades_sold_get(const Shop& shop, const Params& params, Instant now) const {
  Instant from = now - kHistory, to = now;
  if (const auto s = param(params, "start_created"); !s.empty()) {
    const auto t = parse_china_time(s);
    if (!t) return fail(invalid_argument("start_created", "start_created must be yyyy-MM-dd HH:mm:ss"));
    from = std::max(from, *t);
  }
  if (const auto s = param(params, "end_created"); !s.empty()) {
    const auto t = parse_china_time(s);
    if (!t) return fail(invalid_argument("end_created", "end_created must be yyyy-MM-dd HH:mm:ss"));
    to = *t;
  }
  if (to < from) return fail(invalid_argument("end_created", "end_created is before start_created"));
  return list_trades(shop, params, from, to, false);
}

Outcome TopModule::trades_sold_increment_get(const Shop& shop, const Params& params, Instant now) const {
  const auto from = parse_china_time(param(params, "start_modified"));
  if (!from) return fail(invalid_argument("start_modified", "start_modified must be yyyy-MM-dd HH:mm:ss"));
  const auto to = parse_china_time(param(params, "end_modified"));
  if (!to) return fail(invalid_argument("end_modified", "end_modified must be yyyy-MM-dd HH:mm:ss"));
  if (*to < *from) return fail(invalid_argument("end_modified", "end_modified is before start_modified"));
  // PLATFORMS.md 2.2: end_modified - start_modified <= 1 day; only the last 3 months.
  if (*to - *from > kMaxIncrementWindow) {
    return fail(invalid_argument("end_modified", "end_modified - start_modified must not exceed one day"));
  }
  if (*from < now - kHistory) {
    return fail(invalid_argument("start_modified", "only the last three months can be queried"));
  }
  return list_trades(shop, params, *from, *to, true);
}

Outcome TopModule::trade_fullinfo_get(const Shop& shop, const Params& params) const {
  const auto tid = parse_int(param(params, "tid"));
  if (!tid) return fail(invalid_argument("tid", "tid must be a number"));
  const TopTrade* trade = find_trade(shop.id, *tid);
  if (trade == nullptr)
    return fail(remote_error("isv.trade-not-exist", "trade " + std::to_string(*tid) + " not exist"));
  std::string body = "\"trade\":";
  append_trade_json(body, *trade, parse_fields(param(params, "fields")));
  return Outcome{std::nullopt, std::move(body)};
}

Outcome TopModule::trade_memo_write(const Shop& shop, const Params& params, Instant now, bool add) {
  const auto tid = parse_int(param(params, "tid"));
  if (!tid) return fail(invalid_argument("tid", "tid must be a number"));
  const std::string memo = param(params, "memo");
  if (memo.size() > kMaxMemoBytes) return fail(invalid_argument("memo", "memo is longer than 1000 bytes"));
  std::optional<int> new_flag;
  if (const auto f = param(params, "flag"); !f.empty()) {
    const auto value = parse_int(f);
    // PLATFORMS.md 2.5: 0 grey, 1 red, 2 yellow, 3 green, 4 blue, 5 pink.
    if (!value || *value > 5) return fail(invalid_argument("flag", "flag must be 0 to 5"));
    new_flag = static_cast<int>(*value);
  }
  const bool reset = !add && param(params, "reset") == "true";
  TopTrade* trade = find_trade(shop.id, *tid);
  if (trade == nullptr)
    return fail(remote_error("isv.trade-not-exist", "trade " + std::to_string(*tid) + " not exist"));
  if (add && trade->has_memo) {
    // PLATFORMS.md 2.5: memo.add cannot be called twice; update afterwards.
    return fail(remote_error("isv.trade-memo-exist", "the trade already has a memo, use taobao.trade.memo.update"));
  }
  if (reset) {
    trade->has_memo = false;
    trade->seller_memo.clear();
  } else if (add || params.count("memo") != 0) {
    trade->has_memo = !memo.empty();
    trade->seller_memo = memo;
  }
  if (new_flag) trade->seller_flag = *new_flag;
  touch(*trade, now);
  context_.counters.add("memo", shop.id, std::to_string(*tid));
  json result = {{"tid", *tid}};
  result[add ? "created" : "modified"] = format_china_time(trade->modified);
  return Outcome{std::nullopt, "\"trade\":" + result.dump()};
}

Outcome TopModule::logistics_offline_send(const Shop& shop, const Params& params, Instant now) {
  const auto tid = parse_int(param(params, "tid"));
  if (!tid) return fail(invalid_argument("tid", "tid must be a number"));
  const std::string out_sid = param(params, "out_sid");
  const std::string company = param(params, "company_code");
  TopTrade* trade = find_trade(shop.id, *tid);
  // Sub-codes as TOP answers them (public client code handling B01 "order not found" and B04
  // "order status wrong: already shipped or closed, cannot ship again").
  if (trade == nullptr) {
    return fail(remote_error("isv.logistics-offline-service-error:B01", "订单不存在"));
  }
  const TopError already_shipped = remote_error("isv.logistics-offline-service-error:B04",
                                                "订单状态不对，该物流订单已经发货或者已关闭，不能重复发货");
  if (trade->status != "WAIT_SELLER_SEND_GOODS" && trade->status != "SELLER_CONSIGNED_PART")
    return fail(already_shipped);

  const std::string is_split = param(params, "is_split");
  if (!is_split.empty() && is_split != "0" && is_split != "1") {
    return fail(invalid_argument("is_split", "is_split must be 0 or 1"));
  }
  const std::string sub_tid = param(params, "sub_tid");
  if (is_split == "1" && sub_tid.empty()) return fail(missing_argument("sub_tid"));

  std::vector<TopOrder*> lines;
  if (!sub_tid.empty()) {
    std::set<std::int64_t> wanted;
    std::size_t start = 0;
    while (start <= sub_tid.size()) {
      std::size_t end = sub_tid.find(',', start);
      if (end == std::string::npos) end = sub_tid.size();
      const auto oid = parse_int(sub_tid.substr(start, end - start));
      if (!oid) return fail(invalid_argument("sub_tid", "sub_tid must be comma-separated sub-order ids"));
      wanted.insert(*oid);
      start = end + 1;
    }
    for (const std::int64_t oid : wanted) {
      auto it =
          std::find_if(trade->orders.begin(), trade->orders.end(), [oid](const TopOrder& o) { return o.oid == oid; });
      if (it == trade->orders.end()) {
        return fail(invalid_argument("sub_tid",
                                     "sub-order " + std::to_string(oid) + " is not in trade " + std::to_string(*tid)));
      }
      if (it->shipped || it->refund_status == "SUCCESS") return fail(already_shipped);
      lines.push_back(&*it);
    }
  } else {
    for (auto& order : trade->orders) {
      if (!order.shipped && order.refund_status != "SUCCESS") lines.push_back(&order);
    }
    if (lines.empty()) return fail(already_shipped);
  }

  const Instant at = floor_seconds(now);
  for (TopOrder* line : lines) {
    line->shipped = true;
    line->logistics_company = company;
    line->invoice_no = out_sid;
    line->consign_time = at;
  }
  if (!trade->consign_time) trade->consign_time = at;
  touch(*trade, now);
  // Counted only for accepted uploads: "ship" once per line it shipped (the core sums the lines
  // under the order too), "ship.upload" once per accepted call.
  const std::string tid_text = std::to_string(*tid);
  for (const TopOrder* line : lines) context_.counters.add("ship", shop.id, tid_text, std::to_string(line->oid));
  context_.counters.add("ship.upload", shop.id, tid_text);
  ship_linked_reservations(*trade, now);
  return Outcome{std::nullopt, "\"shipping\":{\"is_success\":true}"};
}

// ---- state -----------------------------------------------------------------------------------

TopTrade* TopModule::find_trade(const std::string& shop, std::int64_t tid) {
  const auto it = trades_.find(tid);
  if (it == trades_.end() || it->second.shop != shop) return nullptr;
  return &it->second;
}

const TopTrade* TopModule::find_trade(const std::string& shop, std::int64_t tid) const {
  const auto it = trades_.find(tid);
  if (it == trades_.end() || it->second.shop != shop) return nullptr;
  return &it->second;
}

void TopModule::touch(TopTrade& trade, Instant now) {
  // Never backwards, even when the admin API sets the clock back.
  trade.modified = std::max({trade.created, trade.modified, floor_seconds(now)});
  trade.derive_status();
  trade.render();
  ++revision_;
}

void TopModule::insert(TopTrade trade) {
  const std::int64_t tid = trade.tid;
  shop_tids_[trade.shop].push_back(tid);
  trades_.emplace(tid, std::move(trade));
  ++revision_;
}

void TopModule::pay(TopTrade& trade, Instant now, bool forbid_consign, std::mt19937& rng) {
  const Instant at = floor_seconds(now);
  if (!trade.step_trade_status.empty() && trade.step_trade_status == "FRONT_NOPAID_FINAL_NOPAID") {
    // Step (presale) trade: the deposit first; the trade still waits for the balance.
    trade.step_trade_status = "FRONT_PAID_FINAL_NOPAID";
    trade.step_paid_fen = std::max<std::int64_t>(1, trade.payment_fen() / 5);
    trade.pay_time = at;
    return;
  }
  if (!trade.step_trade_status.empty()) {
    trade.step_trade_status = "FRONT_PAID_FINAL_PAID";
    trade.step_paid_fen = trade.payment_fen();
  }
  if (!trade.pay_time) trade.pay_time = at;
  trade.status = forbid_consign ? "PAID_FORBID_CONSIGN" : "WAIT_SELLER_SEND_GOODS";
  for (auto& order : trade.orders) order.status = trade.status;
  if (const auto plan = plans_.find(trade.tid); plan != plans_.end()) {
    schedule_tag(trade, plan->second, at, rng);
    plans_.erase(plan);
  }
}

void TopModule::schedule_tag(TopTrade& trade, const TagPlan& plan, Instant base, std::mt19937& rng) {
  // Rule G2: the tag arrives 2 to 4 hours after the main order is paid unless the scenario says when.
  std::chrono::seconds delay{0};
  if (plan.delay) {
    delay = *plan.delay;
  } else {
    std::uniform_int_distribution<int> pick(2 * 3600, 4 * 3600);
    delay = std::chrono::seconds{pick(rng)};
  }
  std::vector<std::string> ids = plan.reservations;
  if (ids.size() > kMaxReservationsPerMain) ids.resize(kMaxReservationsPerMain);  // rule G3
  const std::int64_t oid = plan.oid != 0 ? plan.oid : trade.orders.front().oid;
  pending_.push_back(PendingTag{base + delay, trade.tid, oid, join(ids)});
  refresh_next_due();
}

void TopModule::reveal_due(Instant now) {
  bool changed = false;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->due > now) {
      ++it;
      continue;
    }
    if (auto trade = trades_.find(it->tid); trade != trades_.end()) {
      for (auto& order : trade->second.orders) {
        if (order.oid == it->oid) order.one_yuan_reservation_orders = it->value;
      }
      for (const auto& id : text_list_of(it->value)) {
        if (const auto rid = parse_int(id)) {
          auto& mains = linked_mains_[*rid];
          if (std::find(mains.begin(), mains.end(), it->tid) == mains.end()) mains.push_back(it->tid);
        }
      }
      // The tag arrived at its time, even when the clock jumped past it.
      touch(trade->second, it->due);
    }
    it = pending_.erase(it);
    changed = true;
  }
  if (changed) refresh_next_due();
}

void TopModule::refresh_next_due() {
  std::int64_t next = std::numeric_limits<std::int64_t>::max();
  for (const auto& tag : pending_) next = std::min<std::int64_t>(next, tag.due.time_since_epoch().count());
  next_due_ms_.store(next);
}

void TopModule::ship_linked_reservations(const TopTrade& main, Instant now) {
  if (main.platform != "tmall" || merchant_managed_.count(main.shop) != 0) return;  // G12: merchant ships
  if (main.status != "WAIT_BUYER_CONFIRM_GOODS") return;  // G6, G8: wait for the last sub-order / package
  std::vector<std::string> ids;
  for (const auto& order : main.orders) {
    for (auto& id : text_list_of(order.one_yuan_reservation_orders)) ids.push_back(std::move(id));
  }
  if (ids.empty()) return;
  // G6: the waybill of the sub-order that shipped last; on a tie the platform picks at random,
  // the simulator the smallest waybill, so runs repeat.
  const TopOrder* last = nullptr;
  for (const auto& order : main.orders) {
    if (!order.shipped || !order.consign_time) continue;
    if (last == nullptr || *order.consign_time > *last->consign_time ||
        (*order.consign_time == *last->consign_time && order.invoice_no < last->invoice_no)) {
      last = &order;
    }
  }
  if (last == nullptr) return;
  const Instant at = floor_seconds(now);
  for (const auto& id : ids) {
    const auto rid = parse_int(id);
    if (!rid) continue;
    TopTrade* reservation = find_trade(main.shop, *rid);
    if (reservation == nullptr) continue;
    if (reservation->status != "WAIT_SELLER_SEND_GOODS" && reservation->status != "SELLER_CONSIGNED_PART") continue;
    // G7: a reservation linked to several repurchases ships with the earliest-created open one.
    const TopTrade* earliest = nullptr;
    for (const std::int64_t tid : linked_mains_[*rid]) {
      const TopTrade* candidate = find_trade(main.shop, tid);
      if (candidate == nullptr || candidate->status == "TRADE_CLOSED" ||
          candidate->status == "TRADE_CLOSED_BY_TAOBAO") {
        continue;
      }
      if (earliest == nullptr || candidate->created < earliest->created ||
          (candidate->created == earliest->created && candidate->tid < earliest->tid)) {
        earliest = candidate;
      }
    }
    if (earliest != nullptr && earliest->tid != main.tid) continue;
    // G9: one shipment whatever the quantity; G10: every linked reservation ships now.
    for (auto& order : reservation->orders) {
      if (order.shipped || order.refund_status == "SUCCESS") continue;
      order.shipped = true;
      order.logistics_company = last->logistics_company;
      order.invoice_no = last->invoice_no;
      order.consign_time = at;
    }
    if (!reservation->consign_time) reservation->consign_time = at;
    touch(*reservation, now);
  }
}

// ---- scenario events -------------------------------------------------------------------------

std::optional<std::string> TopModule::apply(const Shop& shop, const YAML::Node& event) {
  try {
    if (!event || !event.IsMap()) return std::string("top: an event must be a map");
    const std::string type = text(event, "type");
    const Instant now = context_.clock.now();
    std::unique_lock lock(mutex_);
    if (shops_.count(shop.id) == 0) shops_[shop.id] = shop;
    reveal_due(now);
    if (type == "order") return event_order(shop, event, now);
    if (type == "gift_mode") {
      // Rule G12: in merchant-managed mode the platform no longer ships reservation orders.
      if (shop.platform != "tmall") return std::string("gift_mode: needs a tmall shop");
      const std::string mode = text(event, "mode");
      if (mode == "merchant") {
        merchant_managed_.insert(shop.id);
      } else if (mode == "platform") {
        merchant_managed_.erase(shop.id);
      } else {
        return "gift_mode: mode must be platform or merchant, not '" + mode + "'";
      }
      return std::nullopt;
    }
    static const std::set<std::string> kTradeEvents = {"pay",  "cancel",          "close",   "refund", "memo",
                                                       "ship", "reservation_tag", "confirm", "status"};
    if (kTradeEvents.count(type) != 0) return event_on_trade(shop, type, event, now);
    return "top: unknown event type '" + type + "'";
  } catch (const std::exception& e) {
    return std::string("top: ") + e.what();
  }
}

std::optional<std::string> TopModule::event_order(const Shop& shop, const YAML::Node& event, Instant now) {
  TopTrade trade;
  trade.shop = shop.id;
  trade.platform = shop.platform;
  const bool tmall = shop.platform == "tmall";
  if (const auto t = text(event, "tid"); !t.empty()) {
    const auto tid = parse_int(t);
    if (!tid) return "order: tid must be a number: " + t;
    if (trades_.count(*tid) != 0) return "order: trade " + t + " exists";
    trade.tid = *tid;
  } else {
    trade.tid = take_tid();
  }
  trade.created = floor_seconds(now);
  trade.modified = trade.created;
  trade.buyer_open_uid = text(event, "buyer");
  if (trade.buyer_open_uid.empty()) trade.buyer_open_uid = "AAHsimbuyer" + std::to_string(trade.tid % 1000);
  trade.buyer_message = text(event, "buyer_message");
  trade.oaid = "sim" + base36(static_cast<std::uint64_t>(trade.tid));

  const YAML::Node receiver = event["receiver"];
  auto receiver_text = [&](const char* key, const char* fallback) {
    const std::string value = receiver ? text(receiver, key) : std::string();
    return value.empty() ? std::string(fallback) : value;
  };
  trade.receiver_name = receiver_text("name", "张三");
  trade.receiver_mobile = receiver_text("mobile", "13800001234");
  trade.receiver_phone = receiver ? text(receiver, "phone") : std::string();
  trade.receiver_state = receiver_text("state", "浙江省");
  trade.receiver_city = receiver_text("city", "杭州市");
  trade.receiver_district = receiver_text("district", "西湖区");
  trade.receiver_town = receiver ? text(receiver, "town") : std::string();
  trade.receiver_address = receiver_text("address", "文三路100号");
  trade.receiver_zip = receiver_text("zip", "310000");

  if (const auto fee = text(event, "post_fee"); !fee.empty()) {
    const auto money = sdk::parse_yuan(fee);
    if (!money || money->fen < 0 || money->fen > 100000000) return "order: post_fee is not a yuan amount: " + fee;
    trade.post_fee_fen = money->fen;
  }
  if (const auto kind = text(event, "cross_border"); !kind.empty()) {
    const auto cb = cross_border_from_name(kind);
    if (!cb) return "order: cross_border must be bonded_import, direct_mail or consolidated_import";
    if (*cb != CrossBorder::none && !tmall) return "order: cross_border needs a tmall shop";
    trade.cross_border = *cb;
    if (*cb != CrossBorder::none) trade.type = "tmall_i18n";
  }
  if (flag(event, "step") || flag(event, "presale")) {
    trade.type = "step";
    trade.step_trade_status = "FRONT_NOPAID_FINAL_NOPAID";
  }
  if (const auto t = text(event, "trade_type"); !t.empty()) trade.type = t;
  trade.one_yuan = flag(event, "one_yuan");
  if (trade.one_yuan && !tmall) return "order: one_yuan reservation orders need a tmall shop";

  const YAML::Node lines = event["lines"];
  if (!lines || !lines.IsSequence() || lines.size() == 0) return "order: lines must be a non-empty list";
  for (const auto& line : lines) {
    TopOrder order;
    if (const auto o = text(line, "oid"); !o.empty()) {
      const auto oid = parse_int(o);
      if (!oid) return "order: oid must be a number: " + o;
      order.oid = *oid;
    }
    order.num_iid = text(line, "num_iid");
    if (order.num_iid.empty()) order.num_iid = text(line, "item");
    if (order.num_iid.empty()) order.num_iid = "600000000001";
    order.sku_id = text(line, "sku_id");
    if (order.sku_id.empty()) order.sku_id = text(line, "sku");
    order.outer_iid = text(line, "outer_iid");
    order.outer_sku_id = text(line, "outer_sku_id");
    if (order.outer_sku_id.empty()) order.outer_sku_id = text(line, "outer_sku");
    order.title = text(line, "title");
    if (order.title.empty()) order.title = trade.one_yuan ? "1元预定 赠品" : "商品 " + order.num_iid;
    order.sku_properties_name = text(line, "sku_properties_name");
    std::string qty = text(line, "qty");
    if (qty.empty()) qty = text(line, "num");
    if (!qty.empty()) {
      const auto n = parse_int(qty);
      if (!n || *n < 1 || *n > 1000000) return "order: qty must be an integer from 1 to 1000000: " + qty;
      order.num = *n;
    }
    const std::string price = text(line, "price");
    const auto money = sdk::parse_yuan(price.empty() ? std::string(trade.one_yuan ? "1.00" : "") : price);
    if (!money || money->fen < 0 || money->fen > 100000000000) {
      return "order: each line needs a price as a yuan decimal string (at most 1000000000.00)";
    }
    order.price_fen = money->fen;
    if (trade.cross_border != CrossBorder::none) order.tax_fen = order.price_fen * order.num * 91 / 1000;
    if (const auto r = text(line, "refund"); !r.empty()) {
      if (!known_refund_status(r)) return "order: unknown refund status " + r;
      order.refund_status = r;
      if (r != "NO_REFUND") order.refund_id = std::to_string(next_refund_id_++);
    }
    trade.orders.push_back(std::move(order));
  }
  // TOP gives a single-order trade's sub-order the trade's own id.
  for (std::size_t i = 0; i < trade.orders.size(); ++i) {
    if (trade.orders[i].oid != 0) continue;
    trade.orders[i].oid = trade.orders.size() == 1 ? trade.tid : take_oid();
  }

  TagPlan plan;
  plan.reservations = text_list(event, "reservations");
  if (plan.reservations.empty()) plan.reservations = text_list(event, "reservation_of");
  if (!plan.reservations.empty()) {
    if (!tmall) return "order: reservations (one_yuan_reservation_orders) need a tmall shop";
    if (const auto d = text(event, "tag_delay"); !d.empty()) {
      plan.delay = parse_duration(d);
      if (!plan.delay) return "order: tag_delay is not a duration: " + d;
    }
    if (const auto o = text(event, "tag_oid"); !o.empty()) {
      const auto oid = parse_int(o);
      if (!oid) return "order: tag_oid must be a number";
      plan.oid = *oid;
    }
    plans_[trade.tid] = plan;
  }

  const bool paid = flag(event, "paid");
  const std::int64_t tid = trade.tid;
  insert(std::move(trade));
  TopTrade& stored = trades_.at(tid);
  if (paid) pay(stored, now, flag(event, "forbid_consign"), rng_);
  touch(stored, now);
  return std::nullopt;
}

std::optional<std::string> TopModule::event_on_trade(const Shop& shop, const std::string& type, const YAML::Node& event,
                                                     Instant now) {
  const std::string tid_text = text(event, "tid");
  const auto tid = parse_int(tid_text);
  if (!tid) return type + ": tid must be a number: " + tid_text;
  TopTrade* trade = find_trade(shop.id, *tid);
  if (trade == nullptr) return type + ": no trade " + tid_text + " in shop " + shop.id;
  const Instant at = floor_seconds(now);

  auto find_line = [&](const std::string& oid_text) -> TopOrder* {
    const auto oid = parse_int(oid_text);
    if (!oid) return nullptr;
    for (auto& order : trade->orders) {
      if (order.oid == *oid) return &order;
    }
    return nullptr;
  };
  // The lines an event names (`oid`, `line` or `lines`); empty when it names none.
  std::vector<TopOrder*> named;
  std::vector<std::string> names = text_list(event, "lines");
  for (const char* key : {"oid", "line"}) {
    if (const auto one = text(event, key); !one.empty()) names.push_back(one);
  }
  for (const auto& name : names) {
    TopOrder* line = find_line(name);
    if (line == nullptr) return type + ": trade " + tid_text + " has no sub-order " + name;
    named.push_back(line);
  }

  if (type == "pay") {
    if (trade->status != "WAIT_BUYER_PAY" && trade->status != "TRADE_NO_CREATE_PAY") {
      return "pay: trade " + tid_text + " is " + trade->status;
    }
    pay(*trade, now, flag(event, "forbid_consign"), rng_);
  } else if (type == "cancel" || type == "close") {
    if (trade->status == "WAIT_BUYER_PAY" || trade->status == "TRADE_NO_CREATE_PAY") {
      // Closed before payment (PLATFORMS.md 2.3).
      trade->status = "TRADE_CLOSED_BY_TAOBAO";
      trade->end_time = at;
      for (auto& order : trade->orders) {
        order.status = trade->status;
        order.end_time = at;
      }
      plans_.erase(trade->tid);
    } else {
      // Closed after payment: a full refund.
      for (auto& order : trade->orders) {
        if (order.refund_id.empty()) order.refund_id = std::to_string(next_refund_id_++);
        order.refund_status = "SUCCESS";
      }
    }
  } else if (type == "refund") {
    std::string status = text(event, "status");
    if (status.empty()) status = "WAIT_SELLER_AGREE";
    if (!known_refund_status(status)) return "refund: unknown refund status " + status;
    if (named.empty()) {
      for (auto& order : trade->orders) named.push_back(&order);
    }
    for (TopOrder* line : named) {
      line->refund_status = status;
      if (line->refund_id.empty() && status != "NO_REFUND") line->refund_id = std::to_string(next_refund_id_++);
    }
  } else if (type == "memo") {
    // A memo change by someone else (the seller's web console, another system).
    if (event["text"] || event["memo"]) {
      const std::string memo = event["text"] ? text(event, "text") : text(event, "memo");
      trade->has_memo = !memo.empty();
      trade->seller_memo = memo;
    }
    if (const auto f = text(event, "flag"); !f.empty()) {
      const auto value = parse_int(f);
      if (!value || *value > 5) return "memo: flag must be 0 to 5";
      trade->seller_flag = static_cast<int>(*value);
    }
  } else if (type == "ship") {
    // A shipment the platform side made (Cainiao warehouse, the seller's web console): not counted.
    if (trade->status != "WAIT_SELLER_SEND_GOODS" && trade->status != "SELLER_CONSIGNED_PART") {
      return "ship: trade " + tid_text + " is " + trade->status;
    }
    if (named.empty()) {
      for (auto& order : trade->orders) {
        if (!order.shipped && order.refund_status != "SUCCESS") named.push_back(&order);
      }
    }
    std::string company = text(event, "company");
    if (company.empty()) company = "YUNDA";
    std::string waybill = text(event, "out_sid");
    if (waybill.empty()) waybill = "SIM" + std::to_string(trade->tid % 100000000);
    for (TopOrder* line : named) {
      if (line->shipped) return "ship: sub-order " + std::to_string(line->oid) + " already shipped";
      line->shipped = true;
      line->logistics_company = company;
      line->invoice_no = waybill;
      line->consign_time = at;
    }
    if (!trade->consign_time) trade->consign_time = at;
  } else if (type == "reservation_tag") {
    if (shop.platform != "tmall") return "reservation_tag: needs a tmall shop";
    TagPlan plan;
    plan.reservations = text_list(event, "reservations");
    if (plan.reservations.empty()) plan.reservations = text_list(event, "reservation_of");
    if (plan.reservations.empty()) return "reservation_tag: reservations must list the 1-yuan order ids";
    if (!named.empty()) plan.oid = named.front()->oid;
    plan.delay = std::chrono::seconds{0};
    if (const auto d = text(event, "delay"); !d.empty()) {
      plan.delay = parse_duration(d);
      if (!plan.delay) return "reservation_tag: delay is not a duration: " + d;
    }
    schedule_tag(*trade, plan, at, rng_);
    reveal_due(now);
    return std::nullopt;  // reveal_due touched the trade if the tag is due now
  } else if (type == "confirm") {
    if (trade->status != "WAIT_BUYER_CONFIRM_GOODS" && trade->status != "SELLER_CONSIGNED_PART") {
      return "confirm: trade " + tid_text + " is " + trade->status;
    }
    // TRADE_BUYER_SIGNED is the cash-on-delivery ending (PLATFORMS.md 2.3).
    trade->status = flag(event, "signed") ? "TRADE_BUYER_SIGNED" : "TRADE_FINISHED";
    trade->end_time = at;
    for (auto& order : trade->orders) {
      if (order.refund_status == "SUCCESS") continue;
      order.status = trade->status;
      order.end_time = at;
    }
  } else if (type == "status") {
    // Any status TOP has, set as is (PAID_FORBID_CONSIGN, PAY_PENDING, WAIT_PRE_AUTH_CONFIRM ...).
    const std::string status = text(event, "status");
    if (status.empty()) return "status: status is required";
    trade->status = status;
    for (auto& order : trade->orders) {
      if (order.refund_status != "SUCCESS" && !order.shipped) order.status = status;
    }
    if (!trade->pay_time && status != "WAIT_BUYER_PAY" && status != "TRADE_NO_CREATE_PAY" &&
        status != "TRADE_CLOSED_BY_TAOBAO") {
      trade->pay_time = at;
    }
  }
  touch(*trade, now);
  if (type == "ship") ship_linked_reservations(*trade, now);
  return std::nullopt;
}

// ---- generator -------------------------------------------------------------------------------

void TopModule::generate(const Shop& shop, int count, std::mt19937& rng) {
  // A day's worth at once: created over the last half hour, as if they had come in since.
  make_trades(shop, count, rng, true);
}

void TopModule::generate_arriving(const Shop& shop, int count, std::mt19937& rng) {
  make_trades(shop, count, rng, false);
}

void TopModule::make_trades(const Shop& shop, int count, std::mt19937& rng, bool back_dated) {
  static const char* const kTitles[] = {"真丝围巾",   "羊绒大衣", "皮质手袋", "香水 50ml", "腕表",
                                        "羊毛针织衫", "丝巾礼盒", "钱包",     "太阳镜",    "香氛蜡烛"};
  static const char* const kStates[][3] = {{"浙江省", "杭州市", "西湖区"},
                                           {"上海", "上海市", "浦东新区"},
                                           {"广东省", "深圳市", "南山区"},
                                           {"北京", "北京市", "朝阳区"}};
  const Instant now = floor_seconds(context_.clock.now());
  const bool tmall = shop.platform == "tmall";
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };

  std::unique_lock lock(mutex_);
  if (shops_.count(shop.id) == 0) shops_[shop.id] = shop;
  for (int n = 0; n < count; ++n) {
    TopTrade trade;
    trade.shop = shop.id;
    trade.platform = shop.platform;
    trade.tid = take_tid();
    trade.created = back_dated ? now - std::chrono::seconds{pick(60, 1800)} : now;
    trade.modified = trade.created;
    const int buyer = pick(0, 59);
    trade.buyer_open_uid =
        "AAH" + base36(static_cast<std::uint64_t>(buyer) * std::uint64_t{2654435761} + std::uint64_t{7919});
    trade.oaid = "sim" + base36(static_cast<std::uint64_t>(trade.tid));
    const auto& region = kStates[pick(0, 3)];
    trade.receiver_name = buyer % 2 == 0 ? "李四" : "王五";
    trade.receiver_mobile = "139" + std::to_string(10000000 + buyer * 7919 % 90000000);
    trade.receiver_state = region[0];
    trade.receiver_city = region[1];
    trade.receiver_district = region[2];
    trade.receiver_address = "某某路" + std::to_string(pick(1, 999)) + "号";
    trade.receiver_zip = "000000";

    const double r = unit(rng);
    auto& buyer_reservations = reservations_by_buyer_[shop.id][trade.buyer_open_uid];
    const bool reservation = tmall && r < 0.12;
    const bool repurchase = tmall && !reservation && !buyer_reservations.empty() && r < 0.40;
    const bool cross_border = tmall && !reservation && !repurchase && r > 0.95;
    if (reservation) {
      trade.one_yuan = true;
      TopOrder order;
      order.num_iid = "7000000" + std::to_string(pick(10000, 10009));
      order.sku_id = order.num_iid + "1";
      order.outer_iid = "GIFT-" + order.num_iid.substr(7);
      order.outer_sku_id = order.outer_iid + "-1";
      order.title = "1元预定 会员礼赠";
      order.price_fen = 100;
      trade.orders.push_back(std::move(order));
    } else {
      if (cross_border) {
        trade.type = "tmall_i18n";
        trade.cross_border = static_cast<CrossBorder>(pick(1, 3));
      }
      const int lines = pick(1, 4);
      for (int l = 0; l < lines; ++l) {
        const int item = pick(0, 9);
        TopOrder order;
        order.num_iid = "6000000" + std::to_string(10000 + item);
        order.sku_id = order.num_iid + std::to_string(pick(1, 3));
        order.outer_iid = "ITEM-" + std::to_string(item);
        order.outer_sku_id = order.outer_iid + "-" + order.sku_id.substr(order.sku_id.size() - 1);
        order.title = kTitles[item];
        order.sku_properties_name = "颜色分类:默认";
        order.num = pick(1, 3);
        order.price_fen = pick(990, 99900) / 10 * 10;
        if (trade.cross_border != CrossBorder::none) order.tax_fen = order.price_fen * order.num * 91 / 1000;
        trade.orders.push_back(std::move(order));
      }
      trade.post_fee_fen = unit(rng) < 0.7 ? 0 : 1000;
    }
    for (auto& order : trade.orders) order.oid = trade.orders.size() == 1 ? trade.tid : take_oid();

    const double refund = unit(rng);
    if (!reservation && refund < 0.10) {
      auto& line = trade.orders[static_cast<std::size_t>(pick(0, static_cast<int>(trade.orders.size()) - 1))];
      line.refund_status = refund < 0.03 ? "SUCCESS" : "WAIT_SELLER_AGREE";
      line.refund_id = std::to_string(next_refund_id_++);
    }

    const std::int64_t tid = trade.tid;
    insert(std::move(trade));
    TopTrade& stored = trades_.at(tid);
    const Instant paid_at = std::min(now, stored.created + std::chrono::seconds{pick(5, 300)});
    if (repurchase) {
      TagPlan plan;
      for (const std::int64_t rid : buyer_reservations) {
        plan.reservations.push_back(std::to_string(rid));
        if (plan.reservations.size() == kMaxReservationsPerMain) break;  // the 12 earliest (G3)
      }
      plans_[tid] = plan;
    }
    pay(stored, paid_at, false, rng);
    touch(stored, paid_at);
    if (reservation) buyer_reservations.push_back(tid);
  }
  reveal_due(context_.clock.now());
}

}  // namespace

}  // namespace top

std::unique_ptr<PlatformModule> make_top_module(Context& context) { return std::make_unique<top::TopModule>(context); }

}  // namespace erp::sim
