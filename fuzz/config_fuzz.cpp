// The config loader on any text: it reports problems by file, line and key, and never crashes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  (void)erp::daemon::config::parse_config(yaml, "/fuzz/erpd.yaml");
  return 0;
}
