#pragma once
// Scenario files: shops and timed events in YAML, read into plain values. Checking the file's
// shape (keys, times, shop references) happens here; what an event means is up to the module
// that owns its shop (PlatformModule::apply).

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "module.hpp"

namespace erp::sim {

/// One event as written: `at`, `shop`, `type` and the module's own keys (the whole node).
struct ScenarioEvent {
  std::size_t index = 0;  ///< Position in the file's `events:` list, from 0.
  int line = 0;           ///< 1-based line of the event in the file.
  Instant at{};
  std::string shop;
  std::string type;
  YAML::Node node;
};

struct Scenario {
  std::optional<Instant> clock;  ///< `clock:` when given.
  std::vector<Shop> shops;
  std::vector<ScenarioEvent> events;  ///< In file order.
};

/// Parses a scenario. `source` names the file in messages; `now` is the base of relative times
/// ("+5m") when the file has no `clock:`; `known_shop` tells whether a shop id not defined in the
/// file is already registered. Problems come back as "SOURCE:LINE: key.path: what is wrong",
/// all of them, and then the scenario is empty.
struct ScenarioParse {
  Scenario scenario;
  std::vector<std::string> errors;
};
ScenarioParse parse_scenario(std::string_view text, const std::string& source, Instant now,
                             const std::function<bool(const std::string&)>& known_shop);

/// "2026-11-11 00:00:00" (China Standard Time) or RFC 3339 ("2026-11-10T16:00:00Z").
std::optional<Instant> parse_sim_time(std::string_view text);

/// "90m", "2h", "30s", "1d", "250ms"; a leading '+' is allowed.
std::optional<std::chrono::milliseconds> parse_sim_duration(std::string_view text);

}  // namespace erp::sim
