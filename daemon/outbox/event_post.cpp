#include "outbox/event_post.hpp"

namespace erp::daemon::outbox {

using sdk::ErrorCode;
using sdk::fail;

sdk::Result<void> post_event(sdk::HttpClient& http, const EventPost& post) noexcept {
  try {
    sdk::HttpRequest request;
    request.method = "POST";
    request.url = post.url;
    request.timeout = post.timeout;
    request.body = post.body;
    request.headers = {{"Content-Type", "application/json"},
                       {"Idempotency-Key", post.idempotency_key},
                       {"X-Erpd-Event", post.event}};
    if (post.bearer) request.headers.emplace_back("Authorization", "Bearer " + *post.bearer);
    auto response = http.send(request);
    if (!response) return std::move(response).error();
    const int status = response->status;
    if ((status >= 200 && status < 300) || status == 409) return {};
    const std::string what = post.receiver + " answered HTTP " + std::to_string(status);
    if (status == 408 || status == 429 || status >= 500) return fail(ErrorCode::transient, what);
    return fail(ErrorCode::invalid_input, what + " (the event was refused; fix it, then retry)");
  } catch (const std::exception& e) {
    return fail(ErrorCode::transient, std::string("posting the event failed: ") + e.what());
  }
}

}  // namespace erp::daemon::outbox
