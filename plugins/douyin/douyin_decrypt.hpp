#pragma once
// Receiver decryption (rule D10) with order.batchDecrypt: every receiver's ciphertexts (name,
// phone, street detail) become cipher_infos {auth_id = order id, cipher_text}, at most 50 per call
// (PLATFORMS.md §3.4), and the answers are put back together per receiver. Plaintext stays in
// these objects only: nothing here logs.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "erp/adapter.hpp"

namespace erp::plugins::douyin {

inline constexpr std::size_t kMaxDecryptPerCall = 50;

class DecryptPlan {
 public:
  explicit DecryptPlan(const std::vector<sdk::ReceiverCipher>& ciphers);

  /// The cipher_infos arrays to send, one per call.
  std::vector<nlohmann::json> batches;

  /// Takes one batchDecrypt answer's data (decrypt_infos[]).
  void take(const nlohmann::json& data);

  /// One entry per cipher given, in order; a part Douyin did not decrypt leaves `error` set.
  std::vector<sdk::PlainReceiver> results() const;

 private:
  enum class Field { name, phone, detail };
  struct Part {
    std::size_t receiver;
    Field field;
    std::string order_id;
    std::string cipher_text;
  };

  std::vector<sdk::PlainReceiver> receivers_;
  std::vector<Part> parts_;
};

/// The plan for `ciphers` (a free function so call sites read as a verb).
inline DecryptPlan plan_decryption(const std::vector<sdk::ReceiverCipher>& ciphers) { return DecryptPlan(ciphers); }

}  // namespace erp::plugins::douyin
