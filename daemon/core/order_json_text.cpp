#include "core/order_json_text.hpp"

#include <string_view>

#include "core/json_text.hpp"
#include "core/order_json.hpp"
#include "core/time_format.hpp"

namespace erp::daemon {
namespace {

/// Thrown inside this file when a string is not UTF-8; the caller then lets dump() raise its own
/// error, so both paths fail the same way.
struct NotUtf8 {};

class TextWriter {
 public:
  explicit TextWriter(std::string& out) : out_(out) {}

  /// `name` is a literal of plain ASCII; `first` says whether a comma goes before it.
  void key(std::string_view name, bool first = false) {
    if (!first) out_.push_back(',');
    out_.push_back('"');
    out_.append(name);
    out_.append("\":");
  }
  void string(std::string_view value) {
    if (!append_json_string(out_, value)) throw NotUtf8{};
  }
  void integer(std::int64_t value) { append_json_integer(out_, value); }
  void instant(const std::optional<Instant>& t) {
    if (t) {
      string(format_rfc3339(*t));
    } else {
      out_.append("null");
    }
  }
  void raw(char c) { out_.push_back(c); }

 private:
  std::string& out_;
};

void write_line(TextWriter& w, const sdk::OrderLine& line) {
  w.raw('{');
  w.key("carrier", true);
  w.string(line.carrier);
  w.key("item_id");
  w.string(line.item_id);
  w.key("line_id");
  w.string(line.line_id);
  w.key("outer_sku");
  w.string(line.outer_sku);
  w.key("paid_fen");
  w.integer(line.paid.fen);
  w.key("price_fen");
  w.integer(line.price.fen);
  w.key("quantity");
  w.integer(line.quantity);
  w.key("refund_status");
  w.string(sdk::to_string(line.refund_status));
  w.key("shipped_at");
  w.instant(line.shipped_at);
  w.key("sku");
  w.string(line.sku);
  w.key("status");
  w.string(sdk::to_string(line.status));
  w.key("title");
  w.string(line.title);
  w.key("waybill");
  w.string(line.waybill);
  w.raw('}');
}

void write_receiver(TextWriter& w, const sdk::Receiver& receiver, bool include_ciphertext) {
  w.raw('{');
  w.key("address", true);
  w.string(receiver.masked_address);
  if (include_ciphertext) {
    w.key("ciphertext");
    w.string(receiver.ciphertext);
  }
  w.key("city");
  w.string(receiver.city);
  w.key("district");
  w.string(receiver.district);
  w.key("name");
  w.string(receiver.masked_name);
  w.key("phone");
  w.string(receiver.masked_phone);
  w.key("province");
  w.string(receiver.province);
  w.raw('}');
}

void write_order(TextWriter& w, const sdk::Order& order, bool include_ciphertext) {
  w.raw('{');
  w.key("buyer_ref", true);
  w.string(order.buyer_ref);
  w.key("created_at");
  w.instant(order.created_at);
  w.key("cross_border");
  w.string(sdk::to_string(order.cross_border));
  w.key("extras");
  w.raw('{');
  bool first = true;
  for (const auto& [name, value] : order.extras) {
    if (!first) w.raw(',');
    first = false;
    w.string(name);
    w.raw(':');
    w.string(value);
  }
  w.raw('}');
  w.key("kind");
  w.string(sdk::to_string(order.kind));
  w.key("lines");
  w.raw('[');
  for (std::size_t i = 0; i < order.lines.size(); ++i) {
    if (i > 0) w.raw(',');
    write_line(w, order.lines[i]);
  }
  w.raw(']');
  w.key("memo");
  w.string(order.memo);
  w.key("memo_flag");
  w.integer(order.memo_flag);
  w.key("modified_at");
  w.instant(order.modified_at);
  w.key("order_id");
  w.string(order.order_id);
  w.key("paid_at");
  w.instant(order.paid_at);
  w.key("platform");
  w.string(order.platform);
  w.key("platform_status");
  w.string(order.platform_status);
  w.key("receiver");
  write_receiver(w, order.receiver, include_ciphertext);
  w.key("reservation_order_ids");
  w.raw('[');
  for (std::size_t i = 0; i < order.reservation_order_ids.size(); ++i) {
    if (i > 0) w.raw(',');
    w.string(order.reservation_order_ids[i]);
  }
  w.raw(']');
  w.key("ship_by");
  w.instant(order.ship_by);
  w.key("shop");
  w.string(order.shop);
  w.key("status");
  w.string(sdk::to_string(order.status));
  w.key("total_fen");
  w.integer(order.total.fen);
  w.raw('}');
}

}  // namespace

std::string order_to_json_text(const sdk::Order& order, bool include_ciphertext) {
  std::string out;
  out.reserve(1024 + 384 * order.lines.size());
  TextWriter writer(out);
  try {
    write_order(writer, order, include_ciphertext);
  } catch (const NotUtf8&) {
    return order_to_json(order, include_ciphertext).dump();  // throws nlohmann's own error
  }
  return out;
}

}  // namespace erp::daemon
