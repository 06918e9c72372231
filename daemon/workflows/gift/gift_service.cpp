#include "workflows/gift/gift_service.hpp"

#include <algorithm>

#include "core/time_format.hpp"
#include "shipping/shipment_recorder.hpp"
#include "workflows/gift/gift_match.hpp"
#include "workflows/gift/waybill_choice.hpp"

namespace erp::daemon::workflows::gift {
namespace {

using nlohmann::json;
using sdk::OrderStatus;
using store::GiftLink;
using store::GiftLinkState;
using store::GiftReservation;
using store::ReservationState;

/// The only platform with the 1-yuan reservation program (G1).
constexpr std::string_view kTmallPlatform = "tmall";
/// Tmall links at most this many reservation orders to one repurchase (G3).
constexpr std::size_t kMaxLinks = 12;

OrderKey key_of(const sdk::Order& order) { return OrderKey{order.platform, order.shop, order.order_id}; }

bool open_for_shipping(OrderStatus status) {
  return status == OrderStatus::paid || status == OrderStatus::partially_shipped;
}

bool shipped(OrderStatus status) {
  return status == OrderStatus::shipped || status == OrderStatus::partially_shipped ||
         status == OrderStatus::completed;
}

/// Closed, or every line refunded: nothing of it ships any more.
bool gone(const sdk::Order& order) {
  if (order.status == OrderStatus::closed) return true;
  return !order.lines.empty() &&
         std::all_of(order.lines.begin(), order.lines.end(), [](const sdk::OrderLine& line) { return refunded(line); });
}

/// Earliest paid first (G3); an unknown payment time last; then by order id, so the choice repeats.
bool paid_earlier(const GiftReservation& a, const GiftReservation& b) {
  if (a.paid_at != b.paid_at) {
    if (!a.paid_at) return false;
    if (!b.paid_at) return true;
    return *a.paid_at < *b.paid_at;
  }
  return a.key.order_id < b.key.order_id;
}

/// G7: created earlier (then the smaller order id) is the repurchase a reservation ships with.
bool created_earlier(const sdk::Order& a, const sdk::Order& b) {
  if (a.created_at != b.created_at) return a.created_at < b.created_at;
  return a.order_id < b.order_id;
}

bool has_reason(const std::vector<store::Hold>& holds, const char* reason) {
  return std::any_of(holds.begin(), holds.end(), [&](const store::Hold& h) { return h.reason_code == reason; });
}

/// The carrier code the warehouse posted with `waybill`, if it shipped the parcel through the
/// API: the platform names the carrier on the line, but an upload needs the code.
std::string posted_carrier(store::Store& store, const OrderKey& main, const std::string& waybill) {
  for (const auto& event : store.events(main)) {
    if (event.kind != "shipment.posted") continue;
    for (const auto& package : event.detail.value("packages", json::array())) {
      if (package.value("waybill", "") == waybill) return package.value("carrier", "");
    }
  }
  return {};
}

}  // namespace

GiftService::GiftService(store::Store& store, holds::ReleaseGate& gate, SettingsLookup settings, GiftHooks hooks)
    : store_(store), gate_(gate), settings_(std::move(settings)), hooks_(std::move(hooks)) {}

bool GiftService::is_reservation(const OrderKey& key) { return store_.get_reservation(key).has_value(); }

void GiftService::on_order_changed(store::Tx& tx, const store::StoredOrder& order, Instant now) {
  // The program is Tmall's (G1; the config refuses gifts elsewhere): every other order is spared
  // the reads below on the path each fetched order walks.
  if (order.order.platform != kTmallPlatform) return;
  const OrderKey key = key_of(order.order);
  if (auto reservation = store_.get_reservation(key)) {
    on_reservation_changed(tx, order, std::move(*reservation), now);
    return;
  }
  const auto settings = settings_(key.shop);
  std::optional<OrderKey> awaited_by;
  {
    std::lock_guard lock(mutex_);
    if (auto it = awaited_.find(key.to_string()); it != awaited_.end()) {
      awaited_by = it->second.main;
      awaited_.erase(it);
    }
  }
  if (awaited_by) {
    // G1: a repurchase's tag named it, so it is a reservation order whatever its price says.
    start_reservation(tx, order, "tag", now);
    // A repurchase still held takes it now; one that left meanwhile missed the gift.
    const bool platform_mode = settings && settings->mode == config::GiftMode::platform;
    const auto main = store_.get_order(*awaited_by);
    if (platform_mode && main && (main->released || shipped(main->order.status))) {
      late_tag(tx, main->order, {key.order_id}, now);
    } else if (main) {
      retry_main(tx, *awaited_by, now);
    }
    return;
  }
  if (settings && settings->enabled) {
    if (auto by = recognise_reservation(order.order, *settings)) {
      start_reservation(tx, order, *by, now);
      return;
    }
  }
  on_main_changed(tx, order, settings, now);
}

// ---- reservation orders ------------------------------------------------------------------------

void GiftService::start_reservation(store::Tx& tx, const store::StoredOrder& order, const std::string& by,
                                    Instant now) {
  const sdk::Order& o = order.order;
  GiftReservation r;
  r.key = key_of(o);
  r.buyer_ref = o.buyer_ref;
  r.paid_at = o.paid_at;
  r.pieces = live_pieces(o);
  r.recognised_by = by;
  r.created_at = now;
  r.updated_at = now;
  std::string reason = "a 1-yuan reservation order (recognised by its " +
                       std::string(by == "tag" ? "repurchase's tag" : by) + "): it ships only with the buyer's repurchase";
  if (gone(o)) {
    r.state = ReservationState::closed;
    r.ended_at = now;
    reason += "; already refunded or closed, so no gift is owed (G11)";
  } else if (shipped(o.status)) {
    r.state = ReservationState::shipped;
    r.ended_at = now;
    reason += "; already shipped";
  } else if (order.released) {
    // The warehouse has it as a normal order: only a person can stop that parcel now.
    alert(tx, kAlertWarehouseStale, r.key, r.key.to_string(), "G1",
          "reservation order " + o.order_id +
              " was released to the warehouse before it was recognised; stop it there (it must ship only with "
              "the buyer's repurchase)",
          now);
    reason += "; it was already released to the warehouse";
  } else {
    store::NewHold hold;
    hold.reason_code = kReservationHold;
    hold.owner = kOwner;
    hold.rule_id = "G1";
    hold.note = "1-yuan reservation order: ships only in the buyer's repurchase parcel";
    r.hold_id = store_.add_hold(tx, r.key, hold, now);
  }
  store_.put_reservation(tx, r);
  record(tx, r.key, "gift.reservation", reason, "G1", {{"recognised_by", by}, {"pieces", r.pieces}}, now);
}

void GiftService::on_reservation_changed(store::Tx& tx, const store::StoredOrder& order, GiftReservation r,
                                         Instant now) {
  if (r.state == ReservationState::shipped || r.state == ReservationState::closed) return;
  const sdk::Order& o = order.order;
  if (gone(o)) {
    const bool refund = std::any_of(o.lines.begin(), o.lines.end(),
                                    [](const sdk::OrderLine& line) { return line.refund_status == sdk::RefundStatus::refunded; });
    close_reservation(tx, r, refund ? "the buyer was refunded" : "the platform closed it", now);
    return;
  }
  if (shipped(o.status)) {
    reservation_shipped(tx, r, o, now);
    return;
  }
  const std::int64_t pieces = live_pieces(o);
  if (pieces != r.pieces || r.paid_at != o.paid_at || r.buyer_ref != o.buyer_ref) {
    r.pieces = pieces;
    r.paid_at = o.paid_at;
    r.buyer_ref = o.buyer_ref;
    r.updated_at = now;
    store_.put_reservation(tx, r);
  }
}

void GiftService::close_reservation(store::Tx& tx, GiftReservation& r, const std::string& why, Instant now) {
  if (auto link = store_.active_gift_link(r.key)) {
    drop(tx, *link, "reservation order " + r.key.order_id + " was refunded or closed: " + why, "G11", now);
  }
  if (r.hold_id) store_.release_hold(tx, *r.hold_id, kOwner, "no gift is owed: " + why, now);
  r.state = ReservationState::closed;
  r.ended_at = now;
  r.updated_at = now;
  store_.put_reservation(tx, r);
  record(tx, r.key, "gift.closed", "reservation closed without a gift: " + why, "G11", json::object(), now);
}

void GiftService::reservation_shipped(store::Tx& tx, GiftReservation& r, const sdk::Order& o, Instant now) {
  std::string waybill;
  for (const auto& line : o.lines) {
    if (!line.waybill.empty()) {
      waybill = line.waybill;
      break;
    }
  }
  std::string reason = "reservation order marked shipped" + (waybill.empty() ? "" : " with waybill " + waybill);
  if (auto link = store_.active_gift_link(r.key)) {
    if (!link->waybill.empty() && !waybill.empty() && waybill != link->waybill) {
      reason += " (its repurchase's last parcel was " + link->waybill + ")";
    }
    link->state = GiftLinkState::shipped;
    link->ended_at = now;
    link->updated_at = now;
    link->detail = reason;
    store_.update_gift_link(tx, *link);
    store_.clear_alert(tx, kAlertNotShipped, r.key.to_string(), now);
    record(tx, link->main, "gift.shipped", reason + ": " + r.key.order_id, "G5", {{"reservation", r.key.order_id}},
           now);
  } else {
    reason += ", with no repurchase linked by erpd";
  }
  if (r.hold_id) store_.release_hold(tx, *r.hold_id, kOwner, "shipped (G5)", now);
  r.state = ReservationState::shipped;
  r.ended_at = now;
  r.updated_at = now;
  store_.put_reservation(tx, r);
  record(tx, r.key, "gift.shipped", reason, "G5", {{"waybill", waybill}}, now);
}

// ---- repurchase (main) orders ------------------------------------------------------------------

void GiftService::on_main_changed(store::Tx& tx, const store::StoredOrder& order,
                                  const std::optional<config::GiftConfig>& settings, Instant now) {
  const sdk::Order& o = order.order;
  const OrderKey key = key_of(o);
  if (gone(o)) {
    // G11: the repurchase will not ship, so its gift lines come off and the reservations wait
    // for another repurchase.
    for (auto& link : store_.gift_links_of_main(key, false)) {
      if (link.state == GiftLinkState::linked) {
        drop(tx, link, "repurchase " + o.order_id + " was refunded or closed before it shipped", "G11", now);
      }
    }
    release_tag_window(tx, key, "the order was refunded or closed", now);
    forget_waiting(o);
    return;
  }
  settle_shipping(tx, order, settings ? &*settings : nullptr, now);
  if (!settings || !settings->enabled) return;
  const bool platform_mode = settings->mode == config::GiftMode::platform;
  if (platform_mode && !o.reservation_order_ids.empty() && (order.released || shipped(o.status))) {
    late_tag(tx, o, o.reservation_order_ids, now);
    return;
  }
  if (!open_for_shipping(o.status)) return;
  if (settings->mode == config::GiftMode::merchant) {
    link_by_rules(tx, order, *settings, now);
    return;
  }
  if (!o.reservation_order_ids.empty()) {
    forget_waiting(o);
    int linked = 0;
    if (link_tagged(tx, order, *settings, &linked, now) == 0) {
      release_tag_window(tx, key, "Tmall's reservation tag arrived", now);
    }
    resume_deferred(tx, o, now);  // G7: later repurchases of this buyer waited for this tag
    return;
  }
  wait_for_tag(tx, order, *settings, now);
}

void GiftService::wait_for_tag(store::Tx& tx, const store::StoredOrder& main, const config::GiftConfig& settings,
                               Instant now) {
  const sdk::Order& o = main.order;
  if (main.released || !o.paid_at) return;
  const Instant until = *o.paid_at + settings.tag_window;
  if (until <= now) return;  // paid long ago (a backfill, a restart): the tag would be here
  const OrderKey key = key_of(o);
  // Once per order: a window an operator lifted early is not opened again by the next update.
  if (has_reason(store_.holds(key), kTagWindowHold)) return;
  std::size_t reservations = 0;
  if (!o.buyer_ref.empty()) {
    reservations = store_.reservations_of_buyer(key.platform, key.shop, o.buyer_ref, ReservationState::waiting).size();
    if (reservations == 0) return;  // this buyer holds no reservation: there is no gift to wait for
  }
  store::NewHold hold;
  hold.reason_code = kTagWindowHold;
  hold.owner = kOwner;
  hold.rule_id = "G2";
  hold.note = "waits for Tmall's reservation tag until " + format_cst(until) + " CST (" +
              (reservations > 0 ? "the buyer holds " + std::to_string(reservations) + " reservation order(s)"
                                : std::string("the buyer is unknown")) +
              ")";
  hold.auto_release_at = until;
  store_.add_hold(tx, key, hold, now);
  note_waiting(o);
}

std::vector<GiftReservation> GiftService::resolve(store::Tx& tx, const sdk::Order& main,
                                                  const std::vector<std::string>& ids, std::size_t* missing,
                                                  std::chrono::milliseconds refetch_every, Instant now) {
  std::vector<GiftReservation> out;
  for (const auto& id : ids) {
    const OrderKey key{main.platform, main.shop, id};
    auto reservation = store_.get_reservation(key);
    if (!reservation) {
      if (auto stored = store_.get_order(key)) {
        start_reservation(tx, *stored, "tag", now);
        reservation = store_.get_reservation(key);
      }
    }
    if (!reservation) {
      ++*missing;
      bool ask = false;
      {
        std::lock_guard lock(mutex_);
        auto [it, fresh] = awaited_.try_emplace(key.to_string(), Awaited{key_of(main), now});
        // A fetch that failed is asked again, as a waiting repurchase is (G2).
        ask = fresh || it->second.asked + refetch_every <= now;
        if (ask) it->second.asked = now;
      }
      if (ask && hooks_.refetch) hooks_.refetch(key);
      continue;
    }
    if (reservation->state == ReservationState::waiting || reservation->state == ReservationState::linked) {
      out.push_back(std::move(*reservation));
    }
  }
  return out;
}

std::size_t GiftService::link_tagged(store::Tx& tx, const store::StoredOrder& main, const config::GiftConfig& settings,
                                     int* linked, Instant now) {
  const sdk::Order& o = main.order;
  const OrderKey key = key_of(o);
  std::vector<std::string> ids;
  for (const auto& id : o.reservation_order_ids) {
    auto active = store_.active_gift_link(OrderKey{key.platform, key.shop, id});
    if (!active || active->main != key) ids.push_back(id);
  }
  if (ids.empty()) return 0;
  if (main.released) {
    late_tag(tx, o, ids, now);
    return 0;
  }
  if (const auto earlier = earlier_waiting(tx, o)) {
    // G7: Tmall ships a reservation with the buyer's earliest-created repurchase; that one's tag
    // is still to come and will most likely name the same reservations, so this one waits for it.
    {
      std::lock_guard lock(mutex_);
      deferred_.insert(key.to_string());
    }
    bool said = false;
    for (const auto& event : store_.events(key)) said = said || event.kind == "gift.waits";
    if (!said) {
      record(tx, key, "gift.waits",
             "the buyer's earlier repurchase " + earlier->order_id +
                 " still waits for Tmall's tag; the reservations ship with the earliest repurchase, so this one waits "
                 "for it",
             "G7", {{"earlier", earlier->order_id}}, now);
    }
    if (!has_reason(store_.active_holds(tx, key), kTagWindowHold)) {
      store::NewHold hold;
      hold.reason_code = kTagWindowHold;
      hold.owner = kOwner;
      hold.rule_id = "G7";
      hold.note = "waits for the tag of the buyer's earlier repurchase " + earlier->order_id;
      hold.auto_release_at = now + settings.tag_window;
      store_.add_hold(tx, key, hold, now);
    }
    return 1;
  }
  std::size_t missing = 0;
  auto candidates = resolve(tx, o, ids, &missing, settings.refetch_every, now);
  *linked += link(tx, main, std::move(candidates), "G2", "tag", nullptr, now);
  if (missing > 0) {
    const auto holds = store_.active_holds(tx, key);
    if (!has_reason(holds, kTagWindowHold)) {
      // The tag names orders erpd has not stored (older than its backfill): they are being
      // fetched, and the repurchase waits for them at most one tag window.
      store::NewHold hold;
      hold.reason_code = kTagWindowHold;
      hold.owner = kOwner;
      hold.rule_id = "G2";
      hold.note = "waits for " + std::to_string(missing) + " tagged reservation order(s) to be fetched";
      hold.auto_release_at = now + settings.tag_window;
      store_.add_hold(tx, key, hold, now);
    }
  }
  return missing;
}

void GiftService::late_tag(store::Tx& tx, const sdk::Order& main, const std::vector<std::string>& ids, Instant now) {
  const OrderKey key = key_of(main);
  std::string owed;
  for (const auto& id : ids) {
    // Only reservations still waiting lack their gift: one linked to (or shipped with) another
    // repurchase, or closed, is owed nothing here.
    const auto reservation = store_.get_reservation(OrderKey{key.platform, key.shop, id});
    if (reservation && reservation->state != ReservationState::waiting) continue;
    if (!reservation && !store_.get_order(OrderKey{key.platform, key.shop, id})) continue;  // not here yet
    owed += (owed.empty() ? "" : ", ") + id;
  }
  if (owed.empty()) return;
  // G2: too late for the parcel. Tmall will still mark the reservations shipped with this order's
  // waybill, so a person must send the gift on its own.
  alert(tx, kAlertTagLate, key, key.to_string(), "G2",
        "Tmall's reservation tag (" + owed + ") was read after order " + main.order_id +
            " went to the warehouse; its gift is not in the parcel: send it separately",
        now);
}

void GiftService::link_by_rules(store::Tx& tx, const store::StoredOrder& main, const config::GiftConfig& settings,
                                Instant now) {
  const sdk::Order& o = main.order;
  const OrderKey key = key_of(o);
  if (main.released || !o.paid_at) return;
  // Once per repurchase: the decision is made when it is paid, not again on each update.
  if (!store_.gift_links_of_main(key, true).empty()) return;
  std::vector<GiftReservation> candidates;
  std::size_t missing = 0;
  if (!o.reservation_order_ids.empty()) {
    candidates = resolve(tx, o, o.reservation_order_ids, &missing, settings.refetch_every, now);
  }
  if (!o.buyer_ref.empty()) {
    for (auto& r : store_.reservations_of_buyer(key.platform, key.shop, o.buyer_ref, ReservationState::waiting)) {
      const bool known = std::any_of(candidates.begin(), candidates.end(),
                                     [&](const GiftReservation& c) { return c.key == r.key; });
      if (!known) candidates.push_back(std::move(r));
    }
  }
  if (candidates.empty()) return;
  const config::GiftRule* rule = nullptr;
  if (!settings.rules.empty()) {
    rule = match_rule(o, settings, [this](const std::string& name) { return store_.gift_rule_used(name); });
    if (!rule) {
      for (const auto& event : store_.events(key)) {
        if (event.kind == "gift.not_earned") return;
      }
      record(tx, key, "gift.not_earned",
             "the buyer holds " + std::to_string(candidates.size()) +
                 " reservation order(s), but this order meets none of the gift rules (or their stock is spent)",
             "G12", json::object(), now);
      return;
    }
  }
  link(tx, main, std::move(candidates), "G12", rule ? "rule:" + rule->name : std::string("merchant"), rule, now);
}

bool GiftService::claim(store::Tx& tx, const sdk::Order& main, const GiftReservation& reservation, Instant now) {
  auto active = store_.active_gift_link(reservation.key);
  if (!active) return true;
  const auto other = store_.get_order(active->main);
  if (!other) return false;
  if (!created_earlier(main, other->order) || active->state != GiftLinkState::linked || other->released) {
    for (const auto& event : store_.events(key_of(main))) {
      if (event.kind == "gift.not_linked" && event.detail.value("reservation", "") == reservation.key.order_id) {
        return false;  // said once; each later update of the order would only repeat it
      }
    }
    record(tx, key_of(main), "gift.not_linked",
           "reservation order " + reservation.key.order_id + " ships with repurchase " + active->main.order_id +
               (created_earlier(other->order, main) ? ", which was created earlier"
                                                    : ", which already went to the warehouse with it"),
           "G7", {{"reservation", reservation.key.order_id}, {"main", active->main.order_id}}, now);
    return false;
  }
  drop(tx, *active, "repurchase " + main.order_id + " was created earlier, so the reservation ships with it", "G7",
       now);
  return true;
}

int GiftService::link(store::Tx& tx, const store::StoredOrder& main, std::vector<GiftReservation> candidates,
                      const std::string& rule_id, const std::string& source, const config::GiftRule* rule,
                      Instant now) {
  const sdk::Order& o = main.order;
  const OrderKey key = key_of(o);
  std::size_t room = kMaxLinks - std::min(kMaxLinks, store_.gift_links_of_main(key, false).size());
  // G3: the 12 earliest-paid reservations.
  std::sort(candidates.begin(), candidates.end(), paid_earlier);
  std::int64_t used = rule ? store_.gift_rule_used(rule->name) : 0;
  int linked = 0;
  bool short_of_stock = false;
  std::vector<std::string> ids;
  for (auto& r : candidates) {
    if (room == 0) break;
    if (const auto own = store_.get_order(r.key); own && own->released) {
      // Its RESERVATION hold was lifted by hand: it went to the warehouse as an order of its own,
      // so a gift line as well would ship it twice.
      r.state = ReservationState::closed;
      r.ended_at = now;
      r.updated_at = now;
      store_.put_reservation(tx, r);
      record(tx, r.key, "gift.closed", "went to the warehouse on its own (its hold was released by hand); no gift line",
             "G1", json::object(), now);
      continue;
    }
    if (rule && rule->stock && used + r.pieces > *rule->stock) {
      short_of_stock = true;  // G12: not enough gift stock for this one; a smaller one may fit
      continue;
    }
    if (!claim(tx, o, r, now)) continue;
    GiftLink l;
    l.reservation = r.key;
    l.main = key;
    l.state = GiftLinkState::linked;
    l.rule_id = rule_id;
    l.source = source;
    l.pieces = r.pieces;
    l.created_at = now;
    l.updated_at = now;
    l.detail = "gift line on repurchase " + o.order_id;
    store_.add_gift_link(tx, l);
    if (rule) {
      store_.add_gift_rule_use(tx, rule->name, r.pieces, now);
      used += r.pieces;
    }
    r.state = ReservationState::linked;
    r.updated_at = now;
    store_.put_reservation(tx, r);
    record(tx, r.key, "gift.linked", "linked to repurchase " + o.order_id + "; its gift ships in that parcel",
           rule_id.c_str(), {{"main", o.order_id}, {"source", source}}, now);
    ids.push_back(r.key.order_id);
    --room;
    ++linked;
  }
  if (!ids.empty()) {
    std::string list;
    for (const auto& id : ids) list += (list.empty() ? "" : ", ") + id;
    record(tx, key, "gift.linked",
           "gift line added for reservation order(s) " + list +
               (source == "tag" ? " (Tmall's tag)" : " (" + source + ")"),
           "G4", {{"reservations", ids}, {"source", source}, {"link_rule", rule_id}}, now);
  }
  if (rule && rule->stock && (used >= *rule->stock || short_of_stock)) {
    alert(tx, kAlertStockExhausted, std::nullopt, "rule:" + rule->name, "G12",
          "gift rule " + rule->name + " has " + std::to_string(*rule->stock - used) + " of its " +
              std::to_string(*rule->stock) + " pieces left" +
              (short_of_stock ? ", too few for repurchase " + o.order_id + "'s reservations" : std::string()) +
              "; raise its stock in the config to go on",
          now);
  }
  if (short_of_stock && linked == 0) {
    record(tx, key, "gift.not_earned", "gift rule " + rule->name + " has too little stock left for the buyer's "
                                           "reservation order(s)", "G12", json::object(), now);
  }
  return linked;
}

void GiftService::drop(store::Tx& tx, GiftLink& link, const std::string& why, const char* rule, Instant now) {
  const GiftLinkState was = link.state;
  link.state = GiftLinkState::dropped;
  link.ended_at = now;
  link.updated_at = now;
  link.detail = why;
  store_.update_gift_link(tx, link);
  if (link.source.rfind("rule:", 0) == 0 && was == GiftLinkState::linked) {
    store_.add_gift_rule_use(tx, link.source.substr(5), -link.pieces, now);  // the piece stays in stock
  }
  if (auto r = store_.get_reservation(link.reservation); r && r->state == ReservationState::linked) {
    r->state = ReservationState::waiting;
    r->updated_at = now;
    store_.put_reservation(tx, *r);
  }
  record(tx, link.main, "gift.unlinked", "gift line for reservation order " + link.reservation.order_id +
                                             " removed: " + why, rule, {{"reservation", link.reservation.order_id}},
         now);
  record(tx, link.reservation, "gift.unlinked", "no longer rides on repurchase " + link.main.order_id + ": " + why,
         rule, {{"main", link.main.order_id}}, now);
  const auto main = store_.get_order(link.main);
  if (main && main->released && was == GiftLinkState::linked) {
    alert(tx, kAlertWarehouseStale, link.main, link.main.to_string() + "#" + link.reservation.order_id, rule,
          "order " + link.main.order_id + " is at the warehouse with the gift of reservation order " +
              link.reservation.order_id + ", which is no longer owed (" + why + "): take it out of the parcel",
          now);
  }
}

void GiftService::settle_shipping(store::Tx& tx, const store::StoredOrder& main, const config::GiftConfig* settings,
                                  Instant now) {
  const OrderKey key = key_of(main.order);
  auto links = store_.gift_links_of_main(key, false);
  // Also a link whose reservation was stored shipped before this order's last parcel (both
  // changed in one poll): its parcel is still recorded (G6: the choice is recorded).
  links.erase(std::remove_if(links.begin(), links.end(),
                             [](const GiftLink& l) {
                               return l.state != GiftLinkState::linked &&
                                      !(l.state == GiftLinkState::shipped && !l.main_shipped_at);
                             }),
              links.end());
  if (links.empty()) return;
  const auto choice = choose_waybill(main.order);
  if (!choice) return;  // G6, G8: a sub-order or package is still to ship
  std::string carrier = posted_carrier(store_, key, choice->waybill);
  if (carrier.empty()) carrier = choice->carrier;
  const bool merchant = settings && settings->mode == config::GiftMode::merchant;
  const auto verify_within = settings ? settings->verify_within : config::GiftConfig{}.verify_within;
  const char* rule = choice->tie ? "G6" : "G5";
  std::string why = "repurchase " + main.order.order_id + " shipped in full; its last parcel is " + choice->waybill;
  if (choice->tie) why += " (several lines shipped at the same moment: the smallest waybill was taken)";
  // G10: every linked reservation ships now, each once (G9) whatever its quantity.
  for (auto& link : links) {
    const bool shown_shipped = link.state == GiftLinkState::shipped;
    link.waybill = choice->waybill;
    link.carrier_code = carrier;
    link.main_shipped_at = choice->shipped_at;
    link.waybill_tie = choice->tie;
    link.updated_at = now;
    if (shown_shipped) {
      // Nothing is owed any more (no check, no upload): only the parcel it rode with is noted.
      store_.update_gift_link(tx, link);
      record(tx, link.reservation, "gift.main_shipped", why + "; it already shows shipped", rule,
             {{"main", key.order_id}, {"waybill", choice->waybill}, {"carrier", carrier}, {"line", choice->line_id},
              {"tie", choice->tie}},
             now);
      continue;
    }
    link.state = GiftLinkState::main_shipped;
    if (merchant) {
      // G12: Tmall does not ship reservations for this shop; the daemon uploads the waybill.
      store::NewOutboxItem item;
      item.idempotency_key = std::string(shipping::kPlatformShipKind) + ":" + link.reservation.to_string() + "#gift";
      item.kind = shipping::kPlatformShipKind;
      item.target = link.reservation.shop;
      item.key = link.reservation;
      item.payload = {{"shipment_id", "gift-" + std::to_string(link.id)},
                      {"packages", json::array({{{"waybill", choice->waybill}, {"carrier", carrier}}})}};
      link.outbox_id = store_.enqueue(tx, item, now);
      link.detail = "waybill upload owed: " + choice->waybill;
    } else {
      link.verify_by = std::max(now, choice->shipped_at) + verify_within;
      link.detail = "Tmall is to mark it shipped with " + choice->waybill + " by " + format_cst(*link.verify_by) + " CST";
    }
    store_.update_gift_link(tx, link);
    record(tx, link.reservation, "gift.main_shipped", why + "; " + link.detail, rule,
           {{"main", key.order_id}, {"waybill", choice->waybill}, {"carrier", carrier}, {"line", choice->line_id},
            {"tie", choice->tie}},
           now);
  }
  record(tx, key, "gift.main_shipped",
         why + "; " + std::to_string(links.size()) + " reservation order(s) ship with it" +
             (merchant ? " (uploaded by erpd, G12)" : " (by Tmall, G5)"),
         rule, {{"waybill", choice->waybill}, {"line", choice->line_id}, {"tie", choice->tie}}, now);
  if (merchant && hooks_.wake_outbox) hooks_.wake_outbox();
}

void GiftService::release_tag_window(store::Tx& tx, const OrderKey& main, const std::string& why, Instant now) {
  for (const auto& hold : store_.active_holds(tx, main)) {
    if (hold.reason_code == kTagWindowHold) store_.release_hold(tx, hold.id, kOwner, why + " (G2)", now);
  }
}

int GiftService::retry_main(store::Tx& tx, const OrderKey& key, Instant now) {
  {
    std::lock_guard lock(mutex_);
    deferred_.erase(key.to_string());  // link_tagged defers it again if it must still wait
  }
  const auto main = store_.get_order(tx, key);
  const auto settings = settings_(key.shop);
  // Merchant mode links by its rules once, at payment (G12); only Tmall's tag is tried again.
  if (!main || !settings || settings->mode != config::GiftMode::platform || main->released ||
      !open_for_shipping(main->order.status) || main->order.reservation_order_ids.empty()) {
    return 0;
  }
  int linked = 0;
  if (link_tagged(tx, *main, *settings, &linked, now) == 0) {
    release_tag_window(tx, key, "every tagged reservation order is here", now);
  }
  gate_.evaluate(tx, key, now);
  return linked;
}

namespace {
std::string buyer_of(const sdk::Order& o) { return o.platform + "/" + o.shop + "/" + o.buyer_ref; }
}  // namespace

void GiftService::note_waiting(const sdk::Order& main) {
  if (main.buyer_ref.empty()) return;
  std::lock_guard lock(mutex_);
  waiting_[buyer_of(main)][key_of(main).to_string()] = main.created_at;
}

void GiftService::forget_waiting(const sdk::Order& main) {
  if (main.buyer_ref.empty()) return;
  std::lock_guard lock(mutex_);
  if (auto it = waiting_.find(buyer_of(main)); it != waiting_.end()) {
    it->second.erase(key_of(main).to_string());
    if (it->second.empty()) waiting_.erase(it);
  }
}

std::optional<OrderKey> GiftService::earlier_waiting(store::Tx& tx, const sdk::Order& main) {
  if (main.buyer_ref.empty()) return std::nullopt;
  bool load = false;
  {
    std::lock_guard lock(mutex_);
    load = !waiting_loaded_;
    waiting_loaded_ = true;
  }
  if (load) {
    // After a start: the repurchases held for their tag, from their holds (once).
    for (const auto& hold : store_.active_holds_with_reason(kTagWindowHold)) {
      const auto held = store_.get_order(hold.key);
      if (held && held->order.reservation_order_ids.empty()) note_waiting(held->order);
    }
  }
  std::vector<std::pair<std::string, Instant>> candidates;
  {
    std::lock_guard lock(mutex_);
    if (auto it = waiting_.find(buyer_of(main)); it != waiting_.end()) {
      for (const auto& [key, created] : it->second) candidates.emplace_back(key, created);
    }
  }
  const std::string self = key_of(main).to_string();
  for (const auto& [key_text, created] : candidates) {
    if (key_text == self) continue;
    const std::string order_id = key_text.substr(key_text.rfind('/') + 1);
    const bool earlier = created < main.created_at || (created == main.created_at && order_id < main.order_id);
    if (!earlier) continue;
    const OrderKey key{main.platform, main.shop, order_id};
    if (has_reason(store_.active_holds(tx, key), kTagWindowHold)) return key;
    std::lock_guard lock(mutex_);  // its window ended or an operator lifted it: it waits no more
    if (auto it = waiting_.find(buyer_of(main)); it != waiting_.end()) it->second.erase(key_text);
  }
  return std::nullopt;
}

void GiftService::resume_deferred(store::Tx& tx, const sdk::Order& main, Instant now) {
  std::vector<std::string> keys;
  {
    std::lock_guard lock(mutex_);
    keys.assign(deferred_.begin(), deferred_.end());
  }
  for (const auto& key_text : keys) {
    if (key_text.rfind(main.platform + "/" + main.shop + "/", 0) != 0) continue;
    const OrderKey key{main.platform, main.shop, key_text.substr(key_text.rfind('/') + 1)};
    const auto deferred = store_.get_order(tx, key);
    if (deferred && deferred->order.buyer_ref == main.buyer_ref) retry_main(tx, key, now);
  }
}

// ---- timers ------------------------------------------------------------------------------------

SweepReport GiftService::sweep(Instant now) {
  SweepReport report;
  for (const auto& hold : store_.active_holds_with_reason(kTagWindowHold)) {
    const auto settings = settings_(hold.key.shop);
    const auto every = settings ? settings->refetch_every : config::GiftConfig{}.refetch_every;
    bool due = false;
    {
      std::lock_guard lock(mutex_);
      auto [it, fresh] = last_refetch_.emplace(hold.key.to_string(), now);
      due = fresh || it->second + every <= now;
      if (due) it->second = now;
    }
    if (!due) continue;
    auto tx = store_.begin();
    const auto main = store_.get_order(*tx, hold.key);
    if (!main) continue;
    if (!main->order.reservation_order_ids.empty()) {
      // The tag is here; it names orders still being fetched (asked for again now).
      report.linked += retry_main(*tx, hold.key, now);
      tx->commit();
      continue;
    }
    tx.reset();
    // G2: Tmall adds the tag without always moving the order's modified time; ask for it.
    if (hooks_.refetch) {
      hooks_.refetch(hold.key);
      ++report.refetched;
    }
  }
  std::vector<std::string> deferred;
  {
    std::lock_guard lock(mutex_);
    deferred.assign(deferred_.begin(), deferred_.end());
  }
  for (const auto& key_text : deferred) {
    // G7: the earlier repurchase may have stopped waiting without a tag (its window ended).
    const auto first = key_text.find('/');
    const auto last = key_text.rfind('/');
    const OrderKey key{key_text.substr(0, first), key_text.substr(first + 1, last - first - 1),
                       key_text.substr(last + 1)};
    auto tx = store_.begin();
    report.linked += retry_main(*tx, key, now);
    tx->commit();
  }
  for (auto& link : store_.gift_links_due(now)) {
    auto tx = store_.begin();
    const auto settings = settings_(link.reservation.shop);
    const auto verify_within = settings ? settings->verify_within : config::GiftConfig{}.verify_within;
    const auto reservation = store_.get_order(link.reservation);
    if (reservation && shipped(reservation->order.status)) {
      if (auto r = store_.get_reservation(link.reservation)) reservation_shipped(*tx, *r, reservation->order, now);
      tx->commit();
      continue;
    }
    alert(*tx, kAlertNotShipped, link.reservation, link.reservation.to_string(), "G5",
          "Tmall has not marked reservation order " + link.reservation.order_id + " shipped although repurchase " +
              link.main.order_id + " shipped with " + link.waybill + " at " +
              format_cst(link.main_shipped_at.value_or(now)) + " CST; ship it with that waybill by hand",
          now);
    ++report.alerts;
    link.verify_by = now + verify_within;  // look again later, without a new alert
    link.updated_at = now;
    store_.update_gift_link(*tx, link);
    tx->commit();
    if (hooks_.refetch) {
      hooks_.refetch(link.reservation);
      ++report.refetched;
    }
  }
  {
    // Forget refetch times of orders no longer waiting.
    std::lock_guard lock(mutex_);
    for (auto it = last_refetch_.begin(); it != last_refetch_.end();) {
      it = it->second + std::chrono::hours{24} < now ? last_refetch_.erase(it) : std::next(it);
    }
  }
  return report;
}

// ---- records -----------------------------------------------------------------------------------

void GiftService::record(store::Tx& tx, const OrderKey& key, const std::string& kind, const std::string& reason,
                         const char* rule, json detail, Instant now) {
  store::NewEvent event;
  event.kind = kind;
  event.actor = kOwner;
  event.reason = reason;
  event.rule_id = rule;
  event.detail = std::move(detail);
  store_.append_event(tx, key, event, now);
}

void GiftService::alert(store::Tx& tx, const char* kind, const std::optional<OrderKey>& key,
                        const std::string& subject, const char* rule, const std::string& message, Instant now) {
  store::NewAlert a;
  a.kind = kind;
  a.subject = subject;
  a.key = key;
  a.rule_id = rule;
  a.message = message;
  if (store_.raise_alert(tx, a, now) && key) record(tx, *key, "alert.raised", message, rule, {{"alert", kind}}, now);
}

}  // namespace erp::daemon::workflows::gift
