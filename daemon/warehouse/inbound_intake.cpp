#include "warehouse/inbound_intake.hpp"

#include <spdlog/spdlog.h>

#include "core/time_format.hpp"

namespace erp::daemon::warehouse {

InboundIntake::InboundIntake(InboundDeps deps, metrics::Registry& metrics) : deps_(std::move(deps)), metrics_(metrics) {
  metrics_.describe("erpd_warehouse_inbound_total", "counter",
                    "Calls from the warehouse on its inbound path, by what they reported (event) and "
                    "outcome (applied; duplicate: applied before; refused: not applicable, told why; failed: not "
                    "stored, to be sent again; rejected: signature or body refused)");
}

void InboundIntake::configure(std::string path, std::shared_ptr<sdk::WarehouseConnector> connector) {
  std::lock_guard lock(mutex_);
  path_ = connector ? std::move(path) : std::string();
  connector_ = std::move(connector);
}

bool InboundIntake::is_inbound_path(const std::string& path) const {
  std::lock_guard lock(mutex_);
  return !path_.empty() && path == path_;
}

void InboundIntake::count(const std::string& event, const char* outcome) {
  metrics_.add("erpd_warehouse_inbound_total", {{"event", event}, {"outcome", outcome}});
}

sdk::PushReply InboundIntake::answer(sdk::WarehouseConnector& connector, const sdk::WarehouseCall& call,
                                     const sdk::InboundOutcome& outcome) {
  try {
    return connector.inbound_reply(call, outcome);
  } catch (const std::exception& e) {
    spdlog::error("warehouse: the connector could not build its answer: {}", e.what());
    return sdk::PushReply{500, "text/plain", "erpd: the connector could not build its answer\n"};
  }
}

sdk::PushReply InboundIntake::receive(const sdk::WarehouseCall& call) {
  std::shared_ptr<sdk::WarehouseConnector> connector;
  std::string path;
  {
    std::lock_guard lock(mutex_);
    connector = connector_;
    path = path_;
  }
  if (!connector) return sdk::PushReply{404, "application/json", R"({"error":"no warehouse connector"})"};

  sdk::Result<sdk::WarehouseMessages> parsed = sdk::fail(sdk::ErrorCode::internal, "not read");
  try {
    parsed = connector->parse_inbound(call);
  } catch (const std::exception& e) {
    parsed = sdk::fail(sdk::ErrorCode::internal, std::string("the connector failed reading the call: ") + e.what());
  }
  if (!parsed) {
    // The body is not logged: a warehouse's message may carry receiver data.
    spdlog::warn("warehouse: call on {} refused ({}): {}", path, sdk::to_string(parsed.error().code),
                 parsed.error().message);
    count("unread", "rejected");
    return answer(*connector, call, {false, std::string(sdk::to_string(parsed.error().code)), parsed.error().message});
  }

  InboundDeps deps = deps_;
  deps.lock_cancels_delivery = connector->lock_cancels_delivery();
  for (const auto& event : parsed->events) {
    const std::string label(to_string(event.kind));
    EventResult result;
    try {
      result = apply_warehouse_event(deps, event, now_utc());
    } catch (const std::exception& e) {
      spdlog::error("warehouse: storing a {} of delivery {} failed (the warehouse will send it again): {}", label,
                    event.delivery_code, e.what());
      count(label, "failed");
      return answer(*connector, call, {false, "transient", "erpd could not store it now; send it again"});
    }
    if (result.outcome == EventResult::Outcome::refused) {
      spdlog::warn("warehouse: {} of delivery {} refused: {}", label, event.delivery_code, result.error.message);
      count(label, "refused");
      return answer(*connector, call, {false, std::string(sdk::to_string(result.error.code)), result.error.message});
    }
    const bool duplicate = result.outcome == EventResult::Outcome::duplicate;
    count(label, duplicate ? "duplicate" : "applied");
    if (!duplicate) spdlog::info("warehouse: {} of delivery {} applied", label, event.delivery_code);
  }
  return answer(*connector, call, {true, "0", "ok"});
}

}  // namespace erp::daemon::warehouse
