// The intercept workflow's decisions (rules I1-I9). Every decision is one transaction that also
// writes the order's event (with the rule id) and the outbox rows for the memo and the warehouse,
// so a crash leaves either the whole decision or none of it.

#include "workflows/intercept/intercept_service.hpp"

#include <algorithm>
#include <set>

#include "core/order_status.hpp"
#include "core/time_format.hpp"
#include "workflows/intercept/memo_text.hpp"

namespace erp::daemon::workflows::intercept {
namespace {

using store::Intercept;
using store::InterceptState;
using Kind = Refusal::Kind;

constexpr const char* kWorkflowOwner = "workflow:intercept";
constexpr auto kChinaOffset = std::chrono::hours{8};
// Enough for any one sale day's intercepts of a shop; a larger backlog is taken on the next call.
constexpr int kBatch = 1000;

Refusal refuse(Kind kind, std::string message) { return Refusal{kind, std::move(message), std::nullopt}; }

bool covers(const Intercept& intercept, const std::string& line_id) {
  return intercept.line_ids.empty() ||
         std::find(intercept.line_ids.begin(), intercept.line_ids.end(), line_id) != intercept.line_ids.end();
}

std::vector<const sdk::OrderLine*> covered_lines(const sdk::Order& order, const Intercept& intercept) {
  std::vector<const sdk::OrderLine*> out;
  for (const auto& line : order.lines) {
    if (covers(intercept, line.line_id)) out.push_back(&line);
  }
  return out;
}

bool left_the_warehouse(sdk::OrderStatus status) {
  return status == sdk::OrderStatus::shipped || status == sdk::OrderStatus::completed;
}

/// The first covered line that already shipped, or "" (the whole order shipped: "order").
std::optional<std::string> shipped_part(const sdk::Order& order, const Intercept& intercept) {
  if (left_the_warehouse(order.status)) return std::string("order");
  for (const auto* line : covered_lines(order, intercept)) {
    if (left_the_warehouse(line->status)) return "line " + line->line_id;
  }
  return std::nullopt;
}

/// A completed refund or a closed order ends the intercept (I5: the buyer's refund is what
/// cancels the sale; the intercept only bridged until then).
bool refunded(const sdk::Order& order, const Intercept& intercept) {
  if (order.status == sdk::OrderStatus::closed) return true;
  const auto lines = covered_lines(order, intercept);
  return !lines.empty() && std::all_of(lines.begin(), lines.end(), [](const sdk::OrderLine* line) {
    return line->refund_status == sdk::RefundStatus::refunded || line->status == sdk::OrderStatus::closed;
  });
}

/// A covered line with a refund request under way (I7 keeps such orders locked).
std::optional<std::string> refund_requested(const sdk::Order& order, const Intercept& intercept) {
  for (const auto* line : covered_lines(order, intercept)) {
    const auto refund = line->refund_status;
    if (refund == sdk::RefundStatus::requested || refund == sdk::RefundStatus::in_progress ||
        refund == sdk::RefundStatus::refunded) {
      return "refund " + std::string(sdk::to_string(refund)) + " on line " + line->line_id;
    }
  }
  return std::nullopt;
}

std::string describe_lines(const std::vector<std::string>& lines) {
  if (lines.empty()) return "the whole order";
  std::string out = lines.size() == 1 ? "line " : "lines ";
  for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? ", " : "") + lines[i];
  return out;
}

std::string event_kind(InterceptState state) { return "intercept." + std::string(store::to_string(state)); }

/// The end of the day after `t`'s day, China time (I7's default: "the day after the sale event").
Instant end_of_next_day(Instant t) {
  using std::chrono::floor;
  using days = std::chrono::duration<std::int64_t, std::ratio<86400>>;
  const auto china_day = floor<days>(t + kChinaOffset);
  return std::chrono::time_point_cast<std::chrono::milliseconds>(china_day + days{2}) - kChinaOffset;
}

}  // namespace

InterceptService::InterceptService(store::Store& store, holds::ReleaseGate& gate, SettingsLookup settings,
                                   ServiceHooks hooks)
    : store_(store), gate_(gate), settings_(std::move(settings)), hooks_(std::move(hooks)) {}

Decision<Requested> InterceptService::request(const NewRequest& request, Instant now) {
  auto tx = store_.begin();
  const auto order = store_.get_order(*tx, request.key);
  if (!order) return {std::nullopt, refuse(Kind::not_found, "order " + request.key.to_string() + " not found")};
  auto decision = this->request(*tx, *order, request, now);
  // A refusal writes nothing, except "too late", which is a recorded result (I4).
  if (decision || (decision.refusal && decision.refusal->kind == Kind::too_late)) tx->commit();
  if (hooks_.wake_outbox) hooks_.wake_outbox();
  return decision;
}

Decision<Requested> InterceptService::request(store::Tx& tx, const store::StoredOrder& stored, const NewRequest& request,
                                              Instant now) {
  const sdk::Order& order = stored.order;
  const auto settings = settings_(request.key.shop);
  if (!settings || !settings->enabled) {
    return {std::nullopt, refuse(Kind::not_enabled, "intercept is not enabled for shop " + request.key.shop +
                                                        " (set workflows.intercept.memo or the shop's intercept.memo)")};
  }
  std::set<std::string> wanted;
  for (const auto& id : request.line_ids) {
    const bool known = std::any_of(order.lines.begin(), order.lines.end(),
                                   [&](const sdk::OrderLine& line) { return line.line_id == id; });
    if (!known) return {std::nullopt, refuse(Kind::invalid_input, "lines: order " + order.order_id + " has no line '" + id + "'")};
    if (!wanted.insert(id).second) return {std::nullopt, refuse(Kind::invalid_input, "lines: '" + id + "' is listed twice")};
  }
  if (order.status == sdk::OrderStatus::pending_payment) {
    return {std::nullopt, refuse(Kind::conflict, "order " + order.order_id + " is not paid; nothing ships before payment")};
  }
  if (order.status == sdk::OrderStatus::closed) {
    return {std::nullopt, refuse(Kind::conflict, "order " + order.order_id + " is closed (" + order.platform_status +
                                                     "); nothing is left to ship")};
  }
  if (auto open = store_.open_intercept(request.key)) {
    const bool covered = std::all_of(request.line_ids.begin(), request.line_ids.end(),
                                     [&](const std::string& id) { return covers(*open, id); }) &&
                         (open->line_ids.empty() || !request.line_ids.empty());
    if (covered) return {Requested{*open, true}, std::nullopt};
    return {std::nullopt, refuse(Kind::conflict, "order " + order.order_id + " already has intercept " +
                                                     std::to_string(open->id) + " on " + describe_lines(open->line_ids) +
                                                     "; cancel it and request again with every line")};
  }

  Intercept intercept;
  intercept.key = request.key;
  intercept.line_ids = request.line_ids;
  intercept.source = request.source;
  intercept.requested_by = request.requested_by;
  intercept.reason = request.reason;
  intercept.memo_text = settings->memo;
  intercept.requested_at = now;
  intercept.updated_at = now;
  intercept.decided_at = now;
  const std::string actor = request.requested_by;
  const std::string what = describe_lines(request.line_ids);

  if (const auto shipped = shipped_part(order, intercept)) {
    // I4: nothing to stop any more. No memo either: it would only confuse the after-sale.
    intercept.state = InterceptState::too_late;
    intercept.ended_at = now;
    intercept.detail = "too late: the " + *shipped + " already shipped; a paid parcel interception with the carrier "
                       "is the remaining way (I9)";
    intercept.id = store_.add_intercept(tx, intercept);
    record(tx, intercept, event_kind(intercept.state), actor, intercept.detail, "I4", now);
    count(intercept, "too_late");
    return {std::nullopt, Refusal{Kind::too_late, intercept.detail, intercept}};
  }

  if (request.source == "memo") {  // the text is on the platform already
    intercept.memo_written_at = order.modified_at;
    intercept.memo_seen_at = order.modified_at;
  }
  if (settings->level == Level::memo_only) {
    intercept.state = InterceptState::memo_only;
    intercept.detail = "memo only, not locked: this shop's orders go to the warehouse without erpd (I8)";
    intercept.id = store_.add_intercept(tx, intercept);
    record(tx, intercept, event_kind(intercept.state), actor, "intercept of " + what + ": " + intercept.detail, "I8", now);
  } else if (!stored.released) {
    intercept.id = store_.add_intercept(tx, intercept);
    lock_now(tx, intercept, actor, now);
  } else {
    intercept.state = InterceptState::awaiting_warehouse;
    intercept.warehouse_asked = true;
    intercept.decided_at.reset();
    intercept.detail = "released to the warehouse at " + format_cst(stored.released_at.value_or(now)) +
                       " CST: asked it to lock " + what + "; succeeds once it confirms";
    intercept.id = store_.add_intercept(tx, intercept);
    if (hooks_.warehouse_pushes && hooks_.warehouse_pushes()) enqueue_warehouse(tx, intercept, kLockKind, now);
    record(tx, intercept, event_kind(intercept.state), actor, intercept.detail, "I4", now);
  }
  if (request.source != "memo") {
    if (settings->memo_write) {
      enqueue_memo(tx, intercept, "intercept", now);  // I3
    } else {
      record(tx, intercept, "intercept.memo_skipped", "daemon", "this platform's adapter cannot write seller memos", "I3",
             now);
    }
  }
  count(intercept, store::to_string(intercept.state));
  return {Requested{intercept, false}, std::nullopt};
}

void InterceptService::lock_now(store::Tx& tx, Intercept& intercept, const std::string& actor, Instant now) {
  // I4: the daemon still holds the order, so the lock is in effect the moment this commits.
  store::NewHold hold;
  hold.reason_code = kInterceptHold;
  hold.owner = kWorkflowOwner;
  hold.rule_id = "I4";
  hold.note = "intercept " + std::to_string(intercept.id) + " of " + describe_lines(intercept.line_ids);
  intercept.hold_id = store_.add_hold(tx, intercept.key, hold, now);
  intercept.state = InterceptState::locked;
  intercept.was_locked = true;
  intercept.decided_at = now;
  intercept.updated_at = now;
  intercept.detail = "the daemon still held the order: locked at once";
  store_.update_intercept(tx, intercept);
  record(tx, intercept, event_kind(intercept.state), actor,
         "intercept of " + describe_lines(intercept.line_ids) + ": " + intercept.detail, "I4", now);
}

Decision<Intercept> InterceptService::confirm(std::int64_t id, bool locked, const std::string& by, const std::string& note,
                                              Instant now) {
  auto tx = store_.begin();
  auto intercept = store_.get_intercept(id);
  if (!intercept) return {std::nullopt, refuse(Kind::not_found, "intercept " + std::to_string(id) + " not found")};
  const std::string asked = locked ? "locked" : "too_late";
  if (intercept->state != InterceptState::awaiting_warehouse) {
    const bool same = locked ? intercept->state == InterceptState::locked && intercept->warehouse_asked
                             : intercept->state == InterceptState::too_late;
    if (same) return {*intercept, std::nullopt};  // the warehouse repeated its answer
    return {std::nullopt, Refusal{Kind::conflict,
                                  "intercept " + std::to_string(id) + " is " +
                                      std::string(store::to_string(intercept->state)) + " (" + intercept->detail +
                                      "); it no longer waits for the warehouse's answer",
                                  intercept}};
  }
  const std::string words = note.empty() ? std::string() : ": " + note;
  if (locked) {
    intercept->state = InterceptState::locked;
    intercept->was_locked = true;
    intercept->decided_at = now;
    intercept->updated_at = now;
    intercept->detail = "the warehouse confirmed the lock" + words;
    store_.update_intercept(*tx, *intercept);
    record(*tx, *intercept, event_kind(intercept->state), by, intercept->detail, "I4", now);
    count(*intercept, "locked");
  } else {
    intercept->decided_at = now;
    finish(*tx, *intercept, InterceptState::too_late, by,
           "too late: the warehouse could not stop it" + words +
               "; a paid parcel interception with the carrier is the remaining way (I9)",
           "I4", Memo::stays, now);
  }
  tx->commit();
  if (hooks_.wake_outbox) hooks_.wake_outbox();
  return {*intercept, std::nullopt};
}

Decision<Intercept> InterceptService::cancel(std::int64_t id, const std::string& by, const std::string& reason, Instant now) {
  auto tx = store_.begin();
  auto intercept = store_.get_intercept(id);
  if (!intercept) return {std::nullopt, refuse(Kind::not_found, "intercept " + std::to_string(id) + " not found")};
  if (!store::is_open(intercept->state)) {
    return {std::nullopt, Refusal{Kind::conflict,
                                  "intercept " + std::to_string(id) + " is already " +
                                      std::string(store::to_string(intercept->state)) + " (" + intercept->detail + ")",
                                  intercept}};
  }
  finish(*tx, *intercept, InterceptState::cancelled, by,
         "the buyer cancelled the intercept" + (reason.empty() ? std::string() : ": " + reason), "I6", Memo::take_off,
         now);
  tx->commit();
  if (hooks_.wake_outbox) hooks_.wake_outbox();
  return {*intercept, std::nullopt};
}

UnlockReport InterceptService::unlock_before(Instant before, const std::string& shop, const std::string& by, Instant now) {
  UnlockReport report;
  store::InterceptFilter filter;
  filter.states = {InterceptState::locked};
  filter.shop = shop;
  filter.requested_before = before;
  filter.limit = kBatch;
  for (const auto& candidate : store_.list_intercepts(filter)) {
    auto tx = store_.begin();
    auto intercept = store_.get_intercept(candidate.id);
    const auto order = store_.get_order(*tx, candidate.key);
    if (!intercept || !order || intercept->state != InterceptState::locked) continue;  // changed meanwhile
    if (auto why = refund_requested(order->order, *intercept)) {
      report.kept.emplace_back(*intercept, *why);
      continue;
    }
    finish(*tx, *intercept, InterceptState::unlocked, by,
           "no refund request by " + format_cst(before) + " CST: unlocked for shipping", "I7", Memo::take_off, now);
    tx->commit();
    report.unlocked.push_back(*intercept);
  }
  if (!report.unlocked.empty() && hooks_.wake_outbox) hooks_.wake_outbox();
  return report;
}

int InterceptService::unlock_due(Instant now) {
  store::InterceptFilter filter;
  filter.states = {InterceptState::locked};
  filter.limit = kBatch;
  int unlocked = 0;
  for (const auto& candidate : store_.list_intercepts(filter)) {
    const auto due = unlock_time(candidate);
    if (!due || *due > now) continue;
    auto tx = store_.begin();
    auto intercept = store_.get_intercept(candidate.id);
    const auto order = store_.get_order(*tx, candidate.key);
    if (!intercept || !order || intercept->state != InterceptState::locked) continue;
    if (refund_requested(order->order, *intercept)) continue;  // stays locked until the refund ends
    finish(*tx, *intercept, InterceptState::unlocked, "daemon",
           "no refund request by the shop's unlock time " + format_cst(*due) + " CST: unlocked for shipping", "I7",
           Memo::take_off, now);
    tx->commit();
    ++unlocked;
  }
  if (unlocked > 0 && hooks_.wake_outbox) hooks_.wake_outbox();
  return unlocked;
}

void InterceptService::memo_written(std::int64_t id, Instant now) {
  auto tx = store_.begin();
  auto intercept = store_.get_intercept(id);
  if (!intercept || intercept->memo_written_at) return;
  intercept->memo_written_at = now;
  intercept->updated_at = now;
  store_.update_intercept(*tx, *intercept);
  record(*tx, *intercept, "intercept.memo_written", "daemon",
         "seller memo written on the platform: \"" + intercept->memo_text + "\"", "I3", now);
  tx->commit();
}

void InterceptService::memo_cleared(std::int64_t id, Instant now) {
  auto tx = store_.begin();
  auto intercept = store_.get_intercept(id);
  if (!intercept) return;
  intercept->memo_written_at.reset();
  intercept->updated_at = now;
  store_.update_intercept(*tx, *intercept);
  record(*tx, *intercept, "intercept.memo_cleared", "daemon", "intercept text taken off the seller memo", "I6", now);
  tx->commit();
}

void InterceptService::on_order_changed(store::Tx& tx, const store::StoredOrder& stored, Instant now) {
  const sdk::Order& order = stored.order;
  const OrderKey key{order.platform, order.shop, order.order_id};
  const auto settings = settings_(order.shop);
  if (auto open = store_.open_intercept(key)) {
    // Endings the platform's facts bring apply whatever the shop's settings are now.
    const bool text_shown = has_intercept_text(order.memo, open->memo_text);
    if (refunded(order, *open)) {
      finish(tx, *open, InterceptState::resolved, "platform", "the refund completed; the intercepted lines are closed",
             "I5", Memo::stays, now);
    } else if (const auto shipped = shipped_part(order, *open)) {
      open->decided_at = open->decided_at.value_or(now);
      finish(tx, *open, InterceptState::too_late, "platform",
             "too late: the " + *shipped + " shipped on the platform; a paid parcel interception with the carrier "
             "is the remaining way (I9)",
             "I4", Memo::stays, now);
    } else if (!text_shown && open->memo_seen_at && order.modified_at >= *open->memo_seen_at) {
      // I6: a version showing the text was stored, and one no older no longer has it.
      finish(tx, *open, InterceptState::cancelled, "platform", "the intercept text was removed from the seller memo",
             "I6", Memo::gone, now);
    } else if (text_shown && !open->memo_seen_at) {
      open->memo_seen_at = order.modified_at;  // from now on its removal is the buyer's doing
      open->updated_at = now;
      store_.update_intercept(tx, *open);
    }
    return;
  }
  if (!settings || !settings->enabled) return;
  if (order.status != sdk::OrderStatus::paid && order.status != sdk::OrderStatus::partially_shipped) return;
  // Earlier intercepts are read only when the order asks for one: most orders a sync stores
  // carry neither the memo text nor a refund request, and this runs for every one of them.
  if (has_intercept_text(order.memo, settings->memo)) {
    // I3 from the platform side (TOP memo change, Douyin push tag 113). The text of an ended
    // intercept that is still to come off (memo_written_at kept until then), or a version from
    // before it ended, is no new request; nor is the text left on an order that was too late.
    const auto history = store_.intercepts_of(key);
    const Intercept* last = history.empty() ? nullptr : &history.front();
    const bool stale = last != nullptr && (last->state == InterceptState::too_late ||
                                           last->state == InterceptState::resolved || last->memo_written_at ||
                                           (last->ended_at && order.modified_at <= *last->ended_at));
    if (!stale) {
      NewRequest request{key, {}, "memo", "platform", "the seller memo says \"" + settings->memo + "\""};
      this->request(tx, stored, request, now);
    }
    return;
  }
  if (!settings->on_refund_request) return;
  const auto refund_asked = [](const sdk::OrderLine& line) {
    return line.status == sdk::OrderStatus::paid && (line.refund_status == sdk::RefundStatus::requested ||
                                                     line.refund_status == sdk::RefundStatus::in_progress);
  };
  if (std::none_of(order.lines.begin(), order.lines.end(), refund_asked)) return;
  const auto history = store_.intercepts_of(key);
  std::vector<std::string> lines;
  for (const auto& line : order.lines) {
    const bool seen = std::any_of(history.begin(), history.end(),
                                  [&](const Intercept& earlier) { return covers(earlier, line.line_id); });
    if (refund_asked(line) && !seen) lines.push_back(line.line_id);
  }
  if (!lines.empty()) {
    this->request(tx, stored, NewRequest{key, lines, "refund", "platform", "refund requested before shipment"}, now);
  }
}

Decision<std::optional<Intercept>> InterceptService::settle_shipment(store::Tx& tx, const OrderKey& key,
                                                                     const std::vector<std::string>& line_ids,
                                                                     Instant now) {
  auto open = store_.open_intercept(key);
  if (!open) return {std::optional<Intercept>{}, std::nullopt};
  std::optional<std::string> touched;
  if (line_ids.empty()) {
    touched = open->line_ids.empty() ? std::string("the order") : "line " + open->line_ids.front();
  } else {
    for (const auto& id : line_ids) {
      if (covers(*open, id)) {
        touched = "line " + id;
        break;
      }
    }
  }
  if (!touched) return {std::optional<Intercept>{}, std::nullopt};
  if (open->state == InterceptState::locked) {
    const std::string what = *touched == "the order" ? "order " + key.order_id : *touched + " of order " + key.order_id;
    return {std::nullopt, Refusal{Kind::conflict,
                                  what + " is intercepted (intercept " + std::to_string(open->id) +
                                      ", rule I4): the buyer asked not to ship it; cancel (I6) or unlock (I7) the "
                                      "intercept first",
                                  open}};
  }
  // The parcel left before the lock took: the shipment wins, the intercept is too late (I4).
  open->decided_at = open->decided_at.value_or(now);
  finish(tx, *open, InterceptState::too_late, "warehouse",
         "too late: the warehouse posted a shipment before it confirmed the lock; a paid parcel interception with "
         "the carrier is the remaining way (I9)",
         "I4", Memo::stays, now);
  return {std::optional<Intercept>{*open}, std::nullopt};
}

void InterceptService::finish(store::Tx& tx, Intercept& intercept, InterceptState state, const std::string& actor,
                              const std::string& reason, const char* rule, Memo memo, Instant now) {
  if (intercept.hold_id) {
    if (auto hold = store_.get_hold(*intercept.hold_id); hold && !hold->released_at) {
      store_.release_hold(tx, *intercept.hold_id, actor, "intercept " + std::string(store::to_string(state)), now);
    }
  }
  const bool release_for_shipping = state == InterceptState::cancelled || state == InterceptState::unlocked;
  if (release_for_shipping && intercept.warehouse_asked && hooks_.warehouse_pushes && hooks_.warehouse_pushes()) {
    enqueue_warehouse(tx, intercept, kUnlockKind, now);
  }
  const auto settings = settings_(intercept.key.shop);
  if (memo == Memo::take_off && settings && settings->memo_write) {
    enqueue_memo(tx, intercept, "clear", now);  // I6: the text comes off; the merchant's words stay
  } else if (memo != Memo::stays) {
    intercept.memo_written_at.reset();  // nothing of this intercept's is left to take off
  }
  intercept.state = state;
  intercept.ended_at = now;
  intercept.updated_at = now;
  intercept.detail = reason;
  store_.update_intercept(tx, intercept);
  record(tx, intercept, event_kind(state), actor, reason, rule, now);
  count(intercept, store::to_string(state));
  gate_.evaluate(tx, intercept.key, now);  // without its hold the order may go to the warehouse now
}

void InterceptService::enqueue_memo(store::Tx& tx, const Intercept& intercept, const char* purpose, Instant now) {
  store::NewOutboxItem item;
  item.idempotency_key = std::string(kMemoKind) + ":" + intercept.key.to_string() + "#intercept-" +
                         std::to_string(intercept.id) + "-" + purpose;
  item.kind = kMemoKind;
  item.target = intercept.key.shop;
  item.key = intercept.key;
  item.payload = {{"intercept_id", intercept.id}, {"purpose", purpose}};
  store_.enqueue(tx, item, now);
}

void InterceptService::enqueue_warehouse(store::Tx& tx, const Intercept& intercept, const char* kind, Instant now) {
  store::NewOutboxItem item;
  item.idempotency_key = std::string(kind) + ":" + intercept.key.to_string() + "#intercept-" + std::to_string(intercept.id);
  item.kind = kind;
  item.target = "warehouse";
  item.key = intercept.key;
  item.payload = {{"intercept_id", intercept.id}, {"line_ids", intercept.line_ids}};
  store_.enqueue(tx, item, now);
}

void InterceptService::record(store::Tx& tx, const Intercept& intercept, const std::string& kind, const std::string& actor,
                              const std::string& reason, const char* rule, Instant now) {
  store::NewEvent event;
  event.kind = kind;
  event.actor = actor;
  event.rule_id = rule;
  event.reason = reason;
  event.detail = {{"intercept_id", intercept.id},
                  {"state", store::to_string(intercept.state)},
                  {"lines", intercept.line_ids},
                  {"source", intercept.source}};
  store_.append_event(tx, intercept.key, event, now);
}

std::optional<Instant> InterceptService::unlock_time(const Intercept& intercept) const {
  const auto settings = settings_(intercept.key.shop);
  if (!settings || settings->unlock_never) return std::nullopt;
  // A configured time is for the intercepts of the sale it was set for; one requested after it
  // waits the default day instead of being unlocked on the next pass.
  if (settings->unlock_at && intercept.requested_at < *settings->unlock_at) return settings->unlock_at;
  return end_of_next_day(intercept.requested_at);
}

void InterceptService::count(const Intercept& intercept, std::string_view outcome) const {
  if (hooks_.count) hooks_.count(intercept.key.shop, outcome);
}

}  // namespace erp::daemon::workflows::intercept
