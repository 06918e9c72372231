#include "api/receiver_routes.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "api/http_util.hpp"
#include "core/time_format.hpp"

namespace erp::daemon::api::receiver_routes {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// A rate-limited platform is asked again for about this long before the caller gets a 503.
constexpr auto kRetryBudget = std::chrono::seconds{5};
constexpr auto kFirstBackoff = std::chrono::milliseconds{100};
constexpr auto kMaxBackoff = std::chrono::seconds{1};

// Error codes of entries (and of the single route's JSON error).
constexpr const char* kUnavailable = "unavailable";
constexpr const char* kUnsupported = "unsupported";
constexpr const char* kNotFound = "not_found";
constexpr const char* kRefused = "refused";
constexpr const char* kInternal = "internal";

// One request at a time: decrypting blocks an API thread for the platform's answer plus up to
// kRetryBudget of waiting, and the pool has as few as two threads; the platforms' decryption
// quota is per app anyway. A second request meanwhile gets 503 with Retry-After.
std::atomic<bool> g_decrypting{false};

class DecryptSlot {
 public:
  DecryptSlot() : held_(!g_decrypting.exchange(true)) {}
  ~DecryptSlot() {
    if (held_) g_decrypting = false;
  }
  DecryptSlot(const DecryptSlot&) = delete;
  DecryptSlot& operator=(const DecryptSlot&) = delete;
  bool held() const noexcept { return held_; }

 private:
  bool held_;
};

struct Entry {
  OrderKey key;
  std::string ciphertext;
  sdk::Receiver stored;  ///< The stored (masked) receiver: province, city and district come from it.
  bool decrypted = false;
  std::string code;  ///< Why not, when not decrypted.
  std::string message;
  sdk::PlainReceiver plain;

  void fail(std::string c, std::string m) {
    code = std::move(c);
    message = std::move(m);
  }
  bool pending() const { return !decrypted && code.empty(); }
};

/// The rate limit outlasted the budget: answer 503 with this Retry-After.
struct StillRateLimited {
  std::chrono::seconds retry_after{1};
};

[[noreturn]] void bad_request(const std::string& message) {
  throw std::invalid_argument(message);  // turned into a 400 by post_decrypt
}

std::vector<OrderKey> parse_orders(const std::string& body) {
  const json j = parse_json_object(body, {"orders"});
  const auto orders = j.find("orders");
  if (orders == j.end()) bad_request("orders: required, a list of 1 to 200 {platform, shop, order_id}");
  if (!orders->is_array()) bad_request("orders: must be a list of {platform, shop, order_id}");
  if (orders->empty() || orders->size() > kMaxOrders) {
    bad_request("orders: must hold 1 to " + std::to_string(kMaxOrders) + " entries, got " +
                std::to_string(orders->size()));
  }
  std::vector<OrderKey> keys;
  for (std::size_t i = 0; i < orders->size(); ++i) {
    const json& o = (*orders)[i];
    const std::string at = "orders[" + std::to_string(i) + "]";
    if (!o.is_object()) bad_request(at + ": must be an object {platform, shop, order_id}");
    for (const auto& item : o.items()) {
      if (item.key() != "platform" && item.key() != "shop" && item.key() != "order_id") {
        bad_request(at + ": unknown field '" + item.key() + "'");
      }
    }
    auto field = [&](const char* name) {
      const auto it = o.find(name);
      if (it == o.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
        bad_request(at + "." + name + ": required, a non-empty string");
      }
      return it->get<std::string>();
    };
    keys.push_back(OrderKey{field("platform"), field("shop"), field("order_id")});
  }
  return keys;
}

std::vector<Entry> look_up(ApiDeps& deps, const std::vector<OrderKey>& keys) {
  std::vector<Entry> entries;
  for (const auto& key : keys) {
    Entry e;
    e.key = key;
    if (auto stored = deps.store.get_order(key)) {
      e.ciphertext = stored->order.receiver.ciphertext;
      e.stored = stored->order.receiver;
      if (e.ciphertext.empty()) e.fail(kUnsupported, "no receiver ciphertext is stored for this order");
    } else {
      e.fail(kNotFound, "order " + key.to_string() + " not found");
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

/// Asks the adapter, again while it is rate limited or briefly unreachable and `deadline` allows.
sdk::Result<std::vector<sdk::PlainReceiver>> ask(sdk::PlatformAdapter& adapter,
                                                 const std::vector<sdk::ReceiverCipher>& ciphers,
                                                 Clock::time_point deadline) {
  std::chrono::milliseconds backoff = kFirstBackoff;
  for (;;) {
    auto result = adapter.decrypt_receivers(ciphers);
    if (result) return result;
    const sdk::Error& error = result.error();
    const bool limited = error.code == sdk::ErrorCode::rate_limited;
    if (!limited && error.code != sdk::ErrorCode::transient) return result;
    const std::chrono::milliseconds wait =
        limited && error.retry_after ? std::max<std::chrono::milliseconds>(*error.retry_after, backoff) : backoff;
    if (Clock::now() + wait > deadline) {
      if (!limited) return result;
      const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait);
      throw StillRateLimited{std::max(seconds, std::chrono::seconds{1})};
    }
    std::this_thread::sleep_for(wait);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
  }
}

/// Decrypts one shop's pending entries (one adapter call for all of them, which batches itself).
void decrypt_shop(ApiDeps& deps, const std::string& shop, const std::vector<Entry*>& entries,
                  Clock::time_point deadline) {
  auto fail_all = [&](const std::string& code, const std::string& message) {
    for (Entry* e : entries) e->fail(code, message);
  };
  auto adapter = deps.adapter ? deps.adapter(shop) : nullptr;
  if (!adapter) {
    fail_all(kUnavailable, "shop '" + shop + "' has no running adapter (unknown, disabled or its plugin failed)");
    return;
  }
  if (!adapter->capabilities().receiver_decrypt) {
    fail_all(kUnsupported, "this platform gives no decryption");
    return;
  }
  // One cipher per order, however often the request names it.
  std::vector<sdk::ReceiverCipher> ciphers;
  std::map<std::string, std::size_t> index;
  for (const Entry* e : entries) {
    if (index.emplace(e->key.order_id, ciphers.size()).second) ciphers.push_back({e->key.order_id, e->ciphertext});
  }
  auto answered = ask(*adapter, ciphers, deadline);
  if (!answered) {
    const auto& error = answered.error();
    fail_all(std::string(sdk::to_string(error.code)), error.message);
    return;
  }
  if (answered->size() != ciphers.size()) {
    fail_all(kInternal, "the adapter answered " + std::to_string(answered->size()) + " receivers for " +
                            std::to_string(ciphers.size()) + " ciphertexts");
    return;
  }
  for (Entry* e : entries) {
    const sdk::PlainReceiver& plain = (*answered)[index.at(e->key.order_id)];
    // Never hand one buyer's address out as another order's.
    if (!plain.order_id.empty() && plain.order_id != e->key.order_id) {
      e->fail(kInternal, "the adapter answered for another order");
    } else if (!plain.error.empty()) {
      e->fail(kRefused, "the platform refused: " + plain.error);
    } else {
      e->plain = plain;
      e->decrypted = true;
    }
  }
}

/// Decrypts every entry that is still pending, shop by shop, then audits the decrypted ones in
/// one transaction. Throws StillRateLimited.
void decrypt(ApiDeps& deps, std::vector<Entry>& entries, const char* route) {
  const auto deadline = Clock::now() + kRetryBudget;
  std::map<std::pair<std::string, std::string>, std::vector<Entry*>> by_shop;
  for (auto& e : entries) {
    if (e.pending()) by_shop[{e.key.platform, e.key.shop}].push_back(&e);
  }
  for (const auto& [shop, group] : by_shop) decrypt_shop(deps, shop.second, group, deadline);

  // Rule D10: who got which receiver in plaintext is on record before anyone sees it; the event
  // itself holds no plaintext.
  std::vector<OrderKey> audited;
  for (const auto& e : entries) {
    if (e.decrypted && std::find(audited.begin(), audited.end(), e.key) == audited.end()) audited.push_back(e.key);
  }
  if (audited.empty()) return;
  const auto now = now_utc();
  auto tx = deps.store.begin();
  for (const auto& key : audited) {
    deps.store.append_event(*tx, key,
                            store::NewEvent{"receiver.decrypted", "handed to the shipper through the API", "D10", "api",
                                            json{{"route", route}, {"fields", {"name", "phone", "address"}}}},
                            now);
  }
  tx->commit();
}

json entry_json(const Entry& e) {
  const bool ok = e.decrypted;
  return json{{"platform", e.key.platform},
              {"shop", e.key.shop},
              {"order_id", e.key.order_id},
              {"name", ok ? e.plain.name : ""},
              {"phone", ok ? e.plain.phone : ""},
              {"address", ok ? e.plain.address : ""},
              {"province", ok ? e.stored.province : ""},
              {"city", ok ? e.stored.city : ""},
              {"district", ok ? e.stored.district : ""},
              {"error", ok ? std::string() : e.code + ": " + e.message}};
}

ApiResponse no_store(ApiResponse r) {
  // Plaintext must not sit in a cache on the way (the server sends this on every answer too).
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

ApiResponse unavailable(const char* code, std::chrono::seconds retry_after, const std::string& message) {
  ApiResponse r = json_response(503, error_json(code, message));
  r.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  return no_store(std::move(r));
}

ApiResponse busy() {
  return unavailable("busy", std::chrono::seconds{1}, "another receiver decryption is running; try again in a second");
}

ApiResponse rate_limited(const StillRateLimited& limited) {
  return unavailable("rate_limited", limited.retry_after,
                     "the platform limits decryption right now; try again after " +
                         std::to_string(limited.retry_after.count()) + " s");
}

unsigned single_status(const std::string& code) {
  if (code == kNotFound) return 404;
  if (code == kUnsupported) return 422;
  if (code == kUnavailable) return 503;
  return 502;
}

}  // namespace

ApiResponse post_decrypt(ApiDeps& deps, const std::string& body) {
  std::vector<OrderKey> keys;
  try {
    keys = parse_orders(body);
  } catch (const std::invalid_argument& e) {
    return json_response(400, error_json("invalid_input", e.what()));
  }
  DecryptSlot slot;
  if (!slot.held()) return busy();
  std::vector<Entry> entries = look_up(deps, keys);
  try {
    decrypt(deps, entries, "batch");
  } catch (const StillRateLimited& limited) {
    return rate_limited(limited);
  }
  json receivers = json::array();
  for (const auto& e : entries) receivers.push_back(entry_json(e));
  return no_store(json_response(200, json{{"receivers", std::move(receivers)}}));
}

ApiResponse get_receiver(ApiDeps& deps, const OrderKey& key) {
  if (!deps.store.get_order(key)) {
    return json_response(404, error_json(kNotFound, "order " + key.to_string() + " not found"));
  }
  DecryptSlot slot;
  if (!slot.held()) return busy();
  std::vector<Entry> entries = look_up(deps, {key});
  try {
    decrypt(deps, entries, "single");
  } catch (const StillRateLimited& limited) {
    return rate_limited(limited);
  }
  const Entry& e = entries.front();
  if (!e.decrypted) return no_store(json_response(single_status(e.code), error_json(e.code, e.message)));
  return no_store(json_response(200, entry_json(e)));
}

ApiResponse factory_receiver(ApiDeps& deps, const std::string& shop, const sdk::ReceiverCipher& cipher,
                             const sdk::Receiver& region, const std::function<void(const std::string&)>& audit) {
  DecryptSlot slot;
  if (!slot.held()) return busy();
  Entry e;
  e.key.shop = shop;
  e.key.order_id = cipher.order_id;
  e.ciphertext = cipher.ciphertext;
  e.stored = region;
  if (e.ciphertext.empty()) e.fail(kUnsupported, "the platform gave no receiver ciphertext for this item");
  try {
    if (e.pending()) decrypt_shop(deps, shop, {&e}, Clock::now() + kRetryBudget);
  } catch (const StillRateLimited& limited) {
    audit("rate_limited");
    return rate_limited(limited);
  }
  audit(e.decrypted ? "decrypted" : e.code);
  if (!e.decrypted) return no_store(json_response(single_status(e.code), error_json(e.code, e.message)));
  json body = entry_json(e);
  body.erase("platform");
  return no_store(json_response(200, body));
}

}  // namespace erp::daemon::api::receiver_routes
