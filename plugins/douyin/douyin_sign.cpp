#include "plugins/douyin/douyin_sign.hpp"

#include "plugins/common/digest.hpp"

namespace erp::plugins::douyin {

std::optional<SignMethod> sign_method_from_string(std::string_view text) noexcept {
  if (text == "md5") return SignMethod::md5;
  if (text == "hmac-sha256") return SignMethod::hmac_sha256;
  return std::nullopt;
}

std::string_view sign_method_name(SignMethod method) noexcept {
  return method == SignMethod::md5 ? "md5" : "hmac-sha256";
}

sdk::Result<std::string> canonical_param_json(const nlohmann::json& params) {
  if (params.is_null()) return std::string("{}");
  try {
    // nlohmann::json keeps objects in a std::map, so keys come out sorted by bytes at every
    // depth; dump() with no indent is compact and, without ensure_ascii, leaves non-ASCII and '/'
    // as they are. Douyin's keys are ASCII, where byte order and every SDK's order agree.
    return params.dump();
  } catch (const nlohmann::json::type_error&) {
    return sdk::fail(sdk::ErrorCode::invalid_input, "param_json: a string is not valid UTF-8");
  }
}

std::string string_to_sign(const SignedFields& fields, std::string_view app_secret) {
  std::string out;
  out.reserve(2 * app_secret.size() + fields.param_json.size() + fields.app_key.size() + fields.method.size() + 64);
  out.append(app_secret);
  out.append("app_key").append(fields.app_key);
  out.append("method").append(fields.method);
  out.append("param_json").append(fields.param_json);
  out.append("timestamp").append(fields.timestamp);
  out.append("v2");
  out.append(app_secret);
  return out;
}

std::string sign(const SignedFields& fields, std::string_view app_secret, SignMethod method) {
  const std::string text = string_to_sign(fields, app_secret);
  return method == SignMethod::md5 ? digest_hex(Digest::md5, text, HexCase::lower)
                                   : hmac_hex(Digest::sha256, app_secret, text, HexCase::lower);
}

}  // namespace erp::plugins::douyin
