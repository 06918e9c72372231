// The connector's options: what the factory declares to the host, and what it refuses at create
// time, naming the key.

#include <doctest/doctest.h>

#include "qimen_test_host.hpp"

using namespace erp::plugins::qimen;
using namespace erp::plugins::qimen::testing;
using erp::sdk::ConfigType;
using erp::sdk::ErrorCode;

namespace {

/// The factory's answer for a host whose options were changed by `edit`: "ok" or the error.
template <class Edit>
std::string created_with(Edit edit) {
  QimenHost host;
  edit(host);
  auto made = make_qimen_factory()->create_warehouse_connector(host);
  if (made) return "ok";
  return std::string(erp::sdk::to_string(made.error().code)) + ": " + made.error().message;
}

}  // namespace

TEST_CASE("qimen_config: the declared keys, their types, requiredness and defaults") {
  const auto keys = make_qimen_factory()->config_keys();
  std::vector<std::string> described;
  for (const auto& key : keys) {
    CHECK_FALSE(key.doc.empty());
    std::string type;
    switch (key.type) {
      case ConfigType::string:
        type = "string";
        break;
      case ConfigType::integer:
        type = "integer";
        break;
      case ConfigType::boolean:
        type = "boolean";
        break;
      case ConfigType::duration:
        type = "duration";
        break;
      case ConfigType::secret:
        type = "secret";
        break;
    }
    described.push_back(key.name + ":" + type + (key.required ? ":required" : "") +
                        (key.default_value.empty() ? "" : "=" + key.default_value));
  }
  CHECK(described == std::vector<std::string>{"url:string:required",
                                              "app_key:string:required",
                                              "app_secret:secret:required",
                                              "customer_id:string:required",
                                              "format:string=xml",
                                              "method_prefix:boolean=true",
                                              "version:string=2.0",
                                              "sign_method:string=md5",
                                              "warehouse_code:string=OTHER",
                                              "owner_code:string:required",
                                              "logistics_code:string=OTHER",
                                              "sender_name:string",
                                              "sender_mobile:string",
                                              "sender_province:string",
                                              "sender_city:string",
                                              "sender_address:string",
                                              "gift_mark:string=extend_props",
                                              "gift_key:string=isGift",
                                              "gift_remark:string=赠品",
                                              "cancel_outcome:string=answer",
                                              "timeout:duration=10s"});
}

TEST_CASE("qimen_config: the defaults make a working connector from the required keys alone") {
  CHECK(created_with([](QimenHost&) {}) == "ok");
  // The host's boolean spellings.
  for (const char* yes_no : {"yes", "NO", "on", "Off", "TRUE"}) {
    CHECK(created_with([&](QimenHost& h) { h.fake_config.values["method_prefix"] = yes_no; }) == "ok");
  }
}

TEST_CASE("qimen_config: refusals name the key") {
  CHECK(created_with([](QimenHost& h) { h.fake_config.values.erase("url"); }) ==
        "config_error: qimen option url: is required");
  CHECK(created_with([](QimenHost& h) { h.fake_config.values["url"] = "ftp://wms"; }) ==
        "config_error: qimen option url: must be an http:// or https:// URL with a host");
  CHECK(created_with([](QimenHost& h) { h.fake_config.values["url"] = "https://"; }) ==
        "config_error: qimen option url: must be an http:// or https:// URL with a host");
  CHECK(created_with([](QimenHost& h) { h.fake_config.values.erase("app_key"); }) ==
        "config_error: qimen option app_key: is required");
  CHECK(created_with([](QimenHost& h) { h.fake_secrets.values.clear(); }) ==
        "config_error: qimen option app_secret: is required");
  CHECK(created_with([](QimenHost& h) { h.fake_config.values["customer_id"] = ""; }) ==
        "config_error: qimen option customer_id: is required");
  CHECK(created_with([](QimenHost& h) { h.fake_config.values.erase("owner_code"); }) ==
        "config_error: qimen option owner_code: is required");
  CHECK(created_with([](QimenHost& h) { h.fake_config.values["format"] = "yaml"; }) ==
        "config_error: qimen option format: must be xml or json");
  CHECK(created_with([](QimenHost& h) { h.fake_config.values["method_prefix"] = "maybe"; }) ==
        "config_error: qimen option method_prefix: must be true or false");
  CHECK(created_with([](QimenHost& h) { h.fake_config.values["sign_method"] = "hmac-sha256"; }) ==
        "config_error: qimen option sign_method: must be md5 or hmac");
  CHECK(created_with([](QimenHost& h) { h.fake_config.values["gift_mark"] = "flag"; }) ==
        "config_error: qimen option gift_mark: must be extend_props, remark or none");
  CHECK(created_with([](QimenHost& h) { h.fake_config.values["gift_key"] = "is gift"; }) ==
        "config_error: qimen option gift_key: must be a name of letters, digits, '_' and '-' starting with a letter");
  CHECK(created_with([](QimenHost& h) { h.fake_config.values["cancel_outcome"] = "later"; }) ==
        "config_error: qimen option cancel_outcome: must be answer or report");
  CHECK(created_with([](QimenHost& h) { h.fake_config.values["timeout"] = "2h"; }) ==
        "config_error: qimen option timeout: must be a duration from 100ms to 5m, like 10s");
  CHECK(created_with([](QimenHost& h) {
          h.fake_config.values["sender_name"] = "仓";
          h.fake_config.values["sender_city"] = "杭州市";
        }) ==
        "config_error: qimen option sender_mobile: the sender_* keys are given all or none (sender_name, "
        "sender_city given, sender_mobile, sender_province, sender_address missing)");
}
