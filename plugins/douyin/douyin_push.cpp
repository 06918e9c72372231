#include "plugins/douyin/douyin_push.hpp"

#include <nlohmann/json.hpp>

#include "plugins/common/digest.hpp"
#include "plugins/common/json_fields.hpp"

namespace erp::plugins::douyin {
namespace {

using nlohmann::json;
using sdk::ErrorCode;

constexpr std::string_view kIopTradePrefix = "doudian_iopTrade_";

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// A message's data: JSON text (the Go SDK's shape) or an object already (SKIT's samples).
json data_of(const json& message) {
  const auto it = message.find("data");
  if (it == message.end()) return json::object();
  if (it->is_string()) {
    auto parsed = json::parse(it->get_ref<const std::string&>(), nullptr, false);
    return parsed.is_object() ? parsed : json::object();
  }
  return it->is_object() ? *it : json::object();
}

std::string order_id_of(const json& data) {
  for (const char* key : {"p_id", "shop_order_id", "order_id"}) {
    if (const auto it = data.find(key); it != data.end()) {
      if (auto id = id_text(*it); !id.empty()) return id;
    }
  }
  return {};
}

}  // namespace

bool push_signature_valid(std::string_view event_sign, std::string_view app_key, std::string_view body,
                          std::string_view app_secret) {
  std::string signed_text;
  signed_text.reserve(app_key.size() + body.size() + app_secret.size());
  signed_text.append(app_key).append(body).append(app_secret);
  const std::string expected = digest_hex(Digest::md5, signed_text, HexCase::lower);
  if (expected.empty() || event_sign.size() != expected.size()) return false;
  unsigned char differ = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    differ |= static_cast<unsigned char>(lower(event_sign[i]) ^ expected[i]);
  }
  return differ == 0;
}

std::string push_topic(std::string_view tag) {
  // 代打 (dropship) messages as SKIT names them: UpdateRemark, Distribution, DistributionCancel,
  // UpdateReceiver, StatusReturn.
  if (tag.substr(0, kIopTradePrefix.size()) == kIopTradePrefix) return "dropship";
  int number = 0;
  if (tag.empty() || tag.size() > 4) return "other";
  for (const char c : tag) {
    if (c < '0' || c > '9') return "other";
    number = number * 10 + (c - '0');
  }
  if ((number >= 100 && number <= 113) || number == 126) return "order";
  if (number >= 200 && number <= 218) return "refund";
  if (number == 500 || number == 501 || number == 504 || number == 505) return "dropship";
  return "other";
}

sdk::Result<sdk::PushBatch> parse_douyin_push(const sdk::PushRequest& request, std::string_view app_key,
                                              std::string_view app_secret, std::string_view douyin_shop_id) {
  const auto event_sign = request.header("event-sign");
  if (!event_sign || event_sign->empty()) return sdk::fail(ErrorCode::invalid_input, "no event-sign header");
  if (const auto app_id = request.header("app-id"); app_id && !app_id->empty() && *app_id != app_key) {
    return sdk::fail(ErrorCode::invalid_input, "the app-id header names another app");
  }
  if (!push_signature_valid(*event_sign, app_key, request.body, app_secret)) {
    return sdk::fail(ErrorCode::invalid_input, "event-sign does not match md5(app_key + body + app_secret)");
  }
  const json messages = json::parse(request.body, nullptr, false);
  if (!messages.is_array()) return sdk::fail(ErrorCode::invalid_input, "the body is not a JSON array of messages");
  sdk::PushBatch batch;
  for (const auto& message : messages) {
    if (!message.is_object()) return sdk::fail(ErrorCode::invalid_input, "a message is not a JSON object");
    sdk::PushMessage out;
    if (const auto tag = message.find("tag"); tag != message.end()) out.tag = id_text(*tag);
    for (const char* key : {"msg_id", "msgId"}) {
      if (const auto id = message.find(key); id != message.end() && out.msg_id.empty()) out.msg_id = id_text(*id);
    }
    if (out.tag.empty() || out.msg_id.empty()) {
      return sdk::fail(ErrorCode::invalid_input, "a message has no tag or no msg_id");
    }
    out.topic = push_topic(out.tag);
    const json data = data_of(message);
    if (!douyin_shop_id.empty() && data.contains("shop_id") && id_text(data["shop_id"]) != douyin_shop_id) continue;
    // A dropship message is about an assignment (distr_order_id), not an order the host could fetch.
    if (out.topic == "order" || out.topic == "refund") out.order_id = order_id_of(data);
    batch.messages.push_back(std::move(out));
  }
  batch.reply = sdk::PushReply{200, "application/json", std::string(kPushSuccess)};
  return batch;
}

}  // namespace erp::plugins::douyin
