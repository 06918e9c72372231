#pragma once
// The factory API (rules D2, D5-D8, D10; docs/dropship.md "Factory API"): the routes under
// /v1/factory/, which the router answers only to a factory's own token
// (workflows.dropship.factories[].token_file), never to the daemon's, and which are scoped to
// that factory: another factory's binding or line is "not found". A factory confirms or ends its
// bindings, lists its lines, fetches a receiver for printing (decrypted on demand, every
// hand-out audited) and posts its shipment, which the daemon uploads to the platform for the
// merchant through the outbox.

#include <map>
#include <string>
#include <vector>

#include "api/router.hpp"
#include "config/config.hpp"

namespace erp::daemon::workflows::dropship {
class DropshipService;
}

namespace erp::daemon::api::factory_routes {

/// What a factory route sees: the factory the token belongs to, the path parameters and query.
struct FactoryCall {
  ApiDeps& deps;
  workflows::dropship::DropshipService& service;
  const config::FactoryConfig& factory;
  const std::vector<std::string>& params;
  const std::map<std::string, std::string>& query;
  const std::string& body;
};

/// GET /v1/factory/me: {id, name, ships: merchant | factory}.
ApiResponse get_me(const FactoryCall& c);
/// GET /v1/factory/bindings: the factory's bindings.
ApiResponse list_bindings(const FactoryCall& c);
/// POST /v1/factory/bindings/{id}/confirm (D2).
ApiResponse confirm_binding(const FactoryCall& c);
/// POST /v1/factory/bindings/{id}/unbind (D2, by the factory).
ApiResponse end_binding(const FactoryCall& c);
/// GET /v1/factory/lines?state=&after=&limit=: {"lines", "next_after"}, its own lines only (D5).
ApiResponse list_lines(const FactoryCall& c);
/// GET /v1/factory/lines/{id}.
ApiResponse get_line(const FactoryCall& c);
/// POST /v1/factory/lines/{id}/receiver: the receiver for printing, audited (D10).
ApiResponse post_receiver(const FactoryCall& c);
/// POST /v1/factory/lines/{id}/shipment {"carrier", "waybill"}: 202, or 409 already_shipped (D7),
/// buyer_cancelled (D8), not_assigned.
ApiResponse post_shipment(const FactoryCall& c);

}  // namespace erp::daemon::api::factory_routes
