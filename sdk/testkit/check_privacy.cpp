// PC9 privacy: erpd's logs and API are read by people who must not see the shop's credentials or
// the buyer's name, phone and address (rule D10). The host hides the secrets it knows in plugin
// log lines, but it cannot know receiver data or a token the plugin derived, so the plugin itself
// must never write them: this check reads what the plugin passed to the logger, before redaction.

#include <nlohmann/json.hpp>

#include "core/order_json.hpp"
#include "testkit/checks.hpp"
#include "testkit/shop_entry.hpp"

namespace erp::testkit {
namespace {

// Shorter values occur by chance in any text ("1", "ab"); no real credential or address is this short.
constexpr std::size_t kMinSearchedLength = 4;
constexpr std::size_t kReceiversDecrypted = 3;

struct Sensitive {
  std::string what;  ///< Printed: "the shop's app_secret", "a receiver's phone". Never the value.
  std::string value;
};

struct Text {
  std::string where;  ///< "a log line", "an error message", "order 123's JSON".
  std::string text;
};

/// Plaintext of a few receivers, when the adapter can decrypt them; `problem` set when it fails.
std::vector<Sensitive> decrypted_receivers(CheckContext& context, std::string& problem) {
  std::vector<sdk::ReceiverCipher> ciphers;
  for (const auto& order : context.listed) {
    if (ciphers.size() == kReceiversDecrypted) break;
    if (!order.receiver.ciphertext.empty()) ciphers.push_back({order.order_id, order.receiver.ciphertext});
  }
  if (ciphers.empty()) return {};
  auto plain = context.adapter->decrypt_receivers(ciphers);
  if (!plain) {
    context.remember(plain.error());
    problem = "decrypt_receivers failed although receiver_decrypt is declared: " + describe(plain.error());
    return {};
  }
  std::vector<Sensitive> found;
  for (const auto& receiver : *plain) {
    found.push_back({"a receiver's name", receiver.name});
    found.push_back({"a receiver's phone", receiver.phone});
    found.push_back({"a receiver's address", receiver.address});
  }
  return found;
}

}  // namespace

CheckResult check_privacy(CheckContext& context) {
  if (!context.adapter) return skipped(kPrivacyCheck, "needs the adapter PC2 makes");
  std::vector<Sensitive> sensitive;
  for (const auto& [name, value] : shop_secrets(context.shop, context.keys)) {
    sensitive.push_back({"the shop's " + name, value});
  }
  std::string decrypt_problem;
  bool decrypted = false;
  if (context.capabilities.receiver_decrypt && !context.listed.empty()) {
    auto receivers = decrypted_receivers(context, decrypt_problem);
    if (!decrypt_problem.empty()) return failed(kPrivacyCheck, decrypt_problem);
    decrypted = !receivers.empty();
    sensitive.insert(sensitive.end(), receivers.begin(), receivers.end());
  }

  std::vector<Text> texts;
  for (auto& line : context.host->logged()) texts.push_back({"a log line", std::move(line)});
  for (const auto& message : context.errors_seen) texts.push_back({"an error message", message});
  for (const auto& order : context.listed) {
    texts.push_back({"order " + order.order_id + " (as erpd stores it)", daemon::order_to_json(order, true).dump()});
  }
  for (const auto& item : sensitive) {
    if (item.value.size() < kMinSearchedLength) continue;
    for (const auto& text : texts) {
      if (text.text.find(item.value) != std::string::npos) {
        return failed(kPrivacyCheck, item.what + " appears in " + text.where);
      }
    }
  }
  const std::size_t log_lines = context.host->logged().size();
  return passed(kPrivacyCheck,
                std::to_string(log_lines) + " log lines, " + std::to_string(context.errors_seen.size()) +
                    " error messages and " + std::to_string(context.listed.size()) + " orders hold no secret" +
                    (decrypted ? " and no decrypted receiver data" : " (receiver data not decryptable)"));
}

}  // namespace erp::testkit
