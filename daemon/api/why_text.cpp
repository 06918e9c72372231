#include "api/why_text.hpp"

#include "core/time_format.hpp"

namespace erp::daemon::api::why {
namespace {

using nlohmann::json;

std::string detail_string(const json& detail, std::initializer_list<const char*> names) {
  if (!detail.is_object()) return {};
  for (const char* name : names) {
    if (auto it = detail.find(name); it != detail.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

std::optional<std::int64_t> detail_int(const json& detail, std::initializer_list<const char*> names) {
  if (!detail.is_object()) return std::nullopt;
  for (const char* name : names) {
    if (auto it = detail.find(name); it != detail.end()) {
      if (it->is_number_integer()) return it->get<std::int64_t>();
      if (it->is_array()) return static_cast<std::int64_t>(it->size());
    }
  }
  return std::nullopt;
}

std::string capitalized(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

// "paid" as a merchant says it; unknown names pass through.
std::string status_words(std::string_view status) {
  if (status == "pending_payment") return "waiting for payment";
  if (status == "partially_shipped") return "partly shipped";
  return std::string(status);
}

std::string with_reason(std::string sentence, const std::string& reason) {
  if (!reason.empty()) sentence += ": " + reason;
  return sentence;
}

std::string at_local(Instant t) { return format_cst(t) + " (UTC+8)"; }

std::string received_text(const store::Event& e) {
  std::vector<std::string> facts;
  if (auto status = detail_string(e.detail, {"status"}); !status.empty()) facts.push_back(status_words(status));
  const auto lines = detail_int(e.detail, {"line_count", "lines"});
  const auto total = detail_int(e.detail, {"total_fen"});
  // The store's own sentence carries lines and total when its detail does not.
  if ((!lines || !total) && e.reason.starts_with("received from the platform")) return "Order " + e.reason;
  if (lines) facts.push_back(std::to_string(*lines) + (*lines == 1 ? " line" : " lines"));
  if (total) facts.push_back(sdk::format_yuan(sdk::Money{*total}) + " yuan");
  if (facts.empty()) return with_reason("Order received from the platform", e.reason);
  std::string text = "Order received from the platform: ";
  for (std::size_t i = 0; i < facts.size(); ++i) text += (i > 0 ? ", " : "") + facts[i];
  return text;
}

std::string hold_added_text(const store::Event& e, const store::Hold* hold) {
  const std::string actor = hold ? hold->owner : e.actor;
  std::string why = hold ? (hold->note.empty() ? hold->reason_code : hold->note) : e.reason;
  std::string text = with_reason("Held by " + describe_actor(actor), why);
  auto until = hold ? hold->auto_release_at : parse_rfc3339(detail_string(e.detail, {"auto_release_at"}));
  if (until) text += " (lifts itself at " + at_local(*until) + ")";
  return text;
}

std::string hold_released_text(const store::Event& e, const store::Hold* hold) {
  std::string what = "Hold";
  if (auto id = detail_int(e.detail, {"hold_id"})) what += " #" + std::to_string(*id);
  if (hold && !hold->note.empty()) what += " (" + hold->note + ")";
  const std::string reason = hold ? hold->release_reason : e.reason;
  return with_reason(what + " lifted by " + describe_actor(e.actor), reason);
}

std::string generic_text(const store::Event& e) {
  std::string words = e.kind;
  for (char& c : words) {
    if (c == '.' || c == '_') c = ' ';
  }
  return with_reason(capitalized(words.empty() ? "Event" : words), e.reason);
}

}  // namespace

std::string describe_actor(std::string_view actor) {
  if (actor.empty() || actor == "daemon" || actor == "erpd" || actor == "system") return "erpd";
  if (actor == "platform") return "the platform";
  if (actor == "api") return "the API";
  if (actor == "warehouse") return "the warehouse";
  const auto colon = actor.find(':');
  if (colon == std::string_view::npos) return std::string(actor);
  const std::string_view kind = actor.substr(0, colon);
  const std::string_view name = actor.substr(colon + 1);
  if (kind == "workflow") return "the " + std::string(name) + " workflow";
  if (kind == "platform") return "the platform (" + std::string(name) + ")";
  return std::string(kind) + " " + std::string(name);
}

std::string describe_hold(const store::Hold& hold) {
  std::string text = describe_actor(hold.owner);
  if (!hold.rule_id.empty()) text += " (rule " + hold.rule_id + ")";
  std::string why = hold.note.empty() ? hold.reason_code : hold.note;
  if (!why.empty()) text += ": " + why;
  if (hold.auto_release_at) text += ", until " + at_local(*hold.auto_release_at);
  return text;
}

std::string event_text(const store::Event& event, const store::Hold* hold) {
  if (event.kind == "order.received") return received_text(event);
  if (event.kind == "order.updated") return with_reason("Order updated by the platform", event.reason);
  if (event.kind == "hold.added") return hold_added_text(event, hold);
  if (event.kind == "hold.released") return hold_released_text(event, hold);
  if (event.kind == "order.released") {
    // The gate's reason is "no hold remains; handed to the warehouse": say the first half once.
    const bool plain = event.reason.empty() || event.reason.starts_with("no hold remains");
    return "Released to the warehouse: " + (plain ? std::string("no hold remains") : event.reason);
  }
  return generic_text(event);
}

std::string summary(const store::StoredOrder& stored) {
  using sdk::OrderStatus;
  const auto status = stored.order.status;
  if (stored.released) {
    std::string text = "Released to the warehouse";
    if (stored.released_at) text += " at " + at_local(*stored.released_at);
    if (status == OrderStatus::shipped || status == OrderStatus::completed) {
      text += "; the platform now says " + std::string(sdk::to_string(status));
    } else if (status == OrderStatus::closed) {
      text += "; the order was closed on the platform since";
    }
    return text + ".";
  }
  if (!stored.holds.empty()) {
    if (stored.holds.size() == 1) return "Held by " + describe_hold(stored.holds.front()) + ".";
    std::string text = "Held by " + std::to_string(stored.holds.size()) + " holds: ";
    for (std::size_t i = 0; i < stored.holds.size(); ++i) {
      text += (i > 0 ? "; " : "") + describe_hold(stored.holds[i]);
    }
    return text + ".";
  }
  switch (status) {
    case OrderStatus::pending_payment:
      return "Not released: the buyer has not paid yet.";
    case OrderStatus::closed:
      return "Not released: the order was closed on the platform.";
    case OrderStatus::shipped:
    case OrderStatus::completed:
      return "Not released through erpd: the platform says it is already " + std::string(sdk::to_string(status)) + ".";
    case OrderStatus::paid:
    case OrderStatus::partially_shipped:
      break;
  }
  return "Not released yet: no hold remains; the release gate has not run for it since the last change.";
}

json why_json(const store::StoredOrder& order, const std::vector<store::Event>& events,
              const std::vector<store::Hold>& holds) {
  json entries = json::array();
  for (const auto& e : events) {
    const store::Hold* hold = nullptr;
    if (auto id = detail_int(e.detail, {"hold_id"})) {
      for (const auto& h : holds) {
        if (h.id == *id) hold = &h;
      }
    }
    entries.push_back(json{{"at", format_rfc3339(e.at)},
                           {"at_local", format_cst(e.at)},
                           {"kind", e.kind},
                           {"rule_id", e.rule_id},
                           {"actor", e.actor},
                           {"text", event_text(e, hold)}});
  }
  const OrderKey key{order.order.platform, order.order.shop, order.order.order_id};
  return json{{"order", key.to_string()}, {"summary", summary(order)}, {"entries", std::move(entries)}};
}

}  // namespace erp::daemon::api::why
