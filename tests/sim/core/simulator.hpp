#pragma once
// The simulator: owns the shared services, the platform modules, the shop registry and the
// scenario timeline, and answers every request (admin API first, then the module that serves
// it, else a JSON 404). Thread-safe: handle() runs on several threads at once.

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "module.hpp"
#include "scenario.hpp"

namespace erp::sim {

class Simulator {
 public:
  Simulator();
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  /// What modules are built with (clock, counters, faults).
  Context& context() noexcept { return context_; }
  Clock& clock() noexcept { return clock_; }
  Counters& counters() noexcept { return counters_; }
  Faults& faults() noexcept { return faults_; }

  /// Registers a module; call before serving.
  void add_module(std::unique_ptr<PlatformModule> module);
  std::vector<std::string> module_names() const;

  /// Answers one request; never throws.
  Response handle(const Request& request);
  /// The answer to a request the transport refused (see PlatformModule::transport_error).
  Response transport_error(const Request& partial, int status, const std::string& code, const std::string& message);

  /// Result of loading a scenario: problems (nothing loaded) or what was loaded.
  struct LoadResult {
    std::vector<std::string> errors;  ///< "SOURCE:LINE: key: what"; non-empty means nothing was loaded.
    nlohmann::json answer;            ///< shops, events, applied, pending, refused, warnings, now.
  };
  /// Registers the scenario's shops (replacing shops of the same id), sets its clock, schedules its
  /// events, and applies those already due. Shops and events add to what is loaded.
  LoadResult load_scenario(std::string_view yaml, const std::string& source);

  /// Moves the clock, stepping through every event due on the way (the clock stands at each
  /// event's time while it is applied); then on_clock(now) for every module. Answers now, applied
  /// and refused events.
  nlohmann::json set_clock(Instant t);
  nlohmann::json advance_clock(std::chrono::milliseconds d);
  /// Walks the clock to real time (applying what falls due) and lets it follow real time again.
  nlohmann::json follow_real_time();
  /// While the clock follows real time: applies what became due (the binary calls it each second).
  void tick();

  /// Registers (or replaces) a shop; false when no module serves its platform.
  bool add_shop(const Shop& shop);
  std::optional<Shop> shop(const std::string& id) const;

  /// Generator: `shops` shops gen-<platform>-<i> (created when missing) with `orders` orders each.
  /// Answers the shops with their credentials. Throws std::invalid_argument on bad input.
  nlohmann::json generate(const std::string& platform, int shops, int orders);
  /// Rate mode: keeps generating `per_second` orders per second over the shops for `seconds`.
  nlohmann::json start_generator(const std::string& platform, int shops, double per_second, double seconds);
  void stop_generator();
  nlohmann::json generator_state() const;

  /// GET /admin/state.
  nlohmann::json state() const;
  /// Forgets orders, pending and refused events, counters and faults; shops and the clock stay.
  void reset();

  /// Events scheduled but not yet due.
  std::size_t pending_events() const;

 private:
  struct Pending {
    ScenarioEvent event;
    std::string source;
  };

  Response admin(const Request& request);
  PlatformModule* module_for_platform(const std::string& platform) const;
  /// Applies due events up to `target` (stepping the clock when `step`), then on_clock. Caller holds timeline_mutex_.
  nlohmann::json run_timeline(Instant target, bool step);
  std::optional<std::string> apply_event(const Pending& p);
  nlohmann::json refusal(const Pending& p, const std::string& message) const;
  Shop generated_shop(const std::string& platform, int i) const;
  /// Faults::snapshot() plus the push shares.
  nlohmann::json faults_snapshot() const;
  /// Sets the push shares on every module and remembers them for faults_snapshot().
  void set_push_faults(double drop, double duplicate);

  Clock clock_;
  Counters counters_;
  Faults faults_;
  std::pair<double, double> push_faults_{0.0, 0.0};  ///< Drop and duplicate shares of pushes.
  Context context_{clock_, counters_, faults_};
  std::vector<std::unique_ptr<PlatformModule>> modules_;

  mutable std::recursive_mutex timeline_mutex_;  ///< Shops, timeline, refusals: admin operations run one at a time.
  std::map<std::string, Shop> shops_;
  std::multimap<Instant, Pending> timeline_;  ///< Equal times keep load order.
  nlohmann::json refused_ = nlohmann::json::array();

  mutable std::mutex generate_mutex_;
  std::mt19937 rng_{1111};
  long long generated_ = 0;

  // Rate-mode generator.
  mutable std::mutex gen_state_mutex_;
  std::condition_variable gen_cv_;
  std::thread gen_thread_;
  bool gen_stop_ = false;
  nlohmann::json gen_state_ = nlohmann::json::object();
};

}  // namespace erp::sim
