#include "qimen/qimen_payload.hpp"

#include <algorithm>
#include <pugixml.hpp>

namespace erp::sim::qimen {
namespace {

// Deeper than any Qimen body (about 6 levels); low enough that the recursive readers below and
// nlohmann's recursive parser stay far from the stack's end.
constexpr int kMaxDepth = 64;

struct StringWriter final : pugi::xml_writer {
  std::string out;
  void write(const void* data, std::size_t size) override { out.append(static_cast<const char*>(data), size); }
};

/// An element as a tree: its text when it has no child elements, else an object of its children,
/// repeated names becoming an array (the XML form of a list).
std::optional<Tree> element_tree(const pugi::xml_node& element, int depth) {
  if (depth > kMaxDepth) return std::nullopt;
  bool has_elements = false;
  for (const auto& node : element.children()) {
    if (node.type() == pugi::node_element) {
      has_elements = true;
      break;
    }
  }
  if (!has_elements) {
    // Text may come in several pieces (character data next to a CDATA section).
    std::string value;
    for (const auto& node : element.children()) {
      if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) value += node.value();
    }
    return Tree(value);
  }
  Tree object = Tree::object();
  for (const auto& node : element.children()) {
    if (node.type() != pugi::node_element) continue;
    auto value = element_tree(node, depth + 1);
    if (!value) return std::nullopt;
    const std::string name = node.name();
    const auto existing = object.find(name);
    if (existing == object.end()) {
      object[name] = std::move(*value);
    } else if (existing->is_array()) {
      existing->push_back(std::move(*value));
    } else {
      Tree both = Tree::array();
      both.push_back(std::move(*existing));
      both.push_back(std::move(*value));
      *existing = std::move(both);
    }
  }
  return object;
}

ParsedBody parse_xml(std::string_view body, std::string_view root) {
  ParsedBody out;
  pugi::xml_document doc;
  const pugi::xml_parse_result result =
      doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!result) {
    out.error = std::string("body is not well-formed XML: ") + result.description() + " at byte " +
                std::to_string(result.offset);
    return out;
  }
  const pugi::xml_node element = doc.document_element();
  if (!element) {
    out.error = "body is not well-formed XML: no root element";
    return out;
  }
  if (std::string_view(element.name()) != root) {
    out.error = "body: the root element is <" + std::string(element.name()) + ">, expected <" + std::string(root) + ">";
    return out;
  }
  auto tree = element_tree(element, 1);
  if (!tree) {
    out.error = "body: XML nested deeper than " + std::to_string(kMaxDepth) + " levels";
    return out;
  }
  if (!tree->is_object()) tree = Tree::object();  // <request/> or <request>text</request>: nothing in it
  out.tree = std::move(tree);
  return out;
}

/// Nesting depth of a JSON text, counted outside strings, so it can be refused before the
/// (recursive) parser sees it.
int json_depth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

ParsedBody parse_json(std::string_view body) {
  ParsedBody out;
  if (json_depth(body) > kMaxDepth) {
    out.error = "body: JSON nested deeper than " + std::to_string(kMaxDepth) + " levels";
    return out;
  }
  Tree tree = Tree::parse(body.begin(), body.end(), nullptr, false);
  if (tree.is_discarded()) {
    out.error = "body is not valid JSON (or not UTF-8)";
    return out;
  }
  if (!tree.is_object()) {
    out.error = "body: expected a JSON object";
    return out;
  }
  out.tree = std::move(tree);
  return out;
}

std::string scalar_text(const Tree& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return value.dump();
  return "";
}

void append_xml(pugi::xml_node parent, const std::string& name, const Tree& value) {
  if (value.is_array()) {
    for (const auto& item : value) append_xml(parent, name, item);
    return;
  }
  pugi::xml_node element = parent.append_child(name.c_str());
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) append_xml(element, key, item);
  } else {
    const std::string content = scalar_text(value);
    if (!content.empty()) element.append_child(pugi::node_pcdata).set_value(content.c_str());
  }
}

std::string write_xml(const Tree& tree, std::string_view root) {
  pugi::xml_document doc;
  pugi::xml_node declaration = doc.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "utf-8";
  append_xml(doc, std::string(root), tree);
  StringWriter writer;
  doc.save(writer, "", pugi::format_raw, pugi::encoding_utf8);
  return writer.out;
}

/// The mechanical JSON form: one-element lists unwrapped, every value a string.
Tree mechanical(const Tree& value) {
  if (value.is_array()) {
    if (value.size() == 1) return mechanical(value.front());
    Tree out = Tree::array();
    for (const auto& item : value) out.push_back(mechanical(item));
    return out;
  }
  if (value.is_object()) {
    Tree out = Tree::object();
    for (const auto& [key, item] : value.items()) out[key] = mechanical(item);
    return out;
  }
  return Tree(scalar_text(value));
}

std::string dump(const Tree& tree) { return tree.dump(-1, ' ', false, Tree::error_handler_t::replace); }

}  // namespace

std::optional<Format> format_from_string(std::string_view text) {
  if (text.empty() || text == "xml") return Format::xml;
  if (text == "json") return Format::json;
  return std::nullopt;
}

std::string format_name(Format format) { return format == Format::xml ? "xml" : "json"; }

std::string content_type(Format format) {
  return format == Format::xml ? "text/xml;charset=utf-8" : "application/json;charset=utf-8";
}

ParsedBody parse_body(Format format, std::string_view body, std::string_view root) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    ParsedBody out;
    out.error = "body is empty";
    return out;
  }
  return format == Format::xml ? parse_xml(body, root) : parse_json(body);
}

std::string write_body(Format format, const Tree& tree, std::string_view root, JsonStyle style) {
  if (format == Format::xml) return write_xml(tree, root);
  return dump(style == JsonStyle::mechanical ? mechanical(tree) : tree);
}

std::string write_response(Format format, const Tree& fields) {
  if (format == Format::xml) return write_xml(fields, "response");
  Tree wrapped = Tree::object();
  wrapped["response"] = fields;
  return dump(wrapped);
}

std::optional<Answer> parse_answer(std::string_view body) {
  const auto start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return std::nullopt;
  const Tree* fields = nullptr;
  ParsedBody parsed;
  if (body[start] == '<') {
    parsed = parse_xml(body, "response");
    if (parsed.tree) fields = &*parsed.tree;
  } else if (body[start] == '{') {
    parsed = parse_json(body);
    if (parsed.tree) {
      const Tree* wrapped = child(*parsed.tree, "response");
      fields = wrapped != nullptr && wrapped->is_object() ? wrapped : &*parsed.tree;
    }
  }
  if (fields == nullptr || child(*fields, "flag") == nullptr) return std::nullopt;
  return Answer{text(*fields, "flag"), text(*fields, "code"), text(*fields, "message")};
}

const Tree* child(const Tree& node, std::string_view key) {
  if (!node.is_object()) return nullptr;
  const auto it = node.find(std::string(key));
  return it == node.end() ? nullptr : &*it;
}

std::string text(const Tree* node) { return node == nullptr ? "" : scalar_text(*node); }

std::string text(const Tree& node, std::string_view key) { return text(child(node, key)); }

std::vector<const Tree*> list(const Tree& node, std::string_view wrapper, std::string_view item) {
  std::vector<const Tree*> out;
  const Tree* outer = child(node, wrapper);
  const Tree* items = outer == nullptr ? nullptr : child(*outer, item);
  if (items == nullptr) return out;
  if (items->is_array()) {
    for (const auto& element : *items) out.push_back(&element);
  } else {
    out.push_back(items);
  }
  return out;
}

}  // namespace erp::sim::qimen
