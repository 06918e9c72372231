#include "simulator.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/time_format.hpp"

namespace erp::sim {

namespace {

/// The shop with its credentials; `module` (when one serves the platform) names the token and
/// the base path, so a client can build the shop's config without knowing the platform.
nlohmann::json shop_json(const Shop& s, const PlatformModule* module) {
  nlohmann::json j = {
      {"id", s.id}, {"platform", s.platform}, {"app_key", s.app_key}, {"app_secret", s.app_secret}, {"role", s.role}};
  j[module != nullptr ? module->token_name() : "session"] = s.session;
  j["base_path"] = module != nullptr ? module->base_path() : "";
  if (!s.refresh_token.empty()) j["refresh_token"] = s.refresh_token;
  if (!s.push_url.empty()) j["push_url"] = s.push_url;
  return j;
}

bool known_platform(const std::string& p) { return p == "taobao" || p == "tmall" || p == "douyin" || p == "example"; }

}  // namespace

Simulator::Simulator() = default;

Simulator::~Simulator() { stop_generator(); }

void Simulator::add_module(std::unique_ptr<PlatformModule> module) { modules_.push_back(std::move(module)); }

std::vector<std::string> Simulator::module_names() const {
  std::vector<std::string> names;
  for (const auto& m : modules_) names.push_back(m->name());
  return names;
}

PlatformModule* Simulator::module_for_platform(const std::string& platform) const {
  for (const auto& m : modules_) {
    const auto ps = m->platforms();
    if (std::find(ps.begin(), ps.end(), platform) != ps.end()) return m.get();
  }
  return nullptr;
}

Response Simulator::handle(const Request& request) {
  try {
    if (request.path == "/admin" || request.path.rfind("/admin/", 0) == 0) return admin(request);
    for (const auto& m : modules_) {
      if (!m->serves(request)) continue;
      try {
        return m->handle(request);
      } catch (const std::exception& e) {
        spdlog::error("platform-sim: module {} failed on {} {}: {}", m->name(), request.method, request.target,
                      e.what());
        return m->transport_error(request, 500, std::string("internal error: ") + e.what());
      }
    }
    std::string known;
    for (const auto& m : modules_) known += (known.empty() ? "" : ", ") + m->name();
    return json_error(
        404, "not_found",
        "no simulated platform serves " + request.method + " " + request.path +
            " (TOP: /router/rest, Douyin: /<method with dots as slashes>, Qimen WMS: /router/qimen/service, "
            "control: /admin/...; modules in this build: " +
            (known.empty() ? "none" : known) + ")");
  } catch (const std::exception& e) {
    spdlog::error("platform-sim: {} {} failed: {}", request.method, request.target, e.what());
    return json_error(500, "internal", std::string("internal error: ") + e.what());
  }
}

Response Simulator::transport_error(const Request& partial, int status, const std::string& code,
                                    const std::string& message) {
  if (!partial.path.empty() && partial.path.rfind("/admin", 0) != 0) {
    for (const auto& m : modules_) {
      try {
        if (m->serves(partial)) return m->transport_error(partial, status, message);
      } catch (const std::exception&) {
        break;
      }
    }
  }
  return json_error(status, code, message);
}

// --- shops -------------------------------------------------------------------------------------

bool Simulator::add_shop(const Shop& shop) {
  std::lock_guard lock(timeline_mutex_);
  shops_[shop.id] = shop;
  if (auto* m = module_for_platform(shop.platform)) {
    m->add_shop(shop);
    return true;
  }
  return false;
}

std::optional<Shop> Simulator::shop(const std::string& id) const {
  std::lock_guard lock(timeline_mutex_);
  const auto it = shops_.find(id);
  if (it == shops_.end()) return std::nullopt;
  return it->second;
}

// --- scenario and timeline ---------------------------------------------------------------------

Simulator::LoadResult Simulator::load_scenario(std::string_view yaml, const std::string& source) {
  std::lock_guard lock(timeline_mutex_);
  LoadResult result;
  auto parsed =
      parse_scenario(yaml, source, clock_.now(), [this](const std::string& id) { return shops_.count(id) > 0; });
  if (!parsed.errors.empty()) {
    result.errors = std::move(parsed.errors);
    return result;
  }
  auto& scenario = parsed.scenario;
  if (scenario.clock) clock_.set(*scenario.clock);
  nlohmann::json warnings = nlohmann::json::array();
  nlohmann::json shop_ids = nlohmann::json::array();
  for (const auto& s : scenario.shops) {
    if (!add_shop(s)) {
      warnings.push_back("shop '" + s.id + "': no module serves platform " + s.platform +
                         " in this build; its requests get 404 and its events are refused");
    }
    shop_ids.push_back(s.id);
  }
  for (auto& e : scenario.events) {
    const Instant at = e.at;
    timeline_.emplace(at, Pending{std::move(e), source});
  }
  nlohmann::json ran = run_timeline(clock_.now(), false);
  result.answer = {{"source", source},
                   {"shops", shop_ids},
                   {"events", scenario.events.size()},
                   {"applied", ran["applied"]},
                   {"refused", ran["refused"]},
                   {"pending", timeline_.size()},
                   {"warnings", warnings},
                   {"now", daemon::format_rfc3339(clock_.now())},
                   {"now_cst", daemon::format_cst(clock_.now())}};
  return result;
}

std::optional<std::string> Simulator::apply_event(const Pending& p) {
  const auto s = shops_.find(p.event.shop);
  if (s == shops_.end()) return "unknown shop '" + p.event.shop + "'";
  auto* m = module_for_platform(s->second.platform);
  if (!m) return "no module serves platform " + s->second.platform + " in this build";
  try {
    return m->apply(s->second, p.event.node);
  } catch (const std::exception& e) {
    return std::string("module ") + m->name() + " failed on the event: " + e.what();
  }
}

nlohmann::json Simulator::refusal(const Pending& p, const std::string& message) const {
  return {{"index", p.event.index}, {"line", p.event.line}, {"source", p.source},
          {"shop", p.event.shop},   {"type", p.event.type}, {"at", daemon::format_rfc3339(p.event.at)},
          {"message", message}};
}

nlohmann::json Simulator::run_timeline(Instant target, bool step) {
  int applied = 0;
  nlohmann::json refused = nlohmann::json::array();
  while (!timeline_.empty() && timeline_.begin()->first <= target) {
    auto node = timeline_.extract(timeline_.begin());
    const Pending& p = node.mapped();
    if (step && p.event.at > clock_.now()) {
      // The clock stands at the event's time while it is applied, so what it creates carries
      // that time, and what was scheduled before it happens first.
      clock_.set(p.event.at);
      for (const auto& m : modules_) m->on_clock(p.event.at);
    }
    if (auto error = apply_event(p)) {
      auto r = refusal(p, *error);
      spdlog::warn("platform-sim: {}:{}: event {} ({}) refused: {}", p.source, p.event.line, p.event.index,
                   p.event.type, *error);
      refused.push_back(r);
      refused_.push_back(std::move(r));
    } else {
      ++applied;
    }
  }
  if (step) clock_.set(target);
  const Instant now = clock_.now();
  for (const auto& m : modules_) m->on_clock(now);
  return {{"applied", applied},
          {"refused", refused},
          {"pending", timeline_.size()},
          {"now", daemon::format_rfc3339(now)},
          {"now_cst", daemon::format_cst(now)}};
}

nlohmann::json Simulator::set_clock(Instant t) {
  std::lock_guard lock(timeline_mutex_);
  return run_timeline(t, true);
}

nlohmann::json Simulator::advance_clock(std::chrono::milliseconds d) {
  std::lock_guard lock(timeline_mutex_);
  return run_timeline(clock_.now() + d, true);
}

nlohmann::json Simulator::follow_real_time() {
  std::lock_guard lock(timeline_mutex_);
  const Instant real_now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  // A clock set ahead of real time stays set (the answer says so): going back would undo the
  // order of what happened.
  if (clock_.now() > real_now) {
    nlohmann::json stays = run_timeline(clock_.now(), true);
    stays["follows_real_time"] = false;
    return stays;
  }
  nlohmann::json walked = run_timeline(real_now, true);
  clock_.follow_real_time();
  walked["follows_real_time"] = true;
  return walked;
}

void Simulator::tick() {
  std::lock_guard lock(timeline_mutex_);
  if (!clock_.follows_real_time()) return;
  run_timeline(clock_.now(), false);
}

std::size_t Simulator::pending_events() const {
  std::lock_guard lock(timeline_mutex_);
  return timeline_.size();
}

// --- generator ---------------------------------------------------------------------------------

Shop Simulator::generated_shop(const std::string& platform, int i) const {
  const std::string id = "gen-" + platform + "-" + std::to_string(i);
  Shop s;
  s.id = id;
  s.platform = platform;
  s.app_key = id + "-key";
  s.app_secret = id + "-secret";
  s.session = id + "-session";
  if (platform == "douyin") s.refresh_token = id + "-refresh";
  return s;
}

nlohmann::json Simulator::generate(const std::string& platform, int shops, int orders) {
  if (!known_platform(platform)) {
    throw std::invalid_argument("platform: '" + platform + "' is not taobao, tmall, douyin or example");
  }
  auto* m = module_for_platform(platform);
  if (!m) throw std::invalid_argument("platform: no module serves " + platform + " in this build");
  if (shops < 1 || shops > 10000) throw std::invalid_argument("shops: must be 1 to 10000");
  if (orders < 0 || orders > 1000000) throw std::invalid_argument("orders: must be 0 to 1000000");
  nlohmann::json list = nlohmann::json::array();
  std::vector<Shop> made;
  {
    std::lock_guard lock(timeline_mutex_);
    for (int i = 1; i <= shops; ++i) {
      Shop s = generated_shop(platform, i);
      const auto it = shops_.find(s.id);
      if (it == shops_.end()) {
        add_shop(s);
      } else {
        s = it->second;
      }
      list.push_back(shop_json(s, m));
      made.push_back(std::move(s));
    }
  }
  if (orders > 0) {
    std::lock_guard lock(generate_mutex_);
    for (const auto& s : made) {
      m->generate(s, orders, rng_);
      generated_ += orders;
    }
  }
  return {{"shops", list}, {"orders_per_shop", orders}, {"orders", static_cast<long long>(orders) * shops}};
}

nlohmann::json Simulator::start_generator(const std::string& platform, int shops, double per_second, double seconds) {
  if (!(per_second > 0.0) || per_second > 1e6)
    throw std::invalid_argument("orders_per_second: must be above 0 and at most 1000000");
  if (!(seconds > 0.0) || seconds > 86400.0) throw std::invalid_argument("seconds: must be above 0 and at most 86400");
  nlohmann::json made = generate(platform, shops, 0);
  stop_generator();
  std::vector<Shop> list;
  for (int i = 1; i <= shops; ++i) {
    if (auto s = shop("gen-" + platform + "-" + std::to_string(i))) list.push_back(*s);
  }
  auto* m = module_for_platform(platform);
  {
    std::lock_guard lock(gen_state_mutex_);
    gen_stop_ = false;
    gen_state_ = {{"running", true},    {"platform", platform}, {"shops", shops}, {"orders_per_second", per_second},
                  {"seconds", seconds}, {"generated", 0}};
  }
  gen_thread_ = std::thread([this, list, m, per_second, seconds] {
    using namespace std::chrono;
    const auto start = steady_clock::now();
    long long done = 0;
    std::size_t next = 0;
    for (;;) {
      std::unique_lock lock(gen_state_mutex_);
      const bool stop = gen_cv_.wait_for(lock, milliseconds{100}, [this] { return gen_stop_; });
      if (stop) break;
      lock.unlock();
      const double elapsed = std::min(duration<double>(steady_clock::now() - start).count(), seconds);
      const auto target = static_cast<long long>(std::floor(per_second * elapsed));
      // What is due since the last tick, dealt round-robin, then made one batch per shop: a lock
      // per order made the generator fall behind the rate while ten shops were being polled.
      std::vector<int> due(list.size(), 0);
      for (; done < target; ++done) {
        ++due[next];
        next = (next + 1) % list.size();
      }
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (due[i] == 0) continue;
        std::lock_guard g(generate_mutex_);
        m->generate_arriving(list[i], due[i], rng_);
        generated_ += due[i];
      }
      lock.lock();
      gen_state_["generated"] = done;
      if (elapsed >= seconds) break;
    }
    std::lock_guard lock(gen_state_mutex_);
    gen_state_["running"] = false;
  });
  nlohmann::json answer = made;
  answer["orders_per_second"] = per_second;
  answer["seconds"] = seconds;
  answer["running"] = true;
  return answer;
}

void Simulator::stop_generator() {
  {
    std::lock_guard lock(gen_state_mutex_);
    gen_stop_ = true;
  }
  gen_cv_.notify_all();
  if (gen_thread_.joinable()) gen_thread_.join();
}

nlohmann::json Simulator::generator_state() const {
  std::lock_guard lock(gen_state_mutex_);
  nlohmann::json j = gen_state_;
  if (!j.contains("running")) j["running"] = false;
  return j;
}

// --- state and reset ---------------------------------------------------------------------------

nlohmann::json Simulator::state() const {
  std::lock_guard lock(timeline_mutex_);
  const Instant now = clock_.now();
  nlohmann::json shops = nlohmann::json::array();
  for (const auto& [id, s] : shops_) shops.push_back(shop_json(s, module_for_platform(s.platform)));
  nlohmann::json modules = nlohmann::json::object();
  for (const auto& m : modules_) modules[m->name()] = m->state();
  long long generated = 0;
  {
    std::lock_guard g(generate_mutex_);
    generated = generated_;
  }
  return {{"now", daemon::format_rfc3339(now)},
          {"now_cst", daemon::format_cst(now)},
          {"clock_follows_real_time", clock_.follows_real_time()},
          {"shops", shops},
          {"modules", modules},
          {"pending_events", timeline_.size()},
          {"refused_events", refused_},
          {"generated_orders", generated},
          {"generator", generator_state()}};
}

void Simulator::reset() {
  stop_generator();
  std::lock_guard lock(timeline_mutex_);
  timeline_.clear();
  refused_ = nlohmann::json::array();
  for (const auto& m : modules_) m->reset();
  for (const auto& [id, s] : shops_) {
    if (auto* m = module_for_platform(s.platform)) m->add_shop(s);
  }
  counters_.clear();
  faults_.clear();
  set_push_faults(0.0, 0.0);
  std::lock_guard g(generate_mutex_);
  generated_ = 0;
}

}  // namespace erp::sim
