#include "core/posted_shipment.hpp"

#include <set>

namespace erp::daemon::shipping {
namespace {

using nlohmann::json;
using sdk::ErrorCode;
using sdk::fail;

bool printable_code(const std::string& text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

/// A required short code (waybill, carrier): non-empty, no spaces or control characters.
sdk::Result<std::string> code_field(const json& object, const char* field, const std::string& path) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return fail(ErrorCode::invalid_input, path + field + ": required");
  if (!it->is_string()) return fail(ErrorCode::invalid_input, path + field + ": must be a string");
  const std::string value = it->get<std::string>();
  if (value.empty() || value.size() > kMaxCodeLength || !printable_code(value)) {
    return fail(ErrorCode::invalid_input, path + field + ": must be 1 to " + std::to_string(kMaxCodeLength) +
                                              " characters without spaces");
  }
  return value;
}

sdk::Result<std::vector<std::string>> line_ids(const json& package, const std::string& path) {
  std::vector<std::string> out;
  const auto it = package.find("lines");
  if (it == package.end() || it->is_null()) return out;
  if (!it->is_array()) return fail(ErrorCode::invalid_input, path + "lines: must be a list of line ids");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& id = (*it)[i];
    const std::string where = path + "lines[" + std::to_string(i) + "]";
    if (!id.is_string() || id.get<std::string>().empty()) {
      return fail(ErrorCode::invalid_input, where + ": must be a non-empty string");
    }
    if (!seen.insert(id.get<std::string>()).second) {
      return fail(ErrorCode::invalid_input, where + ": line '" + id.get<std::string>() + "' is listed twice");
    }
    out.push_back(id.get<std::string>());
  }
  return out;
}

sdk::Result<sdk::Package> parse_package(const json& package, const std::string& path) {
  if (!package.is_object()) return fail(ErrorCode::invalid_input, path.substr(0, path.size() - 1) + ": must be an object");
  for (const auto& [key, value] : package.items()) {
    if (key != "waybill" && key != "carrier" && key != "lines") {
      return fail(ErrorCode::invalid_input, path + key + ": unknown field (known: waybill, carrier, lines)");
    }
  }
  sdk::Package out;
  auto waybill = code_field(package, "waybill", path);
  if (!waybill) return waybill.error();
  auto carrier = code_field(package, "carrier", path);
  if (!carrier) return carrier.error();
  auto lines = line_ids(package, path);
  if (!lines) return lines.error();
  out.waybill = std::move(waybill).value();
  out.carrier_code = std::move(carrier).value();
  out.line_ids = std::move(lines).value();
  return out;
}

/// A line in two parcels, or a whole-order parcel beside others, would ask the platform to ship a
/// line twice; refuse it here rather than let the second upload fail later.
sdk::Result<void> check_disjoint(const std::vector<sdk::Package>& packages) {
  std::set<std::string> shipped;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    if (packages[i].line_ids.empty() && packages.size() > 1) {
      return fail(ErrorCode::invalid_input, "packages[" + std::to_string(i) +
                                                "].lines: required when a shipment has several packages");
    }
    for (const auto& line : packages[i].line_ids) {
      if (!shipped.insert(line).second) {
        return fail(ErrorCode::invalid_input,
                    "packages[" + std::to_string(i) + "].lines: line '" + line + "' is already in another package");
      }
    }
  }
  return {};
}

}  // namespace

sdk::Result<PostedShipment> parse_posted_shipment(const json& body) {
  if (!body.is_object()) return fail(ErrorCode::invalid_input, "request body: expected a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (key != "shipment_id" && key != "packages") {
      return fail(ErrorCode::invalid_input, "unknown field '" + key + "' (known: shipment_id, packages)");
    }
  }
  PostedShipment out;
  auto id = code_field(body, "shipment_id", "");
  if (!id) return id.error();
  out.shipment_id = std::move(id).value();
  const auto packages = body.find("packages");
  if (packages == body.end() || !packages->is_array() || packages->empty() || packages->size() > kMaxPackages) {
    return fail(ErrorCode::invalid_input,
                "packages: required, a list of 1 to " + std::to_string(kMaxPackages) + " parcels");
  }
  for (std::size_t i = 0; i < packages->size(); ++i) {
    auto package = parse_package((*packages)[i], "packages[" + std::to_string(i) + "].");
    if (!package) return package.error();
    out.packages.push_back(std::move(package).value());
  }
  if (auto disjoint = check_disjoint(out.packages); !disjoint) return disjoint.error();
  return out;
}

nlohmann::json to_json(const PostedShipment& shipment) {
  json packages = json::array();
  for (const auto& p : shipment.packages) {
    packages.push_back(json{{"waybill", p.waybill}, {"carrier", p.carrier_code}, {"lines", p.line_ids}});
  }
  return json{{"shipment_id", shipment.shipment_id}, {"packages", std::move(packages)}};
}

}  // namespace erp::daemon::shipping
