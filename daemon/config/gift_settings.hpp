#pragma once
// One `gift:` map of the config (the 1-yuan reservation gift, rules G1-G13), read the same way
// under `workflows:` (the defaults every shop inherits) and under a shop (its overrides), and the
// merge of the two.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/map_reader.hpp"
#include "config/value_rules.hpp"

namespace erp::daemon::config::detail {

/// Rule names are counted (stock) and shown under their name: [A-Za-z0-9_.-]{1,64}.
inline constexpr std::size_t kMaxGiftRuleNameLength = 64;

/// The keys one gift map sets, each with its valid value; a key that is absent (or whose value
/// was wrong, and reported) stays empty, so a shop overrides exactly the keys it names. The two
/// lists (`reservation.skus`, `rules`) are replaced as a whole.
struct GiftSettings {
  std::optional<bool> enabled;
  std::optional<GiftMode> mode;
  std::optional<std::chrono::milliseconds> tag_window;
  std::optional<std::chrono::milliseconds> refetch_every;
  std::optional<std::chrono::milliseconds> verify_within;
  std::optional<std::vector<std::string>> reservation_skus;
  std::optional<std::int64_t> reservation_price_fen;
  std::optional<std::vector<GiftRule>> rules;
};

/// A yuan amount in fen: at most 2 decimals, not negative ("2000", "2000.5", "2000.00").
Parsed<std::int64_t> parse_gift_amount(std::string_view text);

/// `reservation.price`: a yuan amount as parse_gift_amount, or "off" (0 fen, as "0" is: price
/// recognition off).
Parsed<std::int64_t> parse_reservation_price(std::string_view text);

/// Empty when `name` may name a gift rule: 1 to kMaxGiftRuleNameLength characters of
/// [A-Za-z0-9_.-]. Otherwise what is wrong ("must ...").
std::string check_gift_rule_name(std::string_view name);

/// `base` with every key `over` sets replaced (`enabled` too; the Tmall-only rule is the shop
/// reader's).
GiftConfig merge_gift(const GiftConfig& base, const GiftSettings& over);

/// workflows.gift (absent or empty: nothing set): the defaults as written. Bad values are
/// reported and leave their key at its built-in default. Also reported: refetch_every longer
/// than tag_window (G2), rules in platform mode (G12), and `enabled: true` with nothing to
/// recognise a reservation order by (G1).
GiftConfig read_gift_defaults(const MapReader& workflows);

/// A shop's `gift:` merged over `defaults`, checked as the defaults are wherever the shop sets
/// one of the keys a check looks at (a shop is not blamed again for its defaults' mistakes).
/// Only Tmall shops take part (rule G1): another platform's shop setting `enabled: true` is
/// reported, and gets enabled = false whatever the defaults say. `platform` empty (it was
/// missing or wrong, and reported): not checked.
GiftConfig read_shop_gift(const MapReader& shop, std::string_view platform, const GiftConfig& defaults);

}  // namespace erp::daemon::config::detail
