#pragma once
// A small Prometheus registry: counters and gauges with labels, rendered in text format 0.0.4.
// Thread-safe. Gauges that mirror stored state are set by a collector just before rendering.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace erp::daemon::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Registry {
 public:
  /// Declares a metric family once (type "counter" or "gauge") with its help text.
  void describe(const std::string& name, const std::string& type, const std::string& help);
  void add(const std::string& name, const Labels& labels, double delta = 1.0);
  void set(const std::string& name, const Labels& labels, double value);
  /// Called before each render, to refresh gauges from the store and the daemon.
  void add_collector(std::function<void(Registry&)> collector);
  /// Prometheus text exposition format.
  std::string render();

 private:
  struct Family {
    std::string type;
    std::string help;
    std::map<Labels, double> samples;
  };
  std::mutex mutex_;
  std::map<std::string, Family> families_;
  std::vector<std::function<void(Registry&)>> collectors_;
};

}  // namespace erp::daemon::metrics
