// The intercept workflow's settings (rules I1-I9): workflows.intercept holds the defaults, a
// shop's `intercept:` overrides them key by key, and every bad value is reported at its line.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "config/intercept_settings.hpp"
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
using Kind = UnlockSchedule::Kind;

/// 2026-11-12 00:00 China time (UTC+8), the instant every spelling in these tests means.
const auto kNov12Cst = std::chrono::sys_days{std::chrono::year{2026} / 11 / 11} + 16h;

/// Whether `result` reports exactly `line` ("FILE:LINE: key.path: message") among its issues.
TEST_CASE("intercept_I1_defaults_are_read_as_written") {
  const auto result = parse_config(std::string(kMinimal) + yaml(R"(
workflows:
  intercept:
    memo: "拦截发货"
    flag: 3
    level: lock
    on_refund_request: true
    unlock_at: "2026-11-12 00:00"
)"),
                                   kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const InterceptConfig& d = result.config->workflows.intercept;
  CHECK(d.enabled);
  CHECK(d.memo == "拦截发货");
  CHECK(d.flag == 3);
  CHECK(d.level == InterceptLevel::lock);
  CHECK(d.on_refund_request);
  CHECK(d.unlock.kind == Kind::at);
  CHECK(d.unlock.at == kNov12Cst);
}

TEST_CASE("intercept_I1_no_memo_means_off_with_builtin_defaults") {
  const auto absent = parse_config(with_shop(""), kFile);
  INFO(all_issues(absent));
  REQUIRE(absent.config);
  CHECK(absent.config->workflows.intercept == InterceptConfig{});
  const InterceptConfig& shop = absent.config->shops.at(0).intercept;
  CHECK_FALSE(shop.enabled);
  CHECK(shop.memo.empty());
  CHECK(shop.flag == 1);
  CHECK(shop.level == InterceptLevel::lock);
  CHECK_FALSE(shop.on_refund_request);
  CHECK(shop.unlock.kind == Kind::next_day);

  // An empty memo is the same as none, and an empty map is no settings.
  const auto empty =
      parse_config(with_shop("    intercept: {}\n") + "workflows:\n  intercept:\n    memo: \"\"\n", kFile);
  INFO(all_issues(empty));
  REQUIRE(empty.config);
  CHECK_FALSE(empty.config->workflows.intercept.enabled);
  CHECK_FALSE(empty.config->shops.at(0).intercept.enabled);
}

TEST_CASE("intercept_I1_shop_inherits_memo_and_level") {
  const auto result = parse_config(std::string(kMinimal) + yaml(R"(
workflows:
  intercept:
    memo: "拦截发货"
    flag: 2
    level: memo_only
    on_refund_request: true
    unlock_at: "off"
shops:
  - id: plain
    platform: taobao
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
  - id: flagged
    platform: douyin
    base_url: https://openapi-fxg.jinritemai.com
    app_key: k
    app_secret: s
    intercept:
      flag: 4
)"),
                                   kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  REQUIRE(result.config->shops.size() == 2);
  // No intercept map at all: the defaults exactly.
  CHECK(result.config->shops[0].intercept == result.config->workflows.intercept);
  const InterceptConfig& flagged = result.config->shops[1].intercept;
  CHECK(flagged.enabled);
  CHECK(flagged.memo == "拦截发货");
  CHECK(flagged.flag == 4);
  CHECK(flagged.level == InterceptLevel::memo_only);
  CHECK(flagged.on_refund_request);
  CHECK(flagged.unlock.kind == Kind::never);
  // The defaults themselves stay as written.
  CHECK(result.config->workflows.intercept.flag == 2);
}

TEST_CASE("intercept_I1_shop_overrides_every_key") {
  const auto result = parse_config(with_shop(yaml(R"(
    intercept:
      memo: 截单
      flag: 0
      level: lock
      on_refund_request: false
      unlock_at: 2026-11-12T00:00:00+08:00
)")) + yaml(R"(
workflows:
  intercept:
    memo: "拦截发货"
    flag: 5
    level: memo_only
    on_refund_request: true
    unlock_at: "off"
)"),
                                   kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const InterceptConfig& shop = result.config->shops.at(0).intercept;
  CHECK(shop.enabled);
  CHECK(shop.memo == "截单");
  CHECK(shop.flag == 0);
  CHECK(shop.level == InterceptLevel::lock);
  CHECK_FALSE(shop.on_refund_request);
  CHECK(shop.unlock == UnlockSchedule{Kind::at, kNov12Cst});
}

TEST_CASE("intercept_I1_shop_memo_alone_enables_it") {
  const auto result = parse_config(with_shop("    intercept:\n      memo: 拦截\n"), kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  CHECK_FALSE(result.config->workflows.intercept.enabled);
  CHECK(result.config->shops.at(0).intercept.enabled);
  CHECK(result.config->shops.at(0).intercept.memo == "拦截");
}

TEST_CASE("intercept_I1_shop_enabled_false_or_empty_memo_turns_it_off") {
  const std::string defaults = "workflows:\n  intercept:\n    memo: 拦截发货\n    level: memo_only\n";
  const auto disabled = parse_config(with_shop("    intercept:\n      enabled: false\n") + defaults, kFile);
  INFO(all_issues(disabled));
  REQUIRE(disabled.config);
  const InterceptConfig& off = disabled.config->shops.at(0).intercept;
  CHECK_FALSE(off.enabled);
  CHECK(off.memo == "拦截发货");  // still inherited: only `enabled` says no
  CHECK(off.level == InterceptLevel::memo_only);

  const auto blank = parse_config(with_shop("    intercept:\n      memo: \"\"\n") + defaults, kFile);
  INFO(all_issues(blank));
  REQUIRE(blank.config);
  CHECK_FALSE(blank.config->shops.at(0).intercept.enabled);
  CHECK(blank.config->shops.at(0).intercept.memo.empty());

  const auto explicit_on = parse_config(with_shop("    intercept:\n      enabled: true\n") + defaults, kFile);
  INFO(all_issues(explicit_on));
  REQUIRE(explicit_on.config);
  CHECK(explicit_on.config->shops.at(0).intercept.enabled);
}

TEST_CASE("intercept_I1_merge_replaces_only_the_keys_set") {
  InterceptConfig base;
  base.memo = "拦截发货";
  base.flag = 2;
  base.level = InterceptLevel::memo_only;
  base.on_refund_request = true;
  base.unlock = UnlockSchedule{Kind::never, {}};
  const InterceptConfig same = detail::merge_intercept(base, detail::InterceptSettings{});
  CHECK(same.enabled);
  CHECK(same.memo == base.memo);
  CHECK(same.flag == 2);
  CHECK(same.level == InterceptLevel::memo_only);
  CHECK(same.on_refund_request);
  CHECK(same.unlock.kind == Kind::never);

  detail::InterceptSettings over;
  over.level = InterceptLevel::lock;
  over.enabled = false;
  const InterceptConfig merged = detail::merge_intercept(base, over);
  CHECK_FALSE(merged.enabled);
  CHECK(merged.level == InterceptLevel::lock);
  CHECK(merged.flag == 2);

  CHECK_FALSE(detail::merge_intercept(InterceptConfig{}, detail::InterceptSettings{}).enabled);
}

TEST_CASE("intercept_I8_memo_only_level") {
  const auto result = parse_config(
      with_shop("    intercept:\n      level: memo_only\n") + "workflows:\n  intercept:\n    memo: 拦截发货\n", kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  CHECK(result.config->workflows.intercept.level == InterceptLevel::lock);
  CHECK(result.config->shops.at(0).intercept.level == InterceptLevel::memo_only);
  CHECK(result.config->shops.at(0).intercept.enabled);
}

TEST_CASE("intercept_I7_unlock_at_forms") {
  using detail::parse_unlock_at;
  CHECK(parse_unlock_at("off").value == UnlockSchedule{Kind::never, {}});
  CHECK(parse_unlock_at("next_day").value == UnlockSchedule{Kind::next_day, {}});
  for (const char* same : {"2026-11-12", "2026-11-12 00:00", "2026-11-12 00:00:00", "2026-11-12T00:00:00+08:00",
                           "2026-11-11T16:00:00Z", "2026-11-11 16:00:00.000Z"}) {
    INFO(same);
    const auto parsed = parse_unlock_at(same);
    REQUIRE(parsed.value);
    CHECK(parsed.value->kind == Kind::at);
    CHECK(parsed.value->at == kNov12Cst);
  }
  CHECK(parse_unlock_at("2026-11-12 08:30").value->at == kNov12Cst + 8h + 30min);
  for (const char* bad : {"", "OFF", "never", "tomorrow", "2026-11-12 00", "2026-11-12 24:00",
                          "2026-13-01 00:00", "2026-02-30 00:00", "2026-11-12 00:00 ", "2026-11-12T00:00:00+8"}) {
    INFO(bad);
    CHECK_FALSE(parse_unlock_at(bad).value);
  }

  // Absent: the next day; a shop may go back to it from a default time, or turn it off.
  const std::string defaults = "workflows:\n  intercept:\n    memo: x\n    unlock_at: 2026-11-12 00:00\n";
  const auto inherited = parse_config(with_shop("") + defaults, kFile);
  INFO(all_issues(inherited));
  REQUIRE(inherited.config);
  CHECK(inherited.config->shops.at(0).intercept.unlock == UnlockSchedule{Kind::at, kNov12Cst});
  const auto next_day = parse_config(with_shop("    intercept:\n      unlock_at: next_day\n") + defaults, kFile);
  REQUIRE(next_day.config);
  CHECK(next_day.config->shops.at(0).intercept.unlock.kind == Kind::next_day);
  const auto never = parse_config(with_shop("    intercept:\n      unlock_at: off\n") + defaults, kFile);
  REQUIRE(never.config);
  CHECK(never.config->shops.at(0).intercept.unlock.kind == Kind::never);
}

TEST_CASE("intercept_I3_memo_fits_douyins_60_characters_without_control_characters") {
  using detail::check_intercept_memo;
  std::string sixty_cjk;
  for (int i = 0; i < 60; ++i) sixty_cjk += "拦";  // 3 bytes each: characters are counted, not bytes
  CHECK(check_intercept_memo(sixty_cjk).empty());
  CHECK(check_intercept_memo(std::string(60, 'a')).empty());
  CHECK(check_intercept_memo("").empty());
  CHECK(check_intercept_memo("拦截 发货 😀").empty());
  CHECK(check_intercept_memo(sixty_cjk + "拦") == "must be at most 60 characters (Douyin's seller memo limit), got 61");
  CHECK(check_intercept_memo(std::string(61, 'a')) ==
        "must be at most 60 characters (Douyin's seller memo limit), got 61");
  for (const std::string& bad : {std::string("a\nb"), std::string("a\tb"), std::string("a\rb"), std::string("\x7f"),
                                 std::string("a\xc2\x85"), std::string(1, '\0')}) {
    CHECK(check_intercept_memo(bad) == "must not contain control characters (line breaks, tabs)");
  }
  for (const std::string& bad :
       {std::string("\xff"), std::string("\xe6\x8b"), std::string("\xed\xa0\x80"), std::string("\xc0\xaf")}) {
    CHECK(check_intercept_memo(bad) == "is not valid UTF-8 text");
  }
}

TEST_CASE("intercept: bad workflows.intercept values are reported as FILE:LINE: key.path") {
  const auto result = parse_config(std::string(kMinimal) + yaml(R"(
workflows:
  intercept:
    memo: "拦截发货拦截发货拦截发货拦截发货拦截发货拦截发货拦截发货拦截发货拦截发货拦截发货拦截发货拦截发货拦截发货拦截发货拦截发货拦"
    flag: 6
    level: locked
    on_refund_request: maybe
    unlock_at: tomorrow
    enabled: true
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 6);
  ERP_CHECK_REPORTS(
      result,
      "/etc/erpd/erpd.yaml:7: workflows.intercept.memo: must be at most 60 characters (Douyin's seller memo "
      "limit), got 61");
  ERP_CHECK_REPORTS(result,
                            "/etc/erpd/erpd.yaml:8: workflows.intercept.flag: must be at most 5 (the platforms' "
                            "seller flags and stars are 0-5), got 6");
  ERP_CHECK_REPORTS(result,
                            "/etc/erpd/erpd.yaml:9: workflows.intercept.level: 'locked' is not a known intercept "
                            "level; use lock or memo_only (did you mean 'lock'?)");
  ERP_CHECK_REPORTS(
      result, "/etc/erpd/erpd.yaml:10: workflows.intercept.on_refund_request: must be true or false, got 'maybe'");
  ERP_CHECK_REPORTS(result,
                            "/etc/erpd/erpd.yaml:11: workflows.intercept.unlock_at: 'tomorrow' is not a time; write "
                            "\"off\", \"next_day\", an RFC 3339 time (2026-11-12T00:00:00+08:00) or a China time "
                            "(2026-11-12, 2026-11-12 00:00 or 2026-11-12 00:00:00)");
  // `enabled` belongs to a shop's map: the defaults are on exactly when the memo is set.
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:12: workflows.intercept.enabled: unknown key 'enabled'");
}

TEST_CASE("intercept: a memo with a line break, a flag below 0 and a section that is not a map") {
  const auto control =
      parse_config(std::string(kMinimal) + "workflows:\n  intercept:\n    memo: \"拦截\\n发货\"\n", kFile);
  ERP_CHECK_REPORTS(control,
                            "/etc/erpd/erpd.yaml:7: workflows.intercept.memo: must not contain control characters "
                            "(line breaks, tabs)");
  const auto negative = parse_config(std::string(kMinimal) + "workflows:\n  intercept:\n    flag: -1\n", kFile);
  ERP_CHECK_REPORTS(negative, "/etc/erpd/erpd.yaml:7: workflows.intercept.flag: must be at least 0, got '-1'");
  const auto word = parse_config(std::string(kMinimal) + "workflows:\n  intercept:\n    flag: red\n", kFile);
  ERP_CHECK_REPORTS(word, "/etc/erpd/erpd.yaml:7: workflows.intercept.flag: 'red' must be a whole number");
  const auto list = parse_config(std::string(kMinimal) + "workflows:\n  intercept: [memo]\n", kFile);
  ERP_CHECK_REPORTS(list, "/etc/erpd/erpd.yaml:6: workflows.intercept: must be a map of keys, got a list");
  const auto shop_scalar = parse_config(with_shop("    intercept: yes\n"), kFile);
  ERP_CHECK_REPORTS(shop_scalar,
                            "/etc/erpd/erpd.yaml:11: shops[0].intercept: must be a map of keys, got a single value");
}

TEST_CASE("intercept_I1_shop_enabled_without_any_memo_is_an_error") {
  const auto result = parse_config(with_shop("    intercept:\n      enabled: true\n"), kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 1);
  ERP_CHECK_REPORTS(result,
                            "/etc/erpd/erpd.yaml:12: shops[0].intercept.enabled: needs a memo text "
                            "(workflows.intercept.memo or this shop's intercept.memo)");
  // A shop blanking the default memo while saying enabled: true is the same mistake.
  const auto blanked = parse_config(with_shop("    intercept:\n      memo: \"\"\n      enabled: true\n") +
                                        "workflows:\n  intercept:\n    memo: 拦截发货\n",
                                    kFile);
  ERP_CHECK_REPORTS(blanked,
                            "/etc/erpd/erpd.yaml:13: shops[0].intercept.enabled: needs a memo text "
                            "(workflows.intercept.memo or this shop's intercept.memo)");
  // With a memo anywhere it is fine.
  const auto fine = parse_config(with_shop("    intercept:\n      enabled: true\n      memo: 拦截\n"), kFile);
  INFO(all_issues(fine));
  CHECK(fine.config);
}

TEST_CASE("intercept: bad shops[].intercept values are reported at their lines") {
  const auto result = parse_config(with_shop(yaml(R"(
    intercept:
      memmo: 拦截
      flag: 9
      level: lock-all
      unlock_at: "2026-11-12 24:00"
      enabled: perhaps
)")),
                                   kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 5);
  ERP_CHECK_REPORTS(
      result, "/etc/erpd/erpd.yaml:12: shops[0].intercept.memmo: unknown key 'memmo' (did you mean 'memo'?)");
  ERP_CHECK_REPORTS(result,
                            "/etc/erpd/erpd.yaml:13: shops[0].intercept.flag: must be at most 5 (the platforms' "
                            "seller flags and stars are 0-5), got 9");
  ERP_CHECK_REPORTS(result,
                            "/etc/erpd/erpd.yaml:14: shops[0].intercept.level: 'lock-all' is not a known intercept "
                            "level; use lock or memo_only");
  ERP_CHECK_REPORTS(result,
                            "/etc/erpd/erpd.yaml:15: shops[0].intercept.unlock_at: '2026-11-12 24:00' is not a time; "
                            "write \"off\", \"next_day\", an RFC 3339 time (2026-11-12T00:00:00+08:00) or a China "
                            "time (2026-11-12, 2026-11-12 00:00 or 2026-11-12 00:00:00)");
  ERP_CHECK_REPORTS(result,
                            "/etc/erpd/erpd.yaml:16: shops[0].intercept.enabled: must be true or false, got 'perhaps'");
}

TEST_CASE("intercept: the example config enables intercept with a memo and one memo_only shop") {
  const std::filesystem::path example = std::filesystem::path(ERP_SOURCE_DIR) / "config/erpd.example.yaml";
  const auto result = load_config(example);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const InterceptConfig& defaults = result.config->workflows.intercept;
  CHECK(defaults.enabled);
  CHECK(defaults.memo == "拦截发货");
  CHECK(defaults.level == InterceptLevel::lock);
  CHECK(defaults.unlock.kind == Kind::next_day);
  int memo_only = 0;
  for (const auto& shop : result.config->shops) {
    CHECK(shop.intercept.enabled);
    CHECK(shop.intercept.memo == defaults.memo);
    if (shop.intercept.level == InterceptLevel::memo_only) ++memo_only;
  }
  CHECK(memo_only == 1);
}

}  // namespace
}  // namespace erp::daemon::config
