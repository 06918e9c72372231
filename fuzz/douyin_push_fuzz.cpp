// Douyin's push endpoint: any body, correctly signed (so the parser reads past the signature),
// is taken or refused with a reason, and nothing crashes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "plugins/common/digest.hpp"
#include "plugins/douyin/douyin_push.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::string_view kKey = "fuzz-key", kSecret = "fuzz-secret";
  erp::sdk::PushRequest request;
  request.body.assign(reinterpret_cast<const char*>(data), size);
  const std::string signed_text = std::string(kKey) + request.body + std::string(kSecret);
  request.headers = {{"event-sign", erp::plugins::digest_hex(erp::plugins::Digest::md5, signed_text,
                                                             erp::plugins::HexCase::lower)},
                     {"app-id", std::string(kKey)}};
  (void)erp::plugins::douyin::parse_douyin_push(request, kKey, kSecret);
  (void)erp::plugins::douyin::parse_douyin_push(request, kKey, kSecret, "7000009");
  return 0;
}
