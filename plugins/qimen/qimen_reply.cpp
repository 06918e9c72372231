#include "plugins/qimen/qimen_reply.hpp"

#include "plugins/qimen/qimen_inbound.hpp"
#include "plugins/qimen/qimen_text.hpp"
#include "plugins/qimen/qimen_tree.hpp"

namespace erp::plugins::qimen {

sdk::PushReply qimen_reply(const sdk::WarehouseCall& call, const sdk::InboundOutcome& outcome) {
  Node envelope;
  envelope.name = "reply";
  Node& response = envelope.add("response");
  if (outcome.accepted) {
    response.leaf("flag", "success");
    response.leaf("code", "0");
    response.leaf("message", outcome.message.empty() ? std::string("success") : excerpt(outcome.message, 500));
  } else if (outcome.code == kSignCheckFailure || outcome.message.rfind("signature", 0) == 0) {
    // Nothing more: the caller could not prove who it is.
    response.leaf("flag", "failure");
    response.leaf("code", kSignCheckFailure);
    response.leaf("message", kIllegalRequest);
  } else {
    response.leaf("flag", "failure");
    response.leaf("code", outcome.code.empty() ? std::string("failure") : excerpt(outcome.code, 60));
    response.leaf("message", outcome.message.empty() ? std::string("refused") : excerpt(outcome.message, 500));
  }
  if (call_format(call) == Format::json) {
    return sdk::PushReply{200, "application/json;charset=utf-8", write_json(envelope)};
  }
  return sdk::PushReply{200, "text/xml;charset=utf-8", write_xml(response)};
}

}  // namespace erp::plugins::qimen
