#pragma once
// platform-sim's seams: the core (HTTP transport, clock, counters, faults, scenarios, admin API)
// and one PlatformModule per protocol (TOP for Taobao/Tmall, Douyin), each keeping its orders in
// the platform's own shapes, so adapters are tested on the bytes they will see in production.

#include <yaml-cpp/yaml.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "erp/model.hpp"

namespace erp::sim {

using Instant = sdk::Instant;

/// One request as the transport parsed it. Query parameters are percent-decoded; header names
/// are lower-case. `body` is the raw bytes (TOP may send parameters form-encoded in it).
struct Request {
  std::string method;
  std::string target;  ///< Raw path and query.
  std::string path;    ///< Decoded path without the query.
  std::vector<std::pair<std::string, std::string>> query;
  std::map<std::string, std::string> headers;
  std::string body;
  std::string query_value(const std::string& name) const;  ///< First value or "".
  bool has_query(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json;charset=UTF-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  /// Fault injection: `hang` never answers (the connection stays silent until the client gives
  /// up, the server stops or 60 s pass: a timeout); `truncate` sends the Content-Length of the
  /// whole body but only its first half, then closes (a truncated response).
  bool hang = false;
  bool truncate = false;
};

/// The simulated clock: starts at real time, moved only by /admin/clock or scenarios. Thread-safe.
class Clock {
 public:
  Instant now() const;
  void set(Instant t);
  void advance(std::chrono::milliseconds d);
  /// Whether the clock still follows real time (never set nor advanced).
  bool follows_real_time() const;
  /// Back to following real time.
  void follow_real_time();

 private:
  mutable std::mutex mutex_;
  std::optional<Instant> fixed_;  ///< Unset: follows real time.
};

/// Every write call the simulator accepted, per platform, shop, order and line, so a test can
/// prove "exactly once". Kinds: "memo", "ship", "decrypt", "push", "iop.ship", ... Thread-safe.
/// add() with a line counts under "<order>/<line>" and under "<order>" (so count(kind, order)
/// is every counted write touching the order); add() without a line counts under "<order>".
class Counters {
 public:
  void add(const std::string& kind, const std::string& shop, const std::string& order_id,
           const std::string& line_id = "");
  int count(const std::string& kind, const std::string& order_id, const std::string& line_id = "") const;
  /// {"memo": {"<order>": n, "<order>/<line>": n}, ...} plus "total" per kind.
  nlohmann::json snapshot() const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::map<std::string, int>> counts_;
};

/// What a fault draw decided for one request.
enum class Fault { none, server_error, timeout, rate_limit, truncated, expired_session };

/// The fault's name as /admin/faults spells it ("server_error" ...; "none").
const char* fault_name(Fault fault);

/// Shares of requests that fail on purpose (0..1 each), optionally only for some methods. Thread-safe.
class Faults {
 public:
  void set(Fault kind, double share);
  void only_methods(std::vector<std::string> methods);  ///< Empty: every method.
  void clear();
  /// Draws the fault (if any) for a call of `method`.
  Fault draw(const std::string& method);
  nlohmann::json snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::map<Fault, double> shares_;
  std::vector<std::string> methods_;
  std::mt19937 rng_{20261111};
  std::atomic<bool> active_{false};  ///< Any share above 0: lets draw() skip the lock otherwise.
};

/// A shop the simulator knows, with the credentials a request must carry.
struct Shop {
  std::string id;
  std::string platform;  ///< taobao | tmall | douyin | example | qimen
  std::string app_key;
  std::string app_secret;
  std::string session;            ///< TOP session / Douyin access_token currently valid.
  std::string refresh_token;      ///< Douyin.
  std::string push_url;           ///< Douyin webhook pushes / a Qimen WMS's calls to the ERP go here.
  std::string role = "merchant";  ///< Douyin dropship: merchant | factory
};

/// Shared services every module gets.
struct Context {
  Clock& clock;
  Counters& counters;
  Faults& faults;
};

/// One platform protocol. Thread-safe: handle() runs on several threads at once.
class PlatformModule {
 public:
  virtual ~PlatformModule() = default;
  /// "top" or "douyin".
  virtual std::string name() const = 0;
  /// Platforms of shops this module serves ("taobao", "tmall" / "douyin").
  virtual std::vector<std::string> platforms() const = 0;
  /// The name of the shop's token in generated shops' credentials (/admin/generate, /admin/state):
  /// what the platform calls it, so a tool can hand it to the plugin key of the same name.
  virtual std::string token_name() const { return "session"; }
  /// The path a shop's base_url ends with (TOP "/router/rest", "" for Douyin), in the same answers.
  virtual std::string base_path() const { return ""; }
  /// Whether this module answers the request (TOP: /router/rest; Douyin: /<a>/<b> method paths).
  virtual bool serves(const Request& request) const = 0;
  /// Answers in the platform's own shapes, errors included; applies faults from Context::faults.
  virtual Response handle(const Request& request) = 0;
  /// Registers (or replaces) a shop of one of platforms().
  virtual void add_shop(const Shop& shop) = 0;
  /// Applies one scenario event for one of its shops at the current simulated time. Returns an
  /// error message for an event it cannot apply (unknown type, unknown order ...).
  virtual std::optional<std::string> apply(const Shop& shop, const YAML::Node& event) = 0;
  /// The clock moved (scheduled tag arrivals, pushes due ...).
  virtual void on_clock(Instant now) = 0;
  /// Generator mode: creates `count` realistic paid orders in `shop` now.
  virtual void generate(const Shop& shop, int count, std::mt19937& rng) = 0;
  /// Rate mode: `count` paid orders arriving now, as a live sale day's orders do (`generate` may
  /// date its orders back to spread a day's worth of them).
  virtual void generate_arriving(const Shop& shop, int count, std::mt19937& rng) { generate(shop, count, rng); }
  /// Summary for GET /admin/state (order counts by status ...).
  virtual nlohmann::json state() const = 0;
  /// Forgets every order (POST /admin/reset). The core registers every shop again afterwards
  /// (add_shop), so a module may forget its shops here too.
  virtual void reset() = 0;
  /// Shares (0..1) of platform pushes dropped and sent twice (rule D11). Modules without pushes
  /// ignore it.
  virtual void set_push_faults(double drop, double duplicate) {
    (void)drop;
    (void)duplicate;
  }

  /// The answer to a request this module serves() that the transport refused before handling
  /// (malformed HTTP, body over the limit: `status` 400/413/431, or 500 when the handler threw).
  /// `partial` has method, target, path and query only. Override to answer in the platform's
  /// own error shape; the default is the simulator's JSON error.
  virtual Response transport_error(const Request& partial, int status, const std::string& message) const;
};

/// The simulator's own JSON error: {"error": {"code": code, "message": message}}.
Response json_error(int status, const std::string& code, const std::string& message);

}  // namespace erp::sim
