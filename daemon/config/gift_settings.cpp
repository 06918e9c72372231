// The 1-yuan reservation gift's settings (rules G1, G2, G5, G12): workflows.gift and shops[].gift.

#include "config/gift_settings.hpp"

#include <array>
#include <map>

#include "core/time_format.hpp"
#include "erp/money.hpp"

namespace erp::daemon::config::detail {

namespace {

using std::chrono::milliseconds;

constexpr std::string_view kKey = "gift";
constexpr std::array<std::string_view, 7> kGiftKeys{"enabled",       "mode",        "tag_window", "refetch_every",
                                                    "verify_within", "reservation", "rules"};
constexpr std::array<std::string_view, 2> kReservationKeys{"skus", "price"};
constexpr std::array<std::string_view, 7> kRuleKeys{"name", "min_amount", "min_quantity", "skus",
                                                    "from", "until",      "stock"};
constexpr std::array<std::string_view, 2> kModes{"platform", "merchant"};
constexpr std::string_view kOff = "off";
// The only platform with the 1-yuan reservation program (rule G1).
constexpr std::string_view kTmall = "tmall";
// Zero would mean "never wait" for the tag (G2) or "alert at once" (G5).
constexpr milliseconds kMinPositive{1};
constexpr const char* kAmountHint = "is not a yuan amount; write it with at most 2 decimals, like \"2000.00\"";
constexpr const char* kPriceHint =
    "is not a yuan amount; write it with at most 2 decimals, like \"1.00\", or \"off\" (or \"0\") to recognise "
    "reservation orders by reservation.skus only";
constexpr const char* kTimeHint =
    "is not a time; write an RFC 3339 time (2026-11-12T00:00:00+08:00) or a China time (2026-11-12, "
    "2026-11-12 00:00 or 2026-11-12 00:00:00)";
constexpr const char* kPlatformRules =
    "rules need mode: merchant (rule G12): in platform mode Tmall ships every reservation with its repurchase";
constexpr const char* kNothingRecognised =
    "nothing would be recognised as a reservation order (rule G1): give reservation.skus or a reservation.price "
    "other than \"off\"";

using Time = std::chrono::time_point<std::chrono::system_clock, milliseconds>;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

// A list of SKU ids under `key`: every item a non-empty single value. Nothing when the key is
// absent or anything in it is wrong (all of which is reported).
std::optional<std::vector<std::string>> read_skus(const MapReader& map, std::string_view key) {
  const MapReader::Entry* entry = map.find(key);
  if (entry == nullptr) return std::nullopt;
  if (entry->value.IsNull()) {
    map.report(key, "has no value; write a list of SKU ids ([A-1, B-2]), or [] for none");
    return std::nullopt;
  }
  if (!entry->value.IsSequence()) {
    map.report(key, "must be a list of SKU ids ([A-1, B-2]), got " + std::string(kind_of(entry->value)));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  std::size_t index = 0;
  for (const YAML::Node& item : entry->value) {
    const std::string path = map.path_of(key) + "[" + std::to_string(index++) + "]";
    const int line = item.IsNull() || line_of(item) == 0 ? entry->line : line_of(item);
    if (!item.IsScalar()) {
      map.sink().add(line, path, "must be a SKU id (outer_sku or sku), got " + std::string(kind_of(item)));
      ok = false;
    } else if (item.Scalar().empty()) {
      map.sink().add(line, path, "must not be empty");
      ok = false;
    } else {
      out.push_back(item.Scalar());
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::int64_t> read_amount(const MapReader& map, std::string_view key) {
  const auto raw = map.text(key, Need::optional);
  if (!raw) return std::nullopt;
  auto parsed = parse_gift_amount(*raw);
  if (!parsed.value) map.report(key, in_quotes(*raw) + " " + parsed.error);
  return parsed.value;
}

// A time under `key`, with the text it was written as (for messages).
std::optional<Time> read_time(const MapReader& map, std::string_view key, std::string& raw_out) {
  const auto raw = map.text(key, Need::optional);
  if (!raw) return std::nullopt;
  std::optional<Time> at = parse_merchant_time(*raw);
  if (!at) map.report(key, in_quotes(*raw) + " " + kTimeHint);
  raw_out = *raw;
  return at;
}

// One entry of a `rules:` list; `names` holds the names seen before it in the same list, with the
// line of each.
GiftRule read_rule(const MapReader& rule, std::map<std::string, int>& names) {
  GiftRule out;
  out.line = rule.line();
  if (auto name = rule.text("name", Need::required)) {
    if (std::string why = check_gift_rule_name(*name); !why.empty()) {
      rule.report("name", "rule name " + in_quotes(*name) + " " + why);
    } else if (const auto first = names.find(*name); first != names.end()) {
      rule.report("name", "duplicate rule name " + in_quotes(*name) + " (first at line " +
                              std::to_string(first->second) + "); each rule's stock is counted under its name");
    } else {
      names.emplace(*name, rule.find("name")->line);
      out.name = std::move(*name);
    }
  }
  if (const auto amount = read_amount(rule, "min_amount")) out.min_amount_fen = *amount;
  if (const auto quantity = rule.whole_number("min_quantity", 0)) out.min_quantity = *quantity;
  if (auto skus = read_skus(rule, "skus")) out.skus = std::move(*skus);
  std::string from_text;
  std::string until_text;
  out.from = read_time(rule, "from", from_text);
  out.until = read_time(rule, "until", until_text);
  if (out.from && out.until && *out.until <= *out.from) {
    rule.report("until", in_quotes(until_text) + " must be after from (" + in_quotes(from_text) + ")");
  }
  if (const auto stock = rule.whole_number("stock", 0)) out.stock = *stock;
  return out;
}

// The `rules:` list: every entry that is a map is kept (its bad values reported), so a platform
// mode that forbids the list is reported in the same run as the list's own mistakes.
std::optional<std::vector<GiftRule>> read_rules(const MapReader& section) {
  const MapReader::Entry* entry = section.find("rules");
  if (entry == nullptr) return std::nullopt;
  if (entry->value.IsNull()) {
    section.report("rules", "has no value; write a list of rules (each entry starting with '- name:'), or [] for none");
    return std::nullopt;
  }
  if (!entry->value.IsSequence()) {
    section.report("rules", "must be a list of rules (each entry starting with '- name:'), got " +
                                std::string(kind_of(entry->value)));
    return std::nullopt;
  }
  std::vector<GiftRule> out;
  std::map<std::string, int> names;
  std::size_t index = 0;
  for (const YAML::Node& item : entry->value) {
    const std::string path = section.path_of("rules") + "[" + std::to_string(index++) + "]";
    const int line = item.IsNull() || line_of(item) == 0 ? entry->line : line_of(item);
    if (!item.IsMap()) {
      section.sink().add(line, path, "must be a map describing one rule, got " + std::string(kind_of(item)));
      continue;
    }
    const MapReader rule(item, path, line, kRuleKeys, section.sink());
    out.push_back(read_rule(rule, names));
  }
  return out;
}

GiftSettings read_settings(const MapReader& section, const MapReader& reservation) {
  GiftSettings out;
  out.enabled = section.boolean("enabled");
  if (const auto mode = section.one_of("mode", kModes, "gift mode")) {
    out.mode = *mode == "merchant" ? GiftMode::merchant : GiftMode::platform;
  }
  out.tag_window = section.duration("tag_window", kMinPositive);
  out.refetch_every = section.duration("refetch_every", kMinPositive);
  out.verify_within = section.duration("verify_within", kMinPositive);
  out.reservation_skus = read_skus(reservation, "skus");
  if (const auto raw = reservation.text("price", Need::optional)) {
    auto parsed = parse_reservation_price(*raw);
    if (parsed.value) {
      out.reservation_price_fen = *parsed.value;
    } else {
      reservation.report("price", in_quotes(*raw) + " " + parsed.error);
    }
  }
  out.rules = read_rules(section);
  return out;
}

// The checks across keys, on the merged result `out`. Each runs only when `set` (this map's own
// keys) names one of the keys it looks at: a shop is not blamed again for what its defaults say.
void check_merged(const MapReader& section, const MapReader& reservation, const GiftSettings& set,
                  const GiftConfig& out) {
  if ((set.tag_window || set.refetch_every) && out.refetch_every > out.tag_window) {
    section.report(set.refetch_every ? "refetch_every" : "tag_window",
                   "refetch_every (" + format_duration(out.refetch_every) + ") must not be longer than tag_window (" +
                       format_duration(out.tag_window) + ") (rule G2: the tag is fetched again within the window)");
  }
  if ((set.mode || set.rules) && out.mode == GiftMode::platform && !out.rules.empty()) {
    if (set.rules) {
      section.report("rules", kPlatformRules);
    } else {
      // Only a shop gets here: the rules came from merchant-mode defaults.
      section.report("mode", std::string(kPlatformRules) +
                                 "; this shop inherits workflows.gift.rules (write rules: [] to drop them)");
    }
  }
  if (out.enabled && out.reservation_skus.empty() && out.reservation_price_fen == 0) {
    if (set.reservation_price_fen) {
      reservation.report("price", kNothingRecognised);
    } else if (set.reservation_skus) {
      reservation.report("skus", kNothingRecognised);
    } else if (set.enabled) {
      section.report("enabled", kNothingRecognised);
    }
  }
}

}  // namespace

Parsed<std::int64_t> parse_gift_amount(std::string_view text) {
  const std::optional<sdk::Money> money = sdk::parse_yuan(text);
  if (!money) return Parsed<std::int64_t>::fail(kAmountHint);
  if (money->fen < 0) return Parsed<std::int64_t>::fail("must not be negative");
  return Parsed<std::int64_t>::ok(money->fen);
}

Parsed<std::int64_t> parse_reservation_price(std::string_view text) {
  if (text == kOff) return Parsed<std::int64_t>::ok(0);
  const std::optional<sdk::Money> money = sdk::parse_yuan(text);
  if (!money) return Parsed<std::int64_t>::fail(kPriceHint);
  if (money->fen < 0) return Parsed<std::int64_t>::fail("must not be negative");
  return Parsed<std::int64_t>::ok(money->fen);
}

std::string check_gift_rule_name(std::string_view name) {
  if (name.empty()) return "must not be empty";
  if (name.size() > kMaxGiftRuleNameLength) {
    return "must be at most " + std::to_string(kMaxGiftRuleNameLength) + " characters";
  }
  for (const char c : name) {
    if (!is_name_char(c)) return "must use only letters, digits, '_', '.' and '-'";
  }
  return {};
}

GiftConfig merge_gift(const GiftConfig& base, const GiftSettings& over) {
  GiftConfig out = base;
  if (over.enabled) out.enabled = *over.enabled;
  if (over.mode) out.mode = *over.mode;
  if (over.tag_window) out.tag_window = *over.tag_window;
  if (over.refetch_every) out.refetch_every = *over.refetch_every;
  if (over.verify_within) out.verify_within = *over.verify_within;
  if (over.reservation_skus) out.reservation_skus = *over.reservation_skus;
  if (over.reservation_price_fen) out.reservation_price_fen = *over.reservation_price_fen;
  if (over.rules) out.rules = *over.rules;
  return out;
}

GiftConfig read_gift_defaults(const MapReader& workflows) {
  const MapReader section = workflows.child(kKey, kGiftKeys);
  const MapReader reservation = section.child("reservation", kReservationKeys);
  const GiftSettings settings = read_settings(section, reservation);
  GiftConfig out = merge_gift(GiftConfig{}, settings);
  check_merged(section, reservation, settings, out);
  return out;
}

GiftConfig read_shop_gift(const MapReader& shop, std::string_view platform, const GiftConfig& defaults) {
  const MapReader section = shop.child(kKey, kGiftKeys);
  const MapReader reservation = section.child("reservation", kReservationKeys);
  const GiftSettings settings = read_settings(section, reservation);
  GiftConfig out = merge_gift(defaults, settings);
  if (!platform.empty() && platform != kTmall) {
    if (settings.enabled.value_or(false)) {
      section.report("enabled", "the 1-yuan reservation gift is a Tmall program (rule G1); this shop's platform is " +
                                    in_quotes(platform));
    }
    // Defaults that say enabled mean "every Tmall shop": this one simply stays out.
    out.enabled = false;
  }
  check_merged(section, reservation, settings, out);
  return out;
}

}  // namespace erp::daemon::config::detail
