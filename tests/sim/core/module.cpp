// The shared services of module.hpp: request helpers, clock, counters, faults.
#include "module.hpp"

#include <algorithm>

namespace erp::sim {

std::string Request::query_value(const std::string& name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return {};
}

bool Request::has_query(const std::string& name) const {
  return std::any_of(query.begin(), query.end(), [&](const auto& p) { return p.first == name; });
}

// --- Clock -------------------------------------------------------------------------------------

Instant Clock::now() const {
  std::lock_guard lock(mutex_);
  if (fixed_) return *fixed_;
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

void Clock::set(Instant t) {
  std::lock_guard lock(mutex_);
  fixed_ = t;
}

void Clock::advance(std::chrono::milliseconds d) {
  std::lock_guard lock(mutex_);
  const Instant base =
      fixed_ ? *fixed_ : std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  fixed_ = base + d;
}

bool Clock::follows_real_time() const {
  std::lock_guard lock(mutex_);
  return !fixed_.has_value();
}

void Clock::follow_real_time() {
  std::lock_guard lock(mutex_);
  fixed_.reset();
}

// --- Counters ----------------------------------------------------------------------------------

void Counters::add(const std::string& kind, const std::string&, const std::string& order_id,
                   const std::string& line_id) {
  std::lock_guard lock(mutex_);
  auto& per_kind = counts_[kind];
  ++per_kind["total"];
  ++per_kind[order_id];
  if (!line_id.empty()) ++per_kind[order_id + "/" + line_id];
}

int Counters::count(const std::string& kind, const std::string& order_id, const std::string& line_id) const {
  std::lock_guard lock(mutex_);
  const auto k = counts_.find(kind);
  if (k == counts_.end()) return 0;
  const auto c = k->second.find(line_id.empty() ? order_id : order_id + "/" + line_id);
  return c == k->second.end() ? 0 : c->second;
}

nlohmann::json Counters::snapshot() const {
  std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [kind, per_key] : counts_) {
    auto& j = out[kind] = nlohmann::json::object();
    for (const auto& [key, n] : per_key) j[key] = n;
  }
  return out;
}

void Counters::clear() {
  std::lock_guard lock(mutex_);
  counts_.clear();
}

// --- Faults ------------------------------------------------------------------------------------

namespace {

// Draw order: a single uniform draw is compared with the running sum of shares in this order.
constexpr Fault kFaultOrder[] = {Fault::server_error, Fault::timeout, Fault::rate_limit, Fault::truncated,
                                 Fault::expired_session};

}  // namespace

const char* fault_name(Fault f) {
  switch (f) {
    case Fault::server_error:
      return "server_error";
    case Fault::timeout:
      return "timeout";
    case Fault::rate_limit:
      return "rate_limit";
    case Fault::truncated:
      return "truncated";
    case Fault::expired_session:
      return "expired_session";
    case Fault::none:
      break;
  }
  return "none";
}

void Faults::set(Fault kind, double share) {
  if (kind == Fault::none) return;
  std::lock_guard lock(mutex_);
  shares_[kind] = std::clamp(share, 0.0, 1.0);
  active_ = std::any_of(shares_.begin(), shares_.end(), [](const auto& p) { return p.second > 0.0; });
}

void Faults::only_methods(std::vector<std::string> methods) {
  std::lock_guard lock(mutex_);
  methods_ = std::move(methods);
}

void Faults::clear() {
  std::lock_guard lock(mutex_);
  shares_.clear();
  methods_.clear();
  active_ = false;
}

Fault Faults::draw(const std::string& method) {
  if (!active_.load(std::memory_order_relaxed)) return Fault::none;
  std::lock_guard lock(mutex_);
  if (!methods_.empty() && std::find(methods_.begin(), methods_.end(), method) == methods_.end()) return Fault::none;
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  double sum = 0.0;
  for (const Fault f : kFaultOrder) {
    const auto it = shares_.find(f);
    if (it == shares_.end()) continue;
    sum += it->second;
    if (u < sum) return f;
  }
  return Fault::none;
}

nlohmann::json Faults::snapshot() const {
  std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::object();
  for (const Fault f : kFaultOrder) {
    const auto it = shares_.find(f);
    out[fault_name(f)] = it == shares_.end() ? 0.0 : it->second;
  }
  out["methods"] = methods_;
  return out;
}

// --- Errors ------------------------------------------------------------------------------------

Response json_error(int status, const std::string& code, const std::string& message) {
  Response r;
  r.status = status;
  nlohmann::json body;
  body["error"] = {{"code", code}, {"message", message}};
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response PlatformModule::transport_error(const Request&, int status, const std::string& message) const {
  const char* code = status == 413   ? "payload_too_large"
                     : status == 431 ? "header_too_large"
                     : status >= 500 ? "internal"
                                     : "bad_request";
  return json_error(status, code, message);
}

}  // namespace erp::sim
