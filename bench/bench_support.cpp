#include "bench_support.hpp"

#include <fstream>

namespace erp::bench {

long status_kib(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

std::string tail(const std::string& text, std::size_t n) {
  return text.size() > n ? text.substr(text.size() - n) : text;
}

std::string erpd_config_head(const erp::test::TempDir& dir) {
  std::string yaml;
  yaml += "database:\n  path: " + (dir / "erpd.db").string() + "\n";
  yaml += "plugins:\n  dir: " + std::string(ERP_PLUGIN_DIR) + "\n";
  yaml += "api:\n  listen: 127.0.0.1:0\n  token_file: " + (dir / "api.token").string() +
          "\n  port_file: " + (dir / "api.port").string() + "\n";
  yaml += "log:\n  level: info\n";
  yaml += "warehouse:\n  connector: api\n";
  return yaml;
}

}  // namespace erp::bench
