// The local API's request bodies and query numbers: a body is a JSON object with known fields or
// a 400 with what is wrong (std::invalid_argument), never anything else.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "api/http_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  try {
    (void)erp::daemon::api::parse_json_object(body, {"kind", "action", "note", "by", "at"});
  } catch (const std::invalid_argument&) {
    // The route answers 400 with this message.
  }
  (void)erp::daemon::api::parse_bounded_int(body, 1, 1000);
  (void)erp::daemon::api::bearer_token(body);
  return 0;
}
