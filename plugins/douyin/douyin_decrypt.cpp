#include "plugins/douyin/douyin_decrypt.hpp"

#include "plugins/common/json_fields.hpp"
#include "plugins/douyin/douyin_order_mapper.hpp"

namespace erp::plugins::douyin {

using nlohmann::json;

DecryptPlan::DecryptPlan(const std::vector<sdk::ReceiverCipher>& ciphers) {
  receivers_.reserve(ciphers.size());
  for (std::size_t i = 0; i < ciphers.size(); ++i) {
    sdk::PlainReceiver out;
    out.order_id = ciphers[i].order_id;
    const auto decoded = decode_receiver_ciphers(ciphers[i].ciphertext);
    if (!decoded) {
      out.error = "the stored receiver is not a Douyin ciphertext";
    } else {
      if (!decoded->name.empty()) parts_.push_back({i, Field::name, out.order_id, decoded->name});
      if (!decoded->phone.empty()) parts_.push_back({i, Field::phone, out.order_id, decoded->phone});
      if (!decoded->detail.empty()) parts_.push_back({i, Field::detail, out.order_id, decoded->detail});
    }
    receivers_.push_back(std::move(out));
  }
  for (std::size_t start = 0; start < parts_.size(); start += kMaxDecryptPerCall) {
    json batch = json::array();
    for (std::size_t i = start; i < parts_.size() && i < start + kMaxDecryptPerCall; ++i) {
      batch.push_back(json{{"auth_id", parts_[i].order_id}, {"cipher_text", parts_[i].cipher_text}});
    }
    batches.push_back(std::move(batch));
  }
}

void DecryptPlan::take(const json& data) {
  const auto infos = data.find("decrypt_infos");
  if (infos == data.end() || !infos->is_array()) return;
  for (const auto& info : *infos) {
    if (!info.is_object()) continue;
    const std::string auth_id = text_field(info, "auth_id");
    const std::string cipher = text_field(info, "cipher_text");
    const std::string err_no = text_field(info, "err_no");
    for (const auto& part : parts_) {
      if (part.order_id != auth_id || part.cipher_text != cipher) continue;
      auto& receiver = receivers_[part.receiver];
      if (!err_no.empty() && err_no != "0") {
        // err_msg is Douyin's wording; the number says enough and cannot echo anything personal.
        receiver.error = "Douyin refused to decrypt (err_no " + err_no + ")";
        continue;
      }
      const std::string plain = text_field(info, "decrypt_text");
      switch (part.field) {
        case Field::name:
          receiver.name = plain;
          break;
        case Field::phone:
          receiver.phone = plain;
          break;
        case Field::detail:
          receiver.address = plain;
          break;
      }
    }
  }
}

std::vector<sdk::PlainReceiver> DecryptPlan::results() const {
  std::vector<sdk::PlainReceiver> out = receivers_;
  // A part no answer covered (Douyin left it out) must not pass as an empty plaintext.
  for (const auto& part : parts_) {
    auto& receiver = out[part.receiver];
    const std::string& value =
        part.field == Field::name ? receiver.name : part.field == Field::phone ? receiver.phone : receiver.address;
    if (value.empty() && receiver.error.empty()) receiver.error = "Douyin did not answer for every part";
  }
  return out;
}

}  // namespace erp::plugins::douyin
