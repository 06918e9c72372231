// The 1-yuan reservation gift's settings (rules G1-G13): workflows.gift holds the defaults, a
// Tmall shop's `gift:` overrides them key by key, other platforms' shops never take part, and
// every bad value is reported at its line.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "config/gift_settings.hpp"
#include "config/loader.hpp"
#include "config_test_support.hpp"

namespace erp::daemon::config {
namespace {

using namespace std::chrono_literals;
using testing::all_issues;
using testing::kFile;
using testing::kMinimal;
using testing::with_shop;
using testing::yaml;

/// 2026-11-12 00:00 China time (UTC+8).
const auto kGiftNov12Cst = std::chrono::sys_days{std::chrono::year{2026} / 11 / 11} + 16h;
/// 2026-11-01 00:00 China time.
const auto kGiftNov1Cst = std::chrono::sys_days{std::chrono::year{2026} / 10 / 31} + 16h;

const std::string kPlatformRules =
    "rules need mode: merchant (rule G12): in platform mode Tmall ships every reservation with its repurchase";
const std::string kNothingRecognised =
    "nothing would be recognised as a reservation order (rule G1): give reservation.skus or a reservation.price "
    "other than \"off\"";

/// kMinimal plus one Tmall shop (starting at line 6, its last key at line 10), with `extra`
/// appended to the entry: a key added there is on line 11.
std::string with_tmall(std::string_view extra) {
  return std::string(kMinimal) + yaml(R"(
shops:
  - id: tm-1
    platform: tmall
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
)") + std::string(extra);
}

/// Whether `result` reports exactly `line` ("FILE:LINE: key.path: message") among its issues.
TEST_CASE("gift_defaults_are_builtin_when_absent") {
  const auto result = parse_config(with_tmall(""), kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const GiftConfig& d = result.config->workflows.gift;
  CHECK(d == GiftConfig{});
  CHECK_FALSE(d.enabled);
  CHECK(d.mode == GiftMode::platform);
  CHECK(d.tag_window == 4h);
  CHECK(d.refetch_every == 30min);
  CHECK(d.verify_within == 2h);
  CHECK(d.reservation_skus.empty());
  CHECK(d.reservation_price_fen == 100);
  CHECK(d.rules.empty());
  CHECK(result.config->shops.at(0).gift == GiftConfig{});

  // An empty map (or ~) is no settings.
  const auto empty = parse_config(with_tmall("    gift: {}\n") + "workflows:\n  gift: ~\n", kFile);
  INFO(all_issues(empty));
  REQUIRE(empty.config);
  CHECK(empty.config->workflows.gift == GiftConfig{});
  CHECK(empty.config->shops.at(0).gift == GiftConfig{});
}

TEST_CASE("gift_G5_defaults_are_read_as_written") {
  const auto result = parse_config(with_tmall("") + yaml(R"(
workflows:
  gift:
    enabled: true
    mode: merchant
    tag_window: 3h
    refetch_every: 15m
    verify_within: 90m
    reservation:
      skus: [GIFT-001, 20261111]
      price: "1.50"
    rules:
      - name: spend-2000
        min_amount: "2000.00"
)"),
                                   kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const GiftConfig& d = result.config->workflows.gift;
  CHECK(d.enabled);
  CHECK(d.mode == GiftMode::merchant);
  CHECK(d.tag_window == 3h);
  CHECK(d.refetch_every == 15min);
  CHECK(d.verify_within == 90min);
  CHECK(d.reservation_skus == std::vector<std::string>{"GIFT-001", "20261111"});
  CHECK(d.reservation_price_fen == 150);
  REQUIRE(d.rules.size() == 1);
  CHECK(d.rules[0].name == "spend-2000");
  CHECK(d.rules[0].min_amount_fen == 200000);
  // A Tmall shop with no gift map: the defaults exactly.
  CHECK(result.config->shops.at(0).gift == d);
}

TEST_CASE("gift_G2_tag_window_default_and_override") {
  const auto result = parse_config(std::string(kMinimal) + yaml(R"(
workflows:
  gift:
    tag_window: 3h
    refetch_every: 20m
shops:
  - id: plain
    platform: tmall
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
  - id: shorter
    platform: tmall
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
    gift:
      tag_window: 2h
)"),
                                   kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  CHECK(result.config->workflows.gift.tag_window == 3h);
  REQUIRE(result.config->shops.size() == 2);
  CHECK(result.config->shops[0].gift.tag_window == 3h);
  CHECK(result.config->shops[0].gift.refetch_every == 20min);
  CHECK(result.config->shops[1].gift.tag_window == 2h);
  CHECK(result.config->shops[1].gift.refetch_every == 20min);  // inherited: only tag_window was set

  // Absent everywhere: 4 hours (the tag arrives 2 to 4 hours after payment).
  const auto absent = parse_config(with_tmall(""), kFile);
  REQUIRE(absent.config);
  CHECK(absent.config->shops.at(0).gift.tag_window == 4h);
}

TEST_CASE("gift_G2_refetch_every_not_longer_than_tag_window") {
  // In the defaults, with the built-in tag window.
  const auto slow = parse_config(std::string(kMinimal) + "workflows:\n  gift:\n    refetch_every: 5h\n", kFile);
  CHECK_FALSE(slow.config);
  CHECK(slow.issues.size() == 1);
  ERP_CHECK_REPORTS(slow,
                       "/etc/erpd/erpd.yaml:7: workflows.gift.refetch_every: refetch_every (5h) must not be longer "
                       "than tag_window (4h) (rule G2: the tag is fetched again within the window)");
  // A tag window shorter than the built-in refetch interval is blamed on the key that was set.
  const auto short_window = parse_config(std::string(kMinimal) + "workflows:\n  gift:\n    tag_window: 10m\n", kFile);
  ERP_CHECK_REPORTS(short_window,
                       "/etc/erpd/erpd.yaml:7: workflows.gift.tag_window: refetch_every (30m) must not be longer "
                       "than tag_window (10m) (rule G2: the tag is fetched again within the window)");
  // A shop shortening the window below the inherited interval.
  const auto shop = parse_config(with_tmall("    gift:\n      tag_window: 20m\n"), kFile);
  CHECK(shop.issues.size() == 1);
  ERP_CHECK_REPORTS(shop,
                       "/etc/erpd/erpd.yaml:12: shops[0].gift.tag_window: refetch_every (30m) must not be longer "
                       "than tag_window (20m) (rule G2: the tag is fetched again within the window)");
  // Equal is fine.
  const auto equal = parse_config(with_tmall("    gift:\n      tag_window: 30m\n"), kFile);
  INFO(all_issues(equal));
  CHECK(equal.config);
}

TEST_CASE("gift_G1_recognition_keys") {
  const auto result = parse_config(std::string(kMinimal) + yaml(R"(
workflows:
  gift:
    enabled: true
    reservation:
      skus: [GIFT-001, GIFT-002]
      price: 1
shops:
  - id: inherits
    platform: tmall
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
  - id: own-skus
    platform: tmall
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
    gift:
      reservation:
        skus: [TM-GIFT]
  - id: skus-only
    platform: tmall
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
    gift:
      reservation: {price: "off"}
  - id: price-only
    platform: tmall
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
    gift:
      reservation: {skus: [], price: 0.5}
)"),
                                   kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const auto& shops = result.config->shops;
  REQUIRE(shops.size() == 4);
  CHECK(result.config->workflows.gift.reservation_skus == std::vector<std::string>{"GIFT-001", "GIFT-002"});
  CHECK(result.config->workflows.gift.reservation_price_fen == 100);
  CHECK(shops[0].gift.reservation_skus == std::vector<std::string>{"GIFT-001", "GIFT-002"});
  // The list is replaced as a whole; the price is still inherited.
  CHECK(shops[1].gift.reservation_skus == std::vector<std::string>{"TM-GIFT"});
  CHECK(shops[1].gift.reservation_price_fen == 100);
  CHECK(shops[2].gift.reservation_skus == std::vector<std::string>{"GIFT-001", "GIFT-002"});
  CHECK(shops[2].gift.reservation_price_fen == 0);
  CHECK(shops[3].gift.reservation_skus.empty());
  CHECK(shops[3].gift.reservation_price_fen == 50);
  for (const auto& shop : shops) CHECK(shop.gift.enabled);

  using detail::parse_reservation_price;
  CHECK(parse_reservation_price("1.00").value == 100);
  CHECK(parse_reservation_price("1").value == 100);
  CHECK(parse_reservation_price("0.1").value == 10);
  CHECK(parse_reservation_price("off").value == 0);
  CHECK(parse_reservation_price("0").value == 0);
  CHECK(parse_reservation_price("0.00").value == 0);
  for (const char* bad : {"", "OFF", "1.005", "-1.00", "1e2", " 1", "1.", "¥1", "one"}) {
    INFO(bad);
    CHECK_FALSE(parse_reservation_price(bad).value);
  }
  CHECK(parse_reservation_price("-0.01").error == "must not be negative");
}

TEST_CASE("gift_G1_enabled_needs_a_way_to_recognise_reservations") {
  // The defaults turn the price off and name no SKU.
  const auto defaults = parse_config(std::string(kMinimal) +
                                         "workflows:\n  gift:\n    enabled: true\n    reservation:\n      price: "
                                         "\"off\"\n",
                                     kFile);
  CHECK_FALSE(defaults.config);
  CHECK(defaults.issues.size() == 1);
  ERP_CHECK_REPORTS(defaults, "/etc/erpd/erpd.yaml:9: workflows.gift.reservation.price: " + kNothingRecognised);
  // Disabled, the same settings are fine: nothing runs.
  const auto disabled =
      parse_config(std::string(kMinimal) + "workflows:\n  gift:\n    reservation:\n      price: \"off\"\n", kFile);
  INFO(all_issues(disabled));
  CHECK(disabled.config);
  // A shop enabling it over those defaults is blamed at its `enabled`.
  const auto shop = parse_config(
      with_tmall("    gift:\n      enabled: true\n") + "workflows:\n  gift:\n    reservation:\n      price: \"0\"\n",
      kFile);
  CHECK(shop.issues.size() == 1);
  ERP_CHECK_REPORTS(shop, "/etc/erpd/erpd.yaml:12: shops[0].gift.enabled: " + kNothingRecognised);
  // A shop emptying the inherited SKU list while the price is off.
  const auto emptied = parse_config(with_tmall("    gift:\n      reservation:\n        skus: []\n") +
                                        "workflows:\n  gift:\n    enabled: true\n    reservation:\n      skus: "
                                        "[G]\n      price: \"off\"\n",
                                    kFile);
  CHECK(emptied.issues.size() == 1);
  ERP_CHECK_REPORTS(emptied, "/etc/erpd/erpd.yaml:13: shops[0].gift.reservation.skus: " + kNothingRecognised);
}

TEST_CASE("gift_G1_only_tmall_shops_take_part") {
  const auto result = parse_config(std::string(kMinimal) + yaml(R"(
workflows:
  gift:
    enabled: true
shops:
  - id: tm
    platform: tmall
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
  - id: tb
    platform: taobao
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
  - id: dy
    platform: douyin
    base_url: https://openapi-fxg.jinritemai.com
    app_key: k
    app_secret: s
    gift: {enabled: false, tag_window: 1h}
  - id: tm-off
    platform: tmall
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
    gift: {enabled: false}
)"),
                                   kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const auto& shops = result.config->shops;
  REQUIRE(shops.size() == 4);
  CHECK(result.config->workflows.gift.enabled);
  CHECK(shops[0].gift.enabled);
  // Enabled defaults mean "every Tmall shop": the others simply stay out, with no complaint.
  CHECK_FALSE(shops[1].gift.enabled);
  CHECK_FALSE(shops[2].gift.enabled);
  CHECK(shops[2].gift.tag_window == 1h);
  CHECK_FALSE(shops[3].gift.enabled);
}

TEST_CASE("gift_G1_non_tmall_shop_enabling_is_refused") {
  const auto taobao = parse_config(with_shop("    gift: {enabled: true}\n"), kFile);
  CHECK_FALSE(taobao.config);
  CHECK(taobao.issues.size() == 1);
  ERP_CHECK_REPORTS(taobao,
                       "/etc/erpd/erpd.yaml:11: shops[0].gift.enabled: the 1-yuan reservation gift is a Tmall "
                       "program (rule G1); this shop's platform is 'taobao'");
  // Also when the defaults already say enabled, and in block form.
  const auto douyin = parse_config(std::string(kMinimal) + yaml(R"(
workflows:
  gift:
    enabled: true
shops:
  - id: dy
    platform: douyin
    base_url: https://openapi-fxg.jinritemai.com
    app_key: k
    app_secret: s
    gift:
      mode: merchant
      enabled: true
)"),
                                   kFile);
  CHECK(douyin.issues.size() == 1);
  ERP_CHECK_REPORTS(douyin,
                       "/etc/erpd/erpd.yaml:16: shops[0].gift.enabled: the 1-yuan reservation gift is a Tmall "
                       "program (rule G1); this shop's platform is 'douyin'");
  // A shop whose platform is itself wrong is not blamed twice.
  const auto unknown = parse_config(std::string(kMinimal) + yaml(R"(
shops:
  - id: x
    platform: Tmall!
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
    gift: {enabled: true}
)"),
                                    kFile);
  CHECK(unknown.issues.size() == 1);
  CHECK(testing::issue_at(unknown, "shops[0].platform") != nullptr);
}

TEST_CASE("gift_G12_rules_need_merchant_mode") {
  // The defaults say platform (here by default) and give rules.
  const auto defaults = parse_config(std::string(kMinimal) + yaml(R"(
workflows:
  gift:
    rules:
      - name: spend-2000
        min_amount: 2000
)"),
                                     kFile);
  CHECK_FALSE(defaults.config);
  CHECK(defaults.issues.size() == 1);
  ERP_CHECK_REPORTS(defaults, "/etc/erpd/erpd.yaml:7: workflows.gift.rules: " + kPlatformRules);

  // A shop giving rules while its resolved mode is platform.
  const auto shop = parse_config(with_tmall("    gift:\n      rules:\n        - name: r1\n"), kFile);
  CHECK(shop.issues.size() == 1);
  ERP_CHECK_REPORTS(shop, "/etc/erpd/erpd.yaml:12: shops[0].gift.rules: " + kPlatformRules);

  // A shop going back to platform mode while inheriting merchant rules is blamed at its mode.
  const std::string merchant_defaults =
      "workflows:\n  gift:\n    mode: merchant\n    rules:\n      - name: r1\n        min_quantity: 2\n";
  const auto back = parse_config(with_tmall("    gift:\n      mode: platform\n") + merchant_defaults, kFile);
  CHECK(back.issues.size() == 1);
  ERP_CHECK_REPORTS(back, "/etc/erpd/erpd.yaml:12: shops[0].gift.mode: " + kPlatformRules +
                                 "; this shop inherits workflows.gift.rules (write rules: [] to drop them)");
  // ... which `rules: []` fixes.
  const auto dropped =
      parse_config(with_tmall("    gift:\n      mode: platform\n      rules: []\n") + merchant_defaults, kFile);
  INFO(all_issues(dropped));
  REQUIRE(dropped.config);
  CHECK(dropped.config->shops.at(0).gift.mode == GiftMode::platform);
  CHECK(dropped.config->shops.at(0).gift.rules.empty());
  CHECK(dropped.config->workflows.gift.rules.size() == 1);

  // Merchant mode from the shop, rules from the shop: fine; an empty list in platform mode too.
  const auto fine = parse_config(with_tmall("    gift:\n      mode: merchant\n      rules:\n        - name: r1\n") +
                                     "workflows:\n  gift:\n    rules: []\n",
                                 kFile);
  INFO(all_issues(fine));
  REQUIRE(fine.config);
  CHECK(fine.config->shops.at(0).gift.mode == GiftMode::merchant);
  CHECK(fine.config->shops.at(0).gift.rules.size() == 1);
  // And a shop inheriting merchant mode and its rules.
  const auto inherited = parse_config(with_tmall("") + merchant_defaults, kFile);
  INFO(all_issues(inherited));
  REQUIRE(inherited.config);
  CHECK(inherited.config->shops.at(0).gift.rules == inherited.config->workflows.gift.rules);
}

TEST_CASE("gift_G12_rules_are_read_in_full_and_in_order") {
  const auto result = parse_config(with_tmall(yaml(R"(
    gift:
      enabled: true
      mode: merchant
      rules:
        - name: spend-2000
          min_amount: "2000.00"
          min_quantity: 2
          skus: [A-1, B-2]
          from: "2026-11-01 00:00"
          until: 2026-11-11T16:00:00Z
          stock: 500
        - name: any.v2_x
        - {name: two, min_quantity: 2, stock: 0}
)")),
                                   kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const GiftConfig& gift = result.config->shops.at(0).gift;
  CHECK(gift.enabled);
  CHECK(gift.mode == GiftMode::merchant);
  REQUIRE(gift.rules.size() == 3);
  const GiftRule& spend = gift.rules[0];
  CHECK(spend.name == "spend-2000");
  CHECK(spend.min_amount_fen == 200000);
  CHECK(spend.min_quantity == 2);
  CHECK(spend.skus == std::vector<std::string>{"A-1", "B-2"});
  REQUIRE(spend.from);
  CHECK(*spend.from == kGiftNov1Cst);
  REQUIRE(spend.until);
  CHECK(*spend.until == kGiftNov12Cst);
  CHECK(spend.stock == 500);
  CHECK(spend.line == 15);
  // Only a name: no condition, no cap.
  const GiftRule& any = gift.rules[1];
  CHECK(any.name == "any.v2_x");
  CHECK(any.min_amount_fen == 0);
  CHECK(any.min_quantity == 0);
  CHECK(any.skus.empty());
  CHECK_FALSE(any.from);
  CHECK_FALSE(any.until);
  CHECK_FALSE(any.stock);
  CHECK(any.line == 22);
  CHECK(gift.rules[2].name == "two");
  CHECK(gift.rules[2].stock == 0);
  // The defaults are untouched by the shop's list.
  CHECK(result.config->workflows.gift.rules.empty());
  CHECK(result.config->workflows.gift.mode == GiftMode::platform);
}

TEST_CASE("gift_G12_duplicate_rule_names_are_refused") {
  const auto result = parse_config(with_tmall(yaml(R"(
    gift:
      mode: merchant
      rules:
        - name: spend-2000
          min_amount: 2000
        - name: pieces
          min_quantity: 2
        - name: spend-2000
          stock: 5
)")),
                                   kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 1);
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:18: shops[0].gift.rules[2].name: duplicate rule name 'spend-2000' (first "
                       "at line 14); each rule's stock is counted under its name");
  // The same name in the defaults' list and in a shop's own list is not a duplicate: the shop's
  // list replaces the defaults'.
  const auto replaced = parse_config(with_tmall("    gift:\n      rules: [{name: a, stock: 1}]\n") +
                                         "workflows:\n  gift:\n    mode: merchant\n    rules: [{name: a}]\n",
                                     kFile);
  INFO(all_issues(replaced));
  REQUIRE(replaced.config);
  REQUIRE(replaced.config->shops.at(0).gift.rules.size() == 1);
  CHECK(replaced.config->shops.at(0).gift.rules[0].stock == 1);
}

TEST_CASE("gift: bad workflows.gift values are reported as FILE:LINE: key.path") {
  const auto result = parse_config(std::string(kMinimal) + yaml(R"(
workflows:
  gift:
    enabled: sometimes
    mode: merchnat
    tag_window: 0s
    refetch_every: soon
    verify_within: -2h
    reservation:
      skus: GIFT-001
      price: "1.005"
      prices: 1
    tag_windw: 4h
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 9);
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:7: workflows.gift.enabled: must be true or false, got 'sometimes'");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:8: workflows.gift.mode: 'merchnat' is not a gift mode; use platform or "
                       "merchant (did you mean 'merchant'?)");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:9: workflows.gift.tag_window: must be at least 1ms, got '0s'");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:10: workflows.gift.refetch_every: 'soon' is not a duration; write a whole "
                       "number and a unit: 250ms, 30s, 5m, 4h or 2d");
  CHECK(testing::issue_at(result, "workflows.gift.verify_within") != nullptr);
  CHECK(testing::issue_at(result, "workflows.gift.verify_within")->line == 11);
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:13: workflows.gift.reservation.skus: must be a list of SKU ids ([A-1, "
                       "B-2]), got a single value");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:14: workflows.gift.reservation.price: '1.005' is not a yuan amount; write "
                       "it with at most 2 decimals, like \"1.00\", or \"off\" (or \"0\") to recognise reservation "
                       "orders by reservation.skus only");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:15: workflows.gift.reservation.prices: unknown key 'prices' (did you mean "
                       "'price'?)");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:16: workflows.gift.tag_windw: unknown key 'tag_windw' (did you mean "
                       "'tag_window'?)");
}

TEST_CASE("gift: bad rule values are reported at their lines") {
  const auto result = parse_config(std::string(kMinimal) + yaml(R"(
workflows:
  gift:
    mode: merchant
    rules:
      - name: "spend 2000"
        min_amount: "-5"
        min_quantity: 1.5
        skus: [A-1, "", [B]]
        from: "2026-11-01 25:00"
        until: tomorrow
        stock: -1
        min_amout: 3
      - min_quantity: 2
      - just-a-name
      - name: late
        from: "2026-11-12"
        until: "2026-11-01 00:00"
      - name: early-amount
        min_amount: "2000.001"
      - name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:9: workflows.gift.rules[0].name: rule name 'spend 2000' must use only "
                       "letters, digits, '_', '.' and '-'");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:10: workflows.gift.rules[0].min_amount: '-5' must not be negative");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:11: workflows.gift.rules[0].min_quantity: '1.5' must be a whole number");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:12: workflows.gift.rules[0].skus[1]: must not be empty");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:12: workflows.gift.rules[0].skus[2]: must be a SKU id (outer_sku or sku), "
                       "got a list");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:13: workflows.gift.rules[0].from: '2026-11-01 25:00' is not a time; write "
                       "an RFC 3339 time (2026-11-12T00:00:00+08:00) or a China time (2026-11-12, 2026-11-12 00:00 or "
                       "2026-11-12 00:00:00)");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:14: workflows.gift.rules[0].until: 'tomorrow' is not a time; write an RFC "
                       "3339 time (2026-11-12T00:00:00+08:00) or a China time (2026-11-12, 2026-11-12 00:00 or "
                       "2026-11-12 00:00:00)");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:15: workflows.gift.rules[0].stock: must be at least 0, got '-1'");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:16: workflows.gift.rules[0].min_amout: unknown key 'min_amout' (did you "
                       "mean 'min_amount'?)");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:17: workflows.gift.rules[1].name: required key is missing");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:18: workflows.gift.rules[2]: must be a map describing one rule, got a "
                       "single value");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:21: workflows.gift.rules[3].until: '2026-11-01 00:00' must be after from "
                       "('2026-11-12')");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:23: workflows.gift.rules[4].min_amount: '2000.001' is not a yuan amount; "
                       "write it with at most 2 decimals, like \"2000.00\"");
  // Echoed names are cut at 64 characters.
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:24: workflows.gift.rules[5].name: rule name "
                       "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' must be at most 64 "
                       "characters");
  CHECK(result.issues.size() == 14);
}

TEST_CASE("gift: bad shops[].gift values and shapes are reported at their lines") {
  const auto result = parse_config(with_tmall(yaml(R"(
    gift:
      enabeld: true
      mode: [merchant]
      verify_within: 0ms
      reservaton: {skus: [A]}
      reservation: [GIFT-001]
      rules: {name: r1}
)")),
                                   kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 6);
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:12: shops[0].gift.enabeld: unknown key 'enabeld' (did you mean "
                       "'enabled'?)");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:13: shops[0].gift.mode: must be a single value, got a list");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:14: shops[0].gift.verify_within: must be at least 1ms, got '0ms'");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:15: shops[0].gift.reservaton: unknown key 'reservaton' (did you mean "
                       "'reservation'?)");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:16: shops[0].gift.reservation: must be a map of keys, got a list");
  ERP_CHECK_REPORTS(result,
                       "/etc/erpd/erpd.yaml:17: shops[0].gift.rules: must be a list of rules (each entry starting "
                       "with '- name:'), got a map");

  // Keys with no value, and a gift that is not a map at all.
  const auto blank = parse_config(with_tmall("    gift:\n      rules:\n      reservation:\n        skus:\n"), kFile);
  ERP_CHECK_REPORTS(blank,
                       "/etc/erpd/erpd.yaml:12: shops[0].gift.rules: has no value; write a list of rules (each entry "
                       "starting with '- name:'), or [] for none");
  ERP_CHECK_REPORTS(blank,
                       "/etc/erpd/erpd.yaml:14: shops[0].gift.reservation.skus: has no value; write a list of SKU ids "
                       "([A-1, B-2]), or [] for none");
  const auto scalar = parse_config(with_tmall("    gift: yes\n"), kFile);
  ERP_CHECK_REPORTS(scalar, "/etc/erpd/erpd.yaml:11: shops[0].gift: must be a map of keys, got a single value");
  const auto list = parse_config(std::string(kMinimal) + "workflows:\n  gift: [enabled]\n", kFile);
  ERP_CHECK_REPORTS(list, "/etc/erpd/erpd.yaml:6: workflows.gift: must be a map of keys, got a list");
  // A misspelt section name is suggested too.
  const auto misspelt = parse_config(with_tmall("    gfit: {enabled: true}\n"), kFile);
  ERP_CHECK_REPORTS(misspelt, "/etc/erpd/erpd.yaml:11: shops[0].gfit: unknown key 'gfit' (did you mean 'gift'?)");
}

TEST_CASE("gift: amounts, prices and rule names as pure rules") {
  using detail::check_gift_rule_name;
  using detail::parse_gift_amount;
  CHECK(parse_gift_amount("2000").value == 200000);
  CHECK(parse_gift_amount("2000.5").value == 200050);
  CHECK(parse_gift_amount("0").value == 0);
  CHECK(parse_gift_amount("0.01").value == 1);
  CHECK(parse_gift_amount("-0.01").error == "must not be negative");
  for (const char* bad : {"", "off", "2,000", "2000.001", "1e3", "2000 ", "+1", ".5", "99999999999999999999"}) {
    INFO(bad);
    CHECK_FALSE(parse_gift_amount(bad).value);
  }
  CHECK(check_gift_rule_name("spend-2000").empty());
  CHECK(check_gift_rule_name("A.b_c-9").empty());
  CHECK(check_gift_rule_name(std::string(64, 'r')).empty());
  CHECK(check_gift_rule_name("") == "must not be empty");
  CHECK(check_gift_rule_name(std::string(65, 'r')) == "must be at most 64 characters");
  for (const char* bad : {"a b", "满2000", "a/b", "a\nb"}) {
    INFO(bad);
    CHECK(check_gift_rule_name(bad) == "must use only letters, digits, '_', '.' and '-'");
  }
}

TEST_CASE("gift: merge replaces only the keys set, lists as a whole") {
  GiftConfig base;
  base.enabled = true;
  base.mode = GiftMode::merchant;
  base.tag_window = 3h;
  base.reservation_skus = {"A", "B"};
  GiftRule r1;
  r1.name = "r1";
  GiftRule r2;
  r2.name = "r2";
  base.rules = {r1, r2};
  CHECK(detail::merge_gift(base, detail::GiftSettings{}) == base);

  detail::GiftSettings over;
  over.enabled = false;
  over.reservation_skus = std::vector<std::string>{"C"};
  over.rules = std::vector<GiftRule>{};
  over.verify_within = 10min;
  const GiftConfig merged = detail::merge_gift(base, over);
  CHECK_FALSE(merged.enabled);
  CHECK(merged.mode == GiftMode::merchant);
  CHECK(merged.tag_window == 3h);
  CHECK(merged.verify_within == 10min);
  CHECK(merged.reservation_skus == std::vector<std::string>{"C"});
  CHECK(merged.reservation_price_fen == 100);
  CHECK(merged.rules.empty());
}

TEST_CASE("gift: the example config keeps gift off by default and runs one merchant-mode Tmall shop") {
  const std::filesystem::path example = std::filesystem::path(ERP_SOURCE_DIR) / "config/erpd.example.yaml";
  const auto result = load_config(example);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const GiftConfig& defaults = result.config->workflows.gift;
  CHECK_FALSE(defaults.enabled);
  CHECK(defaults.mode == GiftMode::platform);
  CHECK(defaults.tag_window == 4h);
  CHECK(defaults.refetch_every == 30min);
  CHECK(defaults.verify_within == 2h);
  CHECK(defaults.reservation_skus == std::vector<std::string>{"GIFT-001"});
  CHECK(defaults.reservation_price_fen == 100);
  CHECK(defaults.rules.empty());
  int enabled = 0;
  for (const auto& shop : result.config->shops) {
    if (!shop.gift.enabled) continue;
    ++enabled;
    CHECK(shop.platform == "tmall");
    CHECK(shop.gift.mode == GiftMode::merchant);
    CHECK(shop.gift.reservation_skus == defaults.reservation_skus);
    REQUIRE(shop.gift.rules.size() == 1);
    const GiftRule& rule = shop.gift.rules[0];
    CHECK(rule.name == "spend-2000");
    CHECK(rule.min_amount_fen == 200000);
    CHECK(rule.min_quantity == 2);
    CHECK(rule.skus == std::vector<std::string>{"A-1", "B-2"});
    CHECK(rule.from == kGiftNov1Cst);
    CHECK(rule.until == kGiftNov12Cst);
    CHECK(rule.stock == 500);
  }
  CHECK(enabled == 1);
}

}  // namespace
}  // namespace erp::daemon::config
