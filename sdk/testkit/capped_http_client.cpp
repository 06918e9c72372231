#include "testkit/capped_http_client.hpp"

#include <algorithm>
#include <utility>

namespace erp::testkit {

CappedHttpClient::CappedHttpClient(std::shared_ptr<sdk::HttpClient> inner, std::chrono::milliseconds cap)
    : inner_(std::move(inner)), cap_ms_(cap.count()) {}

void CappedHttpClient::set_cap(std::chrono::milliseconds cap) noexcept { cap_ms_.store(cap.count()); }

std::chrono::milliseconds CappedHttpClient::cap() const noexcept { return std::chrono::milliseconds{cap_ms_.load()}; }

sdk::Result<sdk::HttpResponse> CappedHttpClient::send(const sdk::HttpRequest& request) noexcept {
  try {
    sdk::HttpRequest bounded = request;
    bounded.timeout = std::min(request.timeout, cap());
    return inner_->send(bounded);
  } catch (...) {
    return sdk::fail(sdk::ErrorCode::internal, "out of memory copying a request");
  }
}

}  // namespace erp::testkit
