#include "store/order_changes.hpp"

#include <cstdio>
#include <map>

#include "core/time_format.hpp"

namespace erp::daemon::store {
namespace {

// Same text as sdk::format_yuan ("12.30"), which cannot be used here: inlined at -O2, GCC 12
// reports a false -Wrestrict in its std::string::insert (GCC bug 105329), and warnings are errors.
std::string yuan(sdk::Money money) {
  const bool negative = money.fen < 0;
  const auto abs = negative ? 0 - static_cast<std::uint64_t>(money.fen) : static_cast<std::uint64_t>(money.fen);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu", negative ? "-" : "", static_cast<unsigned long long>(abs / 100),
                static_cast<unsigned long long>(abs % 100));
  return buf;
}

std::string when(const std::optional<Instant>& t) { return t ? format_cst(*t) + " CST" : std::string("none"); }

std::string quoted(const std::string& text) { return text.empty() ? std::string("(empty)") : text; }

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

bool same_receiver(const sdk::Receiver& a, const sdk::Receiver& b) {
  return a.ciphertext == b.ciphertext && a.masked_name == b.masked_name && a.masked_phone == b.masked_phone &&
         a.masked_address == b.masked_address && a.province == b.province && a.city == b.city &&
         a.district == b.district;
}

void describe_lines(const sdk::Order& before, const sdk::Order& after, std::vector<std::string>& out) {
  std::map<std::string, const sdk::OrderLine*> old_lines;
  for (const auto& line : before.lines) old_lines[line.line_id] = &line;
  std::map<std::string, bool> seen;
  for (const auto& line : after.lines) {
    seen[line.line_id] = true;
    auto it = old_lines.find(line.line_id);
    if (it == old_lines.end()) {
      out.push_back("line " + line.line_id + " added");
      continue;
    }
    const sdk::OrderLine& old = *it->second;
    if (old.status != line.status) {
      out.push_back("line " + line.line_id + " status " + std::string(sdk::to_string(old.status)) + " -> " +
                    std::string(sdk::to_string(line.status)));
    }
    if (old.refund_status != line.refund_status) {
      out.push_back("line " + line.line_id + " refund " + std::string(sdk::to_string(old.refund_status)) + " -> " +
                    std::string(sdk::to_string(line.refund_status)));
    }
    if (old.quantity != line.quantity) {
      out.push_back("line " + line.line_id + " quantity " + std::to_string(old.quantity) + " -> " +
                    std::to_string(line.quantity));
    }
    if (old.waybill != line.waybill || old.shipped_at != line.shipped_at) {
      // The parcel a line left in: rules G5-G8 pick the reservation's waybill from these.
      out.push_back("line " + line.line_id + " shipped " + when(line.shipped_at) +
                    (line.waybill.empty() ? std::string() : " with waybill " + line.waybill));
    }
    if (old.sku != line.sku || old.outer_sku != line.outer_sku) {
      out.push_back("line " + line.line_id + " sku " + quoted(old.outer_sku) + " -> " + quoted(line.outer_sku));
    }
  }
  for (const auto& line : before.lines) {
    if (!seen.count(line.line_id)) out.push_back("line " + line.line_id + " removed");
  }
}

}  // namespace

std::string describe_received(const sdk::Order& order) {
  const std::size_t n = order.lines.size();
  return "received from the platform: " + std::string(sdk::to_string(order.status)) + ", " + std::to_string(n) +
         (n == 1 ? " line" : " lines") + ", total " + yuan(order.total);
}

std::vector<std::string> describe_changes(const sdk::Order& before, const sdk::Order& after) {
  std::vector<std::string> out;
  if (before.status != after.status) {
    out.push_back("status " + std::string(sdk::to_string(before.status)) + " -> " +
                  std::string(sdk::to_string(after.status)));
  }
  if (before.platform_status != after.platform_status) {
    out.push_back("platform status " + quoted(before.platform_status) + " -> " + quoted(after.platform_status));
  }
  if (before.paid_at != after.paid_at) out.push_back("paid at " + when(before.paid_at) + " -> " + when(after.paid_at));
  if (before.total != after.total) {
    out.push_back("total " + yuan(before.total) + " -> " + yuan(after.total));
  }
  describe_lines(before, after, out);
  if (before.ship_by != after.ship_by) out.push_back("ship-by " + when(before.ship_by) + " -> " + when(after.ship_by));
  if (before.memo != after.memo || before.memo_flag != after.memo_flag) out.push_back("seller memo changed");
  if (!same_receiver(before.receiver, after.receiver)) out.push_back("receiver changed");
  if (before.reservation_order_ids != after.reservation_order_ids) {
    // The H+1 tag of rule G2 arrives as exactly this change.
    out.push_back(after.reservation_order_ids.empty()
                      ? std::string("reservation orders unlinked")
                      : "reservation orders linked: " + join(after.reservation_order_ids));
  }
  if (before.kind != after.kind) {
    out.push_back("kind " + std::string(sdk::to_string(before.kind)) + " -> " +
                  std::string(sdk::to_string(after.kind)));
  }
  return out;
}

std::string join_changes(const std::vector<std::string>& changes) {
  if (changes.empty()) return "platform data updated (no tracked field changed)";
  std::string out;
  for (const auto& change : changes) {
    if (!out.empty()) out += "; ";
    out += change;
  }
  return out;
}

}  // namespace erp::daemon::store
