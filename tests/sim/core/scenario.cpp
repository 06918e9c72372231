#include "scenario.hpp"

#include <algorithm>
#include <set>

#include "core/time_format.hpp"

namespace erp::sim {

std::optional<Instant> parse_sim_time(std::string_view text) {
  if (auto t = daemon::parse_rfc3339(text)) return t;
  if (text.size() == 19) return daemon::parse_cst(text);
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> parse_sim_duration(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  return daemon::parse_duration(text);
}

namespace {

const std::set<std::string> kPlatforms = {"taobao", "tmall", "douyin", "example", "qimen"};

class Reader {
 public:
  Reader(const std::string& source, std::vector<std::string>& errors) : source_(source), errors_(errors) {}

  void error(const YAML::Node& node, const std::string& key, const std::string& what) {
    const int line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
    errors_.push_back(source_ + ":" + std::to_string(line) + ": " + key + ": " + what);
  }

  /// A scalar string at `map[name]`; reports and returns nullopt when missing (if required) or
  /// not a scalar.
  std::optional<std::string> scalar(const YAML::Node& map, const char* name, const std::string& path, bool required) {
    const YAML::Node value = map[name];
    if (!value) {
      if (required) error(map, path + name, "missing");
      return std::nullopt;
    }
    if (!value.IsScalar()) {
      error(value, path + name, "must be a string");
      return std::nullopt;
    }
    return value.Scalar();
  }

 private:
  const std::string& source_;
  std::vector<std::string>& errors_;
};

void read_shops(const YAML::Node& list, Reader& r, Scenario& out) {
  static const std::set<std::string> kKeys = {"id",           "platform",  "app_key",       "app_secret", "session",
                                              "access_token", "api_token", "refresh_token", "push_url",   "role"};
  if (!list.IsSequence()) return r.error(list, "shops", "must be a list");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node node = list[i];
    const std::string path = "shops[" + std::to_string(i) + "].";
    if (!node.IsMap()) {
      r.error(node, "shops[" + std::to_string(i) + "]", "must be a map");
      continue;
    }
    bool ok = true;
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      if (!kKeys.count(key)) {
        r.error(kv.first, path + key,
                "unknown key (known: id, platform, app_key, app_secret, session, access_token, api_token, "
                "refresh_token, push_url, role)");
        ok = false;
      }
    }
    Shop shop;
    auto id = r.scalar(node, "id", path, true);
    auto platform = r.scalar(node, "platform", path, true);
    auto app_key = r.scalar(node, "app_key", path, true);
    auto app_secret = r.scalar(node, "app_secret", path, true);
    if (!id || !platform || !app_key || !app_secret) continue;
    if (id->empty()) {
      r.error(node["id"], path + "id", "must not be empty");
      ok = false;
    } else if (!seen.insert(*id).second) {
      r.error(node["id"], path + "id", "shop '" + *id + "' is defined twice");
      ok = false;
    }
    if (!kPlatforms.count(*platform)) {
      r.error(node["platform"], path + "platform",
              "'" + *platform + "' is not taobao, tmall, douyin, example or qimen");
      ok = false;
    }
    shop.id = *id;
    shop.platform = *platform;
    shop.app_key = *app_key;
    shop.app_secret = *app_secret;
    if (auto s = r.scalar(node, "session", path, false)) shop.session = *s;
    if (auto s = r.scalar(node, "access_token", path, false)) shop.session = *s;
    if (auto s = r.scalar(node, "api_token", path, false)) shop.session = *s;  // the example platform
    if (node["session"] && node["access_token"]) {
      r.error(node["access_token"], path + "access_token", "give either session or access_token, not both");
      ok = false;
    }
    if (auto s = r.scalar(node, "refresh_token", path, false)) shop.refresh_token = *s;
    if (auto s = r.scalar(node, "push_url", path, false)) shop.push_url = *s;
    if (auto s = r.scalar(node, "role", path, false)) {
      if (*s != "merchant" && *s != "factory") {
        r.error(node["role"], path + "role", "'" + *s + "' is not merchant or factory");
        ok = false;
      }
      shop.role = *s;
    }
    if (ok) out.shops.push_back(std::move(shop));
  }
}

void read_events(const YAML::Node& list, Reader& r, Scenario& out, Instant base,
                 const std::function<bool(const std::string&)>& known_shop) {
  if (!list.IsSequence()) return r.error(list, "events", "must be a list");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node node = list[i];
    const std::string path = "events[" + std::to_string(i) + "].";
    if (!node.IsMap()) {
      r.error(node, "events[" + std::to_string(i) + "]", "must be a map");
      continue;
    }
    auto at = r.scalar(node, "at", path, true);
    auto shop = r.scalar(node, "shop", path, true);
    auto type = r.scalar(node, "type", path, true);
    if (!at || !shop || !type) continue;
    ScenarioEvent event;
    event.index = i;
    event.line = node.Mark().line + 1;
    bool ok = true;
    if (!at->empty() && at->front() == '+') {
      if (auto d = parse_sim_duration(*at)) {
        event.at = base + *d;
      } else {
        r.error(node["at"], path + "at", "'" + *at + "' is not a relative time like +5m, +2h, +30s");
        ok = false;
      }
    } else if (auto t = parse_sim_time(*at)) {
      event.at = *t;
    } else {
      r.error(node["at"], path + "at",
              "'" + *at + "' is not a time (\"YYYY-MM-DD HH:MM:SS\" China Standard Time, RFC 3339, or +5m)");
      ok = false;
    }
    const bool defined_here =
        std::any_of(out.shops.begin(), out.shops.end(), [&](const Shop& s) { return s.id == *shop; });
    if (!defined_here && !known_shop(*shop)) {
      r.error(node["shop"], path + "shop", "unknown shop '" + *shop + "' (not in shops: nor loaded before)");
      ok = false;
    }
    if (type->empty()) {
      r.error(node["type"], path + "type", "must not be empty");
      ok = false;
    }
    if (!ok) continue;
    event.shop = *shop;
    event.type = *type;
    event.node = node;
    out.events.push_back(std::move(event));
  }
}

}  // namespace

ScenarioParse parse_scenario(std::string_view text, const std::string& source, Instant now,
                             const std::function<bool(const std::string&)>& known_shop) {
  ScenarioParse result;
  Reader r(source, result.errors);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    result.errors.push_back(source + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                            ": invalid YAML: " + e.msg);
    return result;
  }
  try {
    if (!root || root.IsNull()) {
      result.errors.push_back(source + ":1: (file): empty scenario");
      return result;
    }
    if (!root.IsMap()) {
      r.error(root, "(file)", "must be a map with clock, shops and events");
      return result;
    }
    for (const auto& kv : root) {
      const std::string key = kv.first.Scalar();
      if (key != "clock" && key != "shops" && key != "events" && key != "description") {
        r.error(kv.first, key, "unknown key (known: clock, shops, events, description)");
      }
    }
    Instant base = now;
    if (auto clock = r.scalar(root, "clock", "", false)) {
      if (auto t = parse_sim_time(*clock)) {
        result.scenario.clock = *t;
        base = *t;
      } else {
        r.error(root["clock"], "clock",
                "'" + *clock + "' is not a time (\"YYYY-MM-DD HH:MM:SS\" China Standard Time or RFC 3339)");
      }
    }
    if (root["shops"]) read_shops(root["shops"], r, result.scenario);
    if (root["events"]) read_events(root["events"], r, result.scenario, base, known_shop);
  } catch (const YAML::Exception& e) {
    result.errors.push_back(source + ":" + std::to_string(e.mark.line + 1) + ": (file): " + e.msg);
  }
  if (!result.errors.empty()) result.scenario = Scenario{};
  return result;
}

}  // namespace erp::sim
