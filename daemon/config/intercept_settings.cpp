// The intercept workflow's settings (rules I1, I7, I8): workflows.intercept and shops[].intercept.

#include "config/intercept_settings.hpp"

#include <array>
#include <cstdint>

#include "core/time_format.hpp"

namespace erp::daemon::config::detail {

namespace {

constexpr std::array<std::string_view, 5> kDefaultKeys{"memo", "flag", "level", "on_refund_request", "unlock_at"};
constexpr std::array<std::string_view, 6> kShopKeys{"enabled",           "memo",     "flag", "level",
                                                    "on_refund_request", "unlock_at"};
constexpr std::array<std::string_view, 2> kLevels{"lock", "memo_only"};
constexpr std::string_view kKey = "intercept";
constexpr std::string_view kNever = "off";
constexpr std::string_view kNextDay = "next_day";
constexpr const char* kUnlockHint =
    "write \"off\", \"next_day\", an RFC 3339 time (2026-11-12T00:00:00+08:00) or a China time "
    "(2026-11-12, 2026-11-12 00:00 or 2026-11-12 00:00:00)";

// C0 controls (line breaks, tabs), DEL and the C1 controls U+0080..U+009F.
bool is_control(std::uint32_t cp) { return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f); }

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The code point starting at text[pos] and its length in bytes; length 0 for invalid UTF-8.
// The file itself was checked to be UTF-8, but a YAML escape ("\ud800") can still make bad bytes.
std::size_t decode(std::string_view text, std::size_t pos, std::uint32_t& cp) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t length = 0;
  std::uint32_t minimum = 0;
  if (lead < 0x80) {
    cp = lead;
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1Fu;
    minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0Fu;
    minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07u;
    minimum = 0x10000;
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const auto c = static_cast<unsigned char>(text[pos + i]);
    if (!is_continuation(c)) return 0;
    cp = (cp << 6) | (c & 0x3Fu);
  }
  if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

InterceptSettings read_settings(const MapReader& section, bool with_enabled) {
  InterceptSettings out;
  if (with_enabled) out.enabled = section.boolean("enabled");
  if (auto memo = section.text("memo", Need::optional)) {
    if (std::string why = check_intercept_memo(*memo); why.empty()) {
      out.memo = std::move(*memo);
    } else {
      section.report("memo", std::move(why));
    }
  }
  if (const auto flag = section.whole_number("flag", 0)) {
    if (*flag > kMaxInterceptFlag) {
      section.report("flag", "must be at most " + std::to_string(kMaxInterceptFlag) +
                                 " (the platforms' seller flags and stars are 0-5), got " + std::to_string(*flag));
    } else {
      out.flag = *flag;
    }
  }
  if (const auto level = section.one_of("level", kLevels, "known intercept level")) {
    out.level = *level == "memo_only" ? InterceptLevel::memo_only : InterceptLevel::lock;
  }
  out.on_refund_request = section.boolean("on_refund_request");
  if (const auto raw = section.text("unlock_at", Need::optional)) {
    auto parsed = parse_unlock_at(*raw);
    if (parsed.value) {
      out.unlock = *parsed.value;
    } else {
      section.report("unlock_at", in_quotes(*raw) + " " + parsed.error);
    }
  }
  return out;
}

}  // namespace

std::string check_intercept_memo(std::string_view memo) {
  std::size_t chars = 0;
  for (std::size_t pos = 0; pos < memo.size();) {
    std::uint32_t cp = 0;
    const std::size_t length = decode(memo, pos, cp);
    if (length == 0) return "is not valid UTF-8 text";
    if (is_control(cp)) return "must not contain control characters (line breaks, tabs)";
    pos += length;
    ++chars;
  }
  if (chars > static_cast<std::size_t>(kMaxInterceptMemoChars)) {
    return "must be at most " + std::to_string(kMaxInterceptMemoChars) +
           " characters (Douyin's seller memo limit), got " + std::to_string(chars);
  }
  return {};
}

Parsed<UnlockSchedule> parse_unlock_at(std::string_view text) {
  if (text == kNever) return Parsed<UnlockSchedule>::ok(UnlockSchedule{UnlockSchedule::Kind::never, {}});
  if (text == kNextDay) return Parsed<UnlockSchedule>::ok(UnlockSchedule{UnlockSchedule::Kind::next_day, {}});
  const std::optional<Instant> at = parse_merchant_time(text);
  if (!at) return Parsed<UnlockSchedule>::fail(std::string("is not a time; ") + kUnlockHint);
  return Parsed<UnlockSchedule>::ok(UnlockSchedule{UnlockSchedule::Kind::at, *at});
}

InterceptConfig merge_intercept(const InterceptConfig& base, const InterceptSettings& over) {
  InterceptConfig out = base;
  if (over.memo) out.memo = *over.memo;
  if (over.flag) out.flag = *over.flag;
  if (over.level) out.level = *over.level;
  if (over.on_refund_request) out.on_refund_request = *over.on_refund_request;
  if (over.unlock) out.unlock = *over.unlock;
  out.enabled = !out.memo.empty() && over.enabled.value_or(true);
  return out;
}

InterceptConfig read_intercept_defaults(const MapReader& workflows) {
  const MapReader section = workflows.child(kKey, kDefaultKeys);
  return merge_intercept(InterceptConfig{}, read_settings(section, false));
}

InterceptConfig read_shop_intercept(const MapReader& shop, const InterceptConfig& defaults) {
  const MapReader section = shop.child(kKey, kShopKeys);
  const InterceptSettings settings = read_settings(section, true);
  InterceptConfig out = merge_intercept(defaults, settings);
  if (settings.enabled.value_or(false) && out.memo.empty()) {
    section.report("enabled", "needs a memo text (workflows.intercept.memo or this shop's intercept.memo)");
  }
  return out;
}

}  // namespace erp::daemon::config::detail
