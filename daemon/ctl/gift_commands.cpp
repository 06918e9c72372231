#include "ctl/gift_commands.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "ctl/render.hpp"

namespace erp::daemon::ctl {
namespace {

using nlohmann::json;

/// Prints the API's JSON as it came (--json) or the rendering for people.
int print(const GiftArgs& args, const std::string& raw, const std::string& rendered) {
  print_answer(args.json, raw, rendered);
  return kOk;
}

}  // namespace

int gift_list(const GiftArgs& args) {
  std::string query;
  for (const char* name : {"state", "platform", "shop", "limit"}) {
    const auto it = args.options.find(name);
    if (it != args.options.end()) query += std::string(query.empty() ? "?" : "&") + name + "=" + escape(it->second);
  }
  Failure failure;
  std::string raw;
  auto answer = args.client.call("GET", "/v1/gifts" + query, "", failure, &raw);
  if (!answer) return failed(failure);
  return print(args, raw, render_gifts((*answer)["reservations"]));
}

int gift_show(const GiftArgs& args) {
  Failure failure;
  auto path = args.order_path(args.words.at(0), failure);
  if (!path) return failed(failure);
  std::string raw;
  auto answer = args.client.call("GET", *path + "/gift", "", failure, &raw);
  if (!answer) return failed(failure);
  return print(args, raw, render_gift(*answer));
}

int alerts_clear(const GiftArgs& args) {
  const json body{{"kind", args.words.at(0)}, {"subject", args.words.at(1)}, {"by", args.by}};
  Failure failure;
  std::string raw;
  auto cleared = args.client.call("POST", "/v1/alerts/clear", body.dump(), failure, &raw);
  if (!cleared) return failed(failure);
  return print(args, raw, render_alert_cleared(*cleared));
}

}  // namespace erp::daemon::ctl
