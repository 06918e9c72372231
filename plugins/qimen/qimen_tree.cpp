#include "plugins/qimen/qimen_tree.hpp"

namespace erp::plugins::qimen {
namespace {

bool blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trimmed(std::string_view text) noexcept {
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

void Node::leaf(std::string child_name, std::string child_text) {
  if (child_text.empty()) return;
  Node& added = children.emplace_back();
  added.name = std::move(child_name);
  added.text = std::move(child_text);
}

Node& Node::add(std::string child_name) {
  Node& added = children.emplace_back();
  added.name = std::move(child_name);
  return added;
}

const Node* Node::child(std::string_view child_name) const noexcept {
  for (const auto& c : children) {
    if (c.name == child_name) return &c;
  }
  return nullptr;
}

std::string Node::value(std::string_view child_name) const {
  const Node* found = child(child_name);
  return found == nullptr ? std::string() : std::string(trimmed(found->text));
}

std::vector<const Node*> list_items(const Node& parent, std::string_view wrapper, std::string_view item) {
  std::vector<const Node*> out;
  for (const auto& holder : parent.children) {
    if (holder.name != wrapper) continue;
    bool wrapped = false;
    for (const auto& c : holder.children) {
      if (c.name != item) continue;
      wrapped = true;
      out.push_back(&c);
    }
    // "packages":[{"logisticsCode":..}]: the array's objects are the items themselves.
    if (!wrapped && !holder.children.empty()) out.push_back(&holder);
  }
  return out;
}

std::optional<Format> sniff_format(std::string_view body) noexcept {
  // A UTF-8 byte order mark is not content.
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  body = trimmed(body);
  if (body.empty()) return std::nullopt;
  if (body.front() == '<') return Format::xml;
  if (body.front() == '{' || body.front() == '[') return Format::json;
  return std::nullopt;
}

sdk::Result<Node> read_body(std::string_view body, Format format) {
  return format == Format::xml ? read_xml(body) : read_json(body);
}

std::string write_body(const Node& root, Format format) {
  return format == Format::xml ? write_xml(root) : write_json(root);
}

}  // namespace erp::plugins::qimen
