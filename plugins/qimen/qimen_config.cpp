#include "plugins/qimen/qimen_config.hpp"

#include "plugins/common/timeout_option.hpp"

namespace erp::plugins::qimen {
namespace {

using sdk::ConfigType;
using sdk::ErrorCode;

std::string lower(std::string text) {
  for (auto& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

std::optional<bool> boolean(const std::string& text) {
  const std::string word = lower(text);
  if (word == "true" || word == "yes" || word == "on") return true;
  if (word == "false" || word == "no" || word == "off") return false;
  return std::nullopt;
}

sdk::Error bad(const std::string& key, const std::string& why) {
  return sdk::fail(ErrorCode::config_error, "qimen option " + key + ": " + why);
}

/// http:// or https:// followed by a host.
bool http_url(const std::string& url) {
  const std::string head = lower(url.substr(0, 8));
  std::size_t host_at = 0;
  if (head.rfind("http://", 0) == 0) {
    host_at = 7;
  } else if (head.rfind("https://", 0) == 0) {
    host_at = 8;
  } else {
    return false;
  }
  if (host_at >= url.size() || url[host_at] == '/' || url[host_at] == '?') return false;
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '#') return false;
  }
  return true;
}

}  // namespace

std::vector<sdk::ConfigKeySpec> qimen_config_keys() {
  return {
      {"url", ConfigType::string, true, "",
       "The WMS's Qimen endpoint (http:// or https://): the Qimen gateway "
       "(http://qimen.api.taobao.com/router/qimen/service) or the WMS's own URL. The system parameters "
       "are added to its query string."},
      {"app_key", ConfigType::string, true, "", "The app_key this ERP calls with (the `app_key` parameter)."},
      {"app_secret", ConfigType::secret, true, "",
       "The secret both sides sign with: outgoing calls are signed with it and incoming ones verified."},
      {"customer_id", ConfigType::string, true, "",
       "The `customerId` routing parameter (the owner's id at the gateway). Incoming calls naming another "
       "customerId are refused."},
      {"format", ConfigType::string, false, "xml", "Body format of outgoing calls: xml or json."},
      {"method_prefix", ConfigType::boolean, false, "true",
       "true: call taobao.qimen.deliveryorder.create and taobao.qimen.order.cancel (the gateway's names); "
       "false: deliveryorder.create and order.cancel (what many WMSs reached directly expect). Incoming "
       "calls are taken under either name."},
      {"version", ConfigType::string, false, "2.0", "The `v` parameter."},
      {"sign_method", ConfigType::string, false, "md5", "md5 or hmac (HmacMD5), for outgoing calls."},
      {"warehouse_code", ConfigType::string, false, "OTHER",
       "warehouseCode of deliveries and cancels; OTHER lets the WMS choose the warehouse."},
      {"owner_code", ConfigType::string, true, "", "ownerCode (the merchant's owner code at the WMS)."},
      {"logistics_code", ConfigType::string, false, "OTHER",
       "logisticsCode of deliveries (SF, YTO, ZTO ...); OTHER lets the WMS choose the carrier."},
      {"sender_name", ConfigType::string, false, "", "senderInfo.name; the sender_* keys are given all or none."},
      {"sender_mobile", ConfigType::string, false, "", "senderInfo.mobile."},
      {"sender_province", ConfigType::string, false, "", "senderInfo.province."},
      {"sender_city", ConfigType::string, false, "", "senderInfo.city."},
      {"sender_address", ConfigType::string, false, "", "senderInfo.detailAddress."},
      {"gift_mark", ConfigType::string, false, "extend_props",
       "How a gift line (rule G4) is marked, the standard having no gift flag: extend_props (the line's "
       "extendProps gets gift_key = 1), remark (the line's remark is gift_remark) or none (only its zero "
       "price shows it)."},
      {"gift_key", ConfigType::string, false, "isGift", "The extendProps key of a gift line (gift_mark extend_props)."},
      {"gift_remark", ConfigType::string, false, "赠品", "The remark of a gift line (gift_mark remark)."},
      {"cancel_outcome", ConfigType::string, false, "answer",
       "answer: order.cancel's answer settles an intercept lock (success: locked); report: the WMS reports "
       "the outcome later (deliveryorder.confirm CANCELED/CANCELEDFAIL or orderprocess.report CANCELED), "
       "so a successful answer leaves the lock pending."},
      {"timeout", ConfigType::duration, false, "10s",
       "How long one call to the WMS may take (100ms to 5m) before its outcome counts as unknown."},
  };
}

sdk::Result<QimenConfig> read_qimen_config(const sdk::ConfigView& config, const sdk::Secrets& secrets) {
  QimenConfig out;
  const auto required = [&config](const char* key, std::string& into) -> std::optional<sdk::Error> {
    auto value = config.get(key);
    if (!value || value->empty()) return bad(key, "is required");
    into = std::move(*value);
    return std::nullopt;
  };
  const std::pair<const char*, std::string*> required_keys[] = {
      {"url", &out.url}, {"app_key", &out.app_key}, {"customer_id", &out.customer_id}, {"owner_code", &out.owner_code}};
  for (const auto& [key, into] : required_keys) {
    if (auto error = required(key, *into)) return std::move(*error);
  }
  if (!http_url(out.url)) return bad("url", "must be an http:// or https:// URL with a host");

  auto secret = secrets.get("app_secret");
  if (!secret || secret->empty()) return bad("app_secret", "is required");
  out.app_secret = std::move(secret).value();

  const std::string format = lower(config.get_or("format", "xml"));
  if (format == "xml") {
    out.format = Format::xml;
  } else if (format == "json") {
    out.format = Format::json;
  } else {
    return bad("format", "must be xml or json");
  }

  const auto prefix = boolean(config.get_or("method_prefix", "true"));
  if (!prefix) return bad("method_prefix", "must be true or false");
  out.method_prefix = *prefix;

  out.version = config.get_or("version", "2.0");
  if (out.version.empty()) return bad("version", "must not be empty");

  const auto method = sign_method_from_string(config.get_or("sign_method", "md5"));
  if (!method || *method == SignMethod::hmac_sha256) return bad("sign_method", "must be md5 or hmac");
  out.sign_method = *method;

  out.warehouse_code = config.get_or("warehouse_code", "OTHER");
  if (out.warehouse_code.empty()) return bad("warehouse_code", "must not be empty");
  out.logistics_code = config.get_or("logistics_code", "OTHER");
  if (out.logistics_code.empty()) return bad("logistics_code", "must not be empty");

  SenderInfo sender;
  const std::pair<const char*, std::string*> sender_keys[] = {{"sender_name", &sender.name},
                                                              {"sender_mobile", &sender.mobile},
                                                              {"sender_province", &sender.province},
                                                              {"sender_city", &sender.city},
                                                              {"sender_address", &sender.address}};
  std::string given;
  std::string missing;
  for (const auto& [key, into] : sender_keys) {
    *into = config.get_or(key, "");
    std::string& list = into->empty() ? missing : given;
    list += list.empty() ? "" : ", ";
    list += key;
  }
  if (!given.empty() && !missing.empty()) {
    return bad(missing.substr(0, missing.find(',')),
               "the sender_* keys are given all or none (" + given + " given, " + missing + " missing)");
  }
  if (missing.empty()) out.sender = std::move(sender);

  const std::string mark = lower(config.get_or("gift_mark", "extend_props"));
  if (mark == "extend_props") {
    out.gift_mark = GiftMark::extend_props;
  } else if (mark == "remark") {
    out.gift_mark = GiftMark::remark;
  } else if (mark == "none") {
    out.gift_mark = GiftMark::none;
  } else {
    return bad("gift_mark", "must be extend_props, remark or none");
  }
  out.gift_key = config.get_or("gift_key", "isGift");
  // It becomes an element name: letters, digits, '_' and '-', starting with a letter or '_'.
  const auto name_char = [](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && ((c >= '0' && c <= '9') || c == '-'));
  };
  bool key_ok = !out.gift_key.empty() && out.gift_key.size() <= 64;
  for (std::size_t i = 0; key_ok && i < out.gift_key.size(); ++i) key_ok = name_char(out.gift_key[i], i == 0);
  if (!key_ok) return bad("gift_key", "must be a name of letters, digits, '_' and '-' starting with a letter");
  out.gift_remark = config.get_or("gift_remark", "赠品");
  if (out.gift_mark == GiftMark::remark && out.gift_remark.empty()) return bad("gift_remark", "must not be empty");

  const std::string cancel = lower(config.get_or("cancel_outcome", "answer"));
  if (cancel == "answer") {
    out.cancel_outcome = CancelOutcome::answer;
  } else if (cancel == "report") {
    out.cancel_outcome = CancelOutcome::report;
  } else {
    return bad("cancel_outcome", "must be answer or report");
  }

  const auto timeout = parse_timeout(config.get_or("timeout", "10s"));
  if (!timeout) return bad("timeout", "must be a duration from 100ms to 5m, like 10s");
  out.timeout = *timeout;
  return out;
}

}  // namespace erp::plugins::qimen
