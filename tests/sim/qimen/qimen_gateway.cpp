// The WMS's Qimen endpoint (WAREHOUSE-QIMEN.md §2): POST /router/qimen/service with the system
// parameters in the query and the business payload as the raw body. Checks in this order, each
// refusal answered as <response> flag failure with HTTP 200 (the business result lives in flag):
// verb, format, method, customerId, app_key, sign_method, sign; then the fault draw; then the
// body; then the method itself.

#include <algorithm>
#include <array>

#include "qimen/qimen_impl.hpp"

namespace erp::sim::qimen {
namespace {

// The ERP's calls this WMS serves, by short name (callers may use either spelling).
constexpr std::array<const char*, 2> kServed = {"deliveryorder.create", "order.cancel"};
// Kept per WMS for GET /admin/state; older entries go first.
constexpr std::size_t kMaxReceived = 10000;

/// The answer in the caller's format, with the Content-Type of that format.
Response render(Format format, const Reply& reply, int http_status = 200) {
  Tree fields = Tree::object();
  fields["flag"] = reply.ok ? "success" : "failure";
  fields["code"] = reply.code;
  fields["message"] = reply.message;
  for (const auto& [key, value] : reply.extra.items()) fields[key] = value;
  Response response;
  response.status = http_status;
  response.content_type = content_type(format);
  response.body = write_response(format, fields);
  return response;
}

/// What a proxy in front of a failing WMS answers: no Qimen body at all.
Response bad_gateway() {
  Response response;
  response.status = 502;
  response.content_type = "text/html";
  response.body = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
  return response;
}

std::string short_name(const std::string& method) {
  const std::string prefix = kMethodPrefix;
  return method.rfind(prefix, 0) == 0 ? method.substr(prefix.size()) : method;
}

/// The document code a call is about, for the record of received calls.
std::string code_of(const std::string& short_method, const Tree& body) {
  if (short_method == "deliveryorder.create") {
    const Tree* order = child(body, "deliveryOrder");
    return order == nullptr ? "" : text(*order, "deliveryOrderCode");
  }
  return text(body, "orderCode");
}


}  // namespace

Reply failure(std::string code, std::string message) {
  Reply reply;
  reply.ok = false;
  reply.code = std::move(code);
  reply.message = std::move(message);
  return reply;
}

bool QimenModuleImpl::serves(const Request& request) const { return request.path == kServicePath; }

Response QimenModuleImpl::transport_error(const Request& partial, int status, const std::string& message) const {
  // A request the transport refused (malformed HTTP, body over the limit) still gets the
  // standard's answer shape, in the format it asked for when that much was readable.
  const Format format = format_from_string(partial.query_value("format")).value_or(Format::xml);
  return render(format, failure(status >= 500 ? "service-unavailable" : "invalid-request", message), status);
}

Response QimenModuleImpl::handle(const Request& request) {
  // An unknown format is answered in XML, the standard's own format.
  const auto asked_format = format_from_string(request.query_value("format"));
  const Format format = asked_format.value_or(Format::xml);
  const std::string method = request.query_value("method");
  const std::string customer_id = request.query_value("customerId");
  const std::string short_method = short_name(method);
  std::string order_code;

  // Records the call on its WMS (when known) and renders the answer.
  auto finish = [&](const Reply& reply, const std::string& fault = "") {
    std::lock_guard lock(mutex_);
    const auto it = wms_.find(customer_id);
    if (it != wms_.end()) {
      auto& log = it->second.received;
      log.push_back({method, order_code, reply.ok ? "success" : "failure", reply.code, reply.message, fault});
      while (log.size() > kMaxReceived) log.pop_front();
    }
    return render(format, reply);
  };

  if (request.method != "POST") {
    Response refused = render(format, failure("invalid-http-method", "use POST, not " + request.method), 405);
    refused.headers.emplace_back("Allow", "POST");
    return refused;
  }
  if (!asked_format) {
    return finish(failure("invalid-format", "format '" + request.query_value("format") + "' is not xml or json"));
  }
  if (method.empty()) return finish(failure("missing-method", "the method parameter is missing"));
  if (std::find_if(kServed.begin(), kServed.end(), [&](const char* m) { return short_method == m; }) == kServed.end()) {
    return finish(failure("invalid-method",
                          "method '" + method + "' is not served by this WMS (deliveryorder.create, order.cancel)"));
  }
  if (customer_id.empty()) return finish(failure("invalid-customerId", "the customerId parameter is missing"));

  Shop shop;
  {
    std::lock_guard lock(mutex_);
    const auto it = wms_.find(customer_id);
    if (it == wms_.end()) {
      return render(format, failure("invalid-customerId", "customerId '" + customer_id + "' is not known here"));
    }
    shop = it->second.shop;
  }
  if (request.query_value("app_key") != shop.app_key) {
    return finish(failure("invalid-app-key", "app_key '" + request.query_value("app_key") +
                                                 "' is not the one of customerId " + customer_id));
  }
  const auto sign_method = sign_method_from_string(request.query_value("sign_method"));
  if (!sign_method) {
    return finish(
        failure("invalid-sign-method", "sign_method '" + request.query_value("sign_method") + "' is not md5 or hmac"));
  }
  const std::string given = request.query_value("sign");
  if (given.empty() || !same_signature(given, sign(request.query, request.body, shop.app_secret, *sign_method))) {
    return finish(failure("sign-check-failure", "Illegal request"));
  }

  // Faults come after authentication, as on TOP, so they never hide a signature problem.
  const Fault fault = context_.faults.draw(short_method == "order.cancel" ? kCancel : kCreate);
  if (fault == Fault::server_error) {
    finish(failure("service-unavailable", "fault injected: HTTP 502"), "server_error");
    return bad_gateway();
  }
  if (fault == Fault::rate_limit) {
    return finish(failure("access-limit", "the WMS refuses calls beyond its rate limit; retry later"), "rate_limit");
  }

  const ParsedBody parsed = parse_body(format, request.body);
  Reply reply;
  if (!parsed.tree) {
    reply = failure("invalid-body", parsed.error);
  } else {
    order_code = code_of(short_method, *parsed.tree);
    std::lock_guard lock(mutex_);
    const auto it = wms_.find(customer_id);
    if (it == wms_.end()) {
      reply = failure("invalid-customerId", "customerId '" + customer_id + "' is not known here");
    } else if (short_method == "deliveryorder.create") {
      reply = create(it->second, *parsed.tree);
    } else {
      reply = cancel(it->second, *parsed.tree);
    }
  }
  // A timed-out or truncated call has still done its work: the ERP just never learns the
  // answer, so its retry meets the stored order (create is idempotent on the code).
  // Only the faults this module acts on are recorded with the call.
  const bool acted_on = fault != Fault::none && fault != Fault::expired_session;
  Response response = finish(reply, acted_on ? fault_name(fault) : "");
  response.hang = fault == Fault::timeout;
  response.truncate = fault == Fault::truncated;
  return response;
}

}  // namespace erp::sim::qimen
