#include "testkit/order_difference.hpp"

#include <nlohmann/json.hpp>

#include "core/order_json.hpp"

namespace erp::testkit {

std::string order_difference(const sdk::Order& expected, const sdk::Order& actual) {
  const nlohmann::json a = daemon::order_to_json(expected, true);
  const nlohmann::json b = daemon::order_to_json(actual, true);
  if (a == b) return {};
  for (const auto& [key, value] : a.items()) {
    const auto other = b.find(key);
    if (other != b.end() && *other == value) continue;
    // Receiver data is masked or ciphertext, but a reason is printed: name the key only.
    if (key == "receiver") return "receiver differs";
    return key + " was " + value.dump() + ", then " + (other == b.end() ? std::string("absent") : other->dump());
  }
  return "the second mapping has keys the first has not";
}

}  // namespace erp::testkit
