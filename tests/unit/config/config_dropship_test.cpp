// The dropship settings (rules D1-D11): workflows.dropship lists the factories and the assignment
// rules, a shop's `dropship:` map gives its role, and every problem (shape, value, duplicate, cross
// reference) is reported as FILE:LINE: key.path.

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/dropship_settings.hpp"
#include "config/loader.hpp"
#include "config_test_support.hpp"

namespace erp::daemon::config {
namespace {

using namespace std::chrono_literals;
using testing::all_issues;
using testing::kFile;
using testing::kMinimal;
using testing::yaml;

/// kMinimal (lines 1-4) plus three shops: tb-1 (Taobao, merchant, line 6), dy-1 (Douyin,
/// merchant, line 11) and dy-factory (Douyin, factory, line 16), then `workflows:` (line 23) and
/// `  dropship:` (line 24).
std::string shops_and_workflows() {
  return std::string(kMinimal) + yaml(R"(
shops:
  - id: tb-1
    platform: taobao
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
  - id: dy-1
    platform: douyin
    base_url: https://openapi-fxg.jinritemai.com
    app_key: k
    app_secret: s
  - id: dy-factory
    platform: douyin
    base_url: https://openapi-fxg.jinritemai.com
    app_key: k
    app_secret: s
    dropship:
      role: factory
workflows:
  dropship:
)");
}

/// shops_and_workflows() with `body` (indented by 4) under `dropship:`: the body's first line is
/// the file's line 25.
std::string with_dropship(std::string_view body) { return shops_and_workflows() + yaml(body); }

/// One valid factory (lines 25-28 as the body's start) for tests about rules.
constexpr std::string_view kAcme = R"(
    factories:
      - id: acme
        token_file: /var/lib/erpd/factory-acme.token
)";

TEST_CASE("D11 reconcile_every and the lists have their defaults when workflows.dropship is absent") {
  const auto absent = parse_config(testing::with_shop(""), kFile);
  INFO(all_issues(absent));
  REQUIRE(absent.config);
  CHECK(absent.config->workflows.dropship == DropshipConfig{});
  CHECK(absent.config->workflows.dropship.reconcile_every == 5min);
  CHECK(absent.config->workflows.dropship.factories.empty());
  CHECK(absent.config->workflows.dropship.rules.empty());
  CHECK(absent.config->shops.at(0).dropship_role == DropshipRole::merchant);

  // An empty map (or ~), and empty lists, are no settings.
  for (const std::string body : {"", "    {}\n", "    factories: []\n    rules: []\n"}) {
    const auto empty = parse_config(with_dropship(body), kFile);
    INFO(body << all_issues(empty));
    REQUIRE(empty.config);
    CHECK(empty.config->workflows.dropship == DropshipConfig{});
  }
}

TEST_CASE("D1 shops[].dropship.role is merchant by default and factory when set") {
  // dy-factory has role factory and no factory names it: fine.
  const auto result = parse_config(with_dropship(""), kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  REQUIRE(result.config->shops.size() == 3);
  CHECK(result.config->shops[0].dropship_role == DropshipRole::merchant);
  CHECK(result.config->shops[1].dropship_role == DropshipRole::merchant);
  CHECK(result.config->shops[2].dropship_role == DropshipRole::factory);

  const auto merchant = parse_config(testing::with_shop("    dropship:\n      role: merchant\n"), kFile);
  INFO(all_issues(merchant));
  REQUIRE(merchant.config);
  CHECK(merchant.config->shops.at(0).dropship_role == DropshipRole::merchant);
  const auto empty = parse_config(testing::with_shop("    dropship: {}\n"), kFile);
  REQUIRE(empty.config);
  CHECK(empty.config->shops.at(0).dropship_role == DropshipRole::merchant);
}

TEST_CASE("D1 shops[].dropship.role: bad values and keys are reported") {
  const auto wrong = parse_config(testing::with_shop("    dropship:\n      role: fatcory\n      bound: true\n"), kFile);
  CHECK_FALSE(wrong.config);
  CHECK(wrong.issues.size() == 2);
  ERP_CHECK_REPORTS(wrong,
                    "/etc/erpd/erpd.yaml:12: shops[0].dropship.role: 'fatcory' is not a dropship role; use merchant "
                    "or factory (did you mean 'factory'?)");
  ERP_CHECK_REPORTS(wrong, "/etc/erpd/erpd.yaml:13: shops[0].dropship.bound: unknown key 'bound'");

  const auto both = parse_config(testing::with_shop("    dropship:\n      role: [merchant, factory]\n"), kFile);
  CHECK(both.issues.size() == 1);
  ERP_CHECK_REPORTS(both, "/etc/erpd/erpd.yaml:12: shops[0].dropship.role: must be a single value, got a list");

  const auto scalar = parse_config(testing::with_shop("    dropship: factory\n"), kFile);
  CHECK(scalar.issues.size() == 1);
  ERP_CHECK_REPORTS(scalar, "/etc/erpd/erpd.yaml:11: shops[0].dropship: must be a map of keys, got a single value");

  const auto misspelt = parse_config(testing::with_shop("    dropshp:\n      role: factory\n"), kFile);
  CHECK(misspelt.issues.size() == 1);
  ERP_CHECK_REPORTS(misspelt,
                    "/etc/erpd/erpd.yaml:11: shops[0].dropshp: unknown key 'dropshp' (did you mean 'dropship'?)");
}

TEST_CASE("D4 rules and factories: a full valid example is read back field by field") {
  const auto result = parse_config(with_dropship(R"(
    reconcile_every: 90s
    factories:
      - id: acme
        name: Acme Shoes
        token_file: /var/lib/erpd/factory-acme.token
        douyin_shop_id: "7000002"
        shop: dy-factory
        notify_url: http://127.0.0.1:9000/hook
      - id: bolt.co_2
        token_file: tokens/bolt.token
    rules:
      - name: shoes
        skus: [SKU-1, SKU-2]
        factory: acme
        shops: [tb-1, dy-1]
      - name: everything-else
        skus: [SKU-1, 3]
        factory: bolt.co_2
)"),
                                   kFile);
  INFO(all_issues(result));
  REQUIRE(result.config);
  const DropshipConfig& d = result.config->workflows.dropship;
  CHECK(d.reconcile_every == 90s);
  REQUIRE(d.factories.size() == 2);
  const FactoryConfig& acme = d.factories[0];
  CHECK(acme.id == "acme");
  CHECK(acme.name == "Acme Shoes");
  CHECK(acme.token_file == std::filesystem::path("/var/lib/erpd/factory-acme.token"));
  CHECK(acme.douyin_shop_id == "7000002");
  CHECK(acme.shop == "dy-factory");
  CHECK(acme.notify_url == "http://127.0.0.1:9000/hook");
  CHECK(acme.line == 27);
  const FactoryConfig& bolt = d.factories[1];
  CHECK(bolt.id == "bolt.co_2");
  CHECK(bolt.name == "bolt.co_2");  // the id when not set
  // Relative to the config file's directory, as api.token_file.
  CHECK(bolt.token_file == std::filesystem::path("/etc/erpd/tokens/bolt.token"));
  CHECK(bolt.douyin_shop_id.empty());
  CHECK(bolt.shop.empty());
  CHECK(bolt.notify_url.empty());
  CHECK(bolt.line == 33);
  // In the order written: the first match wins (D4).
  REQUIRE(d.rules.size() == 2);
  CHECK(d.rules[0] == DropshipRule{"shoes", {"SKU-1", "SKU-2"}, "acme", {"tb-1", "dy-1"}});
  CHECK(d.rules[1] == DropshipRule{"everything-else", {"SKU-1", "3"}, "bolt.co_2", {}});
  CHECK(result.config->shops.at(2).dropship_role == DropshipRole::factory);
}

TEST_CASE("D4 rules[].name is required, of [A-Za-z0-9_.-]{1,64} and unique") {
  const auto result = parse_config(with_dropship(std::string(kAcme) + yaml(R"(
    rules:
      - name: "shoes and bags"
        skus: [A]
        factory: acme
      - skus: [A]
        factory: acme
      - name: shoes
        skus: [A]
        factory: acme
      - name: shoes
        skus: [B]
        factory: acme
      - name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
        skus: [A]
        factory: acme
)")),
                                   kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 4);
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:29: workflows.dropship.rules[0].name: rule name 'shoes and bags' must use "
                    "only letters, digits, '_', '.' and '-'");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:32: workflows.dropship.rules[1].name: required key is missing");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:37: workflows.dropship.rules[3].name: duplicate rule name 'shoes' (first at "
                    "line 34)");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:40: workflows.dropship.rules[4].name: rule name "
                    "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' must be at most 64 "
                    "characters");
}

TEST_CASE("D4 rules[].skus is a required, non-empty list of non-empty SKU ids") {
  const auto result = parse_config(with_dropship(std::string(kAcme) + yaml(R"(
    rules:
      - name: none
        factory: acme
      - name: empty
        skus: []
        factory: acme
      - name: scalar
        skus: SKU-1
        factory: acme
      - name: blank
        skus: [SKU-1, "", {a: b}]
        factory: acme
      - name: nothing
        skus:
        factory: acme
)")),
                                   kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 6);
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:29: workflows.dropship.rules[0].skus: required key is missing (the "
                    "outer_sku or sku ids whose lines go to the factory)");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:32: workflows.dropship.rules[1].skus: must list at least one SKU id "
                    "(outer_sku or sku); a rule matches the lines it lists");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:35: workflows.dropship.rules[2].skus: must be a list of SKU ids ([A-1, B-2]), "
                    "got a single value");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:38: workflows.dropship.rules[3].skus[1]: must not be empty");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:38: workflows.dropship.rules[3].skus[2]: must be a SKU id, got a map");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:41: workflows.dropship.rules[4].skus: has no value; write a list of SKU ids "
                    "([A-1, B-2])");
}

TEST_CASE("D4 rules[].factory is required and names a factory of the list") {
  const auto result = parse_config(with_dropship(R"(
    factories:
      - id: acme
        token_file: /var/lib/erpd/factory-acme.token
      - id: "bad id"
        token_file: /var/lib/erpd/factory-bad.token
    rules:
      - name: no-factory
        skus: [A]
      - name: misspelt
        skus: [A]
        factory: acem
      - name: unknown
        skus: [A]
        factory: zeta
      - name: bad-id
        skus: [A]
        factory: bad id
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  // The factory whose id is wrong is reported once, not again for the rule naming it.
  CHECK(result.issues.size() == 4);
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:28: workflows.dropship.factories[1].id: factory id 'bad id' must use only "
                    "letters, digits, '_', '.' and '-'");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:31: workflows.dropship.rules[0].factory: required key is missing");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:35: workflows.dropship.rules[1].factory: 'acem' names no factory of "
                    "workflows.dropship.factories (did you mean 'acme'?)");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:38: workflows.dropship.rules[2].factory: 'zeta' names no factory of "
                    "workflows.dropship.factories");
}

TEST_CASE("D1 rules[].shops names configured merchant shops, each once") {
  const auto result = parse_config(with_dropship(std::string(kAcme) + yaml(R"(
    rules:
      - name: r1
        skus: [A]
        factory: acme
        shops: [tb-1, dy-factory, tb-2, tb-1, ""]
      - name: r2
        skus: [A]
        factory: acme
        shops: tb-1
)")),
                                   kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 5);
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:32: workflows.dropship.rules[0].shops[1]: shop 'dy-factory' has "
                    "dropship.role: factory; rules assign the lines of merchant shops (rule D1: a shop is a merchant "
                    "or a factory in dropship, never both)");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:32: workflows.dropship.rules[0].shops[2]: 'tb-2' names no configured shop "
                    "(did you mean 'tb-1'?)");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:32: workflows.dropship.rules[0].shops[3]: shop 'tb-1' is listed twice "
                    "(first at line 32)");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:32: workflows.dropship.rules[0].shops[4]: must not be empty");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:36: workflows.dropship.rules[1].shops: must be a list of shop ids ([shop-1, "
                    "shop-2]), got a single value");
}

TEST_CASE("D1 factories[].shop names a configured Douyin shop with role factory, one factory each") {
  // A Taobao shop made a factory, to tell the platform check from the role check.
  const std::string taobao_factory = yaml(R"(
  - id: tb-factory
    platform: taobao
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
    dropship: {role: factory}
)");
  std::string text = with_dropship(R"(
    factories:
      - id: f1
        token_file: f1.token
        shop: dy-factory
      - id: f2
        token_file: f2.token
        shop: dy-factory
      - id: f3
        token_file: f3.token
        shop: dy-1
      - id: f4
        token_file: f4.token
        shop: tb-1
      - id: f5
        token_file: f5.token
        shop: dy-factroy
      - id: f6
        token_file: f6.token
        shop: tb-factory
)");
  text.insert(text.find("workflows:"), taobao_factory);  // lines 23-28; workflows moves to line 29
  const auto checked = parse_config(text, kFile);
  CHECK_FALSE(checked.config);
  CHECK(checked.issues.size() == 6);
  // Body lines move down by 6: f1 starts at line 32.
  ERP_CHECK_REPORTS(checked,
                    "/etc/erpd/erpd.yaml:37: workflows.dropship.factories[1].shop: is also "
                    "workflows.dropship.factories[0]'s shop (line 34); a factory's own shop belongs to that one "
                    "factory");
  ERP_CHECK_REPORTS(checked,
                    "/etc/erpd/erpd.yaml:40: workflows.dropship.factories[2].shop: shop 'dy-1' needs dropship.role: "
                    "factory to be a factory's own shop (rule D1: a shop is a merchant or a factory in dropship, "
                    "never both)");
  ERP_CHECK_REPORTS(checked,
                    "/etc/erpd/erpd.yaml:43: workflows.dropship.factories[3].shop: shop 'tb-1' is a 'taobao' shop; a "
                    "factory's own shop is a Douyin shop (platform: douyin)");
  ERP_CHECK_REPORTS(checked,
                    "/etc/erpd/erpd.yaml:43: workflows.dropship.factories[3].shop: shop 'tb-1' needs dropship.role: "
                    "factory to be a factory's own shop (rule D1: a shop is a merchant or a factory in dropship, "
                    "never both)");
  ERP_CHECK_REPORTS(checked,
                    "/etc/erpd/erpd.yaml:46: workflows.dropship.factories[4].shop: 'dy-factroy' names no configured "
                    "shop (did you mean 'dy-factory'?)");
  ERP_CHECK_REPORTS(checked,
                    "/etc/erpd/erpd.yaml:49: workflows.dropship.factories[5].shop: shop 'tb-factory' is a 'taobao' "
                    "shop; a factory's own shop is a Douyin shop (platform: douyin)");
  // tb-factory's own settings are fine: a factory shop on another platform is only refused as a
  // factory's own shop.
  CHECK(testing::issue_at(checked, "shops[3].dropship.role") == nullptr);
}

TEST_CASE("D5 factories[].id is required, of [A-Za-z0-9_.-]{1,64} and unique") {
  const auto result = parse_config(with_dropship(R"(
    factories:
      - id: acme
        token_file: a.token
      - token_file: b.token
      - id: acme
        token_file: c.token
      - id: "acme/shoes"
        token_file: d.token
      - id: ""
        token_file: e.token
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 4);
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:28: workflows.dropship.factories[1].id: required key is missing");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:29: workflows.dropship.factories[2].id: duplicate factory id 'acme' (first "
                    "at line 26)");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:31: workflows.dropship.factories[3].id: factory id 'acme/shoes' must use "
                    "only letters, digits, '_', '.' and '-'");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:33: workflows.dropship.factories[4].id: must not be empty");
}

TEST_CASE("D5 factories[].token_file is required, its own per factory and not the API's") {
  const auto result = parse_config(with_dropship(R"(
    factories:
      - id: f1
      - id: f2
        token_file: tokens/f2.token
      - id: f3
        token_file: /etc/erpd/tokens/../tokens/f2.token
      - id: f4
        token_file: data/api.token
      - id: f5
        token_file: ""
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 4);
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:26: workflows.dropship.factories[0].token_file: required key is missing");
  // The same file written two ways.
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:30: workflows.dropship.factories[2].token_file: is also "
                    "workflows.dropship.factories[1]'s token_file (line 28); each factory needs a token of its own "
                    "(rule D5: a factory's token sees only its own lines)");
  // api.token_file's default: api.token next to the database (data/erpd.db).
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:32: workflows.dropship.factories[3].token_file: is the API's token file "
                    "(api.token_file); a factory needs a token of its own (rule D5: a factory's token sees only its "
                    "own lines)");
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:34: workflows.dropship.factories[4].token_file: must not be empty");

  // An api.token_file written in the file, relative or absolute, is compared resolved.
  std::string text = with_dropship(R"(
    factories:
      - id: f1
        token_file: /var/lib/erpd/api.token
)");
  text.insert(text.find("shops:"), "api:\n  token_file: ../../var/lib/erpd/api.token\n");  // lines 5-6
  const auto same = parse_config(text, kFile);
  CHECK(same.issues.size() == 1);
  ERP_CHECK_REPORTS(same,
                    "/etc/erpd/erpd.yaml:29: workflows.dropship.factories[0].token_file: is the API's token file "
                    "(api.token_file); a factory needs a token of its own (rule D5: a factory's token sees only its "
                    "own lines)");
}

TEST_CASE("D5 factories[].douyin_shop_id is digits only and names one factory") {
  const auto result = parse_config(with_dropship(R"(
    factories:
      - id: f1
        token_file: f1.token
        douyin_shop_id: 7000002
      - id: f2
        token_file: f2.token
        douyin_shop_id: "7000002"
      - id: f3
        token_file: f3.token
        douyin_shop_id: shop-7
      - id: f4
        token_file: f4.token
        douyin_shop_id: [1]
      - id: f5
        token_file: f5.token
        douyin_shop_id: ""
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 3);
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:31: workflows.dropship.factories[1].douyin_shop_id: is also "
                    "workflows.dropship.factories[0]'s douyin_shop_id (line 28); the lines a merchant assigns to "
                    "that Douyin shop would have two factories");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:34: workflows.dropship.factories[2].douyin_shop_id: 'shop-7' must be digits "
                    "only (Douyin's id of the factory's shop)");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:37: workflows.dropship.factories[3].douyin_shop_id: must be a single value, "
                    "got a list");
}

TEST_CASE("D8 factories[].notify_url is an http(s) URL, and name is not empty") {
  const auto result = parse_config(with_dropship(R"(
    factories:
      - id: f1
        token_file: f1.token
        notify_url: ftp://factory.example.com/hook
      - id: f2
        token_file: f2.token
        notify_url: https://user:secret@factory.example.com/hook
      - id: f3
        token_file: f3.token
        notify_url: https://factory.example.com:8443/erpd?key=x
        name: ""
      - id: f4
        token_file: f4.token
        notify_url: ""
        nofity_url: http://x
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 4);
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:28: workflows.dropship.factories[0].notify_url: must start with http:// or "
                    "https://");
  // The URL is never echoed: it may carry a secret.
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:31: workflows.dropship.factories[1].notify_url: must not carry credentials "
                    "(user@host); put them in the config's secret keys");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:35: workflows.dropship.factories[2].name: must not be empty; leave name out "
                    "to show the factory by its id");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:39: workflows.dropship.factories[3].nofity_url: unknown key 'nofity_url' "
                    "(did you mean 'notify_url'?)");
}

TEST_CASE("D11 reconcile_every is a duration of at least 10s") {
  const auto fast = parse_config(with_dropship("    reconcile_every: 5s\n"), kFile);
  CHECK(fast.issues.size() == 1);
  ERP_CHECK_REPORTS(fast, "/etc/erpd/erpd.yaml:25: workflows.dropship.reconcile_every: must be at least 10s, got '5s'");
  const auto word = parse_config(with_dropship("    reconcile_every: often\n"), kFile);
  CHECK(word.issues.size() == 1);
  ERP_CHECK_REPORTS(word,
                    "/etc/erpd/erpd.yaml:25: workflows.dropship.reconcile_every: 'often' is not a duration; write a "
                    "whole number and a unit: 250ms, 30s, 5m, 4h or 2d");
  const auto edge = parse_config(with_dropship("    reconcile_every: 10s\n"), kFile);
  INFO(all_issues(edge));
  REQUIRE(edge.config);
  CHECK(edge.config->workflows.dropship.reconcile_every == 10s);
  const auto hourly = parse_config(with_dropship("    reconcile_every: 1h\n"), kFile);
  REQUIRE(hourly.config);
  CHECK(hourly.config->workflows.dropship.reconcile_every == 1h);
}

TEST_CASE("dropship: bad shapes and unknown keys are reported at their lines") {
  const auto result = parse_config(with_dropship(R"(
    reconcile_evry: 5m
    factories:
      - just-a-name
      -
      - id: f1
        token_file: f1.token
        tokenfile: f1.token
    rules:
      - name: r1
        skus: [A]
        factory: f1
        shop: [tb-1]
)"),
                                   kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 5);
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:25: workflows.dropship.reconcile_evry: unknown key 'reconcile_evry' (did you "
                    "mean 'reconcile_every'?)");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:27: workflows.dropship.factories[0]: must be a map describing one factory, "
                    "got a single value");
  // An empty item has no line of its own: the list's key is the nearest.
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:26: workflows.dropship.factories[1]: must be a map describing one factory, "
                    "got no value");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:31: workflows.dropship.factories[2].tokenfile: unknown key 'tokenfile' (did "
                    "you mean 'token_file'?)");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:36: workflows.dropship.rules[0].shop: unknown key 'shop' (did you mean "
                    "'shops'?)");

  const auto lists = parse_config(with_dropship("    factories: {id: acme}\n    rules:\n"), kFile);
  CHECK(lists.issues.size() == 2);
  ERP_CHECK_REPORTS(lists,
                    "/etc/erpd/erpd.yaml:25: workflows.dropship.factories: must be a list of factories (each entry "
                    "starting with '- id:'), got a map");
  ERP_CHECK_REPORTS(lists,
                    "/etc/erpd/erpd.yaml:26: workflows.dropship.rules: has no value; write a list of rules (each entry "
                    "starting with '- name:'), or [] for none");

  const auto scalar = parse_config(shops_and_workflows() + "    on\n", kFile);
  INFO(all_issues(scalar));
  CHECK(scalar.issues.size() == 1);
  CHECK(testing::issue_at(scalar, "workflows.dropship") != nullptr);
  ERP_CHECK_ISSUE(scalar, "workflows.dropship", 24, "must be a map of keys, got a single value");

  const auto misspelt = parse_config(std::string(kMinimal) + "workflows:\n  dropshop: {}\n", kFile);
  CHECK(misspelt.issues.size() == 1);
  ERP_CHECK_REPORTS(misspelt,
                    "/etc/erpd/erpd.yaml:6: workflows.dropshop: unknown key 'dropshop' (did you mean 'dropship'?)");
}

TEST_CASE("dropship: names and Douyin shop ids as pure rules") {
  CHECK(detail::check_dropship_name("acme").empty());
  CHECK(detail::check_dropship_name("Acme_2.shoes-cn").empty());
  CHECK(detail::check_dropship_name(std::string(64, 'a')).empty());
  CHECK(detail::check_dropship_name(std::string(65, 'a')) == "must be at most 64 characters");
  CHECK(detail::check_dropship_name("") == "must not be empty");
  CHECK(detail::check_dropship_name("a b") == "must use only letters, digits, '_', '.' and '-'");
  CHECK(detail::check_dropship_name("工厂") == "must use only letters, digits, '_', '.' and '-'");
  CHECK(detail::check_douyin_shop_id("7000002").empty());
  CHECK(detail::check_douyin_shop_id("") == "must not be empty");
  CHECK_FALSE(detail::check_douyin_shop_id("-7").empty());
  CHECK_FALSE(detail::check_douyin_shop_id("7e6").empty());
}

/// `text` with its commented `  # dropship:` block turned into YAML: the block's lines lose their
/// "# ", its explanations ("  #   # ...") are dropped.
std::string uncomment_dropship(const std::string& text) {
  std::istringstream in(text);
  std::string out;
  bool in_block = false;
  for (std::string line; std::getline(in, line);) {
    if (line == "  # dropship:") in_block = true;
    if (in_block && line.starts_with("  # ")) {
      const std::string body = line.substr(4);
      if (body.find_first_not_of(' ') != std::string::npos && body[body.find_first_not_of(' ')] == '#') continue;
      out += "  " + body + "\n";
      continue;
    }
    in_block = false;
    out += line + "\n";
  }
  return out;
}

TEST_CASE("dropship: the example config documents the keys and leaves dropship at its defaults") {
  const std::filesystem::path example = std::filesystem::path(ERP_SOURCE_DIR) / "config/erpd.example.yaml";
  const auto result = load_config(example);
  INFO(all_issues(result));
  REQUIRE(result.config);
  CHECK(result.config->workflows.dropship == DropshipConfig{});
  for (const auto& shop : result.config->shops) CHECK(shop.dropship_role == DropshipRole::merchant);

  // The commented example, uncommented, is a valid dropship section.
  std::ifstream file(example);
  std::stringstream text;
  text << file.rdbuf();
  const std::string uncommented = uncomment_dropship(text.str());
  REQUIRE(uncommented.find("\n  dropship:\n    reconcile_every: 5m\n") != std::string::npos);
  const auto documented = parse_config(uncommented, example);
  INFO(all_issues(documented));
  REQUIRE(documented.config);
  const DropshipConfig& d = documented.config->workflows.dropship;
  CHECK(d.reconcile_every == 5min);
  REQUIRE(d.factories.size() == 1);
  CHECK(d.factories[0].id == "acme");
  CHECK(d.factories[0].name == "Acme Shoes");
  CHECK(d.factories[0].token_file == std::filesystem::path("/var/lib/erpd/factory-acme.token"));
  CHECK(d.factories[0].douyin_shop_id == "7000002");
  CHECK(d.factories[0].notify_url == "http://127.0.0.1:9000/hook");
  REQUIRE(d.rules.size() == 1);
  CHECK(d.rules[0] == DropshipRule{"shoes", {"SKU-1", "SKU-2"}, "acme", {"douyin-main"}});
}

}  // namespace
}  // namespace erp::daemon::config
