#include "testkit/report.hpp"

#include <cctype>
#include <nlohmann/json.hpp>

namespace erp::testkit {
namespace {

struct Tally {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
};

Tally tally(const RunReport& report) {
  Tally counts;
  for (const auto& check : report.checks) {
    if (check.status == CheckStatus::pass) ++counts.passed;
    if (check.status == CheckStatus::fail) ++counts.failed;
    if (check.status == CheckStatus::skip) ++counts.skipped;
  }
  return counts;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string render_text(const RunReport& report) {
  std::string out;
  for (const auto& check : report.checks) {
    out += std::string(to_string(check.status)) + " " + check.id + " " + check.name + ": " + check.reason + "\n";
  }
  const Tally counts = tally(report);
  out += "erp-plugin-check: " + std::to_string(counts.passed) + " passed, " + std::to_string(counts.failed) +
         " failed, " + std::to_string(counts.skipped) + " skipped: " + report.plugin_file +
         (counts.failed == 0 ? " keeps the SDK contract" : " breaks the SDK contract");
  if (!report.platform.empty()) out += " (platform " + report.platform;
  if (!report.sim_url.empty()) out += ", platform-sim " + report.sim_url;
  if (!report.platform.empty()) out += ")";
  out += "\n";
  return out;
}

std::string render_json(const RunReport& report) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& check : report.checks) {
    checks.push_back(
        {{"id", check.id}, {"name", check.name}, {"status", lower(to_string(check.status))}, {"reason", check.reason}});
  }
  const Tally counts = tally(report);
  const nlohmann::json out = {{"plugin", report.plugin_file}, {"platform", report.platform}, {"sim", report.sim_url},
                              {"checks", std::move(checks)},  {"passed", counts.passed},     {"failed", counts.failed},
                              {"skipped", counts.skipped},    {"ok", counts.failed == 0}};
  return out.dump(2) + "\n";
}

int exit_code(const RunReport& report) { return tally(report).failed == 0 ? 0 : 1; }

}  // namespace erp::testkit
